"""manifest.json: what went into a report (params, input hashes, versions, commit) and how long each stage took."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

from ..params import ReviewParams, note_files

PACKAGES = ("scrutiny-kit", "papermill", "nbconvert", "pandas", "altair", "vl-convert-python", "pandera",
            "pydantic", "python-docx", "openpyxl")
PACKAGE_DIR = Path(__file__).resolve().parent.parent


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def input_files(params: ReviewParams) -> list[Path]:
    """Every file the review reads, in a stable order."""
    files = [*note_files(params.visit_notes), params.workforce, params.recommendations]
    if params.commentary is not None:
        files.append(params.commentary)
    if params.codebook != "default":
        files.append(Path(params.codebook))
    else:
        files.append(PACKAGE_DIR / "codebooks" / "default.yaml")
    if params.params_file is not None:
        files.append(params.params_file)
    return [Path(f) for f in files]


def package_fingerprint() -> str:
    """One hash of the package's own code and templates, so a code change invalidates cached reports."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".j2", ".css", ".yaml", ".json"}:
            digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def input_hashes(params: ReviewParams, notebook: Path) -> dict[str, str]:
    """SHA-256 of every input, the notebook and the package code: the cache key of a render."""
    hashes = {str(path): sha256_file(path) for path in input_files(params)}
    hashes[str(notebook)] = sha256_file(notebook)
    hashes["scrutiny_kit package"] = package_fingerprint()
    return hashes


def versions() -> dict[str, str]:
    found: dict[str, str] = {}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


def git_commit(start: Path) -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=start, capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def build_manifest(params: ReviewParams, *, notebook: Path, hashes: dict[str, str], timings: dict[str, float],
                   extra: dict[str, Any]) -> dict[str, Any]:
    return {
        "review_id": params.review_id,
        "generated_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "params": json.loads(params.model_dump_json()),
        "inputs": hashes,
        "notebook": str(notebook),
        "versions": versions(),
        "git_commit": git_commit(PACKAGE_DIR),
        "timings_seconds": {k: round(v, 3) for k, v in timings.items()},
        **extra,
    }


def write_manifest(path: Path, manifest: dict[str, Any]) -> None:
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")


def read_manifest(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None

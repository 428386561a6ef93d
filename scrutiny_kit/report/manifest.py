"""manifest.json: what went into a report (params, input hashes, versions, commit) and how long each stage took."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

from ..params import PATH_KEYS, ReviewParams, note_files
from ..resources import DEFAULT_CODEBOOK, NOTEBOOK, package_path
from .publish import working_dir

PACKAGES = ("scrutiny-kit", "papermill", "nbconvert", "pandas", "altair", "vl-convert-python", "pandera",
            "pydantic", "python-docx", "openpyxl")
PACKAGE_DIR = package_path()
DEFAULT_NOTEBOOK = NOTEBOOK
# Code that never changes a report (batch runs, the index page, the CLI, `check --update`) is left out of the
# cache key.
NOT_IN_REPORT = ("batch/", "cli/", "scaffold.py", "coding/agreement.py", "coding/check_update.py",
                 "templates/index/", "templates/new/")


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
        files.append(DEFAULT_CODEBOOK)
    if params.coding_check is not None:
        files.append(params.coding_check)
    if params.params_file is not None:
        files.append(params.params_file)
    return [Path(f) for f in files]


def package_fingerprint() -> str:
    """One hash of the package's own code and templates, so a code change invalidates cached reports."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*")):
        name = path.relative_to(PACKAGE_DIR).as_posix()
        if path.is_file() and path.suffix in {".py", ".j2", ".css", ".yaml", ".json"} \
                and not name.startswith(NOT_IN_REPORT):
            digest.update(name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def portable_path(path: Path | str, params: ReviewParams) -> str:
    """A path as the manifest records it: relative to the params file (as the params file names its inputs),
    so manifest.json holds no machine's absolute paths; files shipped inside the package (the built-in codebook,
    the review notebook) by their place in it, e.g. 'scrutiny_kit/codebooks/default.yaml'."""
    path = Path(path).resolve()
    if PACKAGE_DIR.resolve() in path.parents:
        return path.relative_to(PACKAGE_DIR.resolve().parent).as_posix()
    base = Path(params.params_file).resolve().parent if params.params_file else Path.cwd()
    try:
        return Path(os.path.relpath(path, base)).as_posix()
    except ValueError:  # another drive (Windows): the name is all that can be said without the machine's path
        return path.name


def portable_params(params: ReviewParams, record: dict[str, Any] | None = None) -> dict[str, Any]:
    """The params as resolved (or `record` of them, see params_record), with every path relative to the params
    file (see portable_path)."""
    data = dict(record) if record is not None else json.loads(params.model_dump_json())
    for key in (*PATH_KEYS, "params_file"):
        if data.get(key) and not (key == "codebook" and data[key] == "default"):
            data[key] = portable_path(data[key], params)
    return data


def portable_record(value: Any, params: ReviewParams) -> Any:
    """A manifest record with every input file's absolute path, wherever it appears in its text (a warning
    naming the coding sheet, say), written as `portable_path` writes it."""
    if isinstance(value, dict):
        return {k: portable_record(v, params) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [portable_record(v, params) for v in value]
    if isinstance(value, str):
        for path in sorted([*input_files(params), Path(params.visit_notes)], key=lambda p: -len(str(p))):
            if str(path) in value:
                value = value.replace(str(path), portable_path(path, params))
    return value


def input_hashes(params: ReviewParams, notebook: Path) -> dict[str, str]:
    """SHA-256 of every input, the notebook, the package code and the libraries' versions: the cache key.
    Files are named relative to the params file (see portable_path)."""
    hashes = {portable_path(path, params): sha256_file(path) for path in input_files(params)}
    hashes[portable_path(notebook, params)] = sha256_file(notebook)
    hashes["scrutiny_kit package"] = package_fingerprint()
    hashes["library versions"] = hashlib.sha256(json.dumps(versions(), sort_keys=True).encode()).hexdigest()
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
        "params": portable_params(params, params_record(params, redacted=bool(extra.get("apply_redaction")))),
        "inputs": hashes,
        "notebook": portable_path(notebook, params),
        "versions": versions(),
        "git_commit": git_commit(PACKAGE_DIR),
        "timings_seconds": {k: round(v, 3) for k, v in timings.items()},
        **portable_record(extra, params),
    }


def params_record(params: ReviewParams, *, redacted: bool = False) -> dict[str, Any]:
    """The params as resolved, for the manifest: the names in `redact:` are what must never be written beside
    the report, so only how many there are and a SHA-256 of them (sorted, JSON) are recorded; with `redacted`
    (--redact) the title block is recorded as the report shows it."""
    from .privacy import redact

    record = json.loads(params.model_dump_json())
    if redacted:
        record.update({key: redact(record[key], names=params.redact)[0] for key in ("title", "authority", "committee")})
    names = sorted(record.pop("redact", []))
    record["redact"] = {"count": len(names),
                        "sha256": hashlib.sha256(json.dumps(names, ensure_ascii=False).encode()).hexdigest()}
    record["params_file"] = str(params.params_file) if params.params_file is not None else None
    return record


def write_manifest(path: Path, manifest: dict[str, Any]) -> None:
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")


def read_manifest(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def manifest_path(folder: Path) -> Path:
    """Where a review folder's manifest.json lives (in `working/`: it is not for publishing)."""
    return working_dir(folder) / "manifest.json"


def is_unchanged(final: Path, hashes: dict[str, str], apply_redaction: bool) -> bool:
    """True when the last good render in `final` used exactly these inputs, notebook, package and libraries."""
    manifest = read_manifest(manifest_path(final))
    return (
        manifest is not None
        and (final / "report.html").is_file()
        and manifest.get("inputs") == hashes
        and manifest.get("apply_redaction") == apply_redaction
    )


def is_cached(params: ReviewParams, final: Path, notebook: Path | None, apply_redaction: bool) -> bool:
    """is_unchanged for a review not yet hashed, using only light modules (no kernel, no pandas): lets
    run-all skip unchanged reviews in well under a second. Never-rendered reviews are not hashed at all."""
    if read_manifest(manifest_path(final)) is None or not (final / "report.html").is_file():
        return False
    nb = Path(notebook or DEFAULT_NOTEBOOK).resolve()
    if not nb.is_file():
        return False
    try:
        hashes = input_hashes(params, nb)
    except OSError:  # an input vanished since validation: render it and let the worker report it
        return False
    return is_unchanged(final, hashes, apply_redaction)

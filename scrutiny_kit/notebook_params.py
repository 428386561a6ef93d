"""Params as the notebook sees them: from a params file, or from the keys papermill injected (the file then found
again by its review_id so that relative paths still resolve)."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from .errors import ScrutinyKitError
from .params import ReviewParams, load_params, read_with_lines, read_yaml, validate

PROJECT_DIR = Path(__file__).resolve().parent.parent


def overrides_from(namespace: Mapping[str, Any]) -> dict[str, Any]:
    """The params keys papermill injected into the notebook (those not left at None)."""
    return {k: namespace[k] for k in ReviewParams.model_fields if namespace.get(k) is not None}


def resolve_params(params_file: str | Path | None, overrides: Mapping[str, Any] | None = None) -> ReviewParams:
    """Params for a notebook run. Paths are relative to the params file; when papermill injected the keys
    (`papermill ... -f params/x.yaml`) the file is found again by its review_id so paths still resolve."""
    overrides = dict(overrides or {})
    path = _locate(params_file) if params_file else None
    if not overrides:
        if path is None:
            raise ScrutinyKitError(f"params file not found: {params_file}")
        return load_params(path)
    source = _params_file_for(overrides.get("review_id"), path)
    if source is None:
        return validate(overrides, base=Path.cwd(), source=None)
    raw, lines = read_with_lines(source)
    raw.update(overrides)
    lines = {key: line for key, line in lines.items() if key.split(".")[0] not in overrides}  # not from the file
    return validate(raw, base=source.parent, source=source, lines=lines)


def _locate(params_file: str | Path) -> Path | None:
    given = Path(params_file)
    for candidate in (given, PROJECT_DIR / "notebooks" / given, PROJECT_DIR / given):
        if candidate.is_file():
            return candidate.resolve()
    return None


def _params_file_for(review_id: Any, hint: Path | None) -> Path | None:
    candidates = [hint] if hint else []
    for folder in (Path.cwd() / "params", PROJECT_DIR / "params", Path.cwd()):
        candidates += sorted(folder.glob("*.y*ml")) if folder.is_dir() else []
    for candidate in candidates:
        try:
            if read_yaml(candidate).get("review_id") == review_id:
                return candidate.resolve()
        except ScrutinyKitError:
            continue
    return None

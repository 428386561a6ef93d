"""Plan a run-all in the parent process with light modules only (params and manifest hashing; no pandas, no
kernel): the params files found, which fail to validate, which are unchanged since their last good render."""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from ..errors import ScrutinyKitError
from .jobs import PARAMS_PATTERNS, UNCHANGED, Job, Outcome, failed_outcome


def discover(folder: Path) -> list[Path]:
    """Every params file in `folder`, sorted by name (hidden files and editor backups skipped)."""
    if not folder.is_dir():
        raise ScrutinyKitError(f"{folder}: not a folder of params files")
    files = sorted({p for pattern in PARAMS_PATTERNS for p in folder.glob(pattern)
                    if p.is_file() and not p.name.startswith((".", "~"))})
    if not files:
        raise ScrutinyKitError(f"{folder}: no params files (*.yaml, *.yml) found")
    return files


def cpu_count() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


# --------------------------------------------------------------------------- plan (parent process, light)


def plan(files: list[Path], *, output_root: Path, notebook: Path | None, apply_redaction: bool,
         force: bool) -> tuple[list[Job], list[Outcome]]:
    """Split the params files into jobs to render and outcomes already known (bad params, duplicate review
    ids, unchanged since the last good render). Imports only params.py, report/manifest.py and publish.py."""
    from ..params import load_params, redacts
    from ..report import publish
    from ..report.manifest import is_cached

    todo: list[Job] = []
    known: list[Outcome] = []
    seen: dict[str, Path] = {}
    for path in files:
        t0 = time.perf_counter()
        try:
            params = load_params(path)
        except ScrutinyKitError as exc:
            known.append(failed_outcome(path, path.stem, t0, exc.describe(), exc.exit_code))
            continue
        except Exception as exc:  # a bug, not this officer's problem: one file must not stop the others
            known.append(failed_outcome(path, path.stem, t0, f"{path}: unexpected {type(exc).__name__}: {exc}", 1))
            continue
        review_id = params.review_id
        if review_id in seen:
            known.append(failed_outcome(path, review_id, t0, f"review_id '{review_id}' is also used by {seen[review_id]}: "
                                 "each review needs its own review_id (it names the output folder)", 2))
            continue
        seen[review_id] = path
        if not force:
            final = output_root.resolve() / review_id
            publish.recover(final)
            if is_cached(params, final, notebook, redacts(params, apply_redaction)):
                known.append(Outcome(path, review_id, UNCHANGED, time.perf_counter() - t0, final / "report.html"))
                continue
        todo.append(Job(path, review_id, input_size(params)))
    return todo, known


def input_size(params: Any) -> int:
    """Total bytes of a review's visit notes, workforce and recommendations files (its rough cost)."""
    from ..params import note_files

    files = [*note_files(params.visit_notes), params.workforce, params.recommendations]
    return sum(f.stat().st_size for f in map(Path, files) if f.is_file())

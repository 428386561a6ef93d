"""What run-all passes around: a review to render (Job), what happened to it (Outcome), the settings every
worker shares, and the statuses."""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

PARAMS_PATTERNS = ("*.yaml", "*.yml")
RENDERED, UNCHANGED, FAILED, INTERRUPTED = "rendered", "unchanged", "failed", "interrupted"
STOP_GRACE_SECONDS = 15.0  # how long interrupted workers get to clean up before they are killed

Runner = Callable[..., Any]  # run_review's signature; tests inject fakes (top-level, so spawn can pickle them)


@dataclass(frozen=True)
class Job:
    params_file: Path
    review_id: str
    size: int = 0  # bytes of its input files: the longest reviews are started first


@dataclass(frozen=True)
class Outcome:
    """What happened to one review: the summary table's row."""

    params_file: Path
    review_id: str
    status: str  # rendered | unchanged | failed | interrupted
    seconds: float
    report: Path | None = None
    error: str | None = None
    exit_code: int = 0


@dataclass(frozen=True)
class Settings:
    """The run_review arguments every worker shares."""

    output_root: Path
    notebook: Path | None
    apply_redaction: bool
    force: bool
    runner: Runner | None = None  # None: scrutiny_kit.report.pipeline.run_review
    mute: bool = False  # send workers' (and their kernels') own stdout/stderr chatter to /dev/null


def failed_outcome(path: Path, review_id: str, t0: float, message: str, exit_code: int) -> Outcome:
    """A failed review's Outcome, timed from `t0`."""
    return Outcome(path, review_id, FAILED, time.perf_counter() - t0, error=message, exit_code=exit_code)

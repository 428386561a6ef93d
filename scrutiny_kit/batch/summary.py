"""run-all's progress (a bar on a terminal, plain lines in logs) and its summary table."""
from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from .jobs import FAILED, INTERRUPTED, RENDERED, UNCHANGED, Job, Outcome


class Reporter:
    """Progress on stderr: a rich bar on a terminal, one plain line per finished review otherwise,
    nothing with --quiet."""

    def __init__(self, *, quiet: bool, stream: Any = None) -> None:
        self.stream = stream or sys.stderr
        self.mode = "off" if quiet else ("rich" if _isatty(self.stream) else "plain")
        self.t0 = time.perf_counter()
        self.todo = self.done = self.failed = 0
        self.running: list[str] = []
        self._progress: Any = None
        self._task: Any = None

    def begin(self, folder: Path, *, total: int, todo: int, planned: list[Outcome], workers: int) -> None:
        self.todo = todo
        unchanged = sum(o.status == UNCHANGED for o in planned)
        failed = sum(o.status == FAILED for o in planned)
        line = (f"run-all: {total} review{'s' if total != 1 else ''} in {folder}: {unchanged} unchanged, "
                f"{failed} with bad params, {todo} to render"
                + (f" with {workers} worker process{'es' if workers != 1 else ''}" if todo else ""))
        if self.mode == "plain":
            self._say(line)
        elif self.mode == "rich":
            from rich.console import Console

            console = Console(file=self.stream, highlight=False)
            console.print(line)
            if todo:
                from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,
                                           TimeElapsedColumn, TimeRemainingColumn)

                self._progress = Progress(
                    SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("{task.fields[counts]}"), TextColumn("elapsed"), TimeElapsedColumn(),
                    TextColumn("ETA"), TimeRemainingColumn(), console=console)
                self._task = self._progress.add_task("Rendering", total=todo, counts=self._counts())
                self._progress.start()

    def _counts(self) -> str:
        running = f" · running {', '.join(self.running)}" if self.running else ""
        return f"{self.done - self.failed} done · {self.failed} failed · {self.todo - self.done} remaining{running}"

    def started(self, job: Job) -> None:
        self.running.append(job.review_id)
        self._refresh()

    def finished(self, outcome: Outcome) -> None:
        self.done += 1
        self.failed += outcome.status == FAILED
        if outcome.review_id in self.running:
            self.running.remove(outcome.review_id)
        if self.mode == "plain":
            what = (f"failed {outcome.review_id}: {_headline(outcome.error)}"
                    if outcome.status == FAILED else f"{outcome.status} {outcome.review_id} in {outcome.seconds:.1f} s")
            self._say(f"{what} ({self.done}/{self.todo} done, {self.failed} failed, "
                      f"{self.todo - self.done} remaining{self._eta()})")
        self._refresh(advance=1)

    def _eta(self) -> str:
        if not self.done or self.done >= self.todo:
            return ""
        left = (time.perf_counter() - self.t0) / self.done * (self.todo - self.done)
        return f", about {left:.0f} s left"

    def _refresh(self, advance: int = 0) -> None:
        if self._progress is not None:
            self._progress.update(self._task, advance=advance, counts=self._counts())

    def _say(self, line: str) -> None:
        print(f"[{time.perf_counter() - self.t0:6.1f}s] {line}", file=self.stream, flush=True)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def _headline(error: str | None) -> str:
    """The first line of an officer's message (its heading), and how many problems follow it."""
    lines = [line.strip() for line in (error or "").splitlines() if line.strip()]
    if not lines:
        return "unknown error"
    more = len(lines) - 1
    return lines[0] + (f" ({more} problem{'s' if more != 1 else ''}; see the summary below)" if more else "")


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def print_summary(outcomes: list[Outcome], output_root: Path, seconds: float, *, index: Path | None) -> None:
    """The table on stdout: review, status, seconds, report path or the officer's error message."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    styles = {RENDERED: "green", UNCHANGED: "", FAILED: "bold red", INTERRUPTED: "yellow"}
    table = Table(title="run-all summary", title_justify="left")
    table.add_column("Review")
    table.add_column("Status")
    table.add_column("Seconds", justify="right")
    table.add_column("Report or error", overflow="fold")
    for o in outcomes:
        detail = o.error if o.status == FAILED else (_shown(o.report) if o.report else "")
        table.add_row(o.review_id, Text(o.status, style=styles.get(o.status, "")), f"{o.seconds:.1f}",
                      Text(detail or ""))
    counts = {s: sum(o.status == s for o in outcomes) for s in (RENDERED, UNCHANGED, FAILED, INTERRUPTED)}
    tail = ", ".join(f"{n} {s}" for s, n in counts.items() if n or s != INTERRUPTED)
    console = Console(file=sys.stdout, highlight=False, width=None if _isatty(sys.stdout) else 160)
    console.print(table)
    console.print(f"{tail} in {seconds:.1f} s" + (f"; index: {_shown(index)}" if index else ""))


def _shown(path: Path | None) -> str:
    """A path relative to the working folder when it is inside it, for a readable table."""
    if path is None:
        return ""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)

"""`scrutiny-kit run-all`: render every review in a folder of params files in parallel, then write the index.

1. Discover the params files (``*.yaml``, ``*.yml``) in the folder, sorted by name.
2. Plan, in this process and with light modules only (params + manifest hashing; no pandas, no kernel):
   a params file that does not validate, or reuses another file's review_id, fails here; unless ``--force``,
   a review whose inputs, params, codebook, notebook and package code hash the same as its last good
   render's ``manifest.json`` is "unchanged" here. A no-change run therefore starts no worker at all.
3. Render the rest, largest inputs first (so a long review does not start last and leave the other workers
   idle at the end), in worker processes ("spawn": no forked Jupyter/zmq state), each calling
   :func:`scrutiny_kit.report.pipeline.run_review`. A worker catches every exception of its review and
   reports it (an officer's message for a ScrutinyKitError, ``Type: message`` otherwise); a worker that
   dies (killed, out of memory) is replaced and only its own review is reported failed. The parallelism is
   across reviews (one worker per core by default), so each review draws its charts in its own kernel rather
   than in a helper process of its own (see :mod:`scrutiny_kit.presentation.svg_render`): N workers use N cores, not 2N
   busy processes and N extra V8 engines.
4. Ctrl-C (or SIGTERM to a worker) raises KeyboardInterrupt in the workers, so ``run_review`` discards its
   staging folder and nbclient shuts its kernel down; workers still alive after a grace period are killed.
   Whatever happened, staging folders this run created are removed afterwards and an interrupted swap is
   restored with ``publish.recover``: the previous good report is never damaged.
5. Write ``outputs/index.html`` and ``outputs/themes_by_review.csv`` from every ``outputs/*/working/manifest.json``
   (not after Ctrl-C: the next run writes them).
6. Print a summary table on stdout. Exit status: 0 when every review rendered or was unchanged, 1 when any
   review failed (its message is in the table) or the index could not be written.
"""
from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import signal
import sys
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, Callable, Iterator

from ..errors import ScrutinyKitError, describe_os_error
from ..report.interrupts import interrupted, interrupts_deferred, stopping_on

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


# --------------------------------------------------------------------------- entry point


def run_all(folder: Path, *, output_root: Path = Path("outputs"), jobs: int | None = None, force: bool = False,
            apply_redaction: bool = False, notebook: Path | None = None, quiet: bool = False,
            runner: Runner | None = None) -> int:
    """Render every review in `folder`; returns the exit status (0 all good, 1 any failure)."""
    started = time.perf_counter()
    folder, output_root = Path(folder), Path(output_root)
    if jobs is not None and jobs < 1:
        raise ScrutinyKitError(f"--jobs must be at least 1 (got {jobs})")
    files = discover(folder)
    notebook = Path(notebook).resolve() if notebook is not None else None
    todo, done = plan(files, output_root=output_root, notebook=notebook, apply_redaction=apply_redaction,
                      force=force)
    workers = min(jobs or cpu_count(), len(todo))
    reporter = Reporter(quiet=quiet)
    reporter.begin(folder, total=len(files), todo=len(todo), planned=done, workers=workers)
    # Results and errors come back over a pipe; what workers and kernels print themselves (papermill and
    # ipykernel warnings) would only tear the progress bar, so it is kept only in plain-lines mode (logs).
    settings = Settings(output_root.resolve(), notebook, apply_redaction, force, runner, mute=reporter.mode != "plain")
    outcomes = {o.params_file: o for o in done}
    try:
        # Largest first (longest-processing-time order): a long review started last would leave the other
        # workers idle at the end. The summary still lists reviews by params file name.
        largest_first = sorted(todo, key=lambda job: -job.size)
        with contextlib.closing(render(largest_first, settings, workers, on_start=reporter.started)) as finished:
            for outcome in finished:
                outcomes[outcome.params_file] = outcome
                reporter.finished(outcome)
    except KeyboardInterrupt:
        reporter.close()
        for job in todo:
            outcomes.setdefault(job.params_file, Outcome(job.params_file, job.review_id, INTERRUPTED, 0.0))
        print_summary([outcomes[f] for f in files], output_root, time.perf_counter() - started, index=None)
        raise
    reporter.close()

    index_error = None
    try:
        from .index_site import write_index

        index = write_index(output_root)
    except (ScrutinyKitError, OSError) as exc:
        index, index_error = None, exc.describe() if isinstance(exc, ScrutinyKitError) else str(exc)
    ordered = [outcomes[f] for f in files]
    print_summary(ordered, output_root, time.perf_counter() - started, index=index)
    if index_error:
        print(f"error: the index could not be written: {index_error}", file=sys.stderr)
    return 1 if index_error or any(o.status == FAILED for o in ordered) else 0


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
            known.append(_failed(path, path.stem, t0, exc.describe(), exc.exit_code))
            continue
        except Exception as exc:  # a bug, not this officer's problem: one file must not stop the others
            known.append(_failed(path, path.stem, t0, f"{path}: unexpected {type(exc).__name__}: {exc}", 1))
            continue
        review_id = params.review_id
        if review_id in seen:
            known.append(_failed(path, review_id, t0, f"review_id '{review_id}' is also used by {seen[review_id]}: "
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


def _failed(path: Path, review_id: str, t0: float, message: str, exit_code: int) -> Outcome:
    return Outcome(path, review_id, FAILED, time.perf_counter() - t0, error=message, exit_code=exit_code)


# --------------------------------------------------------------------------- workers


def render_one(job: Job, settings: Settings, runner: Runner) -> Outcome:
    """Run one review in a worker; every exception becomes a failed Outcome (KeyboardInterrupt propagates)."""
    t0 = time.perf_counter()
    try:
        result = runner(job.params_file, output_root=settings.output_root, notebook=settings.notebook,
                        apply_redaction=settings.apply_redaction, force=settings.force)
    except ScrutinyKitError as exc:
        return _failed(job.params_file, job.review_id, t0, exc.describe(), exc.exit_code)
    except OSError as exc:  # the output folder is a file, read-only or on a full disk
        return _failed(job.params_file, job.review_id, t0, describe_os_error(exc), 1)
    except Exception as exc:  # a bug, not an officer's problem: name the exception, no traceback
        return _failed(job.params_file, job.review_id, t0, f"unexpected {type(exc).__name__}: {exc}", 1)
    return Outcome(job.params_file, result.review_id, result.status, result.seconds, Path(result.report))


def _default_runner() -> Runner:
    from ..report.pipeline import run_review

    return run_review


def worker_main(conn: Connection, settings: Settings) -> None:
    """A worker process: render the jobs sent over `conn` one by one until told to stop (None)."""
    if settings.mute:
        _mute()
    one_core_per_review()
    try:
        with stopping_on(signal.SIGINT, signal.SIGTERM):
            runner = settings.runner or _default_runner()
            while True:
                job = conn.recv()
                if job is None:
                    return
                conn.send(render_one(job, settings, runner))
                if interrupted():  # a stop that waited for this review's swap: take no more work
                    return
    except (KeyboardInterrupt, EOFError, OSError):
        return


def one_core_per_review() -> None:
    """Kernels started from this process draw their charts themselves (the setting is inherited)."""
    from ..presentation.svg_render import IN_PROCESS_ENV

    os.environ[IN_PROCESS_ENV] = "1"


def _mute() -> None:
    """Point this process's stdout and stderr (inherited by its kernels) at the null device."""
    null = os.open(os.devnull, os.O_WRONLY)
    for fd in (1, 2):
        os.dup2(null, fd)
    os.close(null)


@dataclass
class _Slot:
    process: Any  # multiprocessing.Process (spawn context)
    conn: Connection
    job: Job | None = None
    started: float = 0.0


class Pool:
    """Persistent spawn workers, one job at a time each. Unlike ProcessPoolExecutor, a worker that dies
    costs only its own review (the executor would break and fail every pending review)."""

    def __init__(self, size: int, settings: Settings) -> None:
        self._ctx = multiprocessing.get_context("spawn")
        self._settings = settings
        self.slots: list[_Slot | None] = [self._start() for _ in range(size)]

    def _start(self) -> _Slot:
        ours, theirs = self._ctx.Pipe()
        process = self._ctx.Process(target=worker_main, args=(theirs, self._settings), daemon=True,
                                    name="scrutiny-kit-worker")
        process.start()
        theirs.close()
        return _Slot(process, ours)

    def pids(self) -> list[int]:
        return [s.process.pid for s in self.slots if s is not None]

    def run(self, jobs: list[Job], on_start: Callable[[Job], None] = lambda _job: None) -> Iterator[Outcome]:
        queue = deque(jobs)
        while queue or any(s is not None and s.job is not None for s in self.slots):
            for i, slot in enumerate(self.slots):
                if queue and (slot is None or slot.job is None):
                    if slot is None:
                        slot = self.slots[i] = self._start()
                    job = queue.popleft()
                    try:
                        slot.conn.send(job)
                    except OSError:  # the worker died while idle: the job never started, give it a new one
                        slot.conn.close()
                        slot = self.slots[i] = self._start()
                        slot.conn.send(job)
                    slot.job, slot.started = job, time.perf_counter()
                    on_start(job)
            busy = [(i, s) for i, s in enumerate(self.slots) if s is not None and s.job is not None]
            ready = set(wait([h for _, s in busy for h in (s.conn, s.process.sentinel)], timeout=1.0))
            for i, slot in busy:
                if slot.conn in ready or slot.process.sentinel in ready:
                    yield self._collect(i, slot)

    def _collect(self, i: int, slot: _Slot) -> Outcome:
        job = slot.job
        assert job is not None
        try:
            if slot.conn.poll():
                outcome = slot.conn.recv()
                slot.job = None
                return outcome
        except (EOFError, OSError):
            pass
        slot.process.join(timeout=5)
        if slot.process.is_alive():
            slot.process.kill()
            slot.process.join()
        slot.conn.close()
        self.slots[i] = None
        return Outcome(job.params_file, job.review_id, FAILED, time.perf_counter() - slot.started,
                       error=death_message(slot.process.exitcode))

    def close(self) -> None:
        """Normal end: ask idle workers to exit and wait for them."""
        for slot in self.slots:
            if slot is not None:
                with contextlib.suppress(OSError):
                    slot.conn.send(None)
        self._join(deadline=time.monotonic() + STOP_GRACE_SECONDS)

    def terminate(self, grace: float = STOP_GRACE_SECONDS) -> None:
        """Interrupt: SIGTERM every worker (KeyboardInterrupt inside, so run_review cleans up), then kill
        any still running after `grace` seconds."""
        for slot in self.slots:
            if slot is not None and slot.process.is_alive():
                with contextlib.suppress(OSError):
                    slot.process.terminate()
        self._join(deadline=time.monotonic() + grace)

    def _join(self, deadline: float) -> None:
        for slot in self.slots:
            if slot is None:
                continue
            slot.process.join(timeout=max(0.0, deadline - time.monotonic()))
            if slot.process.is_alive():
                slot.process.kill()
                slot.process.join()
            slot.conn.close()
        self.slots = [None] * len(self.slots)


def death_message(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            how = f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            how = f"killed by signal {-exitcode}"
        if -exitcode == signal.SIGKILL:
            how += ": out of memory, or stopped by someone"
    else:
        how = f"exit status {exitcode}"
    return f"the worker process rendering this review stopped unexpectedly ({how}); its previous report is untouched"


def render(jobs: list[Job], settings: Settings, workers: int,
           on_start: Callable[[Job], None] = lambda _job: None) -> Iterator[Outcome]:
    """Yield each job's Outcome as it finishes. However this ends (normally, Ctrl-C, an error), no worker
    is left running, staging folders this run created are removed and interrupted swaps are restored."""
    if not jobs:
        return
    root = settings.output_root
    ids = [job.review_id for job in jobs]
    before = _leftovers(root, ids)
    pool = Pool(workers, settings)
    finished = False
    try:
        yield from pool.run(jobs, on_start)
        finished = True
    finally:
        with interrupts_deferred():
            if finished:
                pool.close()
            else:
                pool.terminate()
            _clean_up(root, ids, before)


def _leftovers(root: Path, review_ids: list[str]) -> set[Path]:
    return {p for rid in review_ids for pattern in (f".{rid}.staging-*", f".{rid}.previous-*")
            for p in root.glob(pattern)}


def _clean_up(root: Path, review_ids: list[str], before: set[Path]) -> None:
    """Undo what a killed worker could leave: restore an interrupted swap, drop new staging folders."""
    from ..report import publish

    for rid in review_ids:
        publish.recover(root / rid)
    for path in sorted(_leftovers(root, review_ids) - before):
        shutil.rmtree(path, ignore_errors=True)


# --------------------------------------------------------------------------- progress and summary


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

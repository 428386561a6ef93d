"""run-all's worker processes: a persistent pool of spawn workers, one review at a time each, where a worker that
dies is replaced and only its own review fails."""
from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, Callable, Iterator

from ..errors import ScrutinyKitError, describe_os_error
from ..report.interrupts import interrupted, stopping_on
from ..report.startup import skip_unused_imports
from .jobs import FAILED, STOP_GRACE_SECONDS, Job, Outcome, Runner, Settings, failed_outcome


def render_one(job: Job, settings: Settings, runner: Runner) -> Outcome:
    """Run one review in a worker; every exception becomes a failed Outcome (KeyboardInterrupt propagates)."""
    t0 = time.perf_counter()
    try:
        result = runner(job.params_file, output_root=settings.output_root, notebook=settings.notebook,
                        apply_redaction=settings.apply_redaction, force=settings.force)
    except ScrutinyKitError as exc:
        return failed_outcome(job.params_file, job.review_id, t0, exc.describe(), exc.exit_code)
    except OSError as exc:  # the output folder is a file, read-only or on a full disk
        return failed_outcome(job.params_file, job.review_id, t0, describe_os_error(exc), 1)
    except Exception as exc:  # a bug, not an officer's problem: name the exception, no traceback
        return failed_outcome(job.params_file, job.review_id, t0, f"unexpected {type(exc).__name__}: {exc}", 1)
    return Outcome(job.params_file, result.review_id, result.status, result.seconds, Path(result.report))


def _default_runner() -> Runner:
    from ..report.pipeline import run_review

    return run_review


def worker_main(conn: Connection, settings: Settings) -> None:
    """A worker process: render the jobs sent over `conn` one by one until told to stop (None)."""
    if settings.mute:
        _mute()
    skip_unused_imports()
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

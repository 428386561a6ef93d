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

This module runs the steps; its parts: jobs.py (Job, Outcome, Settings), planning.py (steps 1-2), workers.py
(the worker pool of step 3), summary.py (the progress bar and step 6's table).
"""
from __future__ import annotations

import contextlib
import shutil
import sys
import time
from pathlib import Path
from typing import Callable, Iterator

from ..errors import ScrutinyKitError
from ..report.interrupts import interrupts_deferred
from .jobs import (FAILED, INTERRUPTED, PARAMS_PATTERNS, RENDERED, STOP_GRACE_SECONDS, UNCHANGED,  # noqa: F401
                   Job, Outcome, Runner, Settings)
from .planning import cpu_count, discover, input_size, plan  # noqa: F401
from .summary import Reporter, print_summary  # noqa: F401
from .workers import Pool, death_message, one_core_per_review, render_one, worker_main  # noqa: F401


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

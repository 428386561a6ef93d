"""Run one review end to end: validate -> execute (papermill) -> export (nbconvert) -> check -> publish."""
from __future__ import annotations

import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .. import __version__
from ..dates import format_date
from ..errors import InputError, ParamsError, PublishCheckError, ScrutinyKitError, out_of_space
from .interrupts import check_interrupted, interrupts_deferred
from ..params import ReviewParams, load_params, redacts
from . import publish
from .execute import execute, run_before_notebook
from .kernel import ReviewKernel
from .export import export_html
from .manifest import (DEFAULT_NOTEBOOK, build_manifest, input_hashes, is_unchanged, manifest_path, read_manifest,
                       write_manifest)

DEFAULT_OUTPUT_ROOT = Path("outputs")
Progress = Callable[[str], None]


@dataclass
class RunResult:
    review_id: str
    status: str  # "rendered", "unchanged"
    report: Path
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # about the inputs (Inputs.warnings) and the coding check's


def default_notebook() -> Path:
    """The project's notebook; analysts may pass another with --notebook."""
    return DEFAULT_NOTEBOOK


def run_review(params_path: Path, *, output_root: Path = DEFAULT_OUTPUT_ROOT, notebook: Path | None = None,
               apply_redaction: bool = False, force: bool = True, progress: Progress | None = None,
               strict: bool = False) -> RunResult:
    """Render one review into `output_root/<review_id>/`, replacing the previous report only on full success.
    `strict`: the coding check's warnings are errors, raised before anything runs."""
    say = progress or (lambda _msg: None)
    notebook = Path(notebook or default_notebook()).resolve()
    output_root = Path(output_root).resolve()
    started = time.perf_counter()
    timings: dict[str, float] = {}

    say("validate: checking params and input files")
    t0 = time.perf_counter()
    params = load_params(params_path)
    apply_redaction = redacts(params, apply_redaction)
    if not notebook.is_file():
        raise ScrutinyKitError(f"notebook not found: {notebook}")
    if strict and params.coding_check is not None:
        strict_check(params)
    hashes = input_hashes(params, notebook)
    final = output_root / params.review_id
    publish.recover(final)
    timings["validate"] = time.perf_counter() - t0
    if not force and is_unchanged(final, hashes, apply_redaction):
        return RunResult(params.review_id, "unchanged", final / "report.html", time.perf_counter() - started, timings)

    staging = publish.staging_dir(output_root, params.review_id)
    kernel = ReviewKernel(notebook.parent)
    try:
        kernel.start()  # first: it boots and imports the package while papermill loads here
        warnings = render_into(staging, params, notebook=notebook, kernel=kernel, apply_redaction=apply_redaction,
                               hashes=hashes, timings=timings, started=started, say=say)
        # The swap happens whole: a stop signal arriving now waits, and is then let go (the report is done).
        with interrupts_deferred(signal.SIGINT, signal.SIGTERM, reraise=False):
            check_interrupted()  # a Ctrl-C whose KeyboardInterrupt Python dropped on the way still stops it
            publish.promote(staging, final)
    except (InputError, ParamsError, PublishCheckError):
        # the message says everything; keep nothing (a publish-check failure would keep personal data)
        publish.discard(staging)
        raise
    except BaseException as exc:  # a failing cell, Ctrl-C or a crash: nothing half-written is left behind
        _keep_failure(staging, final, exc)
        raise
    finally:
        kernel.stop()  # execute() has stopped it unless something failed before it ran
    return RunResult(params.review_id, "rendered", final / "report.html", time.perf_counter() - started, timings,
                     warnings)


def render_into(staging: Path, params: ReviewParams, *, notebook: Path, kernel: ReviewKernel, apply_redaction: bool,
                hashes: dict[str, str], timings: dict[str, float], started: float, say: Progress) -> list[str]:
    """The staged review: the publish check in the started kernel (unless redacting), the notebook executed
    there, report.html exported and checked, the manifest written. Returns the warnings about the inputs and
    the coding check; adds each stage's seconds to `timings`."""
    if not apply_redaction:
        t0 = time.perf_counter()
        check_before_running(params, kernel)  # refuse before anything executes, as `validate` does
        timings["validate"] += time.perf_counter() - t0
    say("execute: running the review notebook")
    t0 = time.perf_counter()
    work = publish.working_dir(staging)
    work.mkdir()
    executed = work / "executed.ipynb"
    execute(notebook, executed, notebook_parameters(params, work, apply_redaction), cwd=notebook.parent,
            kernel=kernel)
    timings["execute"] = time.perf_counter() - t0

    say("export: writing report.html")
    t0 = time.perf_counter()
    html = export_html(executed, page_meta(params, apply_redaction))
    (staging / "report.html").write_text(html, encoding="utf-8")
    check_public_files(staging, params, apply_redaction)
    timings["export"] = time.perf_counter() - t0

    extra = read_kernel_summary(work)
    extra["apply_redaction"] = apply_redaction
    timings["total"] = time.perf_counter() - started
    manifest = build_manifest(params, notebook=notebook, hashes=hashes, timings=timings, extra=extra)
    write_manifest(manifest_path(staging), manifest)
    return [*(extra.get("warnings") or []), *(extra.get("coding_check") or {}).get("warnings", [])]


def strict_check(params: ReviewParams) -> None:
    """`run --strict`: refuse (InputError, exit 2) while any point is not checked, changed or removed since the
    coding sheet was written. Loads the inputs here, before the kernel starts; only under --strict."""
    from ..review import coding_warnings, load_inputs

    warnings = coding_warnings(load_inputs(params))
    if warnings:
        raise InputError(warnings)


def _keep_failure(staging: Path, final: Path, exc: BaseException) -> None:
    if out_of_space(exc):
        publish.discard_failed(staging, final)
    elif (publish.working_dir(staging) / "executed.ipynb").exists():
        publish.keep_failed(staging, final)
    else:
        publish.discard(staging)


def check_before_running(params: ReviewParams, kernel: ReviewKernel) -> None:
    """The publish check `validate` runs (every input loaded, every text that would be published scanned for
    personal data and the `redact:` names), so `run` refuses before the notebook executes. Only when refusing:
    with redaction on, the kernel redacts what it finds. It runs in the review's kernel (see
    review.check_before_running), which keeps the inputs for the notebook: this process never loads them."""
    code = f"__import__('scrutiny_kit.review').review.check_before_running({str(params.params_file)!r})"
    run_before_notebook(kernel, code, what="the publish check before the notebook")


def notebook_parameters(params: ReviewParams, work: Path, apply_redaction: bool) -> dict[str, Any]:
    """What papermill injects: the params file (paths resolve from it), where to write the working tables
    (`<review>/working/`), redaction mode (already resolved from `--redact` and `personal_data`)."""
    return {"params_file": str(params.params_file), "output_dir": str(work), "apply_redaction": apply_redaction}


def page_meta(params: ReviewParams, apply_redaction: bool = False) -> dict[str, Any]:
    """The title block of the page (redacted as the kernel redacts it with --redact); nothing
    machine-specific so the HTML is byte-identical everywhere."""
    from .privacy import redact

    def shown(text: str) -> str:
        return redact(text, names=params.redact)[0] if apply_redaction else text

    return {
        "title": shown(params.title),
        "authority": shown(params.authority),
        "committee": shown(params.committee),
        "report_date": format_date(params.report_date),
        "version": __version__,
    }


def check_published_html(html: str, params: ReviewParams, apply_redaction: bool = False) -> None:
    """Last line of defence: the publish check again, on the page's visible text, for anything the kernel's
    check could not see. Redaction has already happened in the kernel, so any hit here is refused (and the
    message does not suggest --redact when it was given)."""
    from .privacy import check_or_redact
    from .text import visible_text

    try:
        check_or_redact([("report.html", visible_text(html))], names=params.redact, apply_redaction=False)
    except PublishCheckError as exc:
        if apply_redaction:
            exc.heading = "Personal data that --redact could not replace was found in report.html: nothing was written"
        raise


def check_public_files(folder: Path, params: ReviewParams, apply_redaction: bool = False) -> None:
    """The publish check over every file a web officer may upload: everything in the review's folder outside
    `working/` (report.html by the text a reader sees or a screen reader speaks, any other file whole). Redaction
    has already happened in the kernel, so any hit is refused (and the message does not suggest --redact when
    it was given)."""
    from .privacy import check_or_redact
    from .text import visible_text

    items = []
    for path in publish.public_files(folder):
        name = path.relative_to(folder).as_posix()
        text = path.read_bytes().decode("utf-8", errors="replace")
        items.append((name, visible_text(text) if path.suffix.casefold() in (".html", ".htm") else text))
    try:
        check_or_redact(items, names=params.redact, apply_redaction=False)
    except PublishCheckError as exc:
        if apply_redaction:
            exc.heading = ("Personal data that --redact could not replace was found in what would be published: "
                           "nothing was written")
        raise


def read_kernel_summary(work: Path) -> dict[str, Any]:
    """Counts the notebook recorded (redactions, exempt notes, headline figures) for the manifest and index."""
    data = read_manifest(work / "summary.json")
    if data is None:
        return {}
    (work / "summary.json").unlink()
    return data


def stderr_progress(quiet: bool) -> Progress:
    start = time.perf_counter()

    def say(message: str) -> None:
        if not quiet:
            print(f"[{time.perf_counter() - start:5.1f}s] {message}", file=sys.stderr, flush=True)

    return say

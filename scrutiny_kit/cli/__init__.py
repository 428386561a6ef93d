"""The `scrutiny-kit` command: the one place errors are caught and turned into officers' messages and exit codes."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Sequence

from .. import __version__
from . import new as cli_new
from ..characters import escape
from ..errors import ScrutinyKitError, describe_os_error
from ..report.startup import skip_unused_imports

EXIT_INTERRUPTED = 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scrutiny-kit",
        description="Turn a council scrutiny review's visit notes, workforce data and recommendations "
        "into a published HTML report.",
        epilog="Exit status: 0 success, 1 rendering failed, 2 invalid params or input files, "
        "3 personal data found in what would be published, 130 interrupted.",
    )
    parser.add_argument("--version", action="version", version=f"scrutiny-kit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    _add_run(sub)
    _add_run_all(sub)
    _add_validate(sub)
    _add_check(sub)
    _add_code(sub)
    cli_new.add_parser(sub)
    return parser


def _add_run(sub: Any) -> None:
    run = sub.add_parser("run", help="render one review to outputs/<review_id>/report.html",
                         description="Validate a review's params and inputs, execute the review notebook with "
                         "papermill and export report.html with nbconvert. The previous report is replaced only "
                         "when every stage succeeds; a failed render is kept in outputs/<review_id>.failed/.",
                         epilog="Exit status: 0 rendered; 1 a notebook cell failed (see outputs/<review_id>.failed/); "
                         "2 invalid params or input files; 3 personal data found (nothing written; use --redact); "
                         "130 interrupted. The previous report is untouched whenever the status is not 0.")
    run.add_argument("params", type=Path, help="the review's params file, e.g. params/example.yaml")
    _render_options(run)
    run.add_argument("--strict", action="store_true",
                     help="treat the coding check's warnings (points not checked, changed or removed since the "
                     "coding sheet was written) as errors: nothing is rendered until every point is checked")


def _add_run_all(sub: Any) -> None:
    run_all = sub.add_parser("run-all", help="render every review in a folder of params files, in parallel",
                             description="Render every params/*.yaml in parallel worker processes, skipping "
                             "reviews whose inputs are unchanged since their last good render, then write "
                             "outputs/index.html and outputs/themes_by_review.csv.",
                             epilog="Exit status: 0 every review rendered or unchanged; 1 any review failed (its "
                             "message is in the summary table), the index could not be written, or the folder holds "
                             "no params files; 130 interrupted (previous reports untouched).")
    run_all.add_argument("folder", type=Path, nargs="?", default=Path("params"),
                         help="folder of params files (default: params/)")
    run_all.add_argument("--jobs", "-j", type=int, default=None,
                         help="worker processes (default: number of CPU cores)")
    run_all.add_argument("--force", action="store_true", help="render every review even if nothing changed")
    _render_options(run_all)


def _add_validate(sub: Any) -> None:
    validate = sub.add_parser("validate", help="check a review's params and every input file without rendering",
                              description="Check the params file and every input it names (visit notes, "
                              "workforce data, recommendations, codebook, commentary) and report every problem, "
                              "including personal data that the publish check would refuse.",
                              epilog="Exit status: 0 OK; 2 invalid params or input files; 3 personal data found.")
    validate.add_argument("params", type=Path, help="the review's params file")
    validate.add_argument("--strict", action="store_true",
                          help="treat the coding check's warnings as errors (as `run --strict` does)")


def _add_check(sub: Any) -> None:
    check = sub.add_parser("check", help="write the officer's coding sheet (Excel) to check the automatic coding",
                           description="Write an Excel coding sheet with one row per point of every visit note "
                           "(confidential notes included and marked): the coder's themes (an x per theme column), "
                           "the phrases that matched and the proposed tone, and empty columns for the officer's "
                           "tone, quote, exclude and note. Name it in the params file as `coding_check:` and "
                           "`validate` and `run` use the officer's decisions instead of the coder's.",
                           epilog="Exit status: 0 written (or agreement printed); 1 the sheet exists (use --update "
                           "or --force) or cannot be written; 2 invalid params, inputs or sheet.")
    check.add_argument("params", type=Path, help="the review's params file")
    check.add_argument("--out", type=Path, default=None,
                       help="the sheet to write (default: the params file's coding_check, else coding-check.xlsx "
                       "beside the params file)")
    check.add_argument("--force", action="store_true", help="overwrite an existing sheet (its decisions are lost)")
    check.add_argument("--update", action="store_true",
                       help="refresh an existing sheet after the notes changed: keep every decision on unchanged "
                       "points, add new points, mark changed ones stale, move removed ones to the 'removed' sheet")
    check.add_argument("--agreement", action="store_true",
                       help="print the coder's precision, recall and tone accuracy against the officer's "
                       "decisions in the sheet, per theme")


def _add_code(sub: Any) -> None:
    code = sub.add_parser("code", help="theme-code visit notes and write coded_points.csv to stdout",
                          description="Code visit notes against a codebook with no review needed: one CSV row "
                          "per point and theme on stdout. Use it to tune a codebook.")
    code.add_argument("paths", type=Path, nargs="+", help="visit note files, folders or globs")
    code.add_argument("--codebook", default="default", help="a codebook YAML file (default: the built-in one)")
    code.add_argument("--authority", default="", help="authority for notes that do not name one")


def _render_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output-dir", type=Path, default=Path("outputs"),
                        help="put the review folder(s) under DIR instead of outputs/")
    parser.add_argument("--redact", action="store_true",
                        help="replace personal data found by the publish check with [redacted] instead of "
                        "refusing to write the report (overrides the params key personal_data); counts go to "
                        "working/manifest.json")
    parser.add_argument("--notebook", type=Path, default=None,
                        help="the notebook to execute (default: the review notebook shipped in the package, the same as "
                        "notebooks/review.ipynb in the project)")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress lines on stderr")


def cmd_run(args: argparse.Namespace) -> int:
    import signal

    from ..report.interrupts import interrupts_deferred, stopping_on
    from ..report.pipeline import run_review, stderr_progress

    with stopping_on(signal.SIGINT):
        result = run_review(args.params, output_root=args.output_dir, notebook=args.notebook,
                            apply_redaction=args.redact, progress=stderr_progress(args.quiet), strict=args.strict)
        with interrupts_deferred(signal.SIGINT, reraise=False):  # published: a late Ctrl-C no longer stops it
            _refresh_index(args.output_dir)
            _warn(result.warnings)
            print(escape(str(result.report), keep=""), flush=True)
    return 0


def _warn(warnings: Sequence[object]) -> None:
    """Warnings go to stderr whatever --quiet says: they are things to fix before publishing."""
    for warning in warnings:
        print(f"warning: {escape(str(warning))}", file=sys.stderr)


def _refresh_index(output_root: Path) -> None:
    """Keep outputs/index.html listing every rendered review after a single `run` too."""
    from ..batch.index_site import write_index

    write_index(output_root)


def cmd_run_all(args: argparse.Namespace) -> int:
    from ..batch import run_all

    return run_all(args.folder, output_root=args.output_dir, jobs=args.jobs, force=args.force,
                   apply_redaction=args.redact, notebook=args.notebook, quiet=args.quiet)


def cmd_validate(args: argparse.Namespace) -> int:
    from ..errors import InputError
    from ..params import load_params
    from ..review import coding_warnings, describe_inputs, load_inputs, publish_check

    params = load_params(args.params)
    inputs = load_inputs(params)
    publish_check(inputs, apply_redaction=False)  # personal data is a problem to fix before running, too
    warnings = coding_warnings(inputs)
    if warnings and args.strict:
        raise InputError(warnings)
    print(f"{escape(str(args.params), keep='')}: OK")
    for line in describe_inputs(inputs):
        print(f"  {escape(line)}")
    cli_new.print_example_content(inputs)
    _warn([*inputs.warnings, *warnings])
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from .check import run_check

    for line in run_check(args.params, out=args.out, force=args.force, update=args.update,
                          agreement=args.agreement):
        print(line)
    return 0


def cmd_code(args: argparse.Namespace) -> int:
    from ..coding import code_files, coded_points_csv

    coded = code_files(list(args.paths), args.codebook, default_authority=args.authority)
    sys.stdout.write(coded_points_csv(coded))
    return 0


COMMANDS = {"run": cmd_run, "run-all": cmd_run_all, "validate": cmd_validate, "code": cmd_code,
            "check": cmd_check, "new": cli_new.cmd_new}


def main(argv: Sequence[str] | None = None) -> int:
    skip_unused_imports()
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except ScrutinyKitError as exc:
        print(f"error: {exc.describe()}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:  # the output folder is a file, read-only or on a full disk: say which and why
        print(f"error: {describe_os_error(exc)}; any previous report is untouched", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted: previous reports are untouched", file=sys.stderr)
        return EXIT_INTERRUPTED


def command() -> None:
    """The `scrutiny-kit` program: main(), then exit with its status. Once the work is over, a Ctrl-C while
    Python shuts down changes nothing (it turned a finished run's status 0 into 130: Python puts its own
    handlers back to the default, which kills, as it shuts down; an ignored signal stays ignored)."""
    import signal

    status = main()
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.getsignal(signal.SIGINT)  # a Ctrl-C already on its way surfaces by here, as OSError
    except (OSError, KeyboardInterrupt):
        pass
    _forget_caught_interrupt()
    sys.exit(status)


def _forget_caught_interrupt() -> None:
    """Keep the exit status main() chose. CPython marks a KeyboardInterrupt that escaped code run by exec() of a
    string as "unhandled" even when it is caught later (libraries generate code that way as they are imported:
    dataclasses, for one), and under `python -m scrutiny_kit.cli` it then ends the process by SIGINT (status -2)
    instead of 130 after a Ctrl-C that came during an import. exec() of a string clears that mark as it starts;
    this one runs nothing else."""
    exec("pass")  # noqa: S102

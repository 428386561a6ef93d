"""`scrutiny-kit check`: write, refresh or score the officer's coding sheet for one review.

The sheet is written from the notes as read (never redacted: officers check what was said) and the codebook's
automatic coding. Refusing to overwrite and --update's merge keep every officer decision.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import InputError, Problem, ScrutinyKitError
from ..wording import plural

DEFAULT_SHEET = "coding-check.xlsx"


def load_check_params(params_file: Path) -> tuple[Any, Path | None]:
    """The review's params and the sheet its `coding_check` key names (resolved; None without the key). The
    sheet need not exist yet: `check` is what writes it."""
    from ..params import read_with_lines, resolve_paths, validate

    path = Path(params_file).resolve()
    raw, lines = read_with_lines(path)
    named = resolve_paths({"coding_check": raw.pop("coding_check", None)}, path.parent)["coding_check"]
    return validate(raw, base=path.parent, source=path, lines=lines), Path(named) if named else None


def sheet_path(params: Any, named: Path | None, out: Path | None) -> Path:
    """--out, else the params file's coding_check, else coding-check.xlsx beside the params file."""
    if out is not None:
        return Path(out)
    if named is not None:
        return named
    return Path(params.params_file).parent / DEFAULT_SHEET


def load_for_check(params: Any) -> tuple[Any, Any, Any]:
    """The codebook, the notes as read and their automatic coding; every problem with either listed at once."""
    from ..coding.codebook import load_codebook
    from ..coding import code_points
    from ..params import note_files
    from ..inputs import collect_problems
    from ..sources.visit_notes import load_visit_notes

    problems: list[str | Problem] = []
    codebook = collect_problems(problems, lambda: load_codebook(params.codebook))
    notes = collect_problems(problems, lambda: load_visit_notes(note_files(params.visit_notes),
                                                        default_authority=params.authority))
    if problems:
        raise InputError(problems)
    return codebook, notes, code_points(notes, codebook)


def run_check(params_file: Path, *, out: Path | None = None, force: bool = False, update: bool = False,
              agreement: bool = False) -> list[str]:
    """Do what `check` was asked and return the lines to print."""
    from ..coding.check import proposal_rows
    from ..coding.sheet import read_sheet, write_sheet
    params, named = load_check_params(params_file)
    path = sheet_path(params, named, out)
    codebook, notes, coded = load_for_check(params)
    fresh = proposal_rows(notes, coded)
    lines: list[str] = []
    if update:
        lines += _update(path, params, codebook, fresh)
    elif not agreement:
        if path.exists() and not force:
            raise ScrutinyKitError(f"{path} exists and may hold an officer's decisions: use --update to refresh it "
                                   "after the notes changed, or --force to overwrite it")
        write_sheet(path, fresh, codebook=codebook, review=params)
        confidential = sum(r.confidential for r in fresh)
        lines += [f"{path}: {plural(len(fresh), 'point')} to check"
                  + (f" ({confidential} from confidential notes, marked)" if confidential else ""),
                  _next_step(params, named, path)]
    if agreement:
        from ..coding.agreement import agreement_table, format_agreement
        from ..coding.check import apply_check, reconcile

        sheet = read_sheet(path, review_id=params.review_id, theme_ids=codebook.ids)
        decided = apply_check(coded, reconcile(sheet, notes, codebook.ids), codebook.ids)
        lines += format_agreement(agreement_table(decided, codebook.ids), sheet=path.name)
    return lines


def _update(path: Path, params: Any, codebook: Any, fresh: list[Any]) -> list[str]:
    from ..coding.check import update_rows
    from ..coding.sheet import read_sheet, write_sheet

    if not path.exists():
        raise ScrutinyKitError(f"{path} does not exist: write the sheet first with `scrutiny-kit check "
                               f"{params.params_file}`")
    sheet = read_sheet(path, review_id=params.review_id, theme_ids=codebook.ids)
    upd = update_rows(sheet, fresh, codebook.ids)
    write_sheet(path, upd.rows, codebook=codebook, review=params, removed=sheet.removed,
                removed_header=sheet.removed_header, newly_removed=upd.removed)
    lines = [f"{path}: updated; {plural(upd.kept, 'decision')} kept, {plural(upd.new, 'new point')} added "
             f"(status 'new'), {plural(upd.stale, 'changed point')} marked stale, {plural(len(upd.removed), 'row')} "
             "of removed points moved to the 'removed' sheet"
             + (f", {plural(upd.moved, 'point')} followed to its new number" if upd.moved else "")]
    for theme, ticked in upd.dropped_columns.items():
        lines.append(f"  the theme column '{theme}' is no longer in the codebook and was dropped "
                     f"({plural(ticked, 'row')} had it ticked)")
    if upd.new or upd.stale:
        lines.append("  check the rows with a status, then clear the status: until then they keep the automatic coding")
    return lines


def _next_step(params: Any, named: Path | None, path: Path) -> str:
    if named is not None and named.resolve() == path.resolve():
        return "the params file already names it (coding_check): edit it, then run `scrutiny-kit validate`"
    try:
        shown = path.resolve().relative_to(Path(params.params_file).parent.resolve()).as_posix()
    except ValueError:
        shown = str(path.resolve())
    return f"next: check it, then add `coding_check: {shown}` to {Path(params.params_file).name}"

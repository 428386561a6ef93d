"""Every input of a review, loaded and validated: every loader runs even when another fails, so an officer sees
every problem with every input at once; and the one-line descriptions `scrutiny-kit validate` prints."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from .errors import InputError, Problem
from .params import ReviewParams, note_files, notes_folder


@dataclass
class Inputs:
    """Every input of a review, loaded and validated."""

    params: ReviewParams
    codebook: Any
    notes: pd.DataFrame
    workforce: Any
    recommendations: pd.DataFrame
    commentary: dict[str, str]
    coding_sheet: Any = None  # the officer's coding sheet (coding_sheet.Sheet), when params name one
    warnings: list[Problem] = field(default_factory=list)  # worth a look, but nothing stops the report
    sheets: dict[str, str] = field(default_factory=dict)  # input key -> the worksheet read from its Excel file


def collect_problems(problems: list[str | Problem], load: Callable[[], Any], default: Any = None) -> Any:
    """Run one loader, keeping its problems instead of stopping at the first bad file."""
    try:
        return load()
    except InputError as exc:
        problems.extend(exc.problems)
        return default


def load_inputs(params: ReviewParams, *, then: Callable[[Any, Any], Any] | None = None) -> Inputs:
    """Load and validate the codebook, workforce data, visit notes, recommendations and commentary.
    ``then(codebook, workforce)`` runs as soon as those two have loaded cleanly, before the rest
    (open_review starts drawing the charts there)."""
    from .analysis.as_at import as_at
    from .coding.codebook import load_codebook
    from .sources.commentary import load_commentary
    from .sources.recommendations import load_recommendations
    from .sources.visit_notes import load_visit_notes, visit_date_problems
    from .sources.workforce import load_workforce

    problems: list[str | Problem] = []
    codebook = collect_problems(problems, lambda: load_codebook(params.codebook))
    workforce = collect_problems(problems, lambda: as_at(load_workforce(params.workforce, authority=params.authority,
                                                                comparators=params.comparators),
                                                 params.report_date))
    if workforce is not None and params.targets:
        from .analysis.measures import normalise_targets

        collect_problems(problems, lambda: normalise_targets(params.targets, workforce))
    if then is not None and not problems:
        then(codebook, workforce)
    notes = collect_problems(problems, lambda: load_visit_notes(note_files(params.visit_notes),
                                                        default_authority=params.authority,
                                                        folder=notes_folder(params.visit_notes)))
    recommendations = commentary = sheet = None
    if codebook is not None:
        theme_ids = set(codebook.ids)
        if params.coding_check is not None:
            from .coding.sheet import read_sheet

            sheet = collect_problems(problems, lambda: read_sheet(params.coding_check, review_id=params.review_id,
                                                          theme_ids=codebook.ids))
        recommendations = collect_problems(problems, lambda: load_recommendations(params.recommendations, theme_ids=theme_ids))
        if params.commentary is not None:
            commentary = collect_problems(problems, lambda: load_commentary(params.commentary, theme_ids=theme_ids,
                                                                    labels={t.id: t.label for t in codebook.themes}))
    warnings: list[Problem] = []
    if notes is not None:
        late, early = visit_date_problems(notes, params.report_date, note_files(params.visit_notes))
        problems += late
        warnings += early
    if problems:
        raise InputError(problems)
    sheets = {"workforce": workforce.sheet, "recommendations": recommendations.attrs.get("sheet")}
    return Inputs(params, codebook, notes, workforce, recommendations, commentary or {}, sheet, warnings,
                  {key: name for key, name in sheets.items() if name})


def describe_inputs(inputs: Inputs) -> list[str]:
    """One line per input for `scrutiny-kit validate`."""
    notes = inputs.notes
    visits = notes["source"].nunique()
    teams = sorted(notes["team"].unique())
    exempt = notes.loc[notes["confidential"], "source"].nunique()
    wf = inputs.workforce
    periods = wf.data["period"].nunique()
    sheet = {key: f" (sheet '{name}')" for key, name in inputs.sheets.items()}
    return [
        f"visit notes: {visits} files, {len(notes)} points, {len(teams)} teams ({', '.join(teams)})"
        + (f", {exempt} confidential" if exempt else ""),
        f"workforce{sheet.get('workforce', '')}: {wf.authority}, {periods} periods, measures "
        f"{', '.join(wf.measures)}; comparators: " + (", ".join(wf.comparators) or "none")
        + (f"; left out as after the report date: {', '.join(wf.left_out)}" if wf.left_out else ""),
        f"recommendations{sheet.get('recommendations', '')}: {len(inputs.recommendations)}",
        f"codebook: {len(inputs.codebook.themes)} themes from {inputs.codebook.source}",
        f"commentary: {len(inputs.commentary)} sections" if inputs.params.commentary else "commentary: none",
        describe_check(inputs),
    ]


def describe_check(inputs: Inputs) -> str:
    """One line on the officer's coding check for `scrutiny-kit validate`."""
    from .coding.check import reconcile

    sheet = inputs.coding_sheet
    if sheet is None:
        return "coding check: none (the coding is not checked by an officer; see `scrutiny-kit check`)"
    rec = reconcile(sheet, inputs.notes, inputs.codebook.ids)
    unchecked = len(inputs.notes) - len(rec.decisions)
    return (f"coding check: {Path(sheet.path).name}, {len(rec.decisions)} of {len(inputs.notes)} points checked"
            + (f", {unchecked} not checked" if unchecked else ""))


def coding_warnings(inputs: Inputs) -> list[Problem]:
    """The coding check's warnings (points not checked, changed or removed; see coding_check.check_warnings)."""
    from .coding.check import check_warnings, reconcile

    if inputs.coding_sheet is None:
        return []
    sheet = inputs.coding_sheet
    return check_warnings(reconcile(sheet, inputs.notes, inputs.codebook.ids), sheet.path)

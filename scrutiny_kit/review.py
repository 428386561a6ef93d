"""The facade the notebook calls: load and check everything a review needs, then hand out its sections.

The notebook presents; this module decides. Every loader runs even when another fails, so an officer
sees every problem with every input at once. Its parts: inputs.py (loading), notebook_params.py (params as
the notebook gets them), report/input_privacy.py (the publish check of the inputs).
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from .inputs import Inputs, coding_warnings, describe_check, describe_inputs, load_inputs  # noqa: F401
from .notebook_params import PROJECT_DIR, overrides_from, resolve_params  # noqa: F401
from .params import ReviewParams
from .report.input_privacy import check_reasons, publish_check  # noqa: F401


# --- the review the notebook presents ---------------------------------------------------------------------

class Html(str):
    """An HTML fragment that Jupyter displays as HTML (and only HTML) when it is a cell's result."""

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/html": str(self)}

    def __repr__(self) -> str:
        return f"<scrutiny-kit HTML fragment, {len(self)} characters>"


@dataclass
class Review:
    """One review, loaded, checked, coded and derived: each method returns one part of the report."""

    inputs: Inputs
    coded: pd.DataFrame
    measures: pd.DataFrame
    comparator_gaps: pd.DataFrame
    recommendations_rated: pd.DataFrame
    findings: Any
    redactions: Counter[str] = field(default_factory=Counter)
    check: Any = None  # coding_check.CheckSummary of the officer's check (published points), None without a sheet
    pending_figures: list[Any] = field(default_factory=list)  # charts being drawn (see start_figures)
    _charts: dict[str, list[str]] | None = None

    @property
    def params(self) -> ReviewParams:
        return self.inputs.params

    def charts(self) -> dict[str, list[str]]:
        """Figure HTML for every measure a findings section shows, drawn once (SVG via vl-convert); figures
        started early by :func:`open_review` are used when they cover the measure."""
        if self._charts is None:
            wanted = sorted({m.measure for s in self.findings.sections for m in s.measures if m.chart_in is None})
            started = {p.figure.measure for p in self.pending_figures}
            pending = self.pending_figures + start_figures(self.inputs.workforce, self.params,
                                                           [m for m in wanted if m not in started])
            self._charts = {m: html for m in wanted if (html := [p.html() for p in pending if p.figure.measure == m])}
            self.pending_figures = []
            from .presentation.svg_render import shared_renderer

            shared_renderer().close()  # every chart is in: free the helper's memory for the rest of the run
        return self._charts

    def contents(self) -> Html:
        from .presentation.present import chapters, contents_html, with_appendix

        return Html(contents_html(with_appendix(chapters(self.findings))))

    def introduction(self) -> Html:
        from .presentation.present import introduction_html

        return Html(introduction_html(self.findings))

    def overview(self) -> Html:
        from .presentation.present import overview_html

        return Html(overview_html(self.findings))

    def findings_chapter(self) -> Html:
        from .presentation.present import findings_html

        return Html(findings_html(self.findings, self.charts()))

    def other_issues(self) -> Html:
        from .presentation.present import other_issues_html

        return Html(other_issues_html(self.findings))

    def recommendations(self) -> Html:
        from .presentation.present import recommendations_html

        return Html(recommendations_html(self.findings))

    def gaps(self) -> Html:
        from .presentation.present import gaps_html

        return Html(gaps_html(self.findings))

    def conclusion(self) -> Html:
        from .presentation.present import conclusion_html

        return Html(conclusion_html(self.findings))

    def appendix(self) -> Html:
        """The codebook as an appendix inside the page (the report is published on its own)."""
        from .presentation.present import codebook_appendix_html

        return Html(codebook_appendix_html(self.inputs.codebook))

    def summary(self) -> dict[str, Any]:
        """Headline figures for manifest.json and the index site (see docs/architecture.md)."""
        from .analysis.recommendations import rag_counts

        f = self.findings
        themes = {s.theme: {"label": s.label, "points": s.points, "visits": s.visits, "concern": s.concern,
                            "positive": s.positive} for s in f.sections}
        by_concern = sorted((s for s in f.sections if s.concern), key=lambda s: (-s.concern, -s.visits, s.theme))
        return {
            "title": self.params.title, "authority": self.params.authority, "committee": self.params.committee,
            "report_date": self.params.report_date.isoformat(), "visits": f.visits, "points": f.points,
            "teams": list(f.teams), "exempt_notes": f.exempt_notes,
            "recommendations": int(len(self.recommendations_rated)), "themes": themes,
            "top_concerns": [s.theme for s in by_concern[:3]], "rag": rag_counts(self.recommendations_rated),
        }

    def save_tables(self, output_dir: str | Path | None) -> None:
        """Write the working files into `output_dir` (`outputs/<review_id>/working/` under `scrutiny-kit run`):
        coded_points.csv, findings.csv, recommendations.csv (formula-like text neutralised), codebook.yaml (the
        merged codebook, also shown as the page's appendix) and summary.json for the manifest. Does nothing in
        an interactive session (output_dir None)."""
        if output_dir is None:
            return None
        from .coding import coded_points_csv
        from .analysis.findings import findings_table
        from .analysis.recommendations import recommendations_table
        from .spreadsheet_safety import frame_csv

        out = Path(output_dir)
        (out / "coded_points.csv").write_text(coded_points_csv(self.coded), encoding="utf-8")
        (out / "findings.csv").write_text(frame_csv(findings_table(self.findings)), encoding="utf-8")
        (out / "recommendations.csv").write_text(frame_csv(recommendations_table(self.recommendations_rated)),
                                                 encoding="utf-8")
        (out / "codebook.yaml").write_text(self.inputs.codebook.to_yaml(), encoding="utf-8")
        record = {"summary": self.summary(), "redactions": dict(sorted(self.redactions.items())),
                  "exempt_notes": self.findings.exempt_notes, "sheets": dict(self.inputs.sheets),
                  "warnings": [str(w) for w in self.inputs.warnings],
                  "coding_check": self.check.record() if self.check is not None else None}
        (out / "summary.json").write_text(json.dumps(record, indent=2, sort_keys=True), encoding="utf-8")
        return None


def build_review(inputs: Inputs, *, apply_redaction: bool = False,
                 prechecked: tuple[Inputs, Counter[str]] | None = None) -> Review:
    """Check what will be published (unless `prechecked` holds that check's result already), then code the notes,
    derive measures, rate recommendations, build findings."""
    from .analysis.as_at import left_out_sentence
    from .coding import code_points
    from .coding.check import counted_points
    from .analysis.findings import build_findings
    from .analysis.measures import comparator_gaps, derive_measures
    from .analysis.recommendations import rate

    checked, redactions = prechecked or publish_check(inputs, apply_redaction=apply_redaction)
    params = checked.params
    coded = code_points(checked.notes, checked.codebook)
    coded, summary = officer_check(inputs, coded, apply_redaction=apply_redaction, redactions=redactions)
    derived = derive_measures(checked.workforce, params.targets)
    gaps = comparator_gaps(checked.workforce)
    rated = rate(checked.recommendations, params.report_date)
    findings = build_findings(counted_points(coded), checked.codebook, measures=derived, comparator_gaps=gaps,
                              recommendations=rated, commentary=checked.commentary, params=params)
    findings = replace(findings, coding_check=summary,
                       periods_left_out=left_out_sentence(checked.workforce, params.report_date))
    return Review(checked, coded, derived, gaps, rated, findings, redactions, check=summary)


def officer_check(inputs: Inputs, coded: pd.DataFrame, *, apply_redaction: bool = False,
                  redactions: Counter[str] | None = None) -> tuple[pd.DataFrame, Any]:
    """The coded points with the officer's decisions from the coding sheet in place of the coder's (every point
    unchecked without a sheet), and a CheckSummary for the method section (None without a sheet). The sheet is
    matched against the notes as read, before redaction; exclusion reasons are published, so they go through
    the publish check like every other text."""
    from .coding.check import apply_check, check_warnings, reconcile, summarise

    sheet = inputs.coding_sheet
    ids = inputs.codebook.ids
    if sheet is None:
        return apply_check(coded, None, ids), None
    rec = reconcile(sheet, inputs.notes, ids)
    checked = apply_check(coded, rec, ids)
    checked = check_reasons(checked, sheet.path, inputs.params.redact, apply_redaction, redactions)
    return checked, summarise(checked, rec, sheet, warnings=check_warnings(rec, sheet.path))


def warm_up() -> None:
    """Start what every review needs before its params are known: the chart-drawing helper (it warms up while
    the inputs load) and Altair's import. `scrutiny-kit run` calls this as its kernel starts; safe to repeat."""
    from .presentation.svg_render import shared_renderer

    shared_renderer().start()
    # Altair is imported here, near the top of the stack, not deep inside load_inputs: its import builds a
    # grammar with deeply recursive code that CPython 3.11 can run 2-3 times slower when it starts at an
    # unlucky stack depth (a frame-stack chunk allocated and freed on every call across the chunk's end).
    # Measured: imported from inside load_inputs it cost an extra second.
    from .presentation import charts  # noqa: F401


def open_review(params_file: str | Path | None = None, *, overrides: Mapping[str, Any] | None = None,
                output_dir: str | Path | None = None, apply_redaction: bool = False) -> Review:
    """Everything the notebook needs, from a params file (and any keys papermill injected)."""
    from .params import redacts

    warm_up()
    params = resolve_params(params_file, overrides)
    apply_redaction = redacts(params, apply_redaction)
    pending: list[Any] = []

    def start_charts(codebook: Any, workforce: Any) -> None:  # drawn by the helper while the notes load and are coded
        pending.extend(start_figures(workforce, params, linked_measures(codebook, workforce)))

    kept = None if apply_redaction else _checked_inputs(params)
    if kept is None:
        inputs = load_inputs(params, then=start_charts)
    else:
        inputs = kept[0]
        start_charts(inputs.codebook, inputs.workforce)
    review = build_review(inputs, apply_redaction=apply_redaction, prechecked=kept[1] if kept else None)
    review.pending_figures = pending
    return review


# what check_before_running loaded and its publish check's result, for the open_review after it
CHECKED: list[tuple[ReviewParams, Inputs, tuple[Inputs, Counter[str]]]] = []


def check_before_running(params_file: str | Path) -> None:
    """`scrutiny-kit run`'s refusal before the notebook executes, run in the review's kernel before the first cell:
    every input loaded and every text that would be published scanned for personal data and the `redact:` names,
    as `validate` does. Here rather than in the command's process, so that the command never loads pandas and the
    inputs (the run's memory); the inputs are kept for the notebook's open_review, so they are read once."""
    params = resolve_params(params_file)
    inputs = load_inputs(params)
    CHECKED[:] = [(params, inputs, publish_check(inputs, apply_redaction=False))]


def _checked_inputs(params: ReviewParams) -> tuple[Inputs, tuple[Inputs, Counter[str]]] | None:
    """The inputs check_before_running loaded for these very params and its publish check's result, handed out
    once (a later open_review in the same kernel reads the files again)."""
    kept, CHECKED[:] = CHECKED[:], []
    return next(((inputs, result) for checked, inputs, result in kept if checked == params), None)


def linked_measures(codebook: Any, workforce: Any) -> list[str]:
    """The workforce measures a codebook theme links to: the charts a findings chapter can show."""
    linked = {m for theme in codebook.themes for m in theme.measures}
    return [m for m in workforce.measures if m in linked]


def start_figures(workforce: Any, params: ReviewParams, measures: list[str]) -> list[Any]:
    """Build the figures of `measures` and start drawing them (see charts.draw_figures)."""
    if not measures:
        return []
    from .presentation.charts import draw_figures, measure_figures

    return draw_figures(f for m in measures if m in workforce.measures  # a generator: drawing overlaps building
                        for f in measure_figures(workforce, m, params.targets,
                                                 suppress_small_numbers=params.suppress_small_numbers))

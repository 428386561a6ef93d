"""The facade the notebook calls: load and check everything a review needs, then hand out its sections.

The notebook presents; this module decides. Every loader runs even when another fails, so an officer
sees every problem with every input at once.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Mapping

import pandas as pd

from .errors import InputError, Problem, PublishCheckError, ScrutinyKitError
from .params import ReviewParams, load_params, note_files, notes_folder, read_with_lines, read_yaml, validate

PROJECT_DIR = Path(__file__).resolve().parent.parent


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


def _collect(problems: list[str | Problem], load: Callable[[], Any], default: Any = None) -> Any:
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
    codebook = _collect(problems, lambda: load_codebook(params.codebook))
    workforce = _collect(problems, lambda: as_at(load_workforce(params.workforce, authority=params.authority,
                                                                comparators=params.comparators),
                                                 params.report_date))
    if workforce is not None and params.targets:
        from .analysis.measures import normalise_targets

        _collect(problems, lambda: normalise_targets(params.targets, workforce))
    if then is not None and not problems:
        then(codebook, workforce)
    notes = _collect(problems, lambda: load_visit_notes(note_files(params.visit_notes),
                                                        default_authority=params.authority,
                                                        folder=notes_folder(params.visit_notes)))
    recommendations = commentary = sheet = None
    if codebook is not None:
        theme_ids = set(codebook.ids)
        if params.coding_check is not None:
            from .coding.sheet import read_sheet

            sheet = _collect(problems, lambda: read_sheet(params.coding_check, review_id=params.review_id,
                                                          theme_ids=codebook.ids))
        recommendations = _collect(problems, lambda: load_recommendations(params.recommendations, theme_ids=theme_ids))
        if params.commentary is not None:
            commentary = _collect(problems, lambda: load_commentary(params.commentary, theme_ids=theme_ids,
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


# --- params as the notebook sees them -------------------------------------------------------------------

def overrides_from(namespace: Mapping[str, Any]) -> dict[str, Any]:
    """The params keys papermill injected into the notebook (those not left at None)."""
    return {k: namespace[k] for k in ReviewParams.model_fields if namespace.get(k) is not None}


def resolve_params(params_file: str | Path | None, overrides: Mapping[str, Any] | None = None) -> ReviewParams:
    """Params for a notebook run. Paths are relative to the params file; when papermill injected the keys
    (`papermill ... -f params/x.yaml`) the file is found again by its review_id so paths still resolve."""
    overrides = dict(overrides or {})
    path = _locate(params_file) if params_file else None
    if not overrides:
        if path is None:
            raise ScrutinyKitError(f"params file not found: {params_file}")
        return load_params(path)
    source = _params_file_for(overrides.get("review_id"), path)
    if source is None:
        return validate(overrides, base=Path.cwd(), source=None)
    raw, lines = read_with_lines(source)
    raw.update(overrides)
    lines = {key: line for key, line in lines.items() if key.split(".")[0] not in overrides}  # not from the file
    return validate(raw, base=source.parent, source=source, lines=lines)


def _locate(params_file: str | Path) -> Path | None:
    given = Path(params_file)
    for candidate in (given, PROJECT_DIR / "notebooks" / given, PROJECT_DIR / given):
        if candidate.is_file():
            return candidate.resolve()
    return None


def _params_file_for(review_id: Any, hint: Path | None) -> Path | None:
    candidates = [hint] if hint else []
    for folder in (Path.cwd() / "params", PROJECT_DIR / "params", Path.cwd()):
        candidates += sorted(folder.glob("*.y*ml")) if folder.is_dir() else []
    for candidate in candidates:
        try:
            if read_yaml(candidate).get("review_id") == review_id:
                return candidate.resolve()
        except ScrutinyKitError:
            continue
    return None


# --- the publish check ------------------------------------------------------------------------------------

_VISIT_FIELDS = ("team", "authority", "visitors")  # the same for every point of a note: checked once per file
_REC_FIELDS = ("id", "recommendation", "owner", "response", "action", "status", "update")
_PARAMS_FIELDS = ("title", "authority", "committee")
_FILE_NAME_SEPARATORS = re.compile(r"[_.\-]")


def publish_check(inputs: Inputs, *, apply_redaction: bool) -> tuple[Inputs, Counter[str]]:
    """Scan every text that will be written (not confidential notes, which are never published) for personal
    data: note points, headings, teams, visitors and file names, the tracker, commentary, the params' title
    block and the workforce file's authority and team names. Refuse with PublishCheckError listing each hit
    and the file it is in, or with `apply_redaction` replace hits with [redacted] (everywhere they are)."""
    from .report.privacy import check_or_redact

    params = inputs.params
    notes = inputs.notes.copy()
    recs = inputs.recommendations.copy()
    commentary = dict(inputs.commentary)
    items: list[tuple[str, str, str]] = []  # (where, text, text as scanned)
    writes: list[Callable[[str], None]] = []  # puts each item's redacted text back

    def item(where: str, text: str, write: Callable[[str], None], scanned: str | None = None) -> None:
        items.append((where, text, text if scanned is None else scanned))
        writes.append(write)

    def set_notes(mask: Any, col: str) -> Callable[[str], None]:
        return lambda text: notes.__setitem__(col, notes[col].where(~mask, text))

    public = notes[~notes["confidential"]]
    for source, rows in public.groupby("source", sort=False):
        in_file = notes["source"] == source
        first = rows.iloc[0]
        # a file name is read with its separators as spaces ("jo-bloggs.md" names Jo Bloggs); same length
        item(f"visit note {source} (file name)", str(source), set_notes(in_file, "source"),
             _FILE_NAME_SEPARATORS.sub(" ", str(source)))
        for col in _VISIT_FIELDS:
            item(f"visit note {source} ({col})", str(first[col]), set_notes(in_file, col))
        for heading, point in rows.drop_duplicates("heading")[["heading", "point"]].itertuples(index=False):
            item(f"visit note {source}, point {point} (heading)", str(heading),
                 set_notes(in_file & (notes["heading"] == heading), "heading"))
        for idx, row in rows.iterrows():
            item(f"visit note {source}, point {row['point']} (text)", str(row["text"]),
                 lambda text, idx=idx: _set(notes, idx, "text", text))
    for idx, row in recs.iterrows():
        for col in _REC_FIELDS:
            item(f"{params.recommendations.name}, recommendation {row['id']} ({col})", str(row[col] or ""),
                 lambda text, idx=idx, col=col: _set(recs, idx, col, text))
    for key, text in commentary.items():
        item(f"{params.commentary.name if params.commentary else 'commentary'}, section {key}", text,
             lambda new, key=key: commentary.__setitem__(key, new))
    redacted_params: dict[str, str] = {}
    for col in _PARAMS_FIELDS:
        item(f"{Path(str(params.params_file)).name}, key {col}", getattr(params, col),
             lambda text, col=col: redacted_params.__setitem__(col, text))
    workforce_names: dict[str, str] = {}
    wf = inputs.workforce
    if wf is not None:
        for name in dict.fromkeys([*wf.data["authority"], *wf.data["team"]]):
            if name:
                item(f"{Path(str(params.workforce)).name}, authority or team '{name}'", str(name),
                     lambda text, name=name: workforce_names.__setitem__(name, text))

    checked, counts = check_or_redact(items, names=params.redact, apply_redaction=apply_redaction)
    if not counts:
        return inputs, counts
    for write, (_, text), (_, original, _) in zip(writes, checked, items):
        if text != original:
            write(text)
    if redacted_params:
        params = params.model_copy(update=redacted_params)
    workforce = _renamed_workforce(wf, workforce_names) if workforce_names else wf
    return replace(inputs, params=params, notes=notes, workforce=workforce, recommendations=recs,
                   commentary=commentary), counts


def _set(frame: pd.DataFrame, idx: Any, col: str, text: str) -> None:
    frame.at[idx, col] = text


def _renamed_workforce(workforce: Any, names: dict[str, str]) -> Any:
    """The workforce figures with redacted authority and team names."""
    data = workforce.data.copy()
    data["authority"] = data["authority"].replace(names)
    data["team"] = data["team"].replace(names)
    return replace(workforce, data=data, authority=names.get(workforce.authority, workforce.authority),
                   comparators=[names.get(c, c) for c in workforce.comparators], _cache={})


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


def build_review(inputs: Inputs, *, apply_redaction: bool = False) -> Review:
    """Check what will be published, then code the notes, derive measures, rate recommendations, build findings."""
    from .analysis.as_at import left_out_sentence
    from .coding import code_points
    from .coding.check import counted_points
    from .analysis.findings import build_findings
    from .analysis.measures import comparator_gaps, derive_measures
    from .analysis.recommendations import rate

    checked, redactions = publish_check(inputs, apply_redaction=apply_redaction)
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
    checked = _check_reasons(checked, sheet.path, inputs.params.redact, apply_redaction, redactions)
    return checked, summarise(checked, rec, sheet, warnings=check_warnings(rec, sheet.path))


def _check_reasons(checked: pd.DataFrame, sheet: str, names: list[str], apply_redaction: bool,
                   redactions: Counter[str] | None) -> pd.DataFrame:
    """Run the publish check on the exclusion reasons of published points (the method section quotes them)."""
    from .report.privacy import check_or_redact

    shown = checked.loc[~checked["confidential"].astype(bool) & (checked["exclude_reason"] != "")]
    items = [(f"{Path(sheet).name}, point {s}#{p} (exclude)", r) for s, p, r in
             zip(shown["source"], shown["point"], shown["exclude_reason"])]
    if not items:
        return checked
    cleaned, counts = check_or_redact(items, names=names, apply_redaction=apply_redaction)
    if counts and redactions is not None:
        redactions.update(counts)
    out = checked.copy()
    out.loc[shown.index, "exclude_reason"] = [text for _, text in cleaned]
    return out


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

    inputs = load_inputs(params, then=start_charts)
    review = build_review(inputs, apply_redaction=apply_redaction)
    review.pending_figures = pending
    return review


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

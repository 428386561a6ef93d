"""Turn the coded visit notes, derived measures and rated recommendations into the findings chapter's data.

`build_findings(...)` returns a `Findings`: one `ThemeFinding` per theme with evidence (ordered by
weight, numbered 2.1, 2.2 ...), the theme x team overview, the points that matched no theme, the gap
check and the method facts. `present.py` turns it into HTML; `findings_table` into `findings.csv`.
The parts live beside it: finding_types (the dataclasses), anchors, finding_sentences, excerpts, gap_check and
findings_table.

Points from confidential (exempt) notes are dropped first and never reach any of these.
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..dates import parse_date
from ..wording import join_words, plural, times  # noqa: F401  (re-exported for present.py and tests)
from .anchors import rec_anchors, slug, theme_anchor  # noqa: F401  (re-exported)
from .excerpts import (EXCERPT_MAX_CHARS, EXCERPT_MIN_CHARS, EXCERPT_RULE, MAX_EXCERPTS, MIN_EXCERPTS,  # noqa: F401
                       TONE_RANK, row_excerpt, choose_excerpts, mark_main_themes)
from .finding_sentences import date_range, lead_sentence, period_sentence, visits_phrase  # noqa: F401
from .finding_types import (Excerpt, Findings, Gap, Gaps, MeasureEvidence, MentionedTheme, Overview,  # noqa: F401
                            OverviewCell, OverviewRow, RecLink, ThemeFinding, Visit)
from .findings_table import FINDINGS_COLUMNS, findings_table  # noqa: F401
from .gap_check import GAP_CONCERN_VISITS, gap_check  # noqa: F401

FINDINGS_CHAPTER = 2
ORDER_RULE = ("Themes are ordered by the number of visits that raised them, then by the number of points, "
              "then by the number of points raised as a concern (ties in alphabetical order of theme id).")
MeasureDescriber = Callable[..., str]  # measures.describe_measure(row, gaps=None, *, suppress_small_numbers=False)


def published_points(coded: pd.DataFrame) -> pd.DataFrame:
    """The coded rows that may be published: confidential (exempt) notes dropped."""
    return coded.loc[~coded["confidential"].astype(bool)].copy()


def exempt_note_count(coded: pd.DataFrame) -> int:
    """How many visit notes were withheld as confidential."""
    return int(coded.loc[coded["confidential"].astype(bool), "source"].nunique())


def _teams_in_order(rows: pd.DataFrame) -> tuple[str, ...]:
    """Distinct teams, in order of their first visit (then name)."""
    first = rows.assign(_d=rows["date"].map(parse_date)).groupby("team")["_d"].min()
    return tuple(sorted(first.index, key=lambda t: (first[t], t)))


def _authority_rows(measures: pd.DataFrame | None, measure_ids: Sequence[str]) -> list[pd.Series]:
    if measures is None or measures.empty or not measure_ids:
        return []
    rows = measures.loc[measures["measure"].isin(list(measure_ids)) & (measures["team"].fillna("") == "")]
    order = {m: i for i, m in enumerate(measure_ids)}
    return [row for _, row in sorted(rows.iterrows(), key=lambda kv: order[kv[1]["measure"]])]


def measure_evidence(theme_measures: Sequence[str], measures: pd.DataFrame | None,
                     describe: MeasureDescriber | None, gaps: pd.DataFrame | None = None,
                     suppress_small_numbers: bool = False) -> tuple[MeasureEvidence, ...]:
    """The theme's linked workforce measures (authority level) with their sentences (from `describe`, given
    the comparator gaps) and latest values."""
    out = []
    for row in _authority_rows(measures, theme_measures):
        value = row.get("latest_value")
        value = None if value is None or pd.isna(value) else float(value)
        sentence = describe(row, gaps, suppress_small_numbers=suppress_small_numbers) if describe else ""
        out.append(MeasureEvidence(
            measure=str(row["measure"]), label=str(row.get("label", row["measure"])),
            sentences=tuple(s for s in [sentence] if s), latest_value=value,
            latest_period=str(row.get("latest_period", "") or ""), missing=str(row.get("latest_missing", "") or "")))
    return tuple(out)


def _rec_links(recs: pd.DataFrame | None, anchors: Mapping[str, str]) -> list[RecLink]:
    if recs is None or recs.empty:
        return []
    rag = recs["rag"] if "rag" in recs.columns else pd.Series("", index=recs.index)
    return [RecLink(id=str(r["id"]), anchor=anchors[str(r["id"])], recommendation=str(r["recommendation"]),
                    rag=str(g), themes=tuple(r["themes"])) for (_, r), g in zip(recs.iterrows(), rag)]


@dataclass(frozen=True)
class _Stats:
    """One theme's counts (a row of coding.theme_summary) and its published rows."""

    theme: str
    points: int
    visits: int
    concern: int
    positive: int
    neutral: int
    concern_visits: int
    rows: pd.DataFrame
    mixed: int = 0

    @property
    def has_main_point(self) -> bool:
        """Some point is mainly about this theme (see mark_main_themes), so it earns a section."""
        return bool(self.rows["main"].any()) if "main" in self.rows else True


def _theme_stats(public: pd.DataFrame, codebook: Any) -> list[_Stats]:
    """coding.theme_summary of the published points for themes with evidence, ordered by weight (ORDER_RULE)."""
    from ..coding import theme_summary

    summary = theme_summary(public.loc[public["theme"] != ""], codebook)
    by_theme = dict(tuple(public.groupby("theme", sort=False)))
    stats = [_Stats(str(r.theme), int(r.points), int(r.visits), int(r.concern), int(r.positive), int(r.neutral),
                    int(r.concern_visits), by_theme[r.theme], int(r.mixed))
             for r in summary.itertuples(index=False) if r.points > 0]
    return sorted(stats, key=lambda s: (-s.visits, -s.points, -s.concern, s.theme))


def _theme_info(codebook: Any) -> dict[str, Any]:
    return {t.id: t for t in codebook.themes}


def _section(number: str, s: _Stats, theme: Any, total_visits: int, measures: tuple[MeasureEvidence, ...],
             commentary: Mapping[str, str], links: list[RecLink]) -> ThemeFinding:
    rows = s.rows
    label = getattr(theme, "label", s.theme) if theme is not None else s.theme
    dates = rows["date"].map(parse_date)
    teams = _teams_in_order(rows)
    return ThemeFinding(
        number=number, theme=s.theme, label=label, definition=getattr(theme, "definition", "") or "",
        points=s.points, visits=s.visits, total_visits=total_visits, teams=teams, concern=s.concern,
        positive=s.positive, neutral=s.neutral, concern_visits=s.concern_visits,
        first_date=dates.min(), last_date=dates.max(),
        lead=lead_sentence(label, points=s.points, visits=s.visits, total_visits=total_visits, teams=teams,
                           concern=s.concern, positive=s.positive, mixed=s.mixed),
        period=period_sentence(s.visits, dates.min(), dates.max()),
        measures=measures, excerpts=choose_excerpts(rows.drop_duplicates(["source", "point"])),
        commentary=commentary.get(s.theme),
        recommendations=tuple(link for link in links if s.theme in link.themes), mixed=s.mixed,
    )


def _mark_repeated_charts(sections: list[ThemeFinding]) -> list[ThemeFinding]:
    """A measure's chart is shown once, in the first section linking it; later sections point there."""
    first: dict[str, str] = {}
    out = []
    for sec in sections:
        ms = []
        for m in sec.measures:
            ms.append(MeasureEvidence(**{**m.__dict__, "chart_in": first.get(m.measure)}))
            first.setdefault(m.measure, sec.number)
        out.append(ThemeFinding(**{**sec.__dict__, "measures": tuple(ms)}))
    return out


def build_overview(public: pd.DataFrame, sections: Sequence[ThemeFinding]) -> Overview:
    """Points (and concerns) per theme per team, shaded 0-4 relative to the busiest cell."""
    teams = tuple(sorted(public["team"].unique()))
    points = public.loc[public["theme"] != ""].drop_duplicates(["theme", "source", "point"])
    counts = points.groupby(["theme", "team"]).size().to_dict()
    concerns = points.loc[points["tone"] == "concern"].groupby(["theme", "team"]).size().to_dict()
    peak = max(counts.values(), default=0)

    def cell(n: int, c: int, scale: int) -> OverviewCell:
        return OverviewCell(n, c, 0 if n == 0 else min(4, math.ceil(4 * n / max(scale, 1))))

    rows = []
    for sec in sections:
        cells = tuple(cell(int(counts.get((sec.theme, t), 0)), int(concerns.get((sec.theme, t), 0)), peak)
                      for t in teams)
        total = OverviewCell(sec.points, sec.concern, 0)
        rows.append(OverviewRow(sec.theme, sec.label, sec.anchor, cells, total))
    return Overview(teams, tuple(rows))


def _describer(describe: MeasureDescriber | None) -> MeasureDescriber | None:
    """The given sentence function, else measures.describe_measure once that module exists."""
    if describe is not None:
        return describe
    try:
        from .measures import describe_measure
    except ImportError:  # pragma: no cover - measures.py not installed
        return None
    return describe_measure


def build_findings(coded: pd.DataFrame, codebook: Any, *, measures: pd.DataFrame | None = None,
                   comparator_gaps: pd.DataFrame | None = None, describe_measure: MeasureDescriber | None = None,
                   recommendations: pd.DataFrame | None = None, commentary: Mapping[str, str] | None = None,
                   params: Any = None, report_date: dt.date | str | None = None, title: str | None = None,
                   authority: str | None = None) -> Findings:
    """Everything the findings chapters need, from the coded points, codebook, derived measures (with
    comparator gaps, described by measures.describe_measure unless another function is given) and rated
    recommendations. `params` (a ReviewParams) supplies title, authority, report_date and
    suppress_small_numbers unless given."""
    commentary = dict(commentary or {})
    public = mark_main_themes(published_points(coded))
    visit_list = numbered_visits(public)
    public["visit"] = public["source"].map(lambda src: visit_list[0].get(src, 0)).astype(int)
    info = _theme_info(codebook)
    labels = {t.id: t.label for t in codebook.themes}
    total_visits = int(public["source"].nunique())
    anchors = rec_anchors(list(recommendations["id"].astype(str))) if recommendations is not None else {}
    links = _rec_links(recommendations, anchors)
    describe = _describer(describe_measure)
    suppress = bool(getattr(params, "suppress_small_numbers", False))
    evidence = {t.id: measure_evidence(list(t.measures or []), measures, describe, comparator_gaps, suppress)
                for t in codebook.themes}
    stats = _theme_stats(public, codebook)
    sections = [
        _section(f"{FINDINGS_CHAPTER}.{i}", s, info.get(s.theme), total_visits, evidence.get(s.theme, ()),
                 commentary, links)
        for i, s in enumerate((s for s in stats if s.has_main_point), start=1)
    ]
    mentioned = tuple(MentionedTheme(s.theme, labels.get(s.theme, s.theme), s.points, s.visits)
                      for s in stats if not s.has_main_point)
    sections = _mark_repeated_charts(sections)
    other = public.loc[public["theme"] == ""].drop_duplicates(["source", "point"])
    other_issues = tuple(sorted((row_excerpt(r) for r in other.to_dict("records")),
                                key=lambda e: (e.date, e.source, e.point)))
    dates = public["date"].map(parse_date) if not public.empty else pd.Series([], dtype=object)
    when = report_date if report_date is not None else getattr(params, "report_date", None)
    return Findings(
        title=title or getattr(params, "title", "") or "",
        authority=authority or getattr(params, "authority", "") or "",
        report_date=parse_date(when) if when is not None else None,
        visits=total_visits,
        points=int(public[["source", "point"]].drop_duplicates().shape[0]),
        coded_points=int(public.loc[public["theme"] != "", ["source", "point"]].drop_duplicates().shape[0]),
        teams=tuple(sorted(public["team"].unique())),
        first_date=dates.min() if len(dates) else None,
        last_date=dates.max() if len(dates) else None,
        exempt_notes=exempt_note_count(coded),
        sections=tuple(sections),
        overview=build_overview(public, sections),
        other_issues=other_issues,
        gaps=gap_check(sections, links, labels),
        themes=labels,
        theme_measures=evidence,
        commentary=commentary,
        recommendations=recommendations,
        rec_anchors=anchors,
        tone_examples=tone_examples(codebook),
        mentioned=mentioned,
        visit_list=visit_list[1],
    )


def numbered_visits(public: pd.DataFrame) -> tuple[dict[str, int], tuple[Visit, ...]]:
    """Number the published visits 1, 2, … in date order (then team, then file): {source: number} and the
    list the method section shows. Confidential notes are not in `public`, so they take no number."""
    if public.empty:
        return {}, ()
    firsts = public.drop_duplicates("source")[["source", "team", "date"]].to_dict("records")
    firsts.sort(key=lambda r: (parse_date(r["date"]), str(r["team"]), str(r["source"])))
    numbers = {str(r["source"]): i for i, r in enumerate(firsts, start=1)}
    return numbers, tuple(Visit(i, str(r["team"]), parse_date(r["date"])) for i, r in enumerate(firsts, start=1))


def tone_examples(codebook: Any, n: int = 2) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The first few concern and positive cue phrases of the codebook, for the method text."""
    tone = getattr(codebook, "tone", None)

    def plain(cues: Sequence[str] | None) -> tuple[str, ...]:
        return tuple(str(c) for c in (cues or []) if not str(c).startswith("re:"))[:n]

    return plain(getattr(tone, "concern", None)), plain(getattr(tone, "positive", None))

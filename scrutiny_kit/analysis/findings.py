"""Turn the coded visit notes, derived measures and rated recommendations into the findings chapter's data.

`build_findings(...)` returns a `Findings`: one `ThemeFinding` per theme with evidence (ordered by
weight, numbered 2.1, 2.2 ...), the theme x team overview, the points that matched no theme, the gap
check and the method facts. `present.py` turns it into HTML; `findings_table` into `findings.csv`.

Points from confidential (exempt) notes are dropped first and never reach any of these.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..coding import phrase_count
from ..dates import format_date, parse_date
from ..presentation.wording import join_words, plural, times  # noqa: F401  (re-exported for present.py and tests)

FINDINGS_CHAPTER = 2
MIN_EXCERPTS, MAX_EXCERPTS = 2, 4
EXCERPT_MIN_CHARS, EXCERPT_MAX_CHARS = 40, 400  # shorter points read as fragments, longer ones as essays
GAP_CONCERN_VISITS = 2
TONE_RANK = {"concern": 0, "mixed": 1, "positive": 2, "neutral": 3}
ORDER_RULE = ("Themes are ordered by the number of visits that raised them, then by the number of points, "
              "then by the number of points raised as a concern (ties in alphabetical order of theme id).")
EXCERPT_RULE = (f"Up to {MAX_EXCERPTS} excerpts are quoted per theme, chosen by rule rather than by hand, and only "
                "from points mainly about the theme (no other theme of the point matched more of its phrases): "
                "concerns first, one per visit (a second point of a visit only to reach "
                f"{MIN_EXCERPTS}), then the points that use most of the theme's phrases in their own words, then "
                "shorter points. They are shown in date order. A theme that no point is mainly about has no section "
                "of its own: it is listed under 'Other themes mentioned' with its count.")
MeasureDescriber = Callable[..., str]  # measures.describe_measure(row, gaps=None, *, suppress_small_numbers=False)


# --- small words (join_words, plural, times come from wording.py) -----------------------------------------

def visits_phrase(n: int, total: int) -> str:
    """'in the only visit', 'in both visits', 'in all 5 visits', 'in one of the 5 visits', 'in 3 of the 5 visits'."""
    if n >= total:
        return {1: "in the only visit", 2: "in both visits"}.get(total, f"in all {total} visits")
    return f"in {'one' if n == 1 else n} of the {total} visits"


def date_range(first: dt.date, last: dt.date) -> str:
    """'on 5 March 2025', 'between 10 and 17 February 2025', 'between 3 February and 12 March 2025',
    'between 3 December 2024 and 9 January 2025'."""
    if first == last:
        return f"on {format_date(first)}"
    if (first.year, first.month) == (last.year, last.month):
        start = str(first.day)
    elif first.year == last.year:
        start = f"{first.day} {first:%B}"
    else:
        start = format_date(first)
    return f"between {start} and {format_date(last)}"


def slug(text: str) -> str:
    """A safe HTML id fragment: lower-case letters, digits, '_' and '-' ('R 3.1' -> 'r-3-1')."""
    return re.sub(r"[^a-z0-9_]+", "-", str(text).casefold()).strip("-") or "x"


def theme_anchor(theme: str) -> str:
    """The id of a theme's section: 'theme-caseload_workload'."""
    return f"theme-{slug(theme)}"


def rec_anchors(ids: Sequence[str]) -> dict[str, str]:
    """{recommendation id: 'rec-<slug>'}, made unique in tracker order ('rec-1-2', then 'rec-1-2-2')."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for rec_id in ids:
        base = f"rec-{slug(rec_id)}"
        anchor, n = base, 1
        while anchor in used:
            n += 1
            anchor = f"{base}-{n}"
        out[str(rec_id)] = anchor
        used.add(anchor)
    return out


# --- data ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Excerpt:
    """One point quoted as evidence, with where it came from."""

    source: str
    point: int
    date: dt.date
    team: str
    text: str
    tone: str
    line: int = 0
    strength: int = 0  # how many of the theme's phrases the point itself uses: how directly it speaks to it
    main: bool = True  # no other theme of the point matched more phrases: the point is mainly about this one
    quote: str = ""  # the officer's choice in the coding check: "yes" (prefer), "no" (never quote) or ""
    visit: int = 0  # the visit's number in the method section's list of visits (0: not numbered)

    @property
    def citation(self) -> str:
        """'Northgate Locality Team, 8 October 2024, visit 1, point 4': team, date, the visit's number in the
        method section's list, and the point; file names stay in the working files."""
        visit = f", visit {self.visit}" if self.visit else ""
        return f"{self.team}, {format_date(self.date)}{visit}, point {self.point}"


@dataclass(frozen=True)
class Visit:
    """One published visit, as the method section lists it and citations number it."""

    number: int
    team: str
    date: dt.date


@dataclass(frozen=True)
class MeasureEvidence:
    """A workforce measure linked to a theme: its sentence(s) and latest value (authority level)."""

    measure: str
    label: str
    sentences: tuple[str, ...]
    latest_value: float | None
    latest_period: str = ""
    missing: str = ""
    chart_in: str | None = None  # the section already showing this measure's chart, if another one does


@dataclass(frozen=True)
class RecLink:
    """A recommendation as referenced from a theme section or the gap check."""

    id: str
    anchor: str
    recommendation: str
    rag: str = ""
    themes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ThemeFinding:
    """One theme's section of the findings chapter."""

    number: str
    theme: str
    label: str
    definition: str
    points: int
    visits: int
    total_visits: int
    teams: tuple[str, ...]
    concern: int
    positive: int
    neutral: int
    concern_visits: int
    first_date: dt.date
    last_date: dt.date
    lead: str
    period: str
    measures: tuple[MeasureEvidence, ...]
    excerpts: tuple[Excerpt, ...]
    commentary: str | None
    recommendations: tuple[RecLink, ...]
    mixed: int = 0

    @property
    def anchor(self) -> str:
        return theme_anchor(self.theme)

    @property
    def title(self) -> str:
        return f"{self.number} {self.label}"


@dataclass(frozen=True)
class MentionedTheme:
    """A theme some points touched on but none was mainly about: counted, without a section of its own."""

    theme: str
    label: str
    points: int
    visits: int


@dataclass(frozen=True)
class OverviewCell:
    points: int
    concern: int
    shade: int  # 0..4, for the cell-0..cell-4 classes


@dataclass(frozen=True)
class OverviewRow:
    theme: str
    label: str
    anchor: str
    cells: tuple[OverviewCell, ...]
    total: OverviewCell


@dataclass(frozen=True)
class Overview:
    """Theme x team counts of points (with concerns) for the heatmap table."""

    teams: tuple[str, ...]
    rows: tuple[OverviewRow, ...]


@dataclass(frozen=True)
class Gap:
    """A theme raised as a concern in several visits with no recommendation."""

    theme: str
    label: str
    anchor: str
    concern_visits: int


@dataclass(frozen=True)
class Gaps:
    unaddressed: tuple[Gap, ...]
    unsupported: tuple[tuple[RecLink, str], ...]  # (recommendation, why it has no evidence)

    @property
    def none(self) -> bool:
        return not self.unaddressed and not self.unsupported


@dataclass(frozen=True, eq=False)
class Findings:
    """Everything the findings, other issues, recommendations and gap-check chapters show."""

    title: str
    authority: str
    report_date: dt.date | None
    visits: int
    points: int
    coded_points: int
    teams: tuple[str, ...]
    first_date: dt.date | None
    last_date: dt.date | None
    exempt_notes: int
    sections: tuple[ThemeFinding, ...]
    overview: Overview
    other_issues: tuple[Excerpt, ...]
    gaps: Gaps
    themes: dict[str, str]  # every codebook theme: id -> label, codebook order
    theme_measures: dict[str, tuple[MeasureEvidence, ...]] = field(default_factory=dict)  # every theme
    commentary: dict[str, str] = field(default_factory=dict)
    recommendations: pd.DataFrame | None = None  # rated
    rec_anchors: dict[str, str] = field(default_factory=dict)
    codebook_link: str = "#codebook"  # the appendix inside the page
    tone_examples: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())  # a few concern / positive cues
    mentioned: tuple[MentionedTheme, ...] = ()  # themes no point was mainly about (no section)
    coding_check: Any = None  # coding_check.CheckSummary: what the officer's check changed (None: not checked)
    visit_list: tuple[Visit, ...] = ()  # published visits in date order, numbered as citations cite them
    periods_left_out: str = ""  # the method's sentence on workforce periods after the report date ("" if none)

    def section(self, theme: str) -> ThemeFinding | None:
        return next((s for s in self.sections if s.theme == theme), None)


# --- building ------------------------------------------------------------------------------------------

def published_points(coded: pd.DataFrame) -> pd.DataFrame:
    """The coded rows that may be published: confidential (exempt) notes dropped."""
    return coded.loc[~coded["confidential"].astype(bool)].copy()


def exempt_note_count(coded: pd.DataFrame) -> int:
    """How many visit notes were withheld as confidential."""
    return int(coded.loc[coded["confidential"].astype(bool), "source"].nunique())


def _excerpt(row: Mapping[str, Any]) -> Excerpt:
    return Excerpt(source=str(row["source"]), point=int(row["point"]), date=parse_date(row["date"]),
                   team=str(row["team"]), text=str(row["text"]), tone=str(row.get("tone", "neutral") or "neutral"),
                   line=int(row.get("line", 0) or 0), strength=phrase_count(row.get("matched")),
                   main=bool(row.get("main", True)), quote=str(row.get("quote", "") or ""),
                   visit=int(row.get("visit", 0) or 0))


def _excerpt_key(e: Excerpt) -> tuple:
    length = len(e.text)
    out_of_range = not EXCERPT_MIN_CHARS <= length <= EXCERPT_MAX_CHARS
    return (not e.main, TONE_RANK.get(e.tone, 3), out_of_range, -e.strength, length, e.date, e.source, e.point)


def choose_excerpts(rows: pd.DataFrame) -> tuple[Excerpt, ...]:
    """Up to 4 excerpts, deterministically, only from points mainly about the theme (`main`, see
    mark_main_themes), one per visit: concerns, then mixed, positive and neutral; within that, points of 40-400
    characters, then the points that use most of the theme's phrases themselves (the most direct), then shorter
    first. Only if that gives fewer than 2, a visit's second point is added. A point that is not mainly about the
    theme is never quoted under it. Returned in date order. The officer's coding check overrides the rule: points
    marked quote "no" are never chosen, points marked "yes" are chosen first (up to 4)."""
    candidates = sorted((e for e in (_excerpt(r) for r in rows.to_dict("records")) if e.main and e.quote != "no"),
                        key=_excerpt_key)
    chosen: list[Excerpt] = []
    passes = ((MAX_EXCERPTS, lambda e: e.quote == "yes"),  # the officer's choice
              (MAX_EXCERPTS, lambda e: e.source not in {c.source for c in chosen}),  # the rule
              (MIN_EXCERPTS, lambda e: True))  # to reach two: a second point of a visit
    for limit, allowed in passes:
        for e in candidates:
            if len(chosen) < limit and e not in chosen and allowed(e):
                chosen.append(e)
    return tuple(sorted(chosen, key=lambda e: (e.date, e.source, e.point)))


def _teams_in_order(rows: pd.DataFrame) -> tuple[str, ...]:
    """Distinct teams, in order of their first visit (then name)."""
    first = rows.assign(_d=rows["date"].map(parse_date)).groupby("team")["_d"].min()
    return tuple(sorted(first.index, key=lambda t: (first[t], t)))


def lead_sentence(label: str, *, points: int, visits: int, total_visits: int, teams: Sequence[str],
                  concern: int, positive: int, mixed: int = 0) -> str:
    """'Caseloads and workload came up 4 times in 3 of the 5 visits (North, East and Ashfield), twice as a concern.'"""
    tones: list[str] = []
    if points == 1:
        tones = (["as a concern"] if concern else ["positively"] if positive
                 else ["with both concerns and positives"] if mixed else [])
    else:
        if concern:
            tones.append("each time as a concern" if concern == points else f"{times(concern)} as a concern")
        if positive:
            tones.append("each time positively" if positive == points else f"{times(positive)} positively")
        if mixed:
            tones.append(f"{'each time' if mixed == points else times(mixed)} with both concerns and positives")
    where = f" ({join_words(teams)})" if teams else ""
    tone = f", {join_words(tones)}" if tones else ""
    return f"{label} came up {times(points)} {visits_phrase(visits, total_visits)}{where}{tone}."


def period_sentence(visits: int, first: dt.date, last: dt.date) -> str:
    """'This visit took place on 5 March 2025.' / 'These visits took place between 3 February and 12 March 2025.'"""
    subject = "This visit" if visits == 1 else "These visits"
    return f"{subject} took place {date_range(first, last)}."


def _fmt_value(value: float | None) -> str:
    return "n/a" if value is None else str(round(float(value), 3))


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


def mark_main_themes(coded: pd.DataFrame) -> pd.DataFrame:
    """Add `main`: True where no other theme of the same point matched more phrases, its heading's included
    (a point under 'Business support' about the administrator being 'stretched' is not mainly about workload),
    and for every theme of a point an officer checked."""
    if coded.empty or "matched" not in coded:
        return coded.assign(main=True)
    strength = coded["matched"].map(lambda m: phrase_count(m, with_heading=True))
    most = strength.groupby([coded["source"], coded["point"]]).transform("max")
    main = strength >= most
    if "checked" in coded:  # an officer who checked a point gave it only themes it is about (coding_check.py)
        main = main | coded["checked"].astype(bool)
    return coded.assign(main=main)


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


def gap_check(sections: Sequence[ThemeFinding], links: Sequence[RecLink], themes: Mapping[str, str]) -> Gaps:
    """Themes raised as a concern in 2+ visits with no recommendation; recommendations with no evidence."""
    evidenced = {s.theme for s in sections}
    unaddressed = tuple(Gap(s.theme, s.label, s.anchor, s.concern_visits) for s in sections
                        if s.concern_visits >= GAP_CONCERN_VISITS and not s.recommendations)
    unsupported: list[tuple[RecLink, str]] = []
    for link in links:
        if not link.themes:
            unsupported.append((link, "no themes given, so it is not linked to any evidence"))
        elif not evidenced & set(link.themes):
            names = join_words([f"{themes.get(t, t)} ({t})" for t in link.themes])
            unsupported.append((link, f"no visit raised {names}"))
    return Gaps(unaddressed, tuple(unsupported))


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
    other_issues = tuple(sorted((_excerpt(r) for r in other.to_dict("records")),
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


# --- findings.csv --------------------------------------------------------------------------------------

FINDINGS_COLUMNS = ["theme", "label", "points", "visits", "teams", "concern", "positive", "neutral", "mixed",
                    "first_date", "last_date", "measures", "excerpts", "recommendations", "section"]


def findings_table(findings: Findings) -> pd.DataFrame:
    """One row per codebook theme (themes with a section first, in section order; then themes only mentioned;
    then the rest, in codebook order, with zero counts): counts (`points` and `visits` also for themes only
    mentioned), teams, dates, linked measures' latest values ('caseload_avg=26.0; ...'), excerpt citations
    (';'-joined), recommendation ids (';'-joined) and `section` (its number, "" without one)."""
    rec_themes = _rec_themes(findings)
    mentioned = {m.theme: m for m in findings.mentioned}
    shown = [s.theme for s in findings.sections] + list(mentioned)
    order = shown + [t for t in findings.themes if t not in shown]
    rows = []
    for theme in order:
        sec = findings.section(theme)
        counted = sec or mentioned.get(theme)
        rows.append({
            "theme": theme, "label": sec.label if sec else findings.themes[theme],
            "points": counted.points if counted else 0, "visits": counted.visits if counted else 0,
            "teams": ", ".join(sec.teams) if sec else "",
            "concern": sec.concern if sec else 0, "positive": sec.positive if sec else 0,
            "neutral": sec.neutral if sec else 0, "mixed": sec.mixed if sec else 0,
            "first_date": sec.first_date.isoformat() if sec else "",
            "last_date": sec.last_date.isoformat() if sec else "",
            "measures": _measure_values(findings.theme_measures.get(theme, ())),
            "excerpts": ";".join(f"{e.citation} ({e.source})" for e in sec.excerpts) if sec else "",
            "recommendations": ";".join(r for r, themes in rec_themes.items() if theme in themes),
            "section": sec.number if sec else "",
        })
    return pd.DataFrame(rows, columns=FINDINGS_COLUMNS)


def _measure_values(measures: Sequence[MeasureEvidence]) -> str:
    """'caseload_avg=26.0; vacancy_rate=18.5' (n/a when the latest value is missing)."""
    return "; ".join(f"{m.measure}={_fmt_value(m.latest_value)}" for m in measures)


def _rec_themes(findings: Findings) -> dict[str, tuple[str, ...]]:
    recs = findings.recommendations
    if recs is None or recs.empty:
        return {}
    return {str(i): tuple(t) for i, t in zip(recs["id"], recs["themes"])}

"""The findings chapter's data: what `build_findings` returns and `present.py` shows (frozen dataclasses, no logic
beyond a citation, an anchor and a title)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..dates import format_date
from .anchors import theme_anchor


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

"""Which points a theme's section quotes (scrutiny_kit/analysis/excerpts.py): concerns first, spread across
visits, points that speak to the theme most directly, and never a point mainly about another theme."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from scrutiny_kit.analysis.excerpts import choose_excerpts, mark_main_themes


def _rows(*points: tuple[str, int, str, str]) -> pd.DataFrame:
    """Points as (source, point, tone, text), each source its own dated visit."""
    return pd.DataFrame([{
        "source": s, "point": p, "line": p, "date": dt.date(2025, 3, int(s[1:])), "team": f"Team {s}",
        "text": text, "tone": tone} for s, p, tone, text in points])


def test_excerpts_prefer_concerns_and_spread_across_visits() -> None:
    medium = "A point of ordinary length about the theme, long enough to quote."
    rows = _rows(("v1", 1, "concern", medium + " one"), ("v1", 2, "concern", medium + " two"),
                 ("v2", 1, "positive", medium), ("v3", 1, "neutral", medium), ("v4", 1, "concern", medium),
                 ("v5", 1, "concern", medium + " longer than the others"), ("v6", 1, "positive", medium + "!"))
    chosen = choose_excerpts(rows)
    assert [(e.source, e.point) for e in chosen] == [("v1", 1), ("v2", 1), ("v4", 1), ("v5", 1)]


def test_excerpts_prefer_points_that_speak_to_the_theme_most_directly() -> None:
    rows = _rows(("v1", 1, "concern", "Staff said the office move had been difficult for everyone."),
                 ("v1", 2, "concern", "Caseloads were between 22 and 27 children, above the target of 20, with duty weeks."),
                 ("v1", 3, "concern", "Recording was behind after a hard winter."))
    rows["matched"] = ["caseloads (heading)", "caseloads; duty week; target of 20", "recording; caseloads (heading)"]
    chosen = choose_excerpts(rows)
    # the longest point is chosen first: three of the theme's phrases in its own words against one and none
    assert [e.point for e in chosen] == [2, 3]


def test_points_mainly_about_another_theme_come_after_those_mainly_about_this_one() -> None:
    coded = pd.DataFrame([
        {"source": "v1", "point": 1, "theme": "caseload_workload", "matched": "stretched"},
        {"source": "v1", "point": 1, "theme": "business_admin", "matched": "administrator; admin support"},
        {"source": "v1", "point": 2, "theme": "caseload_workload", "matched": "caseloads; working late"},
        {"source": "v1", "point": 2, "theme": "morale", "matched": "morale; working late"},  # a tie: main for both
    ])
    assert mark_main_themes(coded)["main"].tolist() == [False, True, True, True]
    rows = _rows(("v1", 1, "concern", "The administrator was stretched across two teams."),
                 ("v1", 2, "concern", "Caseloads meant staff were working late on most evenings of the week."),
                 ("v1", 3, "concern", "Recording was behind after a long and hard winter for everyone."))
    rows["matched"] = ["stretched", "caseloads", "caseloads"]
    rows["main"] = [False, True, True]
    # the shortest point is mainly about admin support, so the two mainly about caseloads are quoted
    assert [e.point for e in choose_excerpts(rows)] == [2, 3]
    rows["tone"] = ["concern", "positive", "neutral"]  # even a concern waits behind points mainly on the theme
    assert [e.point for e in choose_excerpts(rows)] == [2, 3]


def test_a_point_mainly_about_another_theme_is_never_quoted_under_this_one() -> None:
    medium = "A point of ordinary length about the theme, long enough to quote."
    rows = _rows(("v1", 1, "concern", medium), ("v2", 1, "concern", medium), ("v3", 1, "concern", "Short aside."),
                 ("v4", 1, "concern", medium + " elsewhere"))
    rows["main"] = [True, True, True, False]
    assert [e.source for e in choose_excerpts(rows)] == ["v1", "v2", "v3"]  # three, not a fourth off the theme
    rows["main"] = [True, False, False, False]
    assert [e.source for e in choose_excerpts(rows)] == ["v1"]  # one quote, not a second off the theme
    rows = _rows(("v1", 1, "concern", medium), ("v1", 2, "concern", medium + " again"), ("v2", 1, "neutral", medium))
    rows["main"] = [True, True, False]
    assert [(e.source, e.point) for e in choose_excerpts(rows)] == [("v1", 1), ("v1", 2)]  # a visit's second point
    rows["main"] = [True, False, True]
    assert [(e.source, e.point) for e in choose_excerpts(rows)] == [("v1", 1), ("v2", 1)]  # one per visit first


def test_excerpts_top_up_from_one_visit_and_prefer_quotable_lengths() -> None:
    rows = _rows(("v1", 1, "concern", "Too short."), ("v1", 2, "concern", "x" * 60), ("v1", 3, "concern", "y" * 50),
                 ("v1", 4, "positive", "z" * 45))
    chosen = choose_excerpts(rows)
    assert [e.point for e in chosen] == [2, 3]  # 2 excerpts; quotable concerns before a fragment, shorter first

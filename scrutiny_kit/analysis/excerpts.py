"""Which points a theme quotes: the points mainly about it, chosen by a stated rule (EXCERPT_RULE) that the
officer's coding check can override."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..coding import phrase_count
from ..dates import parse_date
from .finding_types import Excerpt

MIN_EXCERPTS, MAX_EXCERPTS = 2, 4
EXCERPT_MIN_CHARS, EXCERPT_MAX_CHARS = 40, 400  # shorter points read as fragments, longer ones as essays
TONE_RANK = {"concern": 0, "mixed": 1, "positive": 2, "neutral": 3}
EXCERPT_RULE = (f"Up to {MAX_EXCERPTS} excerpts are quoted per theme, chosen by rule rather than by hand, and only "
                "from points mainly about the theme (no other theme of the point matched more of its phrases): "
                "concerns first, one per visit (a second point of a visit only to reach "
                f"{MIN_EXCERPTS}), then the points that use most of the theme's phrases in their own words, then "
                "shorter points. They are shown in date order. A theme that no point is mainly about has no section "
                "of its own: it is listed under 'Other themes mentioned' with its count.")


def row_excerpt(row: Mapping[str, Any]) -> Excerpt:
    """One coded point's row as the Excerpt a finding quotes."""
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
    candidates = sorted((e for e in (row_excerpt(r) for r in rows.to_dict("records")) if e.main and e.quote != "no"),
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

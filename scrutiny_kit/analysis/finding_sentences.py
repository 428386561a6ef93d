"""The generated sentences of a theme's section: how often and where it came up, and when the visits took place."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ..dates import format_date
from ..wording import join_words, times


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

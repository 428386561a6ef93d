"""RAG-rate the recommendations tracker against the report date, count it and shape `recommendations.csv`.

The RAG rule (shown in the report, in this order, first match wins):

1. Blue: superseded.
2. Green: complete (even if it was completed after its due date; `overdue` is then False).
3. Red: not complete and the due date is before the report date (`overdue` is True).
4. Amber: no due date (there is no date to hold the executive to).
5. Amber: due within 30 days of the report date, including due on the report date itself.
6. Amber: not started, or no status recorded.
7. Green: in progress and due more than 30 days after the report date (on track).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from ..dates import format_date, parse_date
from ..sources.recommendations import RESPONSES

DUE_SOON_DAYS = 30
RAG_ORDER = ("red", "amber", "green", "blue")
RAG_LABELS = {"red": "Red", "amber": "Amber", "green": "Green", "blue": "Blue"}

RAG_RULES: tuple[tuple[str, str], ...] = (
    ("blue", "Superseded: replaced by another recommendation or withdrawn."),
    ("green", "Complete (a recommendation completed late is green, not overdue)."),
    ("red", "Overdue: not complete and the due date is before the report date."),
    ("amber", "No due date set, so there is no date to hold the executive to."),
    ("amber", f"Due within {DUE_SOON_DAYS} days of the report date, including due on the report date."),
    ("amber", "Not started, or no status recorded."),
    ("green", f"In progress and due more than {DUE_SOON_DAYS} days after the report date (on track)."),
)
TABLE_COLUMNS = ["id", "recommendation", "themes", "owner", "response", "response_category", "action", "due",
                 "status", "status_category", "update", "updated", "rag", "overdue"]


@dataclass(frozen=True)
class Rating:
    """One recommendation's RAG rating, whether it is overdue, and why, in words."""

    rag: str
    overdue: bool
    reason: str


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def classify(status: str, due: dt.date | None, report_date: dt.date) -> Rating:
    """Apply the RAG rule (see the module docstring and RAG_RULES) to one recommendation."""
    if status == "superseded":
        return Rating("blue", False, "superseded")
    if status == "complete":
        return Rating("green", False, "complete")
    if due is not None and due < report_date:
        return Rating("red", True, f"overdue by {_days((report_date - due).days)}")
    if due is None:
        return Rating("amber", False, "no due date")
    days_left = (due - report_date).days
    if days_left <= DUE_SOON_DAYS:
        return Rating("amber", False, "due on the report date" if days_left == 0 else f"due in {_days(days_left)}")
    if status in ("not started", "not recorded"):
        return Rating("amber", False, "not started" if status == "not started" else "no status recorded")
    return Rating("green", False, "on track")


def _ratings(recs: pd.DataFrame, report_date: dt.date | str) -> list[Rating]:
    when = parse_date(report_date)
    return [classify(status, due, when) for status, due in zip(recs["status_category"], recs["due"])]


def rate(recs: pd.DataFrame, report_date: dt.date | str) -> pd.DataFrame:
    """A copy of the recommendations with `rag` (green|amber|red|blue) and `overdue` (bool) added."""
    ratings = _ratings(recs, report_date)
    out = recs.copy()
    out["rag"] = pd.Series([r.rag for r in ratings], index=recs.index, dtype=object)
    out["overdue"] = pd.Series([r.overdue for r in ratings], index=recs.index, dtype=bool)
    return out


def rag_reasons(recs: pd.DataFrame, report_date: dt.date | str) -> list[str]:
    """Why each recommendation has its rating ('overdue by 3 days', 'due in 12 days', 'no due date' ...)."""
    return [r.reason for r in _ratings(recs, report_date)]


def _counts(values: pd.Series, order: tuple[str, ...]) -> dict[str, int]:
    found = values.value_counts().to_dict()
    return {key: int(found.get(key, 0)) for key in order}


def rag_counts(rated: pd.DataFrame) -> dict[str, int]:
    """{'red': n, 'amber': n, 'green': n, 'blue': n}, every key present, in that order."""
    return _counts(rated["rag"], RAG_ORDER)


def response_counts(recs: pd.DataFrame) -> dict[str, int]:
    """{'accepted': n, 'partially accepted': n, 'noted': n, 'not accepted': n, 'awaiting response': n} by the
    category each recorded response is counted as, every key present."""
    return _counts(recs["response_category"], RESPONSES)


def _iso(value: dt.date | None) -> str:
    return "" if value is None or pd.isna(value) else parse_date(value).isoformat()


def recommendations_table(rated: pd.DataFrame) -> pd.DataFrame:
    """The rated tracker as written to `recommendations.csv`: the response and status as recorded, each with the
    category it is counted as; themes ';'-joined, dates ISO (blank when none), `overdue` as 'true'/'false'."""
    out = pd.DataFrame({
        "id": rated["id"].astype(str),
        "recommendation": rated["recommendation"],
        "themes": rated["themes"].map(lambda ts: ";".join(ts)),
        "owner": rated["owner"],
        "response": rated["response"],
        "response_category": rated["response_category"],
        "action": rated["action"],
        "due": rated["due"].map(_iso),
        "status": rated["status"],
        "status_category": rated["status_category"],
        "update": rated["update"],
        "updated": rated["updated"].map(_iso),
        "rag": rated["rag"],
        "overdue": rated["overdue"].map(lambda v: "true" if bool(v) else "false"),
    }, columns=TABLE_COLUMNS)
    return out.reset_index(drop=True).astype(object)


def describe_date(value: dt.date | None) -> str:
    """A due/updated date for prose and tables: '5 March 2025', or '' when there is none."""
    return "" if value is None or pd.isna(value) else format_date(parse_date(value))

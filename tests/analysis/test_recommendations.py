"""RAG rating on boundary dates, counts and the recommendations.csv table."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from scrutiny_kit.analysis.recommendations import (
    RAG_RULES, TABLE_COLUMNS, classify, rag_counts, rag_reasons, rate, recommendations_table, response_counts)

REPORT = dt.date(2025, 3, 31)


def recs(*rows: tuple[str, str, dt.date | None]) -> pd.DataFrame:
    """Recommendations with (id, status, due); everything else filled in."""
    return pd.DataFrame({
        "id": [r[0] for r in rows], "recommendation": [f"Recommendation {r[0]}" for r in rows],
        "themes": [["caseload_workload", "agency_staff"] for _ in rows], "owner": "Head of Service",
        "response": "Accepted", "response_category": "accepted", "action": "",
        "due": pd.Series([r[2] for r in rows], dtype=object),
        "status": [r[1].capitalize() for r in rows], "status_category": [r[1] for r in rows], "update": "", "updated": pd.Series([None] * len(rows), dtype=object),
        "row": range(2, 2 + len(rows)),
    })


@pytest.mark.parametrize("status, due, rag, overdue", [
    ("in progress", REPORT, "amber", False),  # due today
    ("in progress", REPORT - dt.timedelta(days=1), "red", True),  # due yesterday
    ("not started", REPORT - dt.timedelta(days=1), "red", True),
    ("in progress", REPORT + dt.timedelta(days=30), "amber", False),  # due in 30 days
    ("in progress", REPORT + dt.timedelta(days=31), "green", False),  # due in 31 days
    ("not started", REPORT + dt.timedelta(days=31), "amber", False),  # not started
    ("in progress", None, "amber", False),  # no due date
    ("not started", None, "amber", False),
    ("complete", REPORT - dt.timedelta(days=90), "green", False),  # complete but past due
    ("complete", None, "green", False),
    ("superseded", REPORT - dt.timedelta(days=90), "blue", False),
])
def test_rag_rule_boundaries(status: str, due: dt.date | None, rag: str, overdue: bool) -> None:
    rated = rate(recs(("1", status, due)), REPORT)
    assert rated.iloc[0]["rag"] == rag
    assert bool(rated.iloc[0]["overdue"]) is overdue


def test_rate_keeps_the_columns_and_adds_rag_and_overdue() -> None:
    frame = recs(("1", "in progress", None))
    rated = rate(frame, "31/03/2025")  # the report date may be text
    assert list(rated.columns) == [*frame.columns, "rag", "overdue"]
    assert rated["overdue"].dtype == bool
    assert "rag" not in frame.columns  # the input is not changed


def test_reasons_say_why() -> None:
    frame = recs(("1", "in progress", REPORT), ("2", "in progress", REPORT - dt.timedelta(days=3)),
                 ("3", "in progress", REPORT + dt.timedelta(days=1)), ("4", "in progress", None),
                 ("5", "in progress", REPORT + dt.timedelta(days=60)),
                 ("6", "not started", REPORT + dt.timedelta(days=60)))
    assert rag_reasons(frame, REPORT) == ["due on the report date", "overdue by 3 days", "due in 1 day",
                                          "no due date", "on track", "not started"]


def test_the_rule_shown_in_the_report_matches_classify() -> None:
    assert [rag for rag, _ in RAG_RULES] == ["blue", "green", "red", "amber", "amber", "amber", "green"]
    assert classify("superseded", None, REPORT).rag == "blue"
    assert any("30 days" in text for _, text in RAG_RULES)


def test_counts_have_every_key_in_order() -> None:
    frame = recs(("1", "complete", None), ("2", "in progress", REPORT), ("3", "superseded", None),
                 ("4", "in progress", REPORT - dt.timedelta(days=1)), ("5", "complete", None))
    frame["response"] = ["Agreed", "Accepted in part", "Accepted in principle", "", "Noted"]
    frame["response_category"] = ["accepted", "partially accepted", "accepted", "awaiting response", "noted"]
    rated = rate(frame, REPORT)
    assert rag_counts(rated) == {"red": 1, "amber": 1, "green": 2, "blue": 1}
    assert list(rag_counts(rated)) == ["red", "amber", "green", "blue"]
    assert response_counts(rated) == {"accepted": 2, "partially accepted": 1, "noted": 1, "not accepted": 0,
                                      "awaiting response": 1}


def test_recommendations_table_for_the_csv() -> None:
    frame = recs(("2a", "in progress", REPORT - dt.timedelta(days=1)), ("R3", "complete", None))
    frame["updated"] = pd.Series([dt.date(2025, 3, 1), None], dtype=object)
    table = recommendations_table(rate(frame, REPORT))
    assert list(table.columns) == TABLE_COLUMNS
    assert TABLE_COLUMNS == ["id", "recommendation", "themes", "owner", "response", "response_category", "action",
                             "due", "status", "status_category", "update", "updated", "rag", "overdue"]
    first, second = table.iloc[0], table.iloc[1]
    assert (first["response"], first["response_category"]) == ("Accepted", "accepted")
    assert (second["status"], second["status_category"]) == ("Complete", "complete")
    assert first["themes"] == "caseload_workload;agency_staff"
    assert (first["due"], first["updated"], first["rag"], first["overdue"]) == (
        "2025-03-30", "2025-03-01", "red", "true")
    assert (second["due"], second["updated"], second["rag"], second["overdue"]) == ("", "", "green", "false")
    csv = table.to_csv(index=False)
    assert csv.splitlines()[1].endswith(",red,true")


def test_empty_tracker_rates_to_an_empty_table() -> None:
    rated = rate(recs(), REPORT)
    assert rated.empty and rag_counts(rated) == {"red": 0, "amber": 0, "green": 0, "blue": 0}
    assert list(recommendations_table(rated).columns) == TABLE_COLUMNS


def test_a_blank_status_is_not_recorded_and_amber_never_not_started() -> None:
    frame = recs(("1", "not recorded", REPORT + dt.timedelta(days=60)))
    frame["status"] = [""]
    rated = rate(frame, REPORT)
    assert rated.iloc[0]["rag"] == "amber"
    assert rag_reasons(frame, REPORT) == ["no status recorded"]
    table = recommendations_table(rated)
    assert (table.iloc[0]["status"], table.iloc[0]["status_category"]) == ("", "not recorded")

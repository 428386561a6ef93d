"""The dates officers write (scrutiny_kit/dates.py): ISO or UK day-first, in figures or words, and a reason for
anything that is not a real date; dates in prose as a UK reader expects them."""
from __future__ import annotations

import datetime as dt

import pytest

from scrutiny_kit.dates import format_date, parse_date


@pytest.mark.parametrize("written", [
    "2025-03-31", " 2025-3-31 ", "2025-03-31T00:00:00", "31/03/2025", "31.3.25", "31-03-2025", "31 March 2025",
    "31st March 2025", "31 Mar 2025", "March 31, 2025", dt.date(2025, 3, 31), dt.datetime(2025, 3, 31, 14, 5),
])
def test_every_way_of_writing_a_date_reads_as_that_date(written: object) -> None:
    assert parse_date(written) == dt.date(2025, 3, 31)


def test_figures_are_read_day_first() -> None:
    assert parse_date("04/03/2025") == dt.date(2025, 3, 4)  # 4 March, never 3 April


@pytest.mark.parametrize(("written", "reason"), [
    (None, "no date given"),
    ("  ", "no date given"),
    ("31/02/2025", "'31/02/2025' is not a real date (day is out of range for month)"),
    ("2025-13-01", "'2025-13-01' is not a real date (month must be in 1..12)"),
    ("next Tuesday", "'next Tuesday' is not a date: use YYYY-MM-DD or DD/MM/YYYY"),
])
def test_what_is_not_a_date_gets_a_reason(written: object, reason: str) -> None:
    with pytest.raises(ValueError) as exc:
        parse_date(written)
    assert str(exc.value) == reason


def test_dates_in_prose_have_no_leading_zero() -> None:
    assert format_date(dt.date(2025, 3, 5)) == "5 March 2025"
    assert format_date(dt.date(2024, 12, 31)) == "31 December 2024"

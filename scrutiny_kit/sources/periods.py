"""Reporting periods as officers and the DfE write them -> one label and an end date to sort by.

A date (2016-03-31 or 31/03/2016 -> "31 March 2016"), a year ("2015"; 31 December, or 30 September for DfE
files), a financial year ("2015-16", "2015/16", DfE "201516" -> "2015-16", ends 31 March), a quarter ("2015 Q3",
"Q3 2015" -> "2015 Q3", calendar quarters; "2015-16 Q1" financial quarters), or a month ("March 2016").
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

import numpy as np
import pandas as pd

from ..dates import format_date, parse_date

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_FY = re.compile(r"^(\d{4})\s*[-/–]\s*(\d{2}|\d{4})$")
_FY_COMPACT = re.compile(r"^(\d{4})(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})\s*[-/ ]?\s*q([1-4])$", re.I)
_QUARTER_FIRST = re.compile(r"^q([1-4])\s*[-/ ]?\s*(\d{4})$", re.I)
_FY_QUARTER = re.compile(r"^(\d{4})\s*[-/–]\s*(\d{2}|\d{4})\s*[-/ ]?\s*q([1-4])$", re.I)
_MONTH_YEAR = re.compile(r"^([a-z]+)\.?[\s\-]+(\d{4})$", re.I)
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
PERIOD_RULE = ("use a date (2016-03-31 or 31/03/2016), a year (2015), a financial year (2015-16), "
               "a quarter (2015 Q3) or a month (March 2016)")


def _end_of_month(year: int, month: int) -> int:
    return year * 10000 + month * 100 + calendar.monthrange(year, month)[1]


def _next_year(first: int, second: str) -> bool:
    return int(second) == (first + 1 if len(second) == 4 else (first + 1) % 100)


def parse_period(value: Any, *, dfe: bool = False) -> tuple[str, int]:
    """A period cell -> (label, order); ``order`` is the period's end date as YYYYMMDD. Raises ValueError."""
    if isinstance(value, (dt.date, dt.datetime)):
        d = value.date() if isinstance(value, dt.datetime) else value
        return format_date(d), d.year * 10000 + d.month * 100 + d.day
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        if float(value).is_integer():
            value = str(int(value))
        else:
            raise ValueError(f"'{value}' is not a period")
    if value is None:
        raise ValueError("period is blank")
    text = re.sub(r"\s+", " ", str(value).replace("\u00a0", " ")).strip()
    if not text:
        raise ValueError("period is blank")
    if re.fullmatch(r"\d{4}", text):
        year = int(text)
        return text, year * 10000 + (930 if dfe else 1231)
    if m := _FY_QUARTER.match(text):
        year, q = int(m[1]), int(m[3])
        if _next_year(year, m[2]):
            end_year, end_month = (year, 3 + 3 * q) if q < 4 else (year + 1, 3)
            return f"{year}-{(year + 1) % 100:02d} Q{q}", _end_of_month(end_year, end_month)
    if m := _FY.match(text) or _FY_COMPACT.match(text):
        year = int(m[1])
        if _next_year(year, m[2]):
            return f"{year}-{(year + 1) % 100:02d}", (year + 1) * 10000 + 331
    if m := _QUARTER.match(text):
        year, q = int(m[1]), int(m[2])
        return f"{year} Q{q}", _end_of_month(year, 3 * q)
    if m := _QUARTER_FIRST.match(text):
        year, q = int(m[2]), int(m[1])
        return f"{year} Q{q}", _end_of_month(year, 3 * q)
    if (m := _MONTH_YEAR.match(text)) and m[1].lower() in _MONTHS:
        year, month = int(m[2]), _MONTHS[m[1].lower()]
        return f"{calendar.month_name[month]} {year}", _end_of_month(year, month)
    if (m := _YEAR_MONTH.match(text)) and 1 <= int(m[2]) <= 12:
        year, month = int(m[1]), int(m[2])
        return f"{calendar.month_name[month]} {year}", _end_of_month(year, month)
    d = parse_date(text)  # raises ValueError with a reason
    return format_date(d), d.year * 10000 + d.month * 100 + d.day


def parse_periods(values: pd.Series, *, dfe: bool = False) -> pd.DataFrame:
    """Each period cell parsed once: ``period`` (label, None when unreadable) and ``period_order`` (Int64, NA)."""
    labels: list[str | None] = []
    orders: list[int | None] = []
    for value in values:
        try:
            label, order = parse_period(value, dfe=dfe)
        except ValueError:
            label, order = None, None
        labels.append(label)
        orders.append(order)
    return pd.DataFrame({"period": pd.Series(labels, index=values.index, dtype=object),
                         "period_order": pd.Series(orders, index=values.index, dtype="Int64")})

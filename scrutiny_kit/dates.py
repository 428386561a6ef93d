"""Parse the dates officers write: ISO (2025-03-31) or UK day-first (31/03/2025, 31.3.25, 31 March 2025)."""
from __future__ import annotations

import datetime as dt
import re

_UK_NUMERIC = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00)?)?\s*$")
_WORDY_FORMATS = ("%d %B %Y", "%d %b %Y", "%d %B, %Y", "%B %d %Y", "%B %d, %Y")


def parse_date(value: object) -> dt.date:
    """Return a date from a date, datetime or string; raise ValueError with a readable reason."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if value is None:
        raise ValueError("no date given")
    text = str(value).strip()
    if not text:
        raise ValueError("no date given")
    try:
        if m := _ISO.match(text):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _UK_NUMERIC.match(text):
            year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
            return dt.date(year, int(m[2]), int(m[1]))
    except ValueError as exc:  # e.g. 31/02/2025
        raise ValueError(f"'{text}' is not a real date ({exc})") from None
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text)
    for fmt in _WORDY_FORMATS:
        try:
            return dt.datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"'{text}' is not a date: use YYYY-MM-DD or DD/MM/YYYY")


def format_date(value: dt.date) -> str:
    """Dates as a UK reader expects them in prose: 5 March 2025."""
    return f"{value.day} {value:%B %Y}"

"""What counts as an empty cell, and what number (or official-statistics symbol) a cell holds."""
from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

import numpy as np


def is_blank(value: Any) -> bool:
    """None, NaN, pandas' NA or whitespace-only text: a cell the officer left empty."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return math.isnan(value)
    return type(value).__name__ == "NAType"


BLANK = "blank"  # the missing reason of an empty cell

# Symbols in value cells (lower-case, brackets removed) -> the reason shown to readers.
SYMBOLS: dict[str, str] = {
    "c": "suppressed",
    "x": "not available",
    "z": "not applicable",
    "..": "not available",
    ":": "not available",
    "low": "low (rounds to 0)",
    "u": "low reliability",
    "n/a": "not available",
    "na": "not available",
    "": BLANK,
}


_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")


def parse_number(value: Any) -> tuple[float | str, str]:
    """A cell -> (number, "") or (NaN, reason) for a symbol/blank, or (the text, "") when it is not a number."""
    if value is None:
        return np.nan, BLANK
    if isinstance(value, bool):
        return str(value), ""
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
        return (np.nan, BLANK) if np.isnan(number) else (number, "")
    if isinstance(value, (dt.date, dt.datetime)):
        return str(value), ""
    text = str(value).replace("\u00a0", " ").strip()
    key = text.lower()
    if key.startswith("[") and key.endswith("]"):
        key = key[1:-1].strip()
    if key in SYMBOLS:
        return np.nan, SYMBOLS[key]
    cleaned = text.replace(" ", "")
    if cleaned.endswith("%"):
        cleaned = cleaned[:-1]
    if _THOUSANDS.match(cleaned):
        cleaned = cleaned.replace(",", "")
    if _NUMBER.match(cleaned):
        return float(cleaned), ""
    return text, ""


def is_number(value: Any) -> bool:
    """A parsed cell that holds a number (not NaN, not text)."""
    return isinstance(value, float) and not np.isnan(value)

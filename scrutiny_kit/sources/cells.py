"""What counts as an empty cell, the same for every input file."""
from __future__ import annotations

import math
from typing import Any


def is_blank(value: Any) -> bool:
    """None, NaN, pandas' NA or whitespace-only text: a cell the officer left empty."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return math.isnan(value)
    return type(value).__name__ == "NAType"

"""One cell of a table as a number (scrutiny_kit/sources/cells.py): thousands, percent signs, and the official
statistics symbols read as a missing figure with its reason, never as zero."""
from __future__ import annotations

import math

import pytest

from scrutiny_kit.sources.cells import parse_number


@pytest.mark.parametrize("raw, number, reason", [
    ("1,234", 1234.0, ""), ("12.5%", 12.5, ""), (" 12 ", 12.0, ""), ("1,234.5", 1234.5, ""), (7, 7.0, ""),
    ("c", None, "suppressed"), ("X", None, "not available"), ("[z]", None, "not applicable"),
    ("..", None, "not available"), (":", None, "not available"), ("low", None, "low (rounds to 0)"),
    ("u", None, "low reliability"), ("", None, "blank"), (None, None, "blank"), ("twelve", "twelve", ""),
    ("12,34", "12,34", ""),
])
def test_parse_number(raw: object, number: object, reason: str) -> None:
    got, why = parse_number(raw)
    if number is None:
        assert math.isnan(got)
    else:
        assert got == number
    assert why == reason

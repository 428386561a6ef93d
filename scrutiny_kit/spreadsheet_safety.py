"""Keep every CSV and Excel file the toolkit writes from running as a formula when a spreadsheet opens it.

Text from visit notes, trackers and commentary ends up in cells. A cell whose text starts with `=`, `+`, `-`,
`@`, a tab or a carriage return can be run by Excel or LibreOffice as a formula (CSV injection). As OWASP
advises, such text gets a leading `'` so it is shown, never run. Numbers stay numbers: numeric values, and
text that is a plain number ("-2.5", "+3"), are written unchanged.
"""
from __future__ import annotations

import csv
import io
import re
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

if TYPE_CHECKING:  # pandas is imported only where a frame is written: run-all's index must stay light
    import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d+)*|\.\d+)(?:[eE][+-]?\d+)?%?")


def neutralise(value: Any) -> Any:
    """A cell's value made safe: text a spreadsheet would run as a formula gets a leading `'`; anything else
    (numbers, dates, booleans, None, text that is just a number) is returned as it is."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


def restore(value: Any) -> Any:
    """Read back text the toolkit neutralised in its own sheet ("'=x" -> "=x"); anything else is unchanged."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS) \
            and not _PLAIN_NUMBER.fullmatch(value[1:]):
        return value[1:]
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with every text cell (and column name) neutralised; numeric columns are untouched."""
    import pandas as pd

    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    out.columns = [neutralise(c) for c in out.columns]
    return out


def frame_csv(frame: pd.DataFrame) -> str:
    """A DataFrame as CSV text (no index, "\\n" line ends) with formula-like text neutralised."""
    return neutralise_frame(frame).to_csv(index=False, lineterminator="\n")


def rows_csv(rows: Iterable[Mapping[str, Any]], fieldnames: Sequence[str]) -> str:
    """Dict rows as CSV text (header first, "\\n" line ends) with formula-like text neutralised."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(fieldnames), lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: neutralise(v) for k, v in row.items()} for row in rows)
    return out.getvalue()


def neutralise_sheet(sheet: Any) -> None:
    """Neutralise every text cell of an openpyxl worksheet in place (for any Excel file the toolkit writes).
    openpyxl stores a text value starting with '=' as a formula, so such text must go through here first."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.value = neutralise(cell.value)

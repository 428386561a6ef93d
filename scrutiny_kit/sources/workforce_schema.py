"""The rules every workforce row must meet (pandera), and their failures as Problems naming row and column.

Typed columns with vectorised checks: a period that could be read (parsed once, in workforce_columns), a
named authority, each measure a number within its catalogue bounds, and each period, authority and team once.
"""
from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from ..catalogue import MEASURES
from ..errors import Problem
from .cells import is_blank
from .periods import PERIOD_RULE
from .schema_problems import Failure, schema_problems
from .workforce_columns import Mapped
from .workforce_table import RawTable

KEYS = ["key_period", "key_level", "key_authority", "key_team"]  # each period, authority and team once
TEXT = "\x00text"  # suffix of the column holding a measure's cells that are text, not numbers

_RULE_TEXT = {  # check name (or a built-in check's error key) -> the rule in words
    "number": "must be a number (or an official symbol such as c, x, z, .., low, u)",
    "rate_range": "a percentage must be between 0 and 100",
    "non_negative": "must not be negative",
    "authority_blank": "the authority must not be blank",
}


def _bounds_checks(measure: str) -> list[pa.Check]:
    """The catalogue's bounds for a known measure; an extra column has none."""
    bounds = MEASURES[measure].bounds if measure in MEASURES else None
    if bounds is None:
        return []
    low, high = bounds
    if high is None:
        return [pa.Check.ge(low, error="non_negative")]
    return [pa.Check.in_range(low, high, error="rate_range")]


def workforce_schema(measures: list[str]) -> pa.DataFrameSchema:
    """The schema of the frame `validation_frame` builds."""
    columns: dict[str, pa.Column] = {
        "period_order": pa.Column("Int64", nullable=False),  # NA where the period could not be read
        "authority": pa.Column(str, pa.Check.str_length(min_value=1, error="authority_blank"), coerce=True),
        "team": pa.Column(str, coerce=True),
    }
    for mid in measures:
        columns[mid] = pa.Column(float, _bounds_checks(mid), nullable=True)
        columns[mid + TEXT] = pa.Column(object, pa.Check(lambda cells: cells.isna(), name="number"), nullable=True)
    return pa.DataFrameSchema(columns, unique=KEYS, report_duplicates="all", strict=False)


def validation_frame(mapped: Mapped) -> pd.DataFrame:
    """The wide frame with the duplicate keys and each measure's text cells beside its numbers."""
    wide = mapped.wide.copy()
    wide["key_period"] = [str(order) if not pd.isna(order) else f"invalid-row-{row}"  # bad periods: reported once,
                          for row, order in wide["period_order"].items()]  # not also as duplicates
    wide["key_level"] = wide["level"]
    wide["key_authority"] = wide["authority"].str.lower()
    wide["key_team"] = wide["team"].str.lower()
    for mid in mapped.measures:
        wide[mid + TEXT] = mapped.texts[mid]
    return wide


def validate_rows(mapped: Mapped, table: RawTable) -> list[Problem]:
    """Every row checked against the schema; each failure a Problem naming the Excel row, header and value."""
    wide = validation_frame(mapped)
    first_row = pd.Series(wide.index, index=wide.index).groupby([wide[k] for k in KEYS]).transform("min")
    order = {c: i for i, c in enumerate(mapped.wide.columns)}

    def rank(failure: Failure) -> float:
        if failure.check == "multiple_fields_uniqueness":
            return -1
        return order.get(failure.column.removesuffix(TEXT), 99)

    def describe(failure: Failure) -> Problem | None:
        if failure.index is None:
            return Problem(table.source, f"column {failure.column}: {failure.check} ({failure.value})")
        row = int(failure.index)
        if failure.check == "multiple_fields_uniqueness":
            return _duplicate(wide, row, int(first_row[row]), table.source)
        if failure.column == "period_order":
            raw = table.frame.at[row, mapped.headers["period"]]
            reason = "the period must not be blank" if is_blank(raw) else f"unknown period format: {PERIOD_RULE}"
            return Problem(table.source, reason, line=row, line_label="row", field=mapped.headers["period"],
                           value=None if is_blank(raw) else raw)
        column = failure.column.removesuffix(TEXT)
        header = mapped.headers.get(column, column)
        raw = table.frame.at[row, header] if header in table.frame.columns else failure.value
        return Problem(table.source, _RULE_TEXT.get(failure.check, failure.check), line=row, line_label="row",
                       field=header, value=None if is_blank(raw) else raw)

    return schema_problems(workforce_schema(mapped.measures), wide, describe, rank)


def _duplicate(wide: pd.DataFrame, row: int, first: int, source: str) -> Problem | None:
    """A row that repeats an earlier row's period, authority and team (the first of them is not a problem)."""
    if first == row:
        return None
    team = wide.at[row, "team"]
    what = f"period {wide.at[row, 'period']}, {wide.at[row, 'authority']}, " + (
        f"team {team}" if team else "whole authority")
    return Problem(source, f"duplicate row: {what} is already on row {first} (each period, authority and team "
                           "may appear once)", line=row, line_label="row")

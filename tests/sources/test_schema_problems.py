"""The one adapter from pandera failures to Problems (scrutiny_kit/sources/schema_problems.py)."""
from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from scrutiny_kit.errors import Problem
from scrutiny_kit.sources.schema_problems import Failure, schema_failures, schema_problems

SCHEMA = pa.DataFrameSchema({
    "name": pa.Column(str, pa.Check.str_length(min_value=1, error="blank")),
    "rate": pa.Column(float, pa.Check.in_range(0, 100, error="range"), nullable=True),
}, unique=["name"], report_duplicates="all")
FRAME = pd.DataFrame({"name": ["a", "", "a", "b"], "rate": [150.0, 5.0, -1.0, None]}, index=[2, 3, 4, 5])


def test_every_failure_is_found_at_once_with_its_row() -> None:
    found = {(f.check, f.column, f.index) for f in schema_failures(SCHEMA, FRAME)}
    assert {("blank", "name", 3), ("range", "rate", 2), ("range", "rate", 4)} <= found
    assert ("multiple_fields_uniqueness", "name", 4) in found
    assert schema_failures(SCHEMA, FRAME.iloc[[3]]) == []


def test_problems_are_worded_by_the_source_once_each_in_row_then_column_order() -> None:
    rank = {"name": 0, "rate": 1}

    def describe(failure: Failure) -> Problem | None:
        if failure.check == "multiple_fields_uniqueness":
            return None if failure.index == 2 else Problem("f.csv", "duplicate", line=int(failure.index))
        return Problem("f.csv", failure.check, line=int(failure.index), field=failure.column,
                       value=FRAME.at[failure.index, failure.column])

    problems = schema_problems(SCHEMA, FRAME, describe, lambda f: rank[f.column])
    assert [(p.line, p.field, p.message, p.value) for p in problems] == [
        (2, "rate", "range", 150.0), (3, "name", "blank", ""), (4, None, "duplicate", None), (4, "rate", "range", -1.0)]

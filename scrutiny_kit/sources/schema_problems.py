"""One way from pandera's failure cases to Problems, used by the schema of every source.

A source's schema validates lazily, so every failure in a file is found at once; the source words each
failure (the rule in plain English, the row as the user numbers it, the column as written in the file) and
this module runs the schema, drops repeats and orders the problems by row, then column, then message.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pandera.pandas as pa

from ..errors import Problem


@dataclass(frozen=True)
class Failure:
    """One pandera failure case: the check's name, the column, the frame's index (None: the whole frame)."""

    check: str
    column: str
    index: Hashable | None
    value: Any  # the failing value as pandera saw it


def schema_failures(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> list[Failure]:
    """Every failure of `frame` against `schema` (lazy validation: all at once), in pandera's order."""
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    else:
        return []
    return [Failure(str(case.check), str(case.column), None if case.index is None or pd.isna(case.index) else case.index,
                    case.failure_case) for case in cases.itertuples(index=False)]


def schema_problems(schema: pa.DataFrameSchema, frame: pd.DataFrame,
                    describe: Callable[[Failure], Problem | None],
                    rank: Callable[[Failure], float] = lambda failure: 0) -> list[Problem]:
    """Validate `frame` and give each failure as `describe` words it (None: not reported), each problem once,
    ordered by line, then `rank` (the column's place in the file), then message."""
    found: dict[tuple[Any, ...], Problem] = {}
    for failure in schema_failures(schema, frame):
        problem = describe(failure)
        if problem is None:
            continue
        key = (problem.line or 0, rank(failure), problem.message, problem.field, repr(problem.value))
        found.setdefault(key, problem)
    return [found[key] for key in sorted(found, key=lambda k: k[:3])]

"""The rules every workforce row must meet (pandera), and their failures as Problems naming row and column."""
from __future__ import annotations


import pandas as pd
import pandera.pandas as pa

from ..catalogue import MEASURES
from ..errors import Problem
from .cells import is_blank, is_number
from .periods import PERIOD_RULE, period_key, period_label, period_ok
from .workforce_columns import Mapped
from .workforce_table import RawTable


def _schema(measures: list[str], dfe: bool) -> pa.DataFrameSchema:
    columns: dict[str, pa.Column] = {
        "period_raw": pa.Column(object, nullable=True, checks=[
            pa.Check(lambda v: period_ok(v, dfe), element_wise=True, ignore_na=False, name="period_format",
                     error=PERIOD_RULE)]),
        "authority": pa.Column(str, coerce=True, checks=[
            pa.Check.str_length(min_value=1, name="authority_blank", error="the authority must not be blank")]),
        "team": pa.Column(str, coerce=True),
    }
    for mid in measures:
        checks = [pa.Check(lambda v: is_number(v), element_wise=True, name="number",
                           error="must be a number (or an official symbol such as c, x, z, .., low, u)")]
        bounds = MEASURES[mid].bounds if mid in MEASURES else None  # extra columns have no known bounds
        if bounds == (0.0, 100.0):
            checks.append(pa.Check(lambda v: not is_number(v) or 0.0 <= v <= 100.0, element_wise=True,
                                   name="rate_range", error="a percentage must be between 0 and 100"))
        elif bounds == (0.0, None):
            checks.append(pa.Check(lambda v: not is_number(v) or v >= 0.0, element_wise=True,
                                   name="non_negative", error="must not be negative"))
        columns[mid] = pa.Column(object, nullable=True, checks=checks)
    return pa.DataFrameSchema(columns, unique=["key_period", "key_level", "key_authority", "key_team"],
                              report_duplicates="all", strict=False, coerce=False)


_RULE_TEXT = {
    "number": "must be a number (or an official symbol such as c, x, z, .., low, u)",
    "rate_range": "a percentage must be between 0 and 100",
    "non_negative": "must not be negative",
    "authority_blank": "the authority must not be blank",
}


def validate_rows(mapped: Mapped, table: RawTable) -> list[Problem]:
    """Run the pandera schema over every row; translate failure cases into Problems with Excel rows."""
    wide = mapped.wide.copy()
    dfe = mapped.layout == "dfe"
    keys = [period_key(v, dfe, row) for row, v in wide["period_raw"].items()]
    wide["key_period"] = keys
    wide["key_level"] = wide["level"]
    wide["key_authority"] = wide["authority"].str.lower()
    wide["key_team"] = wide["team"].str.lower()
    schema = _schema(mapped.measures, dfe)
    try:
        schema.validate(wide, lazy=True)
        return []
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    except pa.errors.SchemaError as exc:  # pragma: no cover - lazy=True collects instead
        return [Problem(table.source, str(exc))]
    problems: list[tuple[int, int, Problem]] = []
    duplicate_rows: set[int] = set()
    column_order = {c: i for i, c in enumerate(wide.columns)}
    for case in cases.itertuples(index=False):
        check, column, row = str(case.check), str(case.column), case.index
        if check == "multiple_fields_uniqueness":
            if row is not None and not pd.isna(row):
                duplicate_rows.add(int(row))
            continue
        if row is None or pd.isna(row):
            problems.append((0, 0, Problem(table.source, f"column {column}: {check} ({case.failure_case})")))
            continue
        row = int(row)
        if column == "period_raw":
            raw = table.frame.at[row, mapped.headers["period"]]
            reason = "the period must not be blank" if is_blank(raw) else f"unknown period format: {PERIOD_RULE}"
            problems.append((row, column_order[column], Problem(table.source, reason, line=row, line_label="row",
                                                                field=mapped.headers["period"],
                                                                value=None if is_blank(raw) else raw)))
            continue
        header = mapped.headers.get(column, column)
        raw = table.frame.at[row, header] if header in table.frame.columns else case.failure_case
        raw = None if is_blank(raw) else raw
        message = _RULE_TEXT.get(check, check)
        problems.append((row, column_order.get(column, 99), Problem(table.source, message, line=row, line_label="row",
                                                                    field=header, value=raw)))
    if duplicate_rows:
        group_first: dict[tuple, int] = {}
        for row in sorted(duplicate_rows):
            key = (wide.at[row, "key_period"], wide.at[row, "key_level"], wide.at[row, "key_authority"],
                   wide.at[row, "key_team"])
            first = group_first.setdefault(key, row)
            if first == row:
                continue
            team = wide.at[row, "team"]
            what = (f"period {period_label(wide.at[row, 'period_raw'], dfe)}, {wide.at[row, 'authority']}, "
                    + (f"team {team}" if team else "whole authority"))
            problems.append((row, -1, Problem(
                table.source, f"duplicate row: {what} is already on row {first} (each period, authority and team "
                              "may appear once)", line=row, line_label="row")))
    problems.sort(key=lambda t: (t[0], t[1]))
    return [p for _, _, p in problems]

"""Workforce figures: a CSV or Excel table (or a DfE national open-data file) -> one validated long DataFrame.

Two layouts are recognised from the header row:

* **table** – the layout an officer types: ``period``, ``authority``, optional ``team`` and measure columns
  (``fte_social_workers``, ``headcount``, ``vacancy_rate``, ``agency_rate``, ``turnover_rate``,
  ``absence_rate``, ``caseload_avg``, ``statutory_visits_on_time``). Names are matched forgivingly:
  case, spaces, ``%`` and brackets are ignored and common wordings are known ("Vacancy rate (%)",
  "Average caseload", "FTE social workers").
* **dfe** – the DfE children's social work workforce open data (``time_period``, ``geographic_level``,
  ``la_name``, ``region_name``, ``new_la_code`` …), both the newer indicator names (``inpost_fte``,
  ``agency_rate_fte`` …) and the older ``_%``-suffixed ones (``social_worker_fte``,
  ``agency_worker_rate_fte_%`` …). National rows are named "England", regional rows by ``region_name``
  and local-authority rows by ``la_name``. A DfE ``time_period`` of 2023 is the 30 September 2023 snapshot.

Periods are normalised to one label per period and an integer ``period_order`` (the period's end date
as YYYYMMDD): a date (2016-03-31 or 31/03/2016 -> "31 March 2016"), a year ("2015"; 31 December, or
30 September for DfE files), a financial year ("2015-16", "2015/16", DfE "201516" -> "2015-16", ends 31
March), a quarter ("2015 Q3", "Q3 2015" -> "2015 Q3", calendar quarters; "2015-16 Q1" financial
quarters), or a month ("March 2016").

Official-statistics symbols are not errors: they become NaN with the reason in words in ``missing``
(``c`` suppressed, ``x`` / ``:`` / ``..`` not available, ``z`` not applicable, ``low`` low (rounds to 0),
``u`` low reliability, an empty cell blank; GSS bracketed forms such as ``[c]`` too).

Everything is validated with pandera after mapping; every problem is reported at once as one
:class:`~scrutiny_kit.errors.InputError` whose problems name the file, the row as Excel shows it (header =
row 1), the column as written in the file, the value and the rule. An officer's table is checked whole; in
a DfE national file only the rows the review uses (its authority, its comparators) are, so another
council's odd cell does not stop the review.

I/O happens only in :func:`read_table`; :func:`workforce_from_table` is pure.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from ..catalogue import CANONICAL_MEASURES, MEASURE_ALIASES, canonical_measure_id, normalise_name
from ..errors import InputError, Problem
from .authority import authority_rows, closest_names, match_by_core, resolve_authority, resolve_comparators, used_rows
from .cells import BLANK, SYMBOLS, parse_number
from .periods import PERIOD_RULE, parse_period
from .workforce_columns import Mapped, map_table
from .workforce_schema import validate_rows
from .workforce_table import RawTable, read_table

__all__ = [
    "BLANK", "CANONICAL_MEASURES", "LONG_COLUMNS", "MEASURE_ALIASES", "PERIOD_RULE", "SYMBOLS", "RawTable",
    "Workforce", "canonical_measure_id", "closest_names", "load_workforce", "match_by_core", "normalise_name",
    "parse_number", "parse_period", "read_table", "workforce_from_table",
]

LONG_COLUMNS = ["period", "period_order", "authority", "team", "role", "measure", "value", "missing", "row"]


@dataclass(frozen=True, eq=False)
class Workforce:
    """The review authority's and its comparators' workforce figures, long and validated.

    ``data`` columns (see ``LONG_COLUMNS``): ``period`` (label, str), ``period_order`` (int, the period's end
    date as YYYYMMDD), ``authority`` (display name as in the file), ``team`` ("" = whole authority),
    ``role`` ("authority" | "comparator"), ``measure`` (canonical id, or the snake_case header of an extra
    numeric column), ``value`` (float or NaN), ``missing`` ("" or the reason in words), ``row`` (the row in
    the file as Excel numbers it).
    """

    data: pd.DataFrame
    authority: str
    comparators: list[str]
    measures: list[str]
    source: str = ""
    layout: str = "table"  # "table" | "dfe"
    labels: dict[str, str] = field(default_factory=dict)  # measure id -> header as written in the file
    sheet: str | None = None  # the worksheet read, for an Excel file
    left_out: tuple[str, ...] = ()  # periods dropped as after the report date (see as_at.py)
    _cache: dict[Any, pd.DataFrame] = field(default_factory=dict, repr=False, compare=False)

    def cached(self, key: Any, build: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        """Memoise a table derived from these figures (a chart's data is asked for by its chart, table and
        headline). Each caller gets its own shallow copy, which copy-on-write keeps from changing the cache."""
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key].copy(deep=False)

    @property
    def periods(self) -> list[str]:
        """Period labels in order."""
        p = self.data[["period", "period_order"]].drop_duplicates().sort_values(["period_order", "period"])
        return p["period"].tolist()

    @property
    def teams(self) -> list[str]:
        """The authority's teams (not "" = whole authority), in file order."""
        rows = self.data[(self.data["role"] == "authority") & (self.data["team"] != "")]
        return list(dict.fromkeys(rows.sort_values("row", kind="stable")["team"]))


def workforce_from_table(table: RawTable, *, authority: str, comparators: list[str] | None = None) -> Workforce:
    """Map, validate and reshape a :class:`RawTable` for one review (pure: no I/O)."""
    if table.frame.empty:
        raise InputError(Problem(table.source, "the file has column names but no rows of figures"))
    mapped = map_table(table)
    if mapped.problems:
        raise InputError(mapped.problems)
    name, authority_problems = resolve_authority(mapped, authority, table.source)
    chosen, comparator_problems = resolve_comparators(mapped, name, comparators, table.source)
    problems = validate_rows(mapped, table)  # checked even when the authority is not found: every problem at once
    if mapped.layout == "dfe":
        # In a national DfE file only the rows the review uses are checked: an odd cell for one of the other
        # 150 councils is not this review's problem and must not stop it. An officer's own table is checked
        # whole, so a mistyped authority name cannot silently drop rows.
        checked = used_rows(mapped, name or "", chosen) | (mapped.wide["authority"] == "")
        used = set(mapped.wide.index[checked])
        problems = [p for p in problems if p.line is None or p.line in used]
    problems = authority_problems + problems + comparator_problems
    if problems:
        raise InputError(problems)
    assert name is not None
    return Workforce(_long(mapped, name, chosen), name, chosen, mapped.measures, table.source, mapped.layout,
                     {m: mapped.headers[m] for m in mapped.measures}, sheet=table.sheet)


def _long(mapped: Mapped, authority: str, comparators: list[str]) -> pd.DataFrame:
    wide = mapped.wide
    is_authority = authority_rows(mapped, authority)
    comparator_key = {c.lower(): c for c in comparators}
    keep = wide[used_rows(mapped, authority, comparators)].copy()
    keep["role"] = np.where(is_authority[keep.index], "authority", "comparator")
    keep.loc[keep["role"] == "comparator", "authority"] = [
        comparator_key[a.lower()] for a in keep.loc[keep["role"] == "comparator", "authority"]]
    keep.loc[keep["role"] == "authority", "authority"] = authority
    keep["row"] = keep.index.astype(int)
    spelling: dict[str, str] = {}  # one spelling per team: the first one in the file
    keep["team"] = [spelling.setdefault(t.lower(), t) for t in keep["team"]]
    frames = []
    for mid in mapped.measures:
        part = keep[["period", "period_order", "authority", "team", "role", "row"]].copy()
        part["measure"] = mid
        part["value"] = keep[mid].astype("float64")
        part["missing"] = mapped.reasons.loc[keep.index, mid].where(part["value"].isna(), "").fillna("")
        part.loc[part["value"].isna() & (part["missing"] == ""), "missing"] = "not available"
        frames.append(part)
    long = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=LONG_COLUMNS)
    measure_rank = {m: i for i, m in enumerate(mapped.measures)}
    comparator_rank = {c: i for i, c in enumerate(comparators)}
    long["_r"] = np.where(long["role"] == "authority", -1, long["authority"].map(comparator_rank).fillna(99))
    long["_m"] = long["measure"].map(measure_rank)
    long = long.sort_values(["_m", "_r", "team", "period_order", "row"], kind="stable")
    long = long[LONG_COLUMNS].reset_index(drop=True)
    long["period_order"] = long["period_order"].astype("int64")
    long["row"] = long["row"].astype("int64")
    long["value"] = long["value"].astype("float64")
    for col in ("period", "authority", "team", "role", "measure", "missing"):
        long[col] = long[col].astype(object)
    return long


def load_workforce(path: str | Path, *, authority: str, comparators: list[str] | None = None) -> Workforce:
    """Read, map and validate a workforce file for one review; raises ``InputError`` with every problem."""
    return workforce_from_table(read_table(path), authority=authority, comparators=comparators)

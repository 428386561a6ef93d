"""Recognising a workforce table's columns: period, authority, team and measures, in an officer's layout or
the DfE open-data layout, into one wide frame of parsed cells."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable

import numpy as np
import pandas as pd

from ..catalogue import CANONICAL_MEASURES, MEASURE_ALIASES, normalise_name
from ..errors import Problem
from .cells import is_blank, is_number, parse_number
from .periods import parse_periods
from .workforce_table import RawTable

PERIOD_NAMES = {"period", "time_period", "year", "date", "reporting_period", "reporting_year", "as_at", "snapshot_date"}
AUTHORITY_NAMES = {"authority", "local_authority", "la", "la_name", "council", "authority_name", "area"}
TEAM_NAMES = {"team", "team_name", "service", "unit"}
DFE_ID_COLUMNS = {
    "time_period", "time_identifier", "geographic_level", "country_code", "country_name", "region_code",
    "region_name", "old_la_code", "new_la_code", "la_name", "lad_code", "lad_name", "opportunity_area_code",
    "opportunity_area_name", "pcon_code", "pcon_name",
}
WHOLE_AUTHORITY_TEAMS = {"", "all", "all teams", "total", "whole authority", "whole service", "authority", "-"}

_RESERVED = {"authority", "team", "level", "period_raw", "key_period", "key_level", "key_authority", "key_team", "row"}


@dataclass
class Mapped:
    """A workforce table once its columns are recognised, before validation."""

    wide: pd.DataFrame  # index = Excel row; columns: authority, team, level, period_raw, period, period_order
    #                     (the period parsed once: label and end date, None/NA when unreadable) + measure ids (float)
    reasons: pd.DataFrame  # same index; measure ids -> missing reason
    headers: dict[str, str]  # measure id / "period"/"authority"/"team" -> header as written
    measures: list[str]
    layout: str
    codes: pd.DataFrame  # index = row; columns: name keys for matching the authority (lower case)
    problems: list[Problem]
    texts: pd.DataFrame  # same index; measure ids -> the text of a cell that is not a number (else NaN)


def _is_dfe(keys: Iterable[str]) -> bool:
    keys = set(keys)
    return "time_period" in keys and "geographic_level" in keys


def map_table(table: RawTable) -> Mapped:
    """Recognise the layout and every column of a raw table; the wide frame holds each row's parsed cells."""
    frame, source = table.frame, table.source
    keys = {h: normalise_name(h) for h in frame.columns}
    dfe = _is_dfe(keys.values())
    by_key, problems = _headers_by_key(keys, source)
    who = _dfe_identity(frame, keys, by_key) if dfe else _table_identity(frame, keys, by_key, source)
    measures, parsed, measure_problems = _measure_columns(table, keys, by_key, who)
    wide, reasons, texts = who.wide, pd.DataFrame(index=frame.index), pd.DataFrame(index=frame.index)
    periods = parse_periods(wide["period_raw"], dfe=dfe)
    wide["period"], wide["period_order"] = periods["period"], periods["period_order"]
    for mid in measures:
        values = [v for v, _ in parsed[mid]]
        wide[mid] = pd.Series([v if is_number(v) else np.nan for v in values], index=frame.index, dtype="float64")
        texts[mid] = pd.Series([v if isinstance(v, str) else np.nan for v in values], index=frame.index, dtype=object)
        reasons[mid] = pd.Series([r for _, r in parsed[mid]], index=frame.index, dtype=object)
    return Mapped(wide, reasons, who.headers, measures, "dfe" if dfe else "table", who.codes,
                  problems + who.problems + measure_problems, texts)


@dataclass
class _Identity:
    """What says whose figures a row holds: the wide frame's authority, team, level and period_raw columns."""

    wide: pd.DataFrame
    codes: pd.DataFrame
    headers: dict[str, str]
    ids_used: set[str]  # header keys that identify rows, so are not measures
    problems: list[Problem] = field(default_factory=list)


def _headers_by_key(keys: dict[str, str], source: str) -> tuple[dict[str, str], list[Problem]]:
    """{header key: first header with it}; two headers with the same known key are a problem."""
    problems: list[Problem] = []
    by_key: dict[str, str] = {}
    for header, key in keys.items():
        if key in by_key:
            if key in MEASURE_ALIASES or key in PERIOD_NAMES | AUTHORITY_NAMES | TEAM_NAMES | DFE_ID_COLUMNS:
                problems.append(Problem(source, f"two columns have the same name (also '{by_key[key]}')", field=header))
            continue
        by_key[key] = header
    return by_key, problems


def _dfe_identity(frame: pd.DataFrame, keys: dict[str, str], by_key: dict[str, str]) -> _Identity:
    """A DfE file names national rows by country, regional rows by region and local-authority rows by la_name."""
    def text_of(key: str) -> pd.Series:
        return frame[by_key[key]].map(cell_text) if key in by_key else pd.Series("", index=frame.index)

    wide = pd.DataFrame(index=frame.index)
    codes = pd.DataFrame(index=frame.index)
    level = frame[by_key["geographic_level"]].map(lambda v: "" if is_blank(v) else str(v).strip().lower())
    la, region, country = text_of("la_name"), text_of("region_name"), text_of("country_name")
    name = np.where(level == "national", np.where(country != "", country, "England"),
                    np.where(level == "regional", region, np.where(la != "", la, region)))
    wide["authority"] = pd.Series(name, index=frame.index, dtype=object)
    wide["team"] = ""
    wide["level"] = level
    codes["name"] = wide["authority"].str.lower()
    for code in ("new_la_code", "old_la_code"):
        if code in by_key:
            codes[code] = frame[by_key[code]].map(lambda v: cell_text(v).lower())
    wide["period_raw"] = frame[by_key["time_period"]]
    headers = {"period": by_key["time_period"], "authority": by_key.get("la_name", by_key["geographic_level"])}
    return _Identity(wide, codes, headers, {k for k in keys.values() if k in DFE_ID_COLUMNS})


def _table_identity(frame: pd.DataFrame, keys: dict[str, str], by_key: dict[str, str], source: str) -> _Identity:
    """An officer's table: period, authority and optional team columns under any of their usual names."""
    def pick(names: Iterable[str]) -> str | None:
        return next((by_key[name] for name in names if name in by_key), None)

    period_col = pick(["period", "time_period", "reporting_period", "reporting_year", "year", "date", "as_at",
                       "snapshot_date"])
    authority_col = pick(["authority", "local_authority", "la_name", "authority_name", "council", "la", "area"])
    team_col = pick(["team", "team_name", "service", "unit"])
    problems: list[Problem] = []
    if period_col is None:
        problems.append(Problem(source, "no 'period' column: add a column named period (e.g. 2024, 2023-24 or "
                                "2024-09-30)"))
    if authority_col is None:
        problems.append(Problem(source, "no 'authority' column: add a column naming the council on each row "
                                "(and England or other comparators)"))
    wide = pd.DataFrame(index=frame.index)
    codes = pd.DataFrame(index=frame.index)
    wide["authority"] = frame[authority_col].map(cell_text) if authority_col else ""
    wide["team"] = frame[team_col].map(team_name) if team_col else ""
    wide["level"] = ""
    codes["name"] = wide["authority"].str.lower()
    wide["period_raw"] = frame[period_col] if period_col else None
    headers = {"period": period_col or "period", "authority": authority_col or "authority"}
    if team_col:
        headers["team"] = team_col
    ids_used = {keys[c] for c in (period_col, authority_col, team_col) if c}
    ids_used |= {k for k in keys.values() if k in DFE_ID_COLUMNS - {"time_period", "la_name"}}
    return _Identity(wide, codes, headers, ids_used, problems)


def _measure_columns(table: RawTable, keys: dict[str, str], by_key: dict[str, str],
                     who: _Identity) -> tuple[list[str], dict[str, list[Any]], list[Problem]]:
    """The measure ids in catalogue order then file order, each column's parsed cells, and a problem when none.

    Known names become their catalogue id; another column is kept as an extra measure when most of its cells
    are numbers (identifiers such as la_code are not). `who.headers` gains each measure's header."""
    frame, headers = table.frame, who.headers
    measures: list[str] = []
    extras: list[tuple[str, str]] = []
    for header in frame.columns:
        key = keys[header]
        if key in who.ids_used or by_key.get(key) != header:
            continue
        mid = MEASURE_ALIASES.get(key)
        if mid is None or mid in measures:
            extras.append((key, header))
            continue
        measures.append(mid)
        headers[mid] = header
    problems: list[Problem] = []
    if not measures:
        known = ", ".join(CANONICAL_MEASURES)
        found = ", ".join(f"'{h}'" for h in frame.columns) or "none"
        problems.append(Problem(table.source, f"none of the measure columns was found (columns found: {found}); "
                                f"name at least one of: {known} (e.g. 'Vacancy rate (%)', 'Average caseload')"))
    parsed = {mid: _parse_column(frame[headers[mid]], table, headers[mid]) for mid in measures}
    for key, header in extras:
        if key in PERIOD_NAMES | AUTHORITY_NAMES | TEAM_NAMES or re.search(r"(^|_)(code|id)$", key):
            continue  # identifiers (a second period column, la_code, id …) are not measures
        cells = _parse_column(frame[header], table, header)
        values = [v for v, _ in cells]
        numbers = sum(isinstance(v, float) and not np.isnan(v) for v in values)
        texts = sum(isinstance(v, str) for v in values)
        if numbers and numbers > texts:  # a numeric column with perhaps a few bad cells: keep and check
            mid = key if key not in measures and key not in _RESERVED else f"{key}_2"
            measures.append(mid)
            headers[mid] = header
            parsed[mid] = cells
    ordered = [m for m in CANONICAL_MEASURES if m in measures] + [m for m in measures if m not in CANONICAL_MEASURES]
    return ordered, parsed, problems


def _parse_column(column: pd.Series, table: RawTable, header: str) -> list[tuple[float | str, str]]:
    """(number or text, missing reason) per cell; an Excel %-formatted cell's fraction becomes a percentage."""
    out = []
    for row, value in column.items():
        number, reason = parse_number(value)
        if isinstance(number, float) and not np.isnan(number) and (row, header) in table.percent_cells:
            number = number * 100.0  # an Excel cell formatted as % holds 0.125 for 12.5%
        out.append((number, reason))
    return out


def cell_text(value: Any) -> str:
    """A name cell as text: whitespace runs as one space, an Excel whole number without '.0'."""
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", " ", str(value)).strip()


def team_name(value: Any) -> str:
    """A team cell; "" for the whole authority ("All teams", "Total", blank …)."""
    text = cell_text(value)
    return "" if text.lower() in WHOLE_AUTHORITY_TEAMS else text

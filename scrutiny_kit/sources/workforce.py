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

import calendar
import csv
import datetime as dt
import difflib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import numpy as np
import pandas as pd
import pandera.pandas as pa

from .characters import clean
from ..dates import format_date, parse_date
from ..errors import InputError, Problem
from .cells import is_blank
from .workbook import read_sheet

# --- canonical measures and the names they arrive under ------------------------------------------------

CANONICAL_MEASURES: tuple[str, ...] = (
    "fte_social_workers",
    "headcount",
    "vacancy_rate",
    "agency_rate",
    "turnover_rate",
    "absence_rate",
    "caseload_avg",
    "statutory_visits_on_time",
)
RATE_MEASURES = frozenset({"vacancy_rate", "agency_rate", "turnover_rate", "absence_rate", "statutory_visits_on_time"})
COUNT_MEASURES = frozenset({"fte_social_workers", "headcount"})
NON_NEGATIVE_MEASURES = COUNT_MEASURES | {"caseload_avg"}

# Normalised header (see normalise_name) -> canonical measure id.
MEASURE_ALIASES: dict[str, str] = {}
for _id, _names in {
    "fte_social_workers": [
        "fte_social_workers", "social_workers_fte", "social_worker_fte", "inpost_fte", "in_post_fte",
        "fte", "fte_in_post", "social_workers", "fte_children_s_social_workers", "children_s_social_workers_fte",
        "number_of_social_workers_fte", "social_workers_in_post_fte", "fte_social_worker",
    ],
    "headcount": [
        "headcount", "head_count", "social_worker_headcount", "social_workers_headcount", "inpost_headcount",
        "in_post_headcount", "headcount_social_workers",
    ],
    "vacancy_rate": ["vacancy_rate", "vacancy_rate_fte", "vacancies_rate", "vacancy", "vacancies", "vacancy_rate_pct"],
    "agency_rate": [
        "agency_rate", "agency_rate_fte", "agency_worker_rate", "agency_worker_rate_fte", "agency_workers_rate",
        "agency_staff_rate", "agency", "agency_rate_pct",
    ],
    "turnover_rate": ["turnover_rate", "turnover_rate_fte", "turnover", "turnover_rate_pct", "staff_turnover"],
    "absence_rate": [
        "absence_rate", "absence_rate_fte", "sickness_absence_rate", "sickness_absence", "absence",
        "sickness_rate", "absence_rate_pct",
    ],
    "caseload_avg": [
        "caseload_avg", "average_caseload", "avg_caseload", "caseload_average", "caseload", "caseload_fte",
        "average_caseload_per_fte", "caseload_per_fte", "cases_per_fte", "mean_caseload", "average_caseload_fte",
    ],
    "statutory_visits_on_time": [
        "statutory_visits_on_time", "statutory_visits_in_time", "statutory_visits_within_timescale",
        "statutory_visits_in_timescale", "visits_on_time", "statutory_visits_on_time_pct", "statutory_visits",
    ],
}.items():
    for _name in _names:
        MEASURE_ALIASES[_name] = _id

PERIOD_NAMES = {"period", "time_period", "year", "date", "reporting_period", "reporting_year", "as_at", "snapshot_date"}
AUTHORITY_NAMES = {"authority", "local_authority", "la", "la_name", "council", "authority_name", "area"}
TEAM_NAMES = {"team", "team_name", "service", "unit"}
DFE_ID_COLUMNS = {
    "time_period", "time_identifier", "geographic_level", "country_code", "country_name", "region_code",
    "region_name", "old_la_code", "new_la_code", "la_name", "lad_code", "lad_name", "opportunity_area_code",
    "opportunity_area_name", "pcon_code", "pcon_name",
}
WHOLE_AUTHORITY_TEAMS = {"", "all", "all teams", "total", "whole authority", "whole service", "authority", "-"}

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

_RESERVED = {"authority", "team", "level", "period_raw", "key_period", "key_level", "key_authority", "key_team", "row"}
LONG_COLUMNS = ["period", "period_order", "authority", "team", "role", "measure", "value", "missing", "row"]


def normalise_name(name: object) -> str:
    """A header as a forgiving key: lower case, ``%`` and brackets dropped, anything else non-alphanumeric -> ``_``."""
    text = str(name).replace("\ufeff", "").strip().lower()
    text = text.replace("%", " ").replace("percentage", " ").replace("percent", " ")
    text = re.sub(r"[()\[\]{}]", " ", text)
    text = re.sub(r"[^a-z0-9]+", "_", text)
    return text.strip("_")


def canonical_measure_id(name: object) -> str:
    """The canonical id for a measure header or target key; other names become their snake_case form."""
    key = normalise_name(name)
    return MEASURE_ALIASES.get(key, key)


# --- the result ------------------------------------------------------------------------------------------

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


@dataclass(frozen=True)
class RawTable:
    """A table as read from a file: every cell as it came (str, number, date or None)."""

    frame: pd.DataFrame  # index = Excel row number (header = 1); columns = headers as written
    source: str
    percent_cells: frozenset[tuple[int, str]] = frozenset()  # (row, header) of Excel cells formatted as %
    sheet: str | None = None  # the worksheet read, for an Excel file


# --- reading (the only I/O) ---------------------------------------------------------------------------------

def read_table(path: str | Path) -> RawTable:
    """Read a CSV or .xlsx file into a :class:`RawTable`; unreadable files raise ``InputError``."""
    path = Path(path)
    source = str(path)
    if not path.is_file():
        raise InputError(Problem(source, "workforce file not found"))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix == ".xls":
        raise InputError(Problem(source, "old Excel .xls files cannot be read: save the sheet as .xlsx or CSV"))
    if suffix in (".csv", ".txt", ".tsv", ""):
        return _read_csv(path)
    raise InputError(Problem(source, f"unsupported file type '{path.suffix}': use a .csv or .xlsx file"))


def _read_csv(path: Path) -> RawTable:
    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(Problem(source, f"cannot read the file ({exc.strerror or exc})")) from None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        raise InputError(Problem(source, "the file is not text (save it as CSV UTF-8)"))
    if "\x00" in text:
        raise InputError(Problem(source, "the file is not a CSV text file (is it an Excel file with the wrong name?)"))
    text = clean(text)
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count) if first else ","
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise InputError(Problem(source, f"not a readable CSV file ({exc})")) from None
    return _records_to_table(records, source)


def _read_xlsx(path: Path) -> RawTable:
    sheet = read_sheet(path, preferred="workforce")
    source = f"{path} (sheet '{sheet.name}')" if sheet.sheets > 1 else str(path)
    table = _records_to_table(sheet.rows, source)
    header = list(table.frame.columns)
    cells = frozenset((r, header[c]) for r, c in sheet.percent if c < len(header) and r in table.frame.index)
    return RawTable(table.frame, table.source, cells, sheet.name)


def _records_to_table(records: list[list[Any]], source: str) -> RawTable:
    """Header row + data rows -> RawTable indexed by Excel row number; blank rows dropped, numbering kept."""
    if not records or all(is_blank(v) for v in records[0]):
        raise InputError(Problem(source, "the file is empty: the first row must hold the column names", line=1,
                                 line_label="row"))
    header = [("" if v is None else str(v)).replace("\ufeff", "").strip() for v in records[0]]
    while header and header[-1] == "":
        header.pop()
    width = len(header)
    rows: dict[int, list[Any]] = {}
    problems: list[Problem] = []
    for number, record in enumerate(records[1:], start=2):
        if all(is_blank(v) for v in record):
            continue
        extra = [v for v in record[width:] if not is_blank(v)]
        if extra:
            problems.append(Problem(source, f"the row has {width + len(extra)} or more values but the header has "
                                    f"only {width} columns (a stray comma or an unquoted name with a comma?)",
                                    line=number, line_label="row"))
        cells = list(record[:width]) + [None] * max(0, width - len(record))
        rows[number] = cells
    if problems:
        raise InputError(problems)
    # Columns with a blank header are ignored; give them unique placeholder names until then.
    names = [h if h else f"\x00blank{i}" for i, h in enumerate(header)]
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=names, dtype=object) if rows else \
        pd.DataFrame(columns=names, dtype=object)
    frame = frame[[n for n in names if not n.startswith("\x00blank")]]
    frame.index.name = "row"
    return RawTable(frame, source)



# --- cell parsing ----------------------------------------------------------------------------------------

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


_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_FY = re.compile(r"^(\d{4})\s*[-/–]\s*(\d{2}|\d{4})$")
_FY_COMPACT = re.compile(r"^(\d{4})(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})\s*[-/ ]?\s*q([1-4])$", re.I)
_QUARTER_FIRST = re.compile(r"^q([1-4])\s*[-/ ]?\s*(\d{4})$", re.I)
_FY_QUARTER = re.compile(r"^(\d{4})\s*[-/–]\s*(\d{2}|\d{4})\s*[-/ ]?\s*q([1-4])$", re.I)
_MONTH_YEAR = re.compile(r"^([a-z]+)\.?[\s\-]+(\d{4})$", re.I)
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
PERIOD_RULE = ("use a date (2016-03-31 or 31/03/2016), a year (2015), a financial year (2015-16), "
               "a quarter (2015 Q3) or a month (March 2016)")


def _end_of_month(year: int, month: int) -> int:
    return year * 10000 + month * 100 + calendar.monthrange(year, month)[1]


def _next_year(first: int, second: str) -> bool:
    return int(second) == (first + 1 if len(second) == 4 else (first + 1) % 100)


def parse_period(value: Any, *, dfe: bool = False) -> tuple[str, int]:
    """A period cell -> (label, order); ``order`` is the period's end date as YYYYMMDD. Raises ValueError."""
    if isinstance(value, (dt.date, dt.datetime)):
        d = value.date() if isinstance(value, dt.datetime) else value
        return format_date(d), d.year * 10000 + d.month * 100 + d.day
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        if float(value).is_integer():
            value = str(int(value))
        else:
            raise ValueError(f"'{value}' is not a period")
    if value is None:
        raise ValueError("period is blank")
    text = re.sub(r"\s+", " ", str(value).replace("\u00a0", " ")).strip()
    if not text:
        raise ValueError("period is blank")
    if re.fullmatch(r"\d{4}", text):
        year = int(text)
        return text, year * 10000 + (930 if dfe else 1231)
    if m := _FY_QUARTER.match(text):
        year, q = int(m[1]), int(m[3])
        if _next_year(year, m[2]):
            end_year, end_month = (year, 3 + 3 * q) if q < 4 else (year + 1, 3)
            return f"{year}-{(year + 1) % 100:02d} Q{q}", _end_of_month(end_year, end_month)
    if m := _FY.match(text) or _FY_COMPACT.match(text):
        year = int(m[1])
        if _next_year(year, m[2]):
            return f"{year}-{(year + 1) % 100:02d}", (year + 1) * 10000 + 331
    if m := _QUARTER.match(text):
        year, q = int(m[1]), int(m[2])
        return f"{year} Q{q}", _end_of_month(year, 3 * q)
    if m := _QUARTER_FIRST.match(text):
        year, q = int(m[2]), int(m[1])
        return f"{year} Q{q}", _end_of_month(year, 3 * q)
    if (m := _MONTH_YEAR.match(text)) and m[1].lower() in _MONTHS:
        year, month = int(m[2]), _MONTHS[m[1].lower()]
        return f"{calendar.month_name[month]} {year}", _end_of_month(year, month)
    if (m := _YEAR_MONTH.match(text)) and 1 <= int(m[2]) <= 12:
        year, month = int(m[1]), int(m[2])
        return f"{calendar.month_name[month]} {year}", _end_of_month(year, month)
    d = parse_date(text)  # raises ValueError with a reason
    return format_date(d), d.year * 10000 + d.month * 100 + d.day


# --- mapping a raw table to the wide frame ----------------------------------------------------------------

@dataclass
class _Mapped:
    wide: pd.DataFrame  # index = Excel row; columns: period_raw, authority, team, key_*, + measure ids (cleaned)
    reasons: pd.DataFrame  # same index; measure ids -> missing reason
    headers: dict[str, str]  # measure id / "period"/"authority"/"team" -> header as written
    measures: list[str]
    layout: str
    codes: pd.DataFrame  # index = row; columns: name keys for matching the authority (lower case)
    problems: list[Problem]


def _is_dfe(keys: Iterable[str]) -> bool:
    keys = set(keys)
    return "time_period" in keys and "geographic_level" in keys


def _map_table(table: RawTable) -> _Mapped:
    frame, source = table.frame, table.source
    keys = {h: normalise_name(h) for h in frame.columns}
    dfe = _is_dfe(keys.values())
    problems: list[Problem] = []
    by_key: dict[str, str] = {}
    for header, key in keys.items():
        if key in by_key:
            if key in MEASURE_ALIASES or key in PERIOD_NAMES | AUTHORITY_NAMES | TEAM_NAMES | DFE_ID_COLUMNS:
                problems.append(Problem(source, f"two columns have the same name (also '{by_key[key]}')", field=header))
            continue
        by_key[key] = header

    def pick(names: Iterable[str]) -> str | None:
        for name in names:
            if name in by_key:
                return by_key[name]
        return None

    headers: dict[str, str] = {}
    ids_used: set[str] = set()
    wide = pd.DataFrame(index=frame.index)
    codes = pd.DataFrame(index=frame.index)
    if dfe:
        period_col = by_key["time_period"]
        level = frame[by_key["geographic_level"]].map(lambda v: "" if is_blank(v) else str(v).strip().lower())
        la = frame[by_key["la_name"]].map(_text) if "la_name" in by_key else pd.Series("", index=frame.index)
        region = frame[by_key["region_name"]].map(_text) if "region_name" in by_key else pd.Series("", index=frame.index)
        country = frame[by_key["country_name"]].map(_text) if "country_name" in by_key else pd.Series("", index=frame.index)
        name = np.where(level == "national", np.where(country != "", country, "England"),
                        np.where(level == "regional", region, np.where(la != "", la, region)))
        wide["authority"] = pd.Series(name, index=frame.index, dtype=object)
        wide["team"] = ""
        wide["level"] = level
        codes["name"] = wide["authority"].str.lower()
        for code in ("new_la_code", "old_la_code"):
            if code in by_key:
                codes[code] = frame[by_key[code]].map(lambda v: _text(v).lower())
        headers.update(period=period_col, authority=by_key.get("la_name", by_key["geographic_level"]))
        ids_used = {k for k in keys.values() if k in DFE_ID_COLUMNS}
    else:
        period_col = pick(["period", "time_period", "reporting_period", "reporting_year", "year", "date", "as_at",
                           "snapshot_date"])
        authority_col = pick(["authority", "local_authority", "la_name", "authority_name", "council", "la", "area"])
        team_col = pick(["team", "team_name", "service", "unit"])
        if period_col is None:
            problems.append(Problem(source, "no 'period' column: add a column named period (e.g. 2024, 2023-24 or "
                                    "2024-09-30)"))
        if authority_col is None:
            problems.append(Problem(source, "no 'authority' column: add a column naming the council on each row "
                                    "(and England or other comparators)"))
        wide["authority"] = frame[authority_col].map(_text) if authority_col else ""
        wide["team"] = frame[team_col].map(_team) if team_col else ""
        wide["level"] = ""
        codes["name"] = wide["authority"].str.lower()
        headers.update(period=period_col or "period", authority=authority_col or "authority")
        if team_col:
            headers["team"] = team_col
        ids_used = {keys[c] for c in (period_col, authority_col, team_col) if c}
        ids_used |= {k for k in keys.values() if k in DFE_ID_COLUMNS - {"time_period", "la_name"}}
    wide["period_raw"] = frame[period_col] if period_col else None

    measures: list[str] = []
    reasons = pd.DataFrame(index=frame.index)
    extras: list[tuple[str, str]] = []
    for header in frame.columns:
        key = keys[header]
        if key in ids_used or by_key.get(key) != header:
            continue
        mid = MEASURE_ALIASES.get(key)
        if mid is None or mid in measures:
            extras.append((key, header))
            continue
        measures.append(mid)
        headers[mid] = header
    if not measures:
        known = ", ".join(CANONICAL_MEASURES)
        found = ", ".join(f"'{h}'" for h in frame.columns) or "none"
        problems.append(Problem(source, f"none of the measure columns was found (columns found: {found}); "
                                f"name at least one of: {known} (e.g. 'Vacancy rate (%)', 'Average caseload')"))
    parsed: dict[str, list[Any]] = {}
    for mid in measures:
        parsed[mid] = _parse_column(frame[headers[mid]], table, headers[mid])
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
    for mid in ordered:
        wide[mid] = pd.Series([v for v, _ in parsed[mid]], index=frame.index, dtype=object)
        reasons[mid] = pd.Series([r for _, r in parsed[mid]], index=frame.index, dtype=object)
    return _Mapped(wide, reasons, headers, ordered, "dfe" if dfe else "table", codes, problems)


def _parse_column(column: pd.Series, table: RawTable, header: str) -> list[tuple[float | str, str]]:
    out = []
    for row, value in column.items():
        number, reason = parse_number(value)
        if isinstance(number, float) and not np.isnan(number) and (row, header) in table.percent_cells:
            number = number * 100.0  # an Excel cell formatted as % holds 0.125 for 12.5%
        out.append((number, reason))
    return out


def _text(value: Any) -> str:
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", " ", str(value)).strip()


def _team(value: Any) -> str:
    text = _text(value)
    return "" if text.lower() in WHOLE_AUTHORITY_TEAMS else text


# --- validation (pandera) -------------------------------------------------------------------------------

def _is_number(v: Any) -> bool:
    return isinstance(v, float) and not np.isnan(v)


def _schema(measures: list[str], dfe: bool) -> pa.DataFrameSchema:
    columns: dict[str, pa.Column] = {
        "period_raw": pa.Column(object, nullable=True, checks=[
            pa.Check(lambda v: _period_ok(v, dfe), element_wise=True, ignore_na=False, name="period_format",
                     error=PERIOD_RULE)]),
        "authority": pa.Column(str, coerce=True, checks=[
            pa.Check.str_length(min_value=1, name="authority_blank", error="the authority must not be blank")]),
        "team": pa.Column(str, coerce=True),
    }
    for mid in measures:
        checks = [pa.Check(lambda v: _is_number(v), element_wise=True, name="number",
                           error="must be a number (or an official symbol such as c, x, z, .., low, u)")]
        if mid in RATE_MEASURES:
            checks.append(pa.Check(lambda v: not _is_number(v) or 0.0 <= v <= 100.0, element_wise=True,
                                   name="rate_range", error="a percentage must be between 0 and 100"))
        elif mid in NON_NEGATIVE_MEASURES:
            checks.append(pa.Check(lambda v: not _is_number(v) or v >= 0.0, element_wise=True,
                                   name="non_negative", error="must not be negative"))
        columns[mid] = pa.Column(object, nullable=True, checks=checks)
    return pa.DataFrameSchema(columns, unique=["key_period", "key_level", "key_authority", "key_team"],
                              report_duplicates="all", strict=False, coerce=False)


def _period_ok(value: Any, dfe: bool) -> bool:
    try:
        parse_period(value, dfe=dfe)
    except ValueError:
        return False
    return True


_RULE_TEXT = {
    "number": "must be a number (or an official symbol such as c, x, z, .., low, u)",
    "rate_range": "a percentage must be between 0 and 100",
    "non_negative": "must not be negative",
    "authority_blank": "the authority must not be blank",
}


def _validate(mapped: _Mapped, table: RawTable) -> list[Problem]:
    """Run the pandera schema over every row; translate failure cases into Problems with Excel rows."""
    wide = mapped.wide.copy()
    dfe = mapped.layout == "dfe"
    keys = [_period_key(v, dfe, row) for row, v in wide["period_raw"].items()]
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
            what = (f"period {_period_label(wide.at[row, 'period_raw'], dfe)}, {wide.at[row, 'authority']}, "
                    + (f"team {team}" if team else "whole authority"))
            problems.append((row, -1, Problem(
                table.source, f"duplicate row: {what} is already on row {first} (each period, authority and team "
                              "may appear once)", line=row, line_label="row")))
    problems.sort(key=lambda t: (t[0], t[1]))
    return [p for _, _, p in problems]


def _period_key(value: Any, dfe: bool, row: int) -> str:
    try:
        return str(parse_period(value, dfe=dfe)[1])
    except ValueError:
        return f"invalid-row-{row}"  # bad periods are reported once, not also as duplicates


def _period_label(value: Any, dfe: bool) -> str:
    try:
        return parse_period(value, dfe=dfe)[0]
    except ValueError:
        return str(value)


# --- choosing the authority and comparators ----------------------------------------------------------------

_COUNCIL_WORDS = re.compile(
    r"\b(the|council|county|city|borough|metropolitan|district|royal|london|of|and|&)\b", re.I)


def _core(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", _COUNCIL_WORDS.sub(" ", name.lower())).strip()


def _stem(core: str) -> str:
    """A core name with '-shire' dropped from each word ('devonshire' -> 'devon'), for the forms officers write."""
    return " ".join(re.sub(r"(?<=[a-z]{3})shire$", "", word) for word in core.split())


def match_by_core(wanted: str, names: Iterable[str]) -> str | None:
    """The one name that `wanted` means once council affixes are removed, or None (no match, or several).

    Tried in turn, each needing a single candidate: the same core words ('Bristol City Council' = 'Bristol,
    City of'); the same without '-shire' ('Devonshire County Council' = 'Devon'); every core word of `wanted`
    within the name's ('Hull City Council' = 'Kingston upon Hull, City of')."""
    core = _core(wanted)
    if not core:
        return None
    names = [n for n in dict.fromkeys(names) if n]
    cores = {n: _core(n) for n in names}
    tests = (lambda c: c == core, lambda c: _stem(c) == _stem(core),
             lambda c: set(_stem(core).split()) <= set(_stem(c).split()))
    for test in tests:
        found = [n for n in names if cores[n] and test(cores[n])]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            return None
    return None


def closest_names(wanted: str, names: Iterable[str], n: int = 3) -> list[str]:
    """The few names most like `wanted` once council affixes are removed ('South-West' -> 'South West'):
    never a list of every name."""
    core = _stem(_core(wanted)) or wanted.lower()
    words = set(core.split())
    scored = []
    for name in dict.fromkeys(names):
        other = _stem(_core(name)) or name.lower()
        ratio = max(difflib.SequenceMatcher(None, core, other).ratio(),
                    difflib.SequenceMatcher(None, wanted.lower(), name.lower()).ratio())
        overlap = len(words & set(other.split())) / max(len(words | set(other.split())), 1)
        within = 0.9 if words and words <= set(other.split()) else 0.0  # every word asked for is in the name
        score = max(ratio, overlap, within)
        if score >= 0.6:
            scored.append((-score, name))
    return [name for _, name in sorted(scored)[:n]]


def _resolve_authority(mapped: _Mapped, authority: str, source: str) -> tuple[str | None, list[Problem]]:
    wanted = re.sub(r"\s+", " ", str(authority)).strip()
    low = wanted.lower()
    wide, codes = mapped.wide, mapped.codes
    local = wide["level"].isin(["local authority", ""]) if mapped.layout == "dfe" else pd.Series(True, index=wide.index)
    hit = codes["name"] == low
    for code in ("new_la_code", "old_la_code"):
        if code in codes:
            hit |= codes[code] == low
    if mapped.layout == "dfe" and (hit & local).any():
        hit &= local
    if not hit.any():
        same = match_by_core(wanted, wide.loc[local, "authority"])
        if same is not None:
            hit = wide["authority"] == same
    if hit.any():
        return str(wide.loc[hit, "authority"].iloc[0]), []
    names = sorted({n for n in wide.loc[local, "authority"] if n})
    close = closest_names(wanted, names)
    column = "la_name or new_la_code" if mapped.layout == "dfe" else f"'{mapped.headers.get('authority', 'authority')}'"
    hint = ("closest matches: " + ", ".join(f"'{c}'" for c in close)) if close else (
        f"no name among the file's {len(names)} authorities is close: check the spelling")
    return None, [Problem(source, f"no rows for the authority '{wanted}' in {column}; {hint} "
                                  "(set `authority:` in the params file to the name used in the file)")]


def _comparator_names(mapped: _Mapped, authority: str | None) -> dict[str, str]:
    """lower-case name -> display name of every whole-authority row that could be a comparator."""
    wide = mapped.wide
    rows = wide[wide["team"] == ""]
    names: dict[str, str] = {}
    for name in rows["authority"]:
        if name and name.lower() != (authority or "").lower():
            names.setdefault(name.lower(), name)
    return names


def _resolve_comparators(mapped: _Mapped, authority: str | None, comparators: list[str] | None,
                         source: str) -> tuple[list[str], list[Problem]]:
    available = _comparator_names(mapped, authority)
    if comparators is None:
        if mapped.layout == "dfe":
            national = mapped.wide.loc[mapped.wide["level"] == "national", "authority"]
            return ([national.iloc[0]] if len(national) else []), []
        return ([available["england"]] if "england" in available else []), []
    resolved: list[str] = []
    problems: list[Problem] = []
    for given in comparators:
        wanted = re.sub(r"\s+", " ", str(given)).strip()
        if authority and wanted.lower() == authority.lower():
            continue
        if wanted.lower() in available:
            name = available[wanted.lower()]
            if name not in resolved:
                resolved.append(name)
            continue
        problems.append(Problem(source, f"comparator '{wanted}' is not in the file; "
                                + _comparator_hint(mapped, wanted, list(available.values()))))
    return resolved, problems


def _comparator_hint(mapped: _Mapped, wanted: str, names: list[str]) -> str:
    """Did you mean the few closest names; else, for a DfE file, what kinds of name work (never every name)."""
    close = closest_names(wanted, names)
    hint = f"did you mean {' or '.join(repr(c) for c in close)}? " if close else ""
    if len(names) <= 12:
        return hint + "names available: " + (", ".join(sorted(names, key=lambda n: (n != "England", n))) or "none")
    if hint:
        return hint.strip()
    if mapped.layout == "dfe":
        regions = sorted(set(mapped.wide.loc[mapped.wide["level"] == "regional", "authority"]))
        return ("use 'England', a region (" + (", ".join(regions) or "none in this file")
                + ") or a local authority as the file's la_name writes it")
    return f"no name among the file's {len(names)} is close: check the spelling"


# --- the pure transformation ------------------------------------------------------------------------------

def workforce_from_table(table: RawTable, *, authority: str, comparators: list[str] | None = None) -> Workforce:
    """Map, validate and reshape a :class:`RawTable` for one review (pure: no I/O)."""
    if table.frame.empty:
        raise InputError(Problem(table.source, "the file has column names but no rows of figures"))
    mapped = _map_table(table)
    if mapped.problems:
        raise InputError(mapped.problems)
    name, authority_problems = _resolve_authority(mapped, authority, table.source)
    chosen, comparator_problems = _resolve_comparators(mapped, name, comparators, table.source)
    problems = _validate(mapped, table)  # checked even when the authority is not found: every problem at once
    if mapped.layout == "dfe":
        # In a national DfE file only the rows the review uses are checked: an odd cell for one of the other
        # 150 councils is not this review's problem and must not stop it. An officer's own table is checked
        # whole, so a mistyped authority name cannot silently drop rows.
        checked = _used_rows(mapped, name or "", chosen) | (mapped.wide["authority"] == "")
        used = set(mapped.wide.index[checked])
        problems = [p for p in problems if p.line is None or p.line in used]
    problems = authority_problems + problems + comparator_problems
    if problems:
        raise InputError(problems)
    assert name is not None
    return Workforce(_long(mapped, name, chosen), name, chosen, mapped.measures, table.source, mapped.layout,
                     {m: mapped.headers[m] for m in mapped.measures}, sheet=table.sheet)


def _authority_rows(mapped: _Mapped, authority: str) -> pd.Series:
    """The review authority's rows (whole authority and teams); in a DfE file its LA rows, not a region that
    happens to share the name."""
    wide = mapped.wide
    is_authority = wide["authority"].str.lower() == authority.lower()
    if mapped.layout == "dfe":
        local = wide["level"].isin(["local authority", ""])
        if (is_authority & local).any():
            is_authority &= local
    return is_authority


def _used_rows(mapped: _Mapped, authority: str, comparators: list[str]) -> pd.Series:
    """The rows a review uses: its authority's, and each comparator's whole-authority rows."""
    wide = mapped.wide
    is_authority = _authority_rows(mapped, authority)
    is_comparator = wide["authority"].str.lower().isin({c.lower() for c in comparators}) & (wide["team"] == "")
    return is_authority | (is_comparator & ~is_authority)


def _long(mapped: _Mapped, authority: str, comparators: list[str]) -> pd.DataFrame:
    wide = mapped.wide
    dfe = mapped.layout == "dfe"
    is_authority = _authority_rows(mapped, authority)
    comparator_key = {c.lower(): c for c in comparators}
    keep = wide[_used_rows(mapped, authority, comparators)].copy()
    periods = [parse_period(v, dfe=dfe) for v in keep["period_raw"]]
    keep["period"] = [p[0] for p in periods]
    keep["period_order"] = [p[1] for p in periods]
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
        part["value"] = pd.to_numeric(keep[mid].map(lambda v: v if _is_number(v) else np.nan), errors="coerce")
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

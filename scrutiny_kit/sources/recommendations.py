"""Read the recommendations tracker (CSV, Excel or YAML) into the recommendations DataFrame.

One row per recommendation. Columns as officers keep them (`id, recommendation, themes, owner, response,
action, due, status, update, updated`); headers match case-insensitively and a few common aliases are
accepted ("Due date", "Executive response", "Latest update"). The response and status keep the wording the
council recorded; a category for counts and the RAG rating is derived beside each (`response_category`,
`status_category`) from common variants ("Agreed", "Accepted in principle", "Noted", "Done", "On track" ...)
and, for a narrative response ("Agreed. Cabinet asked the Cabinet Member to…"), from its leading words.
A blank status is "not recorded", never "not started"; a response or status that cannot be placed is an error.

Every problem in the file is collected and raised once as an `InputError`, each naming the file, the row
as the user sees it (CSV/Excel: the header is row 1; YAML: the line the item starts on), the column,
the value and the rule broken.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa

from ..dates import parse_date
from ..errors import InputError, Problem
from .cells import is_blank
from .schema_problems import Failure, schema_problems
from .tracker_categories import (BLANK_RESPONSE, BLANK_STATUS, NOT_RECORDED, RESPONSE_EXAMPLES, RESPONSES,
                                 STATUS_EXAMPLES, STATUSES, canonical_response, canonical_status, response_category,
                                 shown_with_category, status_category)
from .tracker_files import RawTable, read_table

__all__ = [  # the tracker's categories and reading are re-exported: callers import them from here
    "BLANK_RESPONSE", "BLANK_STATUS", "COLUMNS", "NOT_RECORDED", "OUTPUT_COLUMNS", "RESPONSES", "STATUSES",
    "RawTable", "canonical_response", "canonical_status", "load_recommendations", "map_headers", "read_table",
    "response_category", "shown_with_category", "split_themes", "status_category",
]

COLUMNS = ("id", "recommendation", "themes", "owner", "response", "action", "due", "status", "update", "updated")
REQUIRED = ("id", "recommendation")
DATE_COLUMNS = ("due", "updated")
OUTPUT_COLUMNS = [*COLUMNS, "response_category", "status_category", "row"]

_HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "ref", "reference", "no", "number", "rec", "rec_id", "rec_no", "recommendation_id",
           "recommendation_no", "recommendation_number", "recommendation_ref"),
    "recommendation": ("recommendation", "recommendation_text", "text"),
    "themes": ("themes", "theme", "theme_ids", "theme_id"),
    "owner": ("owner", "lead", "lead_officer", "responsible_officer", "responsible"),
    "response": ("response", "executive_response", "decision"),
    "action": ("action", "actions", "action_plan", "proposed_action", "executive_action"),
    "due": ("due", "due_date", "deadline", "target_date", "date_due"),
    "status": ("status", "progress_status", "implementation_status"),
    "update": ("update", "latest_update", "progress_update", "progress", "latest_position", "comments"),
    "updated": ("updated", "last_updated", "date_updated", "update_date", "updated_on"),
}

_HEADER_LOOKUP = {alias: column for column, aliases in _HEADER_ALIASES.items() for alias in aliases}


# --- headers ------------------------------------------------------------------------------------------

def _header_key(header: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", header.casefold()).strip("_")


def map_headers(path: Path, table: RawTable) -> tuple[dict[str, str], list[Problem]]:
    """{header as written: canonical column}; problems for missing required columns, clashes and typos."""
    where = {"line": table.header_line, "line_label": "row"} if table.line_label == "row" else {}
    mapping: dict[str, str] = {}
    problems: list[Problem] = []
    unknown: list[str] = []
    for header in filter(None, table.headers):
        column = _HEADER_LOOKUP.get(_header_key(header))
        if column is None:
            unknown.append(header)
        elif column in mapping.values():
            first = next(h for h, c in mapping.items() if c == column)
            problems.append(Problem(path, f"columns '{first}' and '{header}' both give '{column}': keep one", **where))
        else:
            mapping[header] = column
    missing = [c for c in COLUMNS if c not in mapping.values()]
    suggested: set[str] = set()
    for header in unknown:
        close = difflib.get_close_matches(_header_key(header), missing, n=1, cutoff=0.75)
        if close:
            suggested.add(close[0])
            problems.append(Problem(path, f"unknown column '{header}': did you mean '{close[0]}'?", **where))
    problems += [Problem(path, f"missing column '{c}' (the columns are: {', '.join(COLUMNS)})", **where)
                 for c in REQUIRED if c in missing and c not in suggested]
    return mapping, problems


# --- cells --------------------------------------------------------------------------------------------

def _text(value: Any) -> str:
    """Cell text: blank for empty cells, '1' for an Excel number 1.0, ISO for a date cell."""
    if is_blank(value):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def split_themes(value: Any) -> list[str]:
    """Theme ids from 'a; b' (commas and new lines also separate) or a YAML list, lower-cased, in order."""
    parts = value if isinstance(value, list | tuple) else re.split(r"[;,\n]", _text(value))
    out: list[str] = []
    for part in parts:
        theme = _text(part).casefold().replace(" ", "_").replace("-", "_")
        if theme and theme not in out:
            out.append(theme)
    return out


def _read_date(value: Any) -> tuple[dt.date | None, str]:
    """A date cell parsed once: (date, "") or (None, "") when blank, (None, the reason) when unreadable."""
    if is_blank(value):
        return None, ""
    try:
        return parse_date(value), ""
    except ValueError as exc:
        return None, str(exc)


# Beside the output columns while checking: the id as compared, and each date cell parsed once.
_HELPER_COLUMNS = ["_key", *(f"_{c}_{part}" for c in DATE_COLUMNS for part in ("date", "error"))]
# The column a failure is reported under, for columns checked in another form.
_REPORTED_AS = {"_key": "id", "response_category": "response", "status_category": "status",
                "_unknown_themes": "themes", "_due_error": "due", "_updated_error": "updated"}


def _frame(table: RawTable, mapping: dict[str, str]) -> pd.DataFrame:
    """Raw rows as a frame of canonical columns: text cells stripped, themes split, response/status mapped, dates
    parsed (in the helper columns)."""
    by_column = {column: header for header, column in mapping.items()}
    records = []
    for row, number in zip(table.rows, table.numbers):
        cell = {c: row.get(by_column[c]) if c in by_column else None for c in COLUMNS}
        records.append({
            "id": _text(cell["id"]),
            "recommendation": _text(cell["recommendation"]),
            "themes": split_themes(cell["themes"]),
            "owner": _text(cell["owner"]),
            "response": _text(cell["response"]),
            "response_category": canonical_response(cell["response"]),
            "action": _text(cell["action"]),
            "due": cell["due"],
            "status": _text(cell["status"]),
            "status_category": canonical_status(cell["status"]),
            "update": _text(cell["update"]),
            "updated": cell["updated"],
            "row": number,
            "_key": _text(cell["id"]).casefold(),
            **{f"_{c}_{part}": got for c in DATE_COLUMNS for part, got in zip(("date", "error"), _read_date(cell[c]))},
        })
    frame = pd.DataFrame.from_records(records, columns=[*OUTPUT_COLUMNS, *_HELPER_COLUMNS])
    return frame.astype({c: object for c in frame.columns if c != "row"})


# --- rules (pandera) ----------------------------------------------------------------------------------

def schema() -> pa.DataFrameSchema:
    """The frame-level rules, typed columns with vectorised checks; check names are the cases of `_message`."""
    def required() -> pa.Check:
        return pa.Check.str_length(min_value=1, error="required")

    def no_error() -> pa.Check:
        return pa.Check.str_length(max_value=0, error="date")

    return pa.DataFrameSchema(
        {
            "id": pa.Column(str, required()),
            "_key": pa.Column(str, pa.Check(lambda keys: (keys == "") | ~keys.duplicated(keep="first"),
                                            name="unique_id")),
            "recommendation": pa.Column(str, required()),
            "response_category": pa.Column(str, pa.Check.isin(RESPONSES, error="response")),
            "status_category": pa.Column(str, pa.Check.isin(STATUSES, error="status")),
            "_unknown_themes": pa.Column(object, pa.Check(lambda unknown: unknown.str.len() == 0, name="themes")),
            "_due_error": pa.Column(str, no_error()),
            "_updated_error": pa.Column(str, no_error()),
        },
        strict=False,
    )


def _message(check: str, column: str, frame: pd.DataFrame, index: int, theme_ids: set[str],
             line_label: str) -> tuple[str, Any]:
    """The rule broken, in words, and the value to show."""
    if check == "required":
        return f"missing {'id' if column == 'id' else 'recommendation text'} (every recommendation needs one)", None
    if check == "unique_id":
        key = frame.at[index, "_key"]
        first = frame.loc[frame["_key"] == key, "row"].iloc[0]
        return f"duplicate id: already used on {line_label} {first} (ids must be unique)", frame.at[index, "id"]
    if check in ("response", "status"):
        allowed, examples = (RESPONSES, RESPONSE_EXAMPLES) if check == "response" else (STATUSES, STATUS_EXAMPLES)
        return (f"unknown {check}: it cannot be placed in a category; the categories are {', '.join(allowed)} (variants such as "
                f"{examples} are understood, and a longer {check} is read from its leading words, e.g. "
                f"'Agreed. Cabinet asked…')"), frame.at[index, check]
    if check == "themes":
        unknown = frame.at[index, "_unknown_themes"]
        label = "theme id" if len(unknown) == 1 else "theme ids"
        return (f"unknown {label} {', '.join(repr(t) for t in unknown)}: valid ids are "
                + ", ".join(sorted(theme_ids))), "; ".join(frame.at[index, "themes"])
    if check == "date":
        return f"unreadable date: {frame.at[index, f'_{column}_error']}", _text(frame.at[index, column])
    return check, frame.at[index, column]  # pragma: no cover - every check has a message


def validate_frame(path: Path, frame: pd.DataFrame, theme_ids: set[str], line_label: str) -> list[Problem]:
    """Check every row against the schema; each failure a Problem naming row, column, value and rule."""
    known = set(theme_ids)
    checked = frame.assign(_unknown_themes=[[t for t in themes if t not in known] for themes in frame["themes"]])

    def column_of(failure: Failure) -> str:
        return _REPORTED_AS.get(failure.column, failure.column)

    def describe(failure: Failure) -> Problem | None:
        if failure.index is None:
            return None
        index = int(failure.index)
        message, shown = _message(failure.check, column_of(failure), checked, index, known, line_label)
        row = int(frame.at[index, "row"])
        return Problem(path, message, line=row, field=column_of(failure), value=shown or None, line_label=line_label)

    return schema_problems(schema(), checked, describe, lambda failure: COLUMNS.index(column_of(failure)))


def load_recommendations(path: str | Path, *, theme_ids: set[str]) -> pd.DataFrame:
    """The tracker as a DataFrame (`id, recommendation, themes (list), owner, response, action, due (date|None),
    status, update, updated (date|None), row`), or InputError listing every problem in the file."""
    path = Path(path)
    table = read_table(path)
    if table.line_label == "line" and not table.rows:
        return _frame(table, {})[OUTPUT_COLUMNS]  # a YAML tracker with no recommendations yet
    if not table.headers:
        raise InputError(Problem(path, "the tracker is empty: it needs a header row ("
                                       + ", ".join(COLUMNS) + ") and one row per recommendation"))
    mapping, problems = map_headers(path, table)
    if any(c not in mapping.values() for c in REQUIRED):
        raise InputError(problems)  # every row would fail too: report the header alone
    frame = _frame(table, mapping)
    problems += validate_frame(path, frame, set(theme_ids), table.line_label)
    if problems:
        raise InputError(problems)
    for column in DATE_COLUMNS:
        frame[column] = frame[f"_{column}_date"].astype(object)
    frame["row"] = frame["row"].astype(int)
    frame = frame[OUTPUT_COLUMNS].reset_index(drop=True)
    frame.attrs["sheet"] = table.sheet  # the worksheet read, for `validate` and the manifest
    return frame

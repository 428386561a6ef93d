"""Read the officer's coding sheet back, strictly: every wrongly filled cell is a Problem naming the sheet, row
and column, listed with every other one."""
from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem
from .check_rows import OFFICER_TONES, Sheet, SheetRow, split_point_id
from .sheet_layout import ABOUT, KNOWN, NO, POINTS, REMOVED, REQUIRED, YES


def read_sheet(path: str | Path, *, review_id: str, theme_ids: Sequence[str]) -> Sheet:
    """Read a coding sheet back; raises InputError listing every bad cell (sheet, row, column) or naming the
    review the sheet belongs to when it is not `review_id`."""
    path = Path(path)
    data = path.read_bytes() if path.is_file() else None
    if data is None:
        raise InputError(Problem(path, "coding sheet not found (write one with `scrutiny-kit check PARAMS`)"))
    book = _open(path)
    try:
        names = {n.strip().lower(): n for n in book.sheetnames}
        if POINTS not in names:
            raise InputError(Problem(path, f"not a scrutiny-kit coding sheet: it has no '{POINTS}' sheet "
                                           f"(sheets: {', '.join(book.sheetnames)})"))
        owner = _about(path, book[names[ABOUT]]) if ABOUT in names else {}
        owner_id = str(owner.get("review id") or book.properties.subject or "").strip()
        if owner_id != review_id:
            whose = f"the review '{owner_id}'" + (f" ({owner['title']})" if owner.get("title") else "") \
                if owner_id else "no review (its 'about' sheet names none)"
            raise InputError(Problem(path, f"this coding sheet belongs to {whose}, not to '{review_id}': point "
                                           "`coding_check` at this review's own sheet, or write one with "
                                           "`scrutiny-kit check PARAMS`"))
        records = _records(path, book[names[POINTS]])
        removed = _records(path, book[names[REMOVED]]) if REMOVED in names else []
    finally:
        book.close()
    where = f"{path}, sheet '{names[POINTS]}'"
    themes, rows = _parse_points(records, where, theme_ids)
    removed_header = tuple(str(v or "") for v in removed[0]) if removed else ()
    return Sheet(review_id=owner_id, theme_columns=tuple(themes), rows=tuple(rows),
                 removed=tuple(tuple(r) for r in removed[1:] if any(v not in (None, "") for v in r)),
                 removed_header=removed_header, path=str(path), sha256=hashlib.sha256(data).hexdigest())


def _open(path: Path) -> Any:
    import openpyxl

    from ..sources.office import package_problems

    refused = package_problems(path, "Excel workbook")  # a zip bomb or a DOCTYPE: refused before opening
    if refused:
        raise InputError(refused)
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # not a zip, not a workbook, a damaged file ...
        raise InputError(Problem(path, f"not a readable Excel .xlsx workbook ({type(exc).__name__})")) from None


def _records(path: Path, sheet: Any) -> list[list[Any]]:
    """A sheet's rows only as far as its data goes (a stray cell in its far corner is a message, not a hang)."""
    from ..sources.workbook import sheet_rows

    return sheet_rows(path, sheet)


def _about(path: Path, sheet: Any) -> dict[str, str]:
    return {str(r[0]).strip().lower(): str(r[1] or "").strip() for r in _records(path, sheet) if len(r) > 1 and r[0]}


def _parse_points(records: list[list[Any]], where: str, theme_ids: Sequence[str]) -> tuple[list[str], list[SheetRow]]:
    if not records:
        raise InputError(Problem(where, "the sheet is empty: row 1 must hold the column names"))
    header = [str(v).strip() if v is not None else "" for v in records[0]]
    problems: list[Problem | str] = []
    columns, themes = _header_columns(header, where, theme_ids, problems)
    rows: list[SheetRow] = []
    seen: dict[str, int] = {}
    for r, values in enumerate(records[1:], start=2):
        if not any(v not in (None, "") for v in values):
            continue
        cell = _Cells(values, header, where, r, problems)
        pid = cell.text(columns["point id"])
        parsed = split_point_id(pid)
        if parsed is None:
            cell.problem(columns["point id"], "not a point id (it should read like 'visit-note.md#4')", pid)
            continue
        if pid in seen:
            cell.problem(columns["point id"], f"the point {pid} has a row already (row {seen[pid]})", pid)
            continue
        seen[pid] = r
        rows.append(_sheet_row(cell, columns, themes, pid, parsed))
    if problems:
        raise InputError(problems)
    return list(themes), rows


def _header_columns(header: list[str], where: str, theme_ids: Sequence[str],
                    problems: list[Problem | str]) -> tuple[dict[str, int], dict[str, int]]:
    """Row 1: {known column: index} and {theme id: index}; an unknown column is a problem, a missing required
    column an error (with the problems so far)."""
    from openpyxl.utils import get_column_letter

    columns: dict[str, int] = {}
    themes: dict[str, int] = {}
    known_themes = {t.lower(): t for t in theme_ids}
    for i, name in enumerate(header):
        key = name.lower()
        if not key:
            continue
        if key in KNOWN:
            columns[key] = i
        elif key in known_themes:
            themes[known_themes[key]] = i
        else:
            problems.append(Problem(where, f"row 1, column {get_column_letter(i + 1)} ('{name}'): unknown theme "
                                           f"column: the review's codebook has no theme '{name}' (themes: "
                                           f"{', '.join(theme_ids)})"))
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        problems.append(Problem(where, f"row 1: the column(s) {', '.join(missing)} are missing"))
        raise InputError(problems)
    return columns, themes


def _sheet_row(cell: _Cells, columns: dict[str, int], themes: dict[str, int], pid: str,
               parsed: tuple[str, int]) -> SheetRow:
    """One point's row: the officer's tone, quote, exclusion and ticked themes (bad cells noted by `cell`)."""
    tone = cell.text(columns["tone"]).lower()
    if tone and tone not in OFFICER_TONES:
        cell.problem(columns["tone"], f"not a tone: use {', '.join(OFFICER_TONES[:-1])} or {OFFICER_TONES[-1]} "
                                      "(or leave it empty to agree with the proposed tone)", tone)
        tone = ""
    quote = cell.flag(columns["quote"], "quote", "yes (prefer as an excerpt), no (never quote it) or empty")
    exclude_text = cell.text(columns["exclude"])
    exclude = exclude_text.lower() not in NO
    reason = "" if exclude_text.lower() in YES | NO else exclude_text
    ticked = {t for t, i in themes.items() if cell.flag(i, t, "x (about this theme) or empty") == "yes"}
    proposed = cell.text(columns["proposed tone"]).lower() if "proposed tone" in columns else ""
    return SheetRow(
        point_id=pid, source=parsed[0], point=parsed[1], text=cell.text(columns["text"]),
        text_hash=cell.text(columns["text hash"]), themes=frozenset(ticked),
        date=cell.raw(columns.get("date")), team=cell.text(columns.get("team")),
        confidential=bool(cell.text(columns.get("confidential"))), heading=cell.text(columns.get("heading")),
        matched=cell.text(columns.get("matched")),
        proposed_tone=proposed if proposed in OFFICER_TONES else "", tone=tone, quote=quote,
        exclude=exclude, exclude_reason=reason, note=cell.text(columns.get("note")),
        status=cell.text(columns.get("status")), row=cell.row)


class _Cells:
    """One data row's cells, turning a bad value into a Problem naming sheet, row and column."""

    def __init__(self, values: list[Any], header: list[str], where: str, row: int, problems: list[Any]) -> None:
        self.values, self.header, self.where, self.row, self.problems = values, header, where, row, problems

    def raw(self, i: int | None) -> Any:
        return self.values[i] if i is not None and i < len(self.values) else None

    def problem(self, i: int, message: str, value: Any) -> None:
        from openpyxl.utils import get_column_letter

        self.problems.append(Problem(self.where, f"row {self.row}, column {get_column_letter(i + 1)} "
                                                 f"('{self.header[i]}'): {message}", value=value))

    def text(self, i: int | None) -> str:
        from ..spreadsheet_safety import restore

        value = self.raw(i)
        if value is None:
            return ""
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        return str(restore(value)).strip()

    def flag(self, i: int, name: str, allowed: str) -> str:
        """'yes', 'no' or '' from a yes/no (or x, TRUE/FALSE, 1/0) cell."""
        value = self.raw(i)
        if value is None or value == "":
            return ""
        if isinstance(value, bool):
            return "yes" if value else "no"
        text = str(value).strip().lower()
        if text.startswith("="):
            self.problem(i, f"a formula: type the value instead ({allowed})", value)
            return ""
        if text in YES:
            return "yes"
        if text in NO:
            return "no" if text else ""
        self.problem(i, f"not a yes/no value: use {allowed}", value)
        return ""

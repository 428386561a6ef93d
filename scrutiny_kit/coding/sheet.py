"""The officer's coding sheet: an Excel workbook (openpyxl) to check the automatic coding in, written and read back.

Sheets: 'points' (one row per point of every visit note, confidential notes included and marked: the point, the
coder's proposal and the officer's columns), 'themes' (the codebook's themes and definitions), 'removed' (rows of
points that left the notes, kept by `check --update` so no decision is dropped) and 'about' (which review the
sheet belongs to). Only this module touches the file; coding_check.py works on its rows as plain data.

Reading is strict: a cell an officer filled wrongly (a tone not in the list, a non-boolean in `quote`, an unknown
theme column) is an error naming the sheet, row and column, listed with every other one.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import math
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .. import __version__
from .check import OFFICER_TONES, Sheet, SheetRow, split_point_id
from ..errors import InputError, Problem, ScrutinyKitError

POINTS, THEMES, REMOVED, ABOUT = "points", "themes", "removed", "about"
# (header, width); the theme columns go between "text" and "matched"
BEFORE_THEMES = [("point id", 34), ("date", 12), ("team", 22), ("confidential", 17), ("heading", 24), ("text", 70)]
AFTER_THEMES = [("matched", 36), ("proposed tone", 11), ("tone", 11), ("quote", 8), ("exclude", 24), ("note", 30),
                ("status", 30), ("text hash", 12)]
OFFICER_COLUMNS = ("tone", "quote", "exclude", "note")
REQUIRED = ("point id", "text", "text hash", "tone", "quote", "exclude")
KNOWN = {h for h, _ in BEFORE_THEMES + AFTER_THEMES}
THEME_WIDTH = 5
YES = {"yes", "y", "true", "1", "x", "\u2713", "\u2714"}
NO = {"no", "n", "false", "0", ""}
CONFIDENTIAL = "CONFIDENTIAL"
HEADER_NOTES = {
    "point id": "The note's file name and the point's number in it: how the toolkit finds the point again.",
    "confidential": "Points of notes marked confidential never appear in the report, but they are coded and "
                    "checked like the others.",
    "text": "The point as the coder read it.",
    "matched": "The phrases the coder found, per theme: why it proposed each x.",
    "proposed tone": "The coder's tone. Leave 'tone' empty to agree with it.",
    "tone": "Your tone for the point, if it differs from the proposed one: concern, positive, mixed or neutral.",
    "quote": "yes: prefer this point as an excerpt; no: never quote it; empty: the usual rule.",
    "exclude": "Leave the point out of every count: write the reason here (it is published in the method "
               "section, so keep it general, e.g. 'about the visit's arrangements').",
    "note": "Your own note (not published).",
    "status": "Written by `scrutiny-kit check --update` for new or changed points. Clear it once you have "
              "checked the row: until then the point keeps its automatic coding.",
    "text hash": "A short hash of the text: tells the toolkit when a point's words have changed. Do not edit.",
}


# --- writing ----------------------------------------------------------------------------------------------

def write_sheet(path: str | Path, rows: Sequence[SheetRow], *, codebook: Any, review: Any,
                removed: Sequence[tuple[Any, ...]] = (), removed_header: Sequence[str] = (),
                newly_removed: Sequence[SheetRow] = (), theme_ids: Sequence[str] | None = None) -> Path:
    """Write the coding sheet for `rows` (written whole to a temporary file, then moved into place, so a
    failure never leaves half a sheet). `review` is the ReviewParams the sheet belongs to."""
    from openpyxl import Workbook

    path = Path(path)
    themes = list(theme_ids if theme_ids is not None else codebook.ids)
    book = Workbook()
    points = book.active
    points.title = POINTS
    headers = _write_points(points, rows, themes, codebook)
    _write_themes(book.create_sheet(THEMES), codebook, themes)
    _write_removed(book.create_sheet(REMOVED), headers, removed, removed_header, newly_removed, themes)
    _write_about(book.create_sheet(ABOUT), review, codebook)
    book.properties.title = f"Coding check: {review.title}"
    book.properties.subject = review.review_id
    book.properties.keywords = "scrutiny-kit coding check"
    book.properties.creator = f"scrutiny-kit {__version__}"
    _save(book, path)
    return path


def _save(book: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".xlsx", dir=path.parent)
    os.close(handle)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)  # as a file the officer saved would be, not mkstemp's owner-only
        book.save(temp)
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise ScrutinyKitError(f"could not write {path}: {exc.strerror or exc} (is it open in Excel?)") from None


def _header_row(sheet: Any, headers: Sequence[str], widths: Sequence[float], *, rotate: set[int] = frozenset(),
                notes: dict[int, str] | None = None) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    fill = PatternFill("solid", fgColor="1F3864")
    officer = PatternFill("solid", fgColor="375623")  # the officer's own columns stand out
    for c, (header, width) in enumerate(zip(headers, widths), start=1):
        cell = sheet.cell(row=1, column=c, value=header)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = officer if sheet.title == POINTS and header in OFFICER_COLUMNS else fill
        cell.border = Border(bottom=Side(style="thin"))
        cell.alignment = Alignment(wrap_text=c not in rotate, vertical="bottom",
                                   horizontal="center" if c in rotate else "left",
                                   text_rotation=90 if c in rotate else 0)
        text = (notes or {}).get(c)
        if text:
            cell.comment = Comment(text, "scrutiny-kit", width=320, height=120)
        sheet.column_dimensions[get_column_letter(c)].width = width
    sheet.freeze_panes = "B2"
    sheet.print_title_rows = "1:1"  # printed: the header on every page, the width on one page, landscape
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _write_points(sheet: Any, rows: Sequence[SheetRow], themes: Sequence[str], codebook: Any) -> list[str]:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    headers = [h for h, _ in BEFORE_THEMES] + list(themes) + [h for h, _ in AFTER_THEMES]
    widths = [w for _, w in BEFORE_THEMES] + [THEME_WIDTH] * len(themes) + [w for _, w in AFTER_THEMES]
    first_theme = len(BEFORE_THEMES) + 1
    labels = {t.id: t for t in codebook.themes}
    notes = {i + 1: HEADER_NOTES[h] for i, h in enumerate(headers) if h in HEADER_NOTES}
    for k, theme in enumerate(themes):
        info = labels.get(theme)
        notes[first_theme + k] = (f"{info.label}: {info.definition}" if info is not None else theme) + \
            "\nx = the point is about this theme. Tick or clear it."
    _header_row(sheet, headers, widths, rotate=set(range(first_theme, first_theme + len(themes))), notes=notes)
    sheet.row_dimensions[1].height = max(60, 7.5 * max((len(t) for t in themes), default=8) + 6)
    column = {h: i for i, h in enumerate(headers, start=1)}
    wrap = Alignment(wrap_text=True, vertical="top")
    centre = Alignment(horizontal="center", vertical="top")
    shade = PatternFill("solid", fgColor="FCE4D6")
    officer = PatternFill("solid", fgColor="F2F8EE")
    for r, row in enumerate(rows, start=2):
        values = {"point id": row.point_id, "date": row.date, "team": row.team,
                  "confidential": CONFIDENTIAL if row.confidential else "", "heading": row.heading,
                  "text": row.text, "matched": row.matched, "proposed tone": row.proposed_tone, "tone": row.tone,
                  "quote": row.quote, "exclude": _exclude_cell(row), "note": row.note, "status": row.status,
                  "text hash": row.text_hash}
        for t in themes:
            values[t] = "x" if t in row.themes else None
        for header, value in values.items():
            cell = _put(sheet, r, column[header], value)
            cell.alignment = centre if header in themes else wrap
            if header == "date" and isinstance(value, dt.date):
                cell.number_format = "d mmm yyyy"
            if header in OFFICER_COLUMNS:
                cell.fill = officer
            if row.confidential:
                cell.fill = shade
                if header == "confidential":
                    cell.font = Font(bold=True, color="9C0006")
        sheet.row_dimensions[r].height = _row_height(row)
    last = max(len(rows) + 1, 2)
    end = get_column_letter(len(headers))
    sheet.auto_filter.ref = f"A1:{end}{last}"
    letter = {h: get_column_letter(i) for h, i in column.items()}
    bottom = max(last, 1000)  # room for the officer's own rows to keep the drop-downs
    tone = DataValidation(type="list", formula1='"' + ",".join(OFFICER_TONES) + '"', allow_blank=True,
                          showErrorMessage=True, errorTitle="tone",
                          error="Choose concern, positive, mixed or neutral (or leave it empty to agree).")
    tone.add(f"{letter['tone']}2:{letter['tone']}{bottom}")
    quote = DataValidation(type="list", formula1='"yes,no"', allow_blank=True, showErrorMessage=True,
                           errorTitle="quote", error="yes (prefer as an excerpt), no (never quote it) or empty.")
    quote.add(f"{letter['quote']}2:{letter['quote']}{bottom}")
    tick = DataValidation(type="list", formula1='"x"', allow_blank=True, showErrorMessage=True,
                          errorTitle="theme", error="x (about this theme) or empty.")
    if themes:
        tick.add(f"{get_column_letter(first_theme)}2:{get_column_letter(first_theme + len(themes) - 1)}{bottom}")
    for validation in (tone, quote, tick):
        sheet.add_data_validation(validation)
    return headers


def _exclude_cell(row: SheetRow) -> str:
    if not row.exclude:
        return ""
    return row.exclude_reason or "yes"


def _put(sheet: Any, row: int, column: int, value: Any) -> Any:
    """Write one cell: text stays text (a point starting with '=' is never turned into a formula), and text a
    spreadsheet would run as a formula gets a leading ' (spreadsheet_safety; read back by `_Cells.text`)."""
    from ..spreadsheet_safety import neutralise

    value = neutralise(value)
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell


def _row_height(row: SheetRow) -> float:
    """An estimate of the wrapped text's height (Excel does not size rows of a written file by itself)."""
    matched = sum(math.ceil(len(part) / 34) for part in row.matched.split("\n"))
    lines = max(math.ceil(len(row.text) / 78), matched, math.ceil(len(row.heading) / 24), math.ceil(len(row.team) / 22),
                math.ceil(len(row.status) / 32), math.ceil(len(row.note) / 28), 1)
    return min(409, 15 * lines + 3)


def _write_themes(sheet: Any, codebook: Any, themes: Sequence[str]) -> None:
    from openpyxl.styles import Alignment

    _header_row(sheet, ["theme", "label", "definition", "example phrases"], [24, 30, 70, 50])
    wrap = Alignment(wrap_text=True, vertical="top")
    info = {t.id: t for t in codebook.themes}
    for r, theme in enumerate(themes, start=2):
        t = info.get(theme)
        phrases = _some_phrases(t.phrases if t else [])
        for c, value in enumerate([theme, t.label if t else "", t.definition if t else "", phrases], start=1):
            _put(sheet, r, c, value).alignment = wrap
        sheet.row_dimensions[r].height = min(409, 15 * max(1, math.ceil(len(t.definition if t else "") / 80),
                                                         math.ceil(len(phrases) / 56)) + 3)
    sheet.auto_filter.ref = f"A1:D{max(len(themes) + 1, 2)}"


def _some_phrases(phrases: Sequence[Any], limit: int = 300) -> str:
    """The theme's first plain phrases, whole, up to about `limit` characters ('...' when there are more)."""
    shown: list[str] = []
    plain = [str(p) for p in phrases if not str(p).startswith("re:")]
    for phrase in plain:
        if sum(len(x) + 2 for x in shown) + len(phrase) > limit:
            return ", ".join(shown) + ", \u2026"
        shown.append(phrase)
    return ", ".join(shown)


def _write_removed(sheet: Any, headers: Sequence[str], kept: Sequence[tuple[Any, ...]], kept_header: Sequence[str],
                   newly: Sequence[SheetRow], themes: Sequence[str]) -> None:
    from openpyxl.styles import Alignment

    header = list(kept_header) or ["removed on", *headers]
    widths = [12 if h == "removed on" else dict(BEFORE_THEMES + AFTER_THEMES).get(h, THEME_WIDTH) for h in header]
    themes_at = {c for c, h in enumerate(header, start=1) if h != "removed on" and h not in KNOWN}
    _header_row(sheet, header, widths, rotate=themes_at)
    sheet.row_dimensions[1].height = max(60, 7.5 * max((len(header[c - 1]) for c in themes_at), default=8) + 6)
    wrap = Alignment(wrap_text=True, vertical="top")
    today = dt.date.today()
    out = [list(row) for row in kept]
    for row in newly:
        values = {"removed on": today, "point id": row.point_id, "date": row.date, "team": row.team,
                  "confidential": CONFIDENTIAL if row.confidential else "", "heading": row.heading, "text": row.text,
                  "matched": row.matched, "proposed tone": row.proposed_tone, "tone": row.tone, "quote": row.quote,
                  "exclude": _exclude_cell(row), "note": row.note, "status": "removed: no longer in the visit notes",
                  "text hash": row.text_hash, **{t: "x" for t in row.themes}}
        out.append([values.get(h) for h in header])
    for r, values in enumerate(out, start=2):
        for c, value in enumerate(values, start=1):
            cell = _put(sheet, r, c, value)
            cell.alignment = wrap
            if isinstance(value, dt.date):
                cell.number_format = "d mmm yyyy"


def _write_about(sheet: Any, review: Any, codebook: Any) -> None:
    from openpyxl.styles import Alignment, Font

    lines = [
        ("review id", review.review_id), ("title", review.title), ("authority", review.authority),
        ("codebook", str(getattr(codebook, "source", "") or review.codebook)),
        ("written by", f"scrutiny-kit {__version__}"),
        ("how to use it", "Read every point on the 'points' sheet. Tick (x) or clear the theme columns, set 'tone' "
                          "where you disagree with the proposed tone, mark 'quote' yes or no, write a reason in "
                          "'exclude' to leave a point out of the counts. Then add `coding_check: <this file>` to the "
                          "review's params file. Every row without a status counts as checked. This workbook "
                          "holds confidential notes and personal data: do not publish it."),
    ]
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 100
    for r, (key, value) in enumerate(lines, start=1):
        sheet.cell(row=r, column=1, value=key).font = Font(bold=True)
        _put(sheet, r, 2, value).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[len(lines)].height = 75


# --- reading ----------------------------------------------------------------------------------------------

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
    from openpyxl.utils import get_column_letter

    if not records:
        raise InputError(Problem(where, "the sheet is empty: row 1 must hold the column names"))
    header = [str(v).strip() if v is not None else "" for v in records[0]]
    problems: list[Problem | str] = []
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
        rows.append(SheetRow(
            point_id=pid, source=parsed[0], point=parsed[1], text=cell.text(columns["text"]),
            text_hash=cell.text(columns["text hash"]), themes=frozenset(ticked),
            date=cell.raw(columns.get("date")), team=cell.text(columns.get("team")),
            confidential=bool(cell.text(columns.get("confidential"))), heading=cell.text(columns.get("heading")),
            matched=cell.text(columns.get("matched")),
            proposed_tone=proposed if proposed in OFFICER_TONES else "", tone=tone, quote=quote,
            exclude=exclude, exclude_reason=reason, note=cell.text(columns.get("note")),
            status=cell.text(columns.get("status")), row=r))
    if problems:
        raise InputError(problems)
    return list(themes), rows


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

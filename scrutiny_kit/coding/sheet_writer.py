"""Write the officer's coding sheet: the points with the coder's proposal and the officer's columns, the
themes, the removed rows kept by `check --update`, and which review the sheet belongs to."""
from __future__ import annotations

import datetime as dt
import math
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import ScrutinyKitError
from .check_rows import OFFICER_TONES, SheetRow
from .sheet_layout import (ABOUT, AFTER_THEMES, BEFORE_THEMES, CONFIDENTIAL, HEADER_NOTES, KNOWN, OFFICER_COLUMNS,
                           POINTS, REMOVED, THEME_WIDTH, THEMES)


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

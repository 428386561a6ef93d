"""Read one worksheet of an .xlsx file: the right sheet, only as far as its data goes, with every value Excel saved.

Which sheet: the one named for what is read (``workforce``, ``recommendations``; any case), else the only
visible sheet (hidden sheets often keep old figures); several visible sheets with data are an error that lists
them. How much: openpyxl pads every row to the sheet's declared size (a stray cell in XFD1048576 makes that 17
billion cells), so cells are taken as the file lists them and the grid is built only as far as the last cell
with a value, bounded by the ``sheet_cells`` limit. Formula cells must carry the value Excel calculated (a
workbook written by a script, or never recalculated, has none and would read as blank), and no cell may take its
value from another workbook.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..characters import clean
from ..errors import InputError, Problem
from ..limits import limit, over_limit
from .cells import is_blank
from .office import package_problems

_EXTERNAL = re.compile(r"\[[^\[\]]+\][^\[\]!]*!")  # [1]Sheet1!A1, '[Book2.xlsx]Sheet 1'!A1
_SHOWN = 10  # cells named in a message before "and N more"


@dataclass(frozen=True)
class Sheet:
    """A worksheet's values from A1 to its last row and column with data, as Excel numbers them."""

    name: str
    rows: list[list[Any]]  # rows[0] is row 1; every row as wide as the data
    percent: frozenset[tuple[int, int]]  # (row, 0-based column) of numbers formatted as a percentage
    sheets: int  # worksheets in the workbook, to say which one was read when there is a choice


def read_sheet(path: Path, *, preferred: str) -> Sheet:
    """The sheet of the .xlsx file at `path` to read (see the module docstring); InputError otherwise."""
    import openpyxl

    refused = package_problems(path, "Excel workbook")
    if refused:
        raise InputError(refused)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zip, XML and openpyxl errors: not a real .xlsx
        raise InputError(Problem(path, f"not a readable Excel .xlsx workbook ({_reason(exc)}); save it again from "
                                       "Excel as .xlsx")) from None
    try:
        sheet = _choose(path, book, preferred)
        rows, percent = _read(path, book, sheet)
        return Sheet(sheet.title, rows, percent, len(book.worksheets))
    except InputError:
        raise
    except Exception as exc:  # a damaged sheet: bad XML, a missing part, a shared string that is not there
        raise InputError(Problem(path, f"a sheet of the workbook cannot be read ({_reason(exc)}); save it again from "
                                       "Excel as .xlsx")) from None
    finally:
        book.close()


def sheet_rows(path: Path, ws: Any) -> list[list[Any]]:
    """The values of one worksheet of an open read-only workbook, bounded and checked as :func:`read_sheet`
    reads them (for a workbook that chooses its own sheets, such as the officer's coding sheet)."""
    try:
        return _read(path, ws.parent, ws)[0]
    except InputError:
        raise
    except Exception as exc:  # a damaged sheet
        raise InputError(Problem(path, f"the sheet '{clean(ws.title)}' cannot be read ({_reason(exc)})")) from None


def _reason(exc: Exception) -> str:
    detail = str(exc).splitlines()[0][:120] if str(exc) else ""
    return f"{type(exc).__name__}: {clean(detail)}" if detail else type(exc).__name__


def _choose(path: Path, book: Any, preferred: str) -> Any:
    """The sheet named `preferred`, else the only visible sheet (with data, when several are visible)."""
    sheets = list(book.worksheets)
    if not sheets:
        raise InputError(Problem(path, "the workbook has no worksheets"))
    named = [ws for ws in sheets if ws.title.strip().casefold() == preferred]
    if named:
        return named[0]
    visible = [ws for ws in sheets if ws.sheet_state == "visible"]
    if len(visible) == 1:
        return visible[0]
    with_data = [ws for ws in visible if _has_data(ws)]
    if len(with_data) == 1:
        return with_data[0]
    hidden = [ws.title for ws in sheets if ws.sheet_state != "visible"]
    if not with_data:
        where = f" (hidden sheets: {_names(hidden)}; unhide the one to read)" if hidden else ""
        raise InputError(Problem(path, f"no visible sheet of the workbook has any data{where}"))
    raise InputError(Problem(path, f"the workbook has {len(with_data)} visible sheets with data "
                                   f"({_names(ws.title for ws in with_data)}): name the one to read '{preferred}', "
                                   "or delete or hide the others"))


def _names(names: Any) -> str:
    return ", ".join(f"'{clean(n)}'" for n in names)


def _has_data(ws: Any) -> bool:
    """Whether a sheet has any value, stopping at the first one."""
    with ws._get_source() as source:
        return any(not is_blank(cell["value"]) for _, row in _parser(ws, source).parse() for cell in row)


def _parser(ws: Any, source: Any) -> Any:
    """openpyxl's own streaming sheet parser (what its read-only mode uses), recording formula cells."""
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    book = ws.parent

    class _Parser(WorkSheetParser):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__(source, ws._shared_strings, data_only=True, epoch=book.epoch,
                             date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
            self.uncached: list[tuple[int, int]] = []
            self.external: list[tuple[int, int]] = []

        def parse_cell(self, element: Any) -> dict[str, Any]:
            cell = super().parse_cell(element)
            formula = element.find(FORMULA_TAG)
            if formula is not None:
                where = (cell["row"], cell["column"])
                if formula.text and _EXTERNAL.search(formula.text):
                    self.external.append(where)
                elif cell["value"] is None:
                    self.uncached.append(where)
            return cell

    return _Parser()


def _read(path: Path, book: Any, ws: Any) -> tuple[list[list[Any]], frozenset[tuple[int, int]]]:
    """The sheet's values as a grid up to its last row and column with a value; bounded by `sheet_cells`."""
    from openpyxl.cell.read_only import ReadOnlyCell

    most = limit("sheet_cells")
    values: dict[tuple[int, int], Any] = {}
    percent: set[tuple[int, int]] = set()
    formats: dict[int, str] = {}
    last_row = last_col = seen = 0
    with ws._get_source() as source:
        parser = _parser(ws, source)
        for _, row in parser.parse():
            for cell in row:
                seen += 1  # empty cells with a format count too: they are read all the same
                value = cell["value"]
                r, c = cell["row"], cell["column"]
                if is_blank(value) and seen <= most:
                    continue
                if not is_blank(value):
                    last_row, last_col = max(last_row, r), max(last_col, c)
                if seen > most or last_row * last_col > most:
                    raise InputError(Problem(path, f"the sheet '{clean(ws.title)}' cannot be read: its cells reach "
                                     f"{_cell_name(max(last_row, r), max(last_col, c))}; " + over_limit(
                                     "sheet_cells", f"{max(last_row, r):,} rows x {max(last_col, c):,} columns")
                                     + " (delete stray cells outside the table)"))
                if isinstance(value, str):
                    value = clean(value)
                elif isinstance(value, int | float) and not isinstance(value, bool):
                    style = cell["style_id"] or 0
                    if style not in formats:
                        formats[style] = ReadOnlyCell(ws, r, c, value, cell["data_type"], style).number_format or ""
                    if "%" in formats[style]:
                        percent.add((r, c - 1))
                values[r, c] = value
    _formula_problems(path, ws.title, parser)
    rows = [[None] * last_col for _ in range(last_row)]
    for (r, c), value in values.items():
        rows[r - 1][c - 1] = value
    return rows, frozenset(percent)


def _formula_problems(path: Path, title: str, parser: Any) -> None:
    """Formula cells Excel never calculated, or that take their value from another workbook, as one error."""
    problems = []
    if parser.uncached:
        problems.append(Problem(path, f"on sheet '{clean(title)}', formula cells with no saved value: "
                                f"{_cells(parser.uncached)} (the workbook was written by a program or never "
                                "recalculated, so they would read as blank): open the file in Excel, let it "
                                "calculate, and save it"))
    if parser.external:
        problems.append(Problem(path, f"on sheet '{clean(title)}', cells that take their value from another "
                                f"workbook (external links): {_cells(parser.external)}; the linked figures may be "
                                "out of date or missing: copy them in as values (Paste Special > Values) and save"))
    if problems:
        raise InputError(problems)


def _cells(where: list[tuple[int, int]]) -> str:
    names = ", ".join(_cell_name(r, c) for r, c in where[:_SHOWN])
    return names + (f" and {len(where) - _SHOWN} more" if len(where) > _SHOWN else "")


def _cell_name(row: int, column: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(column)}{row}"

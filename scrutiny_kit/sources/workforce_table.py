"""Reading a workforce file (CSV through the one text reader, or .xlsx) into a table of cells as written.

The only I/O of the workforce source: rows keep the number Excel shows (header = row 1).
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import InputError, Problem
from .cells import is_blank
from .text import NotTextError, read_csv
from .workbook import read_sheet


@dataclass(frozen=True)
class RawTable:
    """A table as read from a file: every cell as it came (str, number, date or None)."""

    frame: pd.DataFrame  # index = Excel row number (header = 1); columns = headers as written
    source: str
    percent_cells: frozenset[tuple[int, str]] = frozenset()  # (row, header) of Excel cells formatted as %
    sheet: str | None = None  # the worksheet read, for an Excel file


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
        records = read_csv(path)
    except OSError as exc:
        raise InputError(Problem(source, f"cannot read the file ({exc.strerror or exc})")) from None
    except NotTextError:
        raise InputError(Problem(source, "the file is not a CSV text file (is it an Excel file with the wrong name?)"))
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

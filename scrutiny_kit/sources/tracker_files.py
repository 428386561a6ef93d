"""Reading a recommendations tracker (CSV through the one text reader, Excel or YAML) into raw rows.

Each row keeps its number as the user sees it: CSV/Excel rows (the header is row 1), the line a YAML item
starts on.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable

import yaml

from .. import yamlio
from ..errors import InputError, Problem
from .cells import is_blank
from .text import NotTextError, read_csv, read_text
from .workbook import read_sheet


@dataclass(frozen=True)
class RawTable:
    """The tracker as read: header cells, data rows as {header: cell}, each row's number as the user sees it."""

    headers: list[str]
    rows: list[dict[str, Any]]
    numbers: list[int]
    line_label: str  # "row" for CSV/Excel, "line" for YAML
    header_line: int = 1
    sheet: str | None = None  # the worksheet read, for an Excel file



def _from_grid(grid: Iterable[tuple[Any, ...]]) -> RawTable:
    """A header row then data rows (CSV or a worksheet); fully blank rows are skipped but still counted."""
    headers: list[str] | None = None
    header_line = 1
    rows: list[dict[str, Any]] = []
    numbers: list[int] = []
    for number, cells in enumerate(grid, start=1):
        if all(is_blank(c) for c in cells):
            continue
        if headers is None:
            headers = ["" if is_blank(c) else str(c).strip() for c in cells]
            header_line = number
            continue
        rows.append({h: (cells[i] if i < len(cells) else None) for i, h in enumerate(headers) if h})
        numbers.append(number)
    return RawTable(headers or [], rows, numbers, "row", header_line)


def _read_csv(path: Path) -> RawTable:
    try:
        return _from_grid(tuple(r) for r in read_csv(path))
    except NotTextError as exc:
        raise InputError(Problem(path, str(exc))) from None
    except csv.Error as exc:
        raise InputError(Problem(path, f"not a readable CSV file ({exc})")) from None


def _read_excel(path: Path) -> RawTable:
    sheet = read_sheet(path, preferred="recommendations")
    return replace(_from_grid(tuple(row) for row in sheet.rows), sheet=sheet.name)


def _yaml_items(path: Path) -> tuple[list[Any], list[int]]:
    """The list of recommendations in a YAML tracker and the line each starts on."""
    try:
        text = read_text(path)
        root = yamlio.compose(text)
        data = yamlio.load(text)
    except yaml.YAMLError as exc:
        raise InputError(yamlio.syntax_problem(path, exc, "the tracker")) from None
    except NotTextError as exc:
        raise InputError(Problem(path, str(exc))) from None
    node = root
    if isinstance(data, dict) and isinstance(root, yaml.MappingNode):
        node = next((v for k, v in root.value if k.value == "recommendations"), None)
        data = data.get("recommendations")
    if data is None:
        data, node = [], None
    if not isinstance(data, list) or not isinstance(node, yaml.SequenceNode | None):
        raise InputError(Problem(path, "a YAML tracker must be a list of recommendations, or a mapping with "
                                       "the key 'recommendations' holding that list"))
    lines = [item.start_mark.line + 1 for item in node.value] if node is not None else []
    return data, lines


def _read_yaml(path: Path) -> RawTable:
    items, lines = _yaml_items(path)
    problems = [Problem(path, "each recommendation must be a mapping of column: value", line=line)
                for item, line in zip(items, lines) if not isinstance(item, dict)]
    if problems:
        raise InputError(problems)
    headers: list[str] = []
    for item in items:
        headers += [str(k) for k in item if str(k) not in headers]
    rows = [{str(k): v for k, v in item.items()} for item in items]
    return RawTable(headers, rows, lines, "line", 1)


def read_table(path: Path) -> RawTable:
    """Read a tracker file by its extension (.csv, .xlsx/.xlsm, .yaml/.yml)."""
    suffix = path.suffix.casefold()
    if not path.is_file():
        raise InputError(Problem(path, "recommendations file not found"))
    if suffix == ".csv":
        return _read_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return _read_excel(path)
    if suffix in (".yaml", ".yml"):
        return _read_yaml(path)
    raise InputError(Problem(path, f"unsupported file type '{path.suffix}': use .csv, .xlsx or .yaml"))

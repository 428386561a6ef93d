"""A Word (.docx) visit note: paragraphs, list items and table rows in body order, the leading `Key: value`
paragraphs and the document properties (Keywords, Title)."""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import Problem
from ..characters import clean
from .note_meta import ParsedNote, add_meta, key_value
from .note_points import PointBuilder, table_points
from .office import docx_paragraph_problems, package_problems


def parse_docx(path: Path) -> ParsedNote:
    """Paragraphs, list items and table rows of a .docx, with the metadata block and properties."""
    parsed = ParsedNote(where="in a 'Key: value' paragraph at the top of the document")
    refused = package_problems(path, "Word document") or docx_paragraph_problems(path)
    if refused:
        parsed.problems += refused
        return parsed
    try:
        import docx  # python-docx

        document = docx.Document(str(path))
        blocks = list(_docx_blocks(document))
    except Exception as exc:  # python-docx raises many types for damaged or non-Word files
        parsed.problems.append(Problem(path, f"could not be opened as a Word document: {_docx_reason(exc)}"))
        return parsed
    parsed.lines = [text for _, text, _, _ in blocks]
    skip = _docx_key_block(blocks, parsed)
    _docx_properties(document, parsed)
    b = PointBuilder()
    for index, (number, text, kind, level) in enumerate(blocks):
        if index in skip or not text.strip():
            b.close()
        elif kind == "heading":
            b.set_heading(text, level)
        elif kind == "list" and level > 0 and b.open and b.is_bullet:
            b.add(text, sub=True)
        else:
            b.start(number, text, bullet=kind == "list")
            if kind != "list":
                b.close()
    parsed.points = b.finish()
    return parsed


def _docx_reason(exc: Exception) -> str:
    import zipfile

    from docx.opc.exceptions import PackageNotFoundError

    if isinstance(exc, PackageNotFoundError | zipfile.BadZipFile | KeyError):
        return "it is not a .docx file (an old .doc renamed, a damaged file or a password-protected one?); save it from Word as .docx"
    detail = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
    return f"{detail}; save it again from Word as .docx"


def _docx_blocks(document: Any) -> Iterator[tuple[int, str, str, int]]:
    """(block number, text, kind, list level) for each paragraph and table row in body order."""
    from docx.table import Table

    number = 0
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            rows = [_row_cells(row) for row in item.rows]
            header = rows[0] if len(rows) > 1 else []  # a table's first row holds its column headings
            for index, cells in enumerate(rows):
                number += 1
                if index > 0 or not header:
                    for text in table_points(header, cells):
                        yield number, text, "row", 0
            continue
        number += 1
        yield number, clean(item.text), *_paragraph_kind(item)


def _row_cells(row: Any) -> list[str]:
    cells: list[str] = []
    seen: set[int] = set()
    for cell in row.cells:  # merged cells are returned once per grid column
        if id(cell._tc) in seen:
            continue
        seen.add(id(cell._tc))
        cells.append(" ".join(clean(cell.text).split()))
    return cells


def _paragraph_kind(paragraph: Any) -> tuple[str, int]:
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    lowered = style.lower()
    if lowered == "title":
        return "heading", 0
    if lowered.startswith("heading"):
        level = re.search(r"(\d+)$", style)
        return "heading", int(level[1]) if level else 1
    ppr = paragraph._p.pPr
    num = ppr.numPr if ppr is not None else None
    if num is not None or lowered.startswith("list"):
        level = num.ilvl.val if num is not None and num.ilvl is not None else 0
        m = re.search(r"(\d+)$", style)
        if num is None and m:
            level = int(m[1]) - 1
        return "list", int(level)
    return "paragraph", 0


def _docx_key_block(blocks: list[tuple[int, str, str, int]], parsed: ParsedNote) -> set[int]:
    """Read leading 'Key: value' paragraphs (soft line breaks allowed); return their indices.

    Empty and heading paragraphs may sit before or among them; headings stay in the body.
    """
    consumed: set[int] = set()
    for index, (number, text, kind, _) in enumerate(blocks):
        if not text.strip() or kind == "heading":
            continue
        pairs = [key_value(line) for line in text.split("\n") if line.strip()]
        if kind == "row" or not all(pairs):
            break
        for key, value in pairs:  # type: ignore[misc]
            add_meta(parsed, key, value, number)
        consumed.add(index)
    return consumed


def _docx_properties(document: Any, parsed: ParsedNote) -> None:
    """Fill keys missing from the block from Keywords ('date: ...; team: ...') then Title."""
    props = document.core_properties
    for item in re.split(r"[;\n]", clean(props.keywords or "")):
        kv = key_value(item)
        if kv and kv[0] not in parsed.meta:
            add_meta(parsed, kv[0], kv[1], None)
    if "team" not in parsed.meta and clean(props.title or "").strip():
        add_meta(parsed, "team", clean(props.title).strip(), None)

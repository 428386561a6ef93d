"""A small review, its coding sheet and an officer who edits it with openpyxl; sheet rows, notes and coded points
built in code (shared by the coding-check tests)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd

from conftest import write_review
from scrutiny_kit.coding.check_rows import SheetRow, text_hash

NORTH = """---
date: 2025-01-10
team: North Team
---
- Caseloads had risen to 27 children each and staff said this was unmanageable.
- Members were shown around the building before the meeting started.
- Young people said they had three different social workers in a year and had to repeat their story.
- Staff said caseloads were so high that recording fell behind every week.
"""
SOUTH = """---
date: 2025-01-20
team: South Team
---
- Staff said caseloads were too high to see children as often as they wanted.
- One child said nobody had asked what they wanted before their placement moved.
- Reflective supervision was regular and valued by the team.
"""
EAST = """---
date: 2025-02-03
team: East Team
confidential: true
---
- A family's case was discussed in detail and caseloads were said to be high.
"""
NOTES = {"north.md": NORTH, "south.md": SOUTH, "east.md": EAST}

# What the officer decides for every point: themes, tone, quote, exclude (the coder's proposal does not matter).
DECISIONS: dict[str, dict[str, Any]] = {
    "north.md#1": {"themes": {"caseload_workload"}, "tone": "concern"},
    "north.md#2": {"themes": set(), "tone": "neutral", "exclude": "about the visit's arrangements"},
    "north.md#3": {"themes": {"voice_of_child", "recruitment_retention"}, "tone": "concern"},
    "north.md#4": {"themes": {"caseload_workload"}, "tone": "concern", "quote": "no"},
    "south.md#1": {"themes": {"caseload_workload"}, "tone": "concern", "quote": "yes"},
    "south.md#2": {"themes": {"voice_of_child"}, "tone": "concern"},
    "south.md#3": {"themes": {"supervision_training"}, "tone": "positive"},
    "east.md#1": {"themes": {"caseload_workload"}, "tone": "neutral"},
}


def small_review(folder: Path, notes: dict[str, str] | None = None, **params: Any) -> Path:
    """The params file of a three-visit review (one note confidential) in `folder`."""
    return write_review(folder, notes or NOTES, **params)


def header(sheet: Any) -> dict[str, int]:
    """Column number of each header of row 1."""
    return {str(c.value): c.column for c in sheet[1] if c.value is not None}


def row_of(sheet: Any, pid: str) -> int:
    for r in range(2, sheet.max_row + 1):
        if sheet.cell(r, 1).value == pid:
            return r
    raise AssertionError(f"no row for {pid}")


def edit(path: Path, decisions: dict[str, dict[str, Any]], *, theme_ids: list[str]) -> None:
    """Edit the sheet as an officer would in Excel: tick and clear theme cells, set tone, quote and exclude."""
    book = openpyxl.load_workbook(path)
    sheet = book["points"]
    cols = header(sheet)
    for pid, d in decisions.items():
        r = row_of(sheet, pid)
        if "themes" in d:
            for theme in theme_ids:
                sheet.cell(r, cols[theme]).value = "x" if theme in d["themes"] else None
        for key in ("tone", "quote", "exclude", "note"):
            if key in d:
                sheet.cell(r, cols[key]).value = d[key]
    book.save(path)


THEMES = ["caseload_workload", "recruitment_retention", "voice_of_child"]


def notes_frame(*points: tuple[str, int, str], confidential: bool = False) -> pd.DataFrame:
    return pd.DataFrame({"source": [p[0] for p in points], "point": [p[1] for p in points],
                         "text": [p[2] for p in points], "confidential": confidential})


def row(source: str, point: int, text: str, themes: set[str], **kw) -> SheetRow:
    return SheetRow(point_id=f"{source}#{point}", source=source, point=point, text=text, text_hash=text_hash(text),
                    themes=frozenset(themes), proposed_tone=kw.pop("proposed_tone", "neutral"), **kw)


def coded_frame(*rows: tuple[str, int, str, str, str]) -> pd.DataFrame:
    """(source, point, theme, matched, tone) rows, as coding.code_points returns them (columns that matter here)."""
    frame = pd.DataFrame(rows, columns=["source", "point", "theme", "matched", "tone"])
    return frame.assign(text="t", heading="", date="2025-01-10", team="T", confidential=False)

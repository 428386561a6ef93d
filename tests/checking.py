"""A small review, its coding sheet and an officer who edits it with openpyxl (shared by the coding-check tests)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from conftest import write_review

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

"""Visit-note files written for tests, and the helpers that read them back (tests of sources/*notes*.py)."""
from __future__ import annotations

from pathlib import Path

import docx
import pytest

from scrutiny_kit.errors import InputError
from scrutiny_kit.sources.visit_notes import load_visit_notes, read_note

FIXTURES = Path(__file__).parent / "fixtures" / "notes"

EXAMPLES = Path(__file__).parents[1] / "examples" / "frontline" / "visits"

AUTHORITY = "Example County Council"

FRONT = "---\ndate: 2025-01-15\nteam: T\n---\n"  # four lines: a body starts on line 5

NOTE = "---\ndate: 2025-02-03\nteam: Riverside Locality Team\n---\n- Caseloads had risen to 27.\n"


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def load(*paths: Path):
    return load_visit_notes(list(paths), default_authority=AUTHORITY)


def problems_of(excinfo: pytest.ExceptionInfo[InputError]) -> list[str]:
    return [str(p) for p in excinfo.value.problems]


def points_of(tmp_path: Path, body: str) -> list[tuple[int, str, str]]:
    _, points = read_note(write(tmp_path, "v.md", FRONT + body), AUTHORITY)
    return [(p.line, p.heading, p.text) for p in points]


def make_docx(path: Path, *, key_block: bool = True, keywords: str = "", title: str = "") -> Path:
    document = docx.Document()
    document.core_properties.keywords = keywords
    document.core_properties.title = title
    document.add_paragraph("Visit to the Leaving Care Team", style="Title")
    if key_block:
        document.add_paragraph("Date: 04/03/2025")
        document.add_paragraph("Team: Leaving Care Team\nVisitors: Cllr A Patel")  # soft line break
        document.add_paragraph("Confidential: Yes")
    document.add_heading("Caseloads", level=2)
    document.add_paragraph("Personal advisers hold 30 young people each.", style="List Bullet")
    document.add_paragraph("because two posts are vacant", style="List Bullet 2")
    document.add_paragraph("")
    document.add_paragraph("A plain paragraph about the office.")
    document.add_heading("Training", level=2)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Topic", "Comment"
    table.cell(1, 0).text, table.cell(1, 1).text = "Tenancy training", "Useful"
    document.save(path)
    return path


def refused(path: Path) -> list[str]:
    """The problems a note is refused with (it must be refused)."""
    with pytest.raises(InputError) as exc:
        load(path)
    return problems_of(exc)

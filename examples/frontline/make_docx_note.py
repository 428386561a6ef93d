"""Generate the Word visit note in visits/ (run once; both this script and the .docx are committed).

    .venv/bin/python examples/frontline/make_docx_note.py

Shows the Word layout scrutiny-kit reads: a Title, a block of 'Key: value' paragraphs for the
metadata, Heading 2 topics, bulleted points (a level-2 bullet joins its parent point) and a
table whose rows are points.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx

OUT = Path(__file__).parent / "visits" / "2025-03-04-leaving-care.docx"

SECTIONS = [
    ("Caseloads", [
        ("Personal advisers hold between 28 and 32 young people each, against a target of 25, because "
         "two posts are vacant.", []),
        ("The team said the extension of support to care leavers up to 25 had added to caseloads "
         "without extra staff.", []),
    ]),
    ("What young people told us", [
        ("Young people on the care leavers' forum said their personal adviser was the person they "
         "trusted most, and asked that advisers did not change so often.", []),
    ]),
    ("Office space", [
        ("The team shares a hot-desking floor with three other services and there are not enough "
         "desks on Tuesdays and Wednesdays.", [
             "staff arrive early to find a desk",
             "there is nowhere private to speak to a young person who drops in",
         ]),
    ]),
    ("Phones", [
        ("Work phones have made it much easier for young people to reach their adviser by text.", []),
    ]),
    ("Pay and conditions", [
        ("Advisers are paid on a lower grade than social workers although much of the work is similar, "
         "and two experienced advisers left for better paid roles last year.", []),
    ]),
]

TABLE = [
    ("What staff told us", "What members noted"),
    ("Training on supporting young people with their tenancies has been useful",
     "Ask for the training offer to include housing colleagues"),
]


def build(path: Path = OUT) -> Path:
    """Write the example note to path and return it."""
    document = docx.Document()
    document.core_properties.title = "Visit note: Leaving Care Team"
    document.core_properties.created = dt.datetime(2025, 3, 4, 12, 0)
    document.add_paragraph("Visit to the Leaving Care Team", style="Title")
    for line in ("Date: 04/03/2025", "Team: Leaving Care Team", "Visitors: Cllr A Patel; Cllr J Morgan",
                 "Confidential: no"):
        document.add_paragraph(line)
    for heading, points in SECTIONS:
        document.add_heading(heading, level=2)
        for text, sub_points in points:
            document.add_paragraph(text, style="List Bullet")
            for sub in sub_points:
                document.add_paragraph(sub, style="List Bullet 2")
    document.add_heading("Training", level=2)
    table = document.add_table(rows=0, cols=2)
    for left, right in TABLE:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = left, right
    document.save(path)
    return path


if __name__ == "__main__":
    print(build())

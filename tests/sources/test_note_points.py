"""A note's points as every reader builds them: a document title out of context, members' and actions columns apart."""
from __future__ import annotations

import docx

from scrutiny_kit.sources.visit_notes import read_note
from visit_note_files import AUTHORITY, write


def test_a_members_or_actions_column_is_a_point_of_its_own_in_markdown_and_word(tmp_path):
    header = ["Issue", "What staff said", "Members' view", "Action"]
    row = ["Offices", "Staff said the office is fine", "Members were concerned about the parking", "Ask estates"]
    expected = [(6, "Issue: Offices; What staff said: Staff said the office is fine"),
                (6, "Members' view: Members were concerned about the parking"), (6, "Action: Ask estates")]
    path = write(tmp_path, "v.md", "---\ndate: 2025-01-15\nteam: T\n---\n| " + " | ".join(header) + " |\n"
                 "|---|---|---|---|\n| " + " | ".join(row) + " |\n")
    _, points = read_note(path, AUTHORITY)
    assert [(p.line - 1, p.text) for p in points] == expected  # the row is on line 7, under its header

    document = docx.Document()
    for text in ("Date: 15/01/2025", "Team: T", "", "A paragraph first.", ""):
        document.add_paragraph(text)
    table = document.add_table(rows=2, cols=4)
    for column, (head, cell) in enumerate(zip(header, row)):
        table.cell(0, column).text, table.cell(1, column).text = head, cell
    document.save(tmp_path / "v.docx")
    _, points = read_note(tmp_path / "v.docx", AUTHORITY)
    assert [(p.line, p.text) for p in points] == [(4, "A paragraph first."), *((7, text) for _, text in expected)]


def test_a_document_title_is_not_a_topic_heading_for_its_points(tmp_path):
    """A top-level first heading before any point names the document or meeting; sections under it still
    give context, and a first heading that has siblings at its level is a topic like any other."""
    txt = write(tmp_path, "cabinet.txt", "Date: 2022-06-14\nTeam: Cabinet\n\nCABINET - SOCIAL WORKER RECRUITMENT AND "
                "RETENTION\n\nThe report was noted.\n\nPay:\n\nA market supplement was agreed.\n")
    _, points = read_note(txt, AUTHORITY)
    assert [(p.heading, p.text) for p in points] == [("", "The report was noted."), ("Pay", "A market supplement was agreed.")]
    md = write(tmp_path, "visit.md", "---\ndate: 2025-01-15\nteam: T\n---\n# Visit to Northgate\n\n- Welcome.\n\n"
               "## Caseloads\n\n- Too many cases.\n")
    _, points = read_note(md, AUTHORITY)
    assert [(p.heading, p.text) for p in points] == [("", "Welcome."), ("Caseloads", "Too many cases.")]
    topics = write(tmp_path, "topics.md", "---\ndate: 2025-01-15\nteam: T\n---\n# Caseloads\n\n- High.\n\n# IT\n\n- Slow.\n")
    _, points = read_note(topics, AUTHORITY)
    assert [(p.heading, p.text) for p in points] == [("Caseloads", "High."), ("IT", "Slow.")]

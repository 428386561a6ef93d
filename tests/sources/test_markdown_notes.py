"""Markdown visit notes: front matter, the body read from markdown-it-py's tokens, and the readings beyond CommonMark."""
from __future__ import annotations

import datetime as dt

import pytest

from scrutiny_kit.errors import InputError
from scrutiny_kit.sources.visit_notes import NOTE_COLUMNS, read_note
from visit_note_files import AUTHORITY, FIXTURES, load, points_of, problems_of, write


def test_markdown_fixture_points_headings_lines_and_metadata():
    notes = load(FIXTURES / "northgate.md")
    assert list(notes.columns) == NOTE_COLUMNS
    assert notes["point"].tolist() == list(range(1, 9))
    first = notes.iloc[0]
    assert first["source"] == "northgate.md"
    assert first["date"] == dt.date(2025, 3, 4)
    assert first["team"] == "Northgate Locality Team"
    assert first["authority"] == AUTHORITY
    assert first["visitors"] == "Cllr A Patel; Cllr B Okafor"
    assert not first["confidential"]
    assert first["heading"] == ""  # "# Visit to Northgate" is the note's title, not a topic heading
    assert first["text"] == "Members were welcomed by the team manager and met six social workers."
    assert first["line"] == 8
    by_point = notes.set_index("point")
    # a heading gives context to the points under it
    assert by_point.loc[2, "heading"] == "Car parking"
    assert by_point.loc[2, "text"] == "This is a particular issue at Meadow House, especially on court days."
    assert by_point.loc[2, "line"] == 12
    # continuation lines, indented or not, and nested sub-bullets joined with "; "
    assert by_point.loc[3, "text"] == "Staff arrive early to find a space: before 8am on Mondays; earlier on duty days."
    assert by_point.loc[4, "text"] == "A third point that runs on over a second line and a third, unindented."
    # numbered items are points too; emphasis and link syntax are removed
    assert by_point.loc[5, "heading"] == "Caseloads"
    assert by_point.loc[5, "text"] == "Caseloads are around 24 each."
    assert by_point.loc[6, "text"] == "The weighting tool is described in the practice guide."
    # a plain paragraph is one point
    assert by_point.loc[7, "text"] == "Members thanked the team for their time."
    assert by_point.loc[8, "heading"] == "Setext heading"
    assert by_point.loc[8, "text"] == "Point under an underlined heading."


def test_markdown_without_front_matter_reads_a_key_value_block(tmp_path):
    path = write(tmp_path, "v.md", "# Visit note\nDate: 2025-01-15\nTeam: Front Door / MASH\n\n- Contacts had risen.\n")
    meta, points = read_note(path, AUTHORITY)
    assert (meta.date, meta.team) == (dt.date(2025, 1, 15), "Front Door / MASH")
    assert points[0].text == "Contacts had risen." and points[0].heading == "" and points[0].line == 5


def test_markdown_indented_paragraph_after_blank_line_stays_with_its_bullet(tmp_path):
    path = write(tmp_path, "v.md", "---\ndate: 2025-01-15\nteam: T\n---\n- First point\n\n  still the first point\n\n"
                 "New paragraph point\n* star bullet\n+ plus bullet\n")
    _, points = read_note(path, AUTHORITY)
    assert [p.text for p in points] == [
        "First point still the first point", "New paragraph point", "star bullet", "plus bullet"]
    assert [p.line for p in points] == [5, 9, 10, 11]


def test_markdown_table_rows_are_points_and_header_and_rules_are_not(tmp_path):
    path = write(tmp_path, "v.md", "---\ndate: 2025-01-15\nteam: T\n---\n## Issues\n| Issue | Response |\n|---|---|\n"
                 "| Wifi drops out | IT to visit |\n")
    _, points = read_note(path, AUTHORITY)
    assert [(p.text, p.heading) for p in points] == [("Issue: Wifi drops out; Response: IT to visit", "Issues")]  # header row labels cells


def test_markdown_is_read_as_commonmark_shows_it(tmp_path):
    body = ("- [x] Task box ticked\n"  # 5
            "* *Emphasis*, `code`, ![a photo of the office](img.png) \\* and &amp; read as words\n"
            "  lazy continuation\n"
            "continued without indent\n"
            "\n"
            "> Quoted from the team manager\n"  # 10
            "> over two lines\n"
            "\n"
            "| Issue | What staff said |\n"
            "|-|-|\n"
            "| IT | Laptops are slow |\n")  # 15
    assert points_of(tmp_path, body) == [
        (5, "", "Task box ticked"),
        (6, "", "Emphasis, code, a photo of the office * and & read as words lazy continuation continued "
                "without indent"),
        (10, "", "Quoted from the team manager over two lines"),
        (15, "", "Issue: IT; What staff said: Laptops are slow"),  # a one-dash rule is still a table rule
    ]


def test_markdown_comments_are_dropped_and_line_numbers_stay_true(tmp_path):
    body = "<!-- officer's reminder:\nchase the IT ticket -->\nStaff said the building is cold <!-- check -->.\n"
    assert points_of(tmp_path, body) == [(7, "", "Staff said the building is cold .")]


def test_a_list_indented_under_an_item_is_its_sub_list_where_commonmark_would_start_a_new_list(tmp_path):
    body = "1. Caseloads are high\n  - over 25 in the duty team\n  - lower in children in care\n2. Agency cover\n"
    assert points_of(tmp_path, body) == [
        (5, "", "Caseloads are high; over 25 in the duty team; lower in children in care."),
        (8, "", "Agency cover"),
    ]
    after_blank = "1. Caseloads are high\n\n  - still indented under it\n\n- not indented: a point of its own\n"
    assert [text for _, _, text in points_of(tmp_path, after_blank)] == [
        "Caseloads are high; still indented under it.", "not indented: a point of its own"]


def test_an_underlined_sentence_is_a_point_and_an_underlined_label_a_heading(tmp_path):
    body = ("Staff said the office is cold.\n---\n"  # 5: a sentence above a rule
            "Morale\n------\n"  # 7: a heading
            "- Teams feel valued\n"  # 9
            "\nManagers were asked about agency cover\nand the budget for it\n---\n")  # 11: two lines
    assert points_of(tmp_path, body) == [
        (5, "", "Staff said the office is cold."),
        (9, "Morale", "Teams feel valued"),
        (11, "Morale", "Managers were asked about agency cover and the budget for it"),
    ]


def test_text_in_code_blocks_is_read_as_markdown_with_its_own_lines(tmp_path):
    body = ("Paragraph one.\n\n"  # 5
            "    An indented paragraph\n    over two lines\n\n"  # 7
            "```\n- fenced bullet one\n- fenced bullet **two**\n```\n")  # 10 fence, 11 and 12 bullets
    assert points_of(tmp_path, body) == [
        (5, "", "Paragraph one."),
        (7, "", "An indented paragraph over two lines"),
        (11, "", "fenced bullet one"),
        (12, "", "fenced bullet two"),
    ]


def test_pipe_rows_without_a_header_rule_are_one_point_each(tmp_path):
    body = "| Caseloads | **high** in duty |\n| IT | slow |\n"
    assert points_of(tmp_path, body) == [(5, "", "Caseloads; high in duty"), (6, "", "IT; slow")]


def test_front_matter_key_line_is_the_key_not_text_that_looks_like_it(tmp_path):
    note = write(tmp_path, "a.md", "\n---\nsummary: |\n  date: written inside the summary\n'date': 2025-02-30\n"
                                   "team: T\n---\n- a point\n")
    with pytest.raises(InputError) as excinfo:
        load(note)
    assert problems_of(excinfo) == [f"{note}, line 5, 'date': date is not a date we can read: '2025-02-30' is not a "
                                    "real date (day is out of range for month)"]


def test_front_matter_errors_name_the_line(tmp_path):
    unclosed = write(tmp_path, "a.md", "---\ndate: 2025-01-15\nteam: T\n- a point\n")
    bad_yaml = write(tmp_path, "b.md", "---\ndate: 2025-01-15\nteam: [unclosed\n---\n- a point\n")
    bad_flag = write(tmp_path, "c.md", "---\ndate: 2025-01-15\nteam: T\nconfidential: maybe\n---\n- a point\n")
    doc = write(tmp_path, "d.doc", "old word")
    with pytest.raises(InputError) as excinfo:
        load(unclosed, bad_yaml, bad_flag, doc, tmp_path / "missing.md")
    found = problems_of(excinfo)
    assert found[0] == f"{unclosed}, line 1: front matter starts with '---' but has no closing '---' line"
    assert found[1].startswith(f"{bad_yaml}, line 3: front matter is not valid YAML (")
    assert found[2] == f"{bad_flag}, line 4, 'confidential': confidential must be yes or no (true/false) (value 'maybe')"
    assert found[3] == (f"{doc}: unsupported file type '.doc': visit notes must be Markdown (.md), Word (.docx) "
                        "or plain text (.txt) (open it in Word and save it as .docx)")
    assert found[4] == f"{tmp_path / 'missing.md'}: file not found"


def test_text_no_markdown_token_reads_is_a_point_where_it_stands(tmp_path):
    body = ("> " * 25 + "Quoted 25 levels deep: caseloads are high.\n\n"  # 5: past markdown-it's nesting limit
            + "".join("  " * i + f"- level {i}\n" for i in range(12))  # 7-18: levels 9 to 11 are past it
            + "\n[guide]: https://example.org/practice-guide\n\nLast point.\n")  # 20: a link definition; 22
    points = points_of(tmp_path, body)
    assert points[0] == (5, "", "Quoted 25 levels deep: caseloads are high.")
    assert points[1][0] == 7 and points[1][2].startswith("level 0; level 1; level 2;")
    assert points[2:] == [(16, "", "level 9"), (17, "", "level 10"), (18, "", "level 11"),
                          (20, "", "[guide]: https://example.org/practice-guide"), (22, "", "Last point.")]


def test_deeply_indented_text_and_code_inside_code_are_read_not_refused(tmp_path):
    body = " " * 8000 + "Indented 8,000 spaces: the office is cold.\n\n" + "    ```\n    - in a fence in a code block\n    ```\n"
    assert points_of(tmp_path, body) == [(5, "", "Indented 8,000 spaces: the office is cold."),
                                         (8, "", "in a fence in a code block")]


def test_a_heading_written_in_a_list_item_is_the_items_point(tmp_path):
    body = "- Agency use is rising\n- ## Staff morale is low\n- Supervision is patchy\n  ---\n- next\n"
    assert points_of(tmp_path, body) == [(5, "", "Agency use is rising"), (6, "", "Staff morale is low"),
                                         (7, "", "Supervision is patchy"), (9, "", "next")]


def test_table_rows_keep_every_cell_and_a_header_only_table_is_a_point(tmp_path):
    body = ("| Staff told us caseloads are over 25 |\n|---|\n\n"  # 5: a one-cell call-out box
            "| Issue | Said |\n|---|---|\n| caseloads | high | agency staff leaving |\n\n"  # 10: a cell past the header
            "| a | b |\n|---|\n| c | d |\n")  # 12: no table (the rule has too few cells): rows, the rule no point
    assert points_of(tmp_path, body) == [
        (5, "", "Staff told us caseloads are over 25"),
        (10, "", "Issue: caseloads; Said: high; agency staff leaving"),
        (12, "", "a; b"), (14, "", "c; d")]

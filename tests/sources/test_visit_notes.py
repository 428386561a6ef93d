"""Visit-note ingestion: the three formats, encodings, point splitting, metadata and every error."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import docx
import pytest

from scrutiny_kit.errors import InputError
from scrutiny_kit.sources.text import NotTextError, decode_text, read_text
from scrutiny_kit.sources.visit_notes import NOTE_COLUMNS, expand_note_paths, load_visit_notes, read_note

FIXTURES = Path(__file__).parents[1] / "fixtures" / "notes"
EXAMPLES = Path(__file__).parents[2] / "examples" / "frontline" / "visits"
AUTHORITY = "Example County Council"


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def load(*paths: Path):
    return load_visit_notes(list(paths), default_authority=AUTHORITY)


def problems_of(excinfo: pytest.ExceptionInfo[InputError]) -> list[str]:
    return [str(p) for p in excinfo.value.problems]


# --------------------------------------------------------------------------- Markdown


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


def test_markdown_uk_date_string_visitors_authority_and_confidential(tmp_path):
    path = write(tmp_path, "v.md", "---\nDate: 04/03/2025\nTeam: Riverside Locality Team\n"
                 "Authority: Other Council\nVisitors: Cllr C Evans, Cllr D Hughes\nconfidential: yes\n---\n- One point\n")
    meta, points = read_note(path, AUTHORITY)
    assert meta.date == dt.date(2025, 3, 4)
    assert meta.team == "Riverside Locality Team"
    assert meta.authority == "Other Council"
    assert meta.visitors == ("Cllr C Evans", "Cllr D Hughes")
    assert meta.confidential is True
    assert [p.text for p in points] == ["One point"]


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


FRONT = "---\ndate: 2025-01-15\nteam: T\n---\n"  # four lines: a body starts on line 5


def points_of(tmp_path: Path, body: str) -> list[tuple[int, str, str]]:
    _, points = read_note(write(tmp_path, "v.md", FRONT + body), AUTHORITY)
    return [(p.line, p.heading, p.text) for p in points]


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


# --------------------------------------------------------------------------- plain text and encodings


def test_text_fixture_windows_1252_crlf_bullets_and_headings():
    raw = (FIXTURES / "riverside-cp1252.txt").read_bytes()
    assert b"\r\n" in raw and b"\x93" in raw  # really Windows-1252 with CRLF line endings
    notes = load(FIXTURES / "riverside-cp1252.txt")
    assert notes["date"].iloc[0] == dt.date(2025, 1, 15)
    assert notes["team"].iloc[0] == "Riverside Locality Team"
    assert notes["visitors"].iloc[0] == "Cllr C Evans; Cllr D Hughes"
    rows = list(notes.itertuples())
    assert [(r.heading, r.text) for r in rows] == [
        ("VISIT NOTE – RIVERSIDE", "Members were shown round the office."),
        ("CASELOADS", "Caseloads are “too high” – around 26 each – and the £1,500 market supplement has not helped."),
        ("CASELOADS", "Two posts are vacant; one since the summer."),
        ("The team told us", "Laptops are slow"),
        ("The team told us", "Parking is difficult at the civic centre. Staff arrive early to find a space."),
    ]
    assert [r.line for r in rows] == [7, 10, 12, 16, 17]


def test_utf8_bom_and_utf16_text_are_read(tmp_path):
    body = "Date: 2025-02-11\nTeam: Children in Care Team\n\n• Young people’s views were heard\n"
    for name, data in [("bom.txt", "\ufeff" + body), ("utf16.txt", body)]:
        encoding = "utf-16" if name == "utf16.txt" else "utf-8"
        meta, points = read_note(write(tmp_path, name, data, encoding), AUTHORITY)
        assert meta.team == "Children in Care Team"
        assert points[0].text == "Young people’s views were heard"


def test_decode_text_encodings():
    assert decode_text("“£5”".encode("cp1252")) == "“£5”"
    assert decode_text("\ufeffcafé".encode("utf-8")) == "café"
    # the five bytes cp1252 leaves undefined decode (as Latin-1) to C1 control characters, which are removed
    assert decode_text(b"\x81 undefined in cp1252 \x93") == " undefined in cp1252 “"
    with pytest.raises(NotTextError, match="not a plain text file"):
        decode_text(b"PK\x03\x04\x00\x00binary")


def test_read_text_normalises_line_endings(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"one\r\ntwo\rthree\n")
    assert read_text(path) == "one\ntwo\nthree\n"


def test_text_key_block_continuation_and_colon_heading_needs_to_stand_alone(tmp_path):
    path = write(tmp_path, "v.txt", "Date: 11/02/2025\nTeam: Children in Care Team\nVisitors: Cllr A Patel;\n"
                 "  Cllr B Jones\n\nStaff said the following: caseloads are high.\nNot a heading:\ncontinues here\n")
    meta, points = read_note(path, AUTHORITY)
    assert meta.visitors == ("Cllr A Patel", "Cllr B Jones")
    assert [p.text for p in points] == ["Staff said the following: caseloads are high. Not a heading: continues here"]
    assert points[0].heading == ""


# --------------------------------------------------------------------------- Word


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


def test_docx_key_block_headings_list_levels_and_table_rows(tmp_path):
    meta, points = read_note(make_docx(tmp_path / "leaving.docx"), AUTHORITY)
    assert (meta.date, meta.team, meta.visitors, meta.confidential) == (
        dt.date(2025, 3, 4), "Leaving Care Team", ("Cllr A Patel",), True)
    assert [(p.line, p.heading, p.text) for p in points] == [
        (6, "Caseloads", "Personal advisers hold 30 young people each. Because two posts are vacant."),
        (9, "Caseloads", "A plain paragraph about the office."),
        (12, "Training", "Topic: Tenancy training; Comment: Useful"),  # the header row (block 11) labels cells
    ]


def test_docx_metadata_from_core_properties(tmp_path):
    path = make_docx(tmp_path / "props.docx", key_block=False, keywords="date: 2025-03-04; confidential: no",
                     title="Leaving Care Team")
    meta, points = read_note(path, AUTHORITY)
    assert (meta.date, meta.team, meta.confidential) == (dt.date(2025, 3, 4), "Leaving Care Team", False)
    assert points[0].text.startswith("Personal advisers hold 30")


def test_docx_created_property_is_not_used_as_the_visit_date(tmp_path):
    path = make_docx(tmp_path / "nodate.docx", key_block=False, title="Leaving Care Team")
    with pytest.raises(InputError) as excinfo:
        read_note(path, AUTHORITY)
    assert problems_of(excinfo) == [
        f"{path}, 'date': missing date: add 'date: DD/MM/YYYY' in a 'Key: value' paragraph at the top of the document"]


# --------------------------------------------------------------------------- errors


def test_every_bad_file_is_reported_at_once_with_its_own_message(tmp_path):
    good = write(tmp_path, "a-good.md", "---\ndate: 2025-01-15\nteam: T\n---\n- fine\n")
    no_date = write(tmp_path, "b-no-date.md", "---\nteam: T\n---\n- a point\n")
    bad_date = write(tmp_path, "c-bad-date.md", "---\ndate: 31/02/2025\nteam: T\n---\n- a point\n")
    no_team = write(tmp_path, "d-no-team.txt", "Date: 2025-01-15\n\n- a point\n")
    empty = write(tmp_path, "e-empty.md", "")
    no_points = write(tmp_path, "f-no-points.md", "---\ndate: 2025-01-15\nteam: T\n---\n## Only a heading\n")
    pdf = write(tmp_path, "g-note.pdf", "%PDF")
    broken = write(tmp_path, "h-broken.docx", "this is not a Word file")
    with pytest.raises(InputError) as excinfo:
        load_visit_notes(expand_note_paths([tmp_path]), default_authority=AUTHORITY)
    assert problems_of(excinfo) == [
        f"{no_date}, 'date': missing date: add 'date: DD/MM/YYYY' to the front matter",
        f"{bad_date}, line 2, 'date': date is not a date we can read: '31/02/2025' is not a real date "
        "(day is out of range for month)",
        f"{no_team}, 'team': missing team: add 'team: the team's name' in the block of 'Key: value' lines "
        "at the top of the file",
        f"{empty}: the file is empty: a visit note needs a date, a team and at least one point",
        f"{no_points}: no points found: write each point as a bullet or a paragraph under the metadata",
        f"{pdf}: unsupported file type '.pdf': visit notes must be Markdown (.md), Word (.docx) or plain text (.txt)",
        f"{broken}: could not be opened as a Word document: it is not a .docx file (an old .doc renamed, a damaged "
        "file or a password-protected one?); save it from Word as .docx",
    ]
    assert str(good) not in str(excinfo.value)
    assert excinfo.value.exit_code == 2
    assert str(excinfo.value).startswith("Input files have problems:\n  - ")


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


def test_missing_key_hint_points_at_a_key_written_below_the_block(tmp_path):
    path = write(tmp_path, "v.txt", "Team: T\n\n- a point\nDate: 2025-01-15\n")
    with pytest.raises(InputError) as excinfo:
        read_note(path, AUTHORITY)
    assert problems_of(excinfo) == [
        f"{path}, 'date': missing date: add 'date: DD/MM/YYYY' in the block of 'Key: value' lines at the top of the "
        "file (line 4 has 'Date:' but it is not in the metadata block at the top)"]


# --------------------------------------------------------------------------- paths and the example review


def test_expand_note_paths_folders_globs_and_hidden_files(tmp_path):
    (tmp_path / "sub").mkdir()
    a = write(tmp_path, "b.md", "x")
    b = write(tmp_path, "a.txt", "x")
    write(tmp_path, ".hidden.md", "x")
    write(tmp_path, "~$lock.docx", "x")
    c = write(tmp_path / "sub", "c.md", "x")
    assert expand_note_paths([tmp_path]) == [b, a]
    assert expand_note_paths([str(tmp_path / "**" / "*.md")]) == [a, c]
    assert expand_note_paths([tmp_path / "nothing-*.md"]) == [tmp_path / "nothing-*.md"]


def test_empty_list_gives_an_empty_frame_with_the_contract_columns():
    notes = load_visit_notes([], default_authority=AUTHORITY)
    assert list(notes.columns) == NOTE_COLUMNS and len(notes) == 0


def test_example_review_visit_notes(tmp_path):
    notes = load_visit_notes(expand_note_paths([EXAMPLES]), default_authority=AUTHORITY)
    per_note = notes.groupby("source")["point"].max()
    assert len(per_note) >= 7
    assert per_note.between(6, 15).all(), per_note.to_dict()
    assert notes["team"].nunique() >= 4
    assert {Path(s).suffix for s in per_note.index} >= {".md", ".docx", ".txt"}
    assert notes.groupby("source")["confidential"].first().sum() == 1
    assert all(dt.date(2024, 1, 1) <= d <= dt.date(2025, 12, 31) for d in notes["date"])
    assert (notes["authority"] == AUTHORITY).all()
    # the committed .docx is what make_docx_note.py produces
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_docx_note", EXAMPLES.parent / "make_docx_note.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    fresh = module.build(tmp_path / "fresh.docx")
    shutil.copy(EXAMPLES / "2025-03-04-leaving-care.docx", tmp_path / "committed.docx")
    assert read_note(fresh, AUTHORITY) == read_note(tmp_path / "committed.docx", AUTHORITY)


def test_visit_metadata_is_required_for_a_review_but_not_to_code_any_text():
    briefing = FIXTURES / "committee_briefing.txt"
    with pytest.raises(InputError) as excinfo:
        load_visit_notes([briefing], default_authority="Example County Council")
    assert {p.field for p in excinfo.value.problems} == {"date", "team"}
    notes = load_visit_notes([briefing], default_authority="Example County Council", visit_metadata=False)
    assert len(notes) == 10 and notes["date"].isna().all() and set(notes["team"]) == {""}
    assert notes["text"].iloc[-1].startswith("Team managers said reflective supervision")


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


# --------------------------------------------------------------------------- hostile files


NOTE = "---\ndate: 2025-02-03\nteam: Riverside Locality Team\n---\n- Caseloads had risen to 27.\n"


def refused(path: Path) -> list[str]:
    """The problems a note is refused with (it must be refused)."""
    with pytest.raises(InputError) as exc:
        load(path)
    return problems_of(exc)


def test_a_note_linking_outside_the_notes_folder_is_refused_naming_link_and_target(tmp_path):
    folder = tmp_path / "visits"
    folder.mkdir()
    write(folder, "riverside.md", NOTE)
    elsewhere = write(tmp_path, "other-review-confidential.md", NOTE.replace("27", "99 (confidential)"))
    (folder / "leak.md").symlink_to(elsewhere)
    (folder / "same.md").symlink_to(folder / "riverside.md")  # a link that stays inside is fine
    with pytest.raises(InputError) as exc:
        load_visit_notes(expand_note_paths([folder]), default_authority=AUTHORITY, folder=folder)
    assert problems_of(exc) == [
        f"{folder / 'leak.md'}: this note is a link to {elsewhere}, outside the review's visit notes folder "
        f"({folder}): copy the file into the folder instead of linking to it"]
    (folder / "leak.md").unlink()
    notes = load_visit_notes(expand_note_paths([folder]), default_authority=AUTHORITY, folder=folder)
    assert notes["source"].tolist() == ["riverside.md", "same.md"]


def test_a_note_over_the_size_limit_is_refused_with_the_limit(tmp_path, monkeypatch):
    path = write(tmp_path, "big.md", NOTE + "".join(f"- Point {i} about caseloads.\n" for i in range(200)))
    monkeypatch.setenv("SCRUTINY_KIT_MAX_NOTE_BYTES", "2000")
    assert refused(path) == [
        f"{path}: this note cannot be read: {path.stat().st_size:,} bytes is over the limit of 2,000 bytes in one "
        "visit note (characters of text for a Word note); if the file is genuine, set SCRUTINY_KIT_MAX_NOTE_BYTES to "
        "a larger number for this run; or split it into one file per visit"]
    monkeypatch.setenv("SCRUTINY_KIT_MAX_NOTE_BYTES", str(path.stat().st_size))
    assert len(load(path)) == 201


def test_a_word_note_with_more_text_than_the_limit_is_refused(tmp_path, monkeypatch):
    path = make_docx(tmp_path / "visit.docx")
    monkeypatch.setenv("SCRUTINY_KIT_MAX_NOTE_BYTES", "50")
    with pytest.raises(InputError, match=r"visit.docx: this note cannot be read: \d+ characters is over the limit of "
                                         r"50 bytes in one visit note \(characters of text for a Word note\)"):
        load(path)


def test_a_note_of_more_points_than_the_limit_is_refused(tmp_path, monkeypatch):
    path = write(tmp_path, "many.txt", "Date: 03/02/2025\nTeam: Riverside\n\n" + "".join(f"- x {i}\n" for i in range(30)))
    monkeypatch.setenv("SCRUTINY_KIT_MAX_NOTE_POINTS", "25")
    assert refused(path) == [
        f"{path}: this note cannot be read: 30 points is over the limit of 25 points in one visit note; if the file "
        "is genuine, set SCRUTINY_KIT_MAX_NOTE_POINTS to a larger number for this run; or split it into one file per "
        "visit"]
    monkeypatch.setenv("SCRUTINY_KIT_MAX_NOTE_POINTS", "30")
    assert load(path)["text"].tolist()[-1] == "x 29"


def test_a_word_note_with_a_doctype_is_refused_not_cut_at_its_entities(tmp_path):
    from conftest import edit_zip_part

    def with_doctype(xml: bytes) -> bytes:
        head, rest = xml.split(b"?>", 1)
        return head + b'?><!DOCTYPE w:document [<!ENTITY s "social workers">]>' + rest.replace(
            b"Caseloads", b"Caseloads for &s;", 1)

    path = edit_zip_part(make_docx(tmp_path / "visit.docx"), "word/document.xml", with_doctype)
    assert refused(path) == [
        f"{path}: this Word document contains a DOCTYPE declaration (in word/document.xml), which Word and Excel "
        "never write: its entities could hide or cut text, so the file is refused. Open it in Word or Excel and save "
        "it again under a new name"]


def test_a_word_note_of_too_many_paragraphs_is_refused(tmp_path, monkeypatch):
    path = make_docx(tmp_path / "visit.docx")
    monkeypatch.setenv("SCRUTINY_KIT_MAX_DOCX_PARAGRAPHS", "3")
    with pytest.raises(InputError, match="more than 3 paragraphs is over the limit of 3 paragraphs"):
        load(path)


def test_control_and_format_characters_never_reach_the_points(tmp_path):
    text = ('---\ndate: 2025-02-03\nteam: "Riverside\\e]0;pwned\\a Team"\nvisitors: "Cllr A\\u202eB"\n---\n'
            "- Staff said\x1b[2J caseloads\x08 were high\u200b.\n- Rota\u0085 was\tfine.\n")
    notes = load(write(tmp_path, "v.md", text))
    assert notes["team"].tolist() == ["Riverside]0;pwned Team"] * 2
    assert notes["visitors"].tolist() == ["Cllr AB"] * 2
    assert notes["text"].tolist() == ["Staff said[2J caseloads were high.", "Rota was fine."]


def test_visit_dates_after_the_report_are_errors_and_very_old_ones_warnings(tmp_path):
    from scrutiny_kit.sources.visit_notes import visit_date_problems

    files = [write(tmp_path, f"{name}.md", NOTE.replace("2025-02-03", date))
             for name, date in (("future", "2026-01-05"), ("old", "1900-01-01"), ("fine", "2016-01-01"))]
    notes = load(*files)
    errors, warnings = visit_date_problems(notes, dt.date(2025, 3, 31), files)
    assert [str(p) for p in errors] == [
        f"{files[0]}, 'date': the visit date 5 January 2026 is after the report date 31 March 2025: check the date "
        "(or the params' report_date)"]
    assert [str(p) for p in warnings] == [
        f"{files[1]}, 'date': the visit date 1 January 1900 is more than 10 years before the report date 31 March "
        "2025: check it is not a typing slip"]

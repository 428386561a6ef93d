""".txt visit notes: the Key: value block, encodings, bullets, headings and continuation lines."""
from __future__ import annotations

import datetime as dt

from scrutiny_kit.sources.visit_notes import read_note
from visit_note_files import AUTHORITY, FIXTURES, load, write


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


def test_text_key_block_continuation_and_colon_heading_needs_to_stand_alone(tmp_path):
    path = write(tmp_path, "v.txt", "Date: 11/02/2025\nTeam: Children in Care Team\nVisitors: Cllr A Patel;\n"
                 "  Cllr B Jones\n\nStaff said the following: caseloads are high.\nNot a heading:\ncontinues here\n")
    meta, points = read_note(path, AUTHORITY)
    assert meta.visitors == ("Cllr A Patel", "Cllr B Jones")
    assert [p.text for p in points] == ["Staff said the following: caseloads are high. Not a heading: continues here"]
    assert points[0].heading == ""

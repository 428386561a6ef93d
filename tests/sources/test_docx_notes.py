"""Word visit notes: the key block or document properties, headings, list levels, tables and hostile files."""
from __future__ import annotations

import datetime as dt

import pytest

from scrutiny_kit.errors import InputError
from scrutiny_kit.sources.visit_notes import read_note
from visit_note_files import AUTHORITY, load, make_docx, problems_of, refused


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


def test_a_word_note_with_more_text_than_the_limit_is_refused(tmp_path, monkeypatch):
    path = make_docx(tmp_path / "visit.docx")
    monkeypatch.setenv("SCRUTINY_KIT_MAX_NOTE_BYTES", "50")
    with pytest.raises(InputError, match=r"visit.docx: this note cannot be read: \d+ characters is over the limit of "
                                         r"50 bytes in one visit note \(characters of text for a Word note\)"):
        load(path)


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

"""Office files checked before a library opens them: bounded once unzipped, no DOCTYPE, a bounded number of
paragraphs. Zip bombs and DOCTYPE documents are written by the test, small, with limits lowered where needed."""
from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from conftest import edit_zip_part
from scrutiny_kit.sources.office import docx_paragraph_problems, package_problems

DOCTYPE = b'<!DOCTYPE w:document [<!ENTITY staff "frontline staff">]>'


def word(path: Path, paragraphs: list[str]) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def with_doctype(xml: bytes) -> bytes:
    head, rest = xml.split(b"?>", 1)
    return head + b"?>" + DOCTYPE + rest.replace(b"STAFF", b"&staff;")


def texts(problems) -> list[str]:
    return [str(p) for p in problems]


def test_a_sound_document_and_workbook_pass(tmp_path: Path) -> None:
    assert package_problems(word(tmp_path / "n.docx", ["Date: 03/02/2025", "Caseloads are high"]), "Word document") == []
    wb = openpyxl.Workbook()
    wb.active.append(["period", "authority"])
    wb.save(tmp_path / "w.xlsx")
    assert package_problems(tmp_path / "w.xlsx", "Excel workbook") == []
    assert package_problems(tmp_path / "n.docx", "x") == [] and docx_paragraph_problems(tmp_path / "n.docx") == []


def test_a_zip_that_inflates_past_the_limit_is_refused_before_it_is_read(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    path = word(tmp_path / "bomb.docx", ["Date: 03/02/2025"])
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/media/padding.xml", b"<a/>" + b" " * 3_000_000)  # 3 MB that zips to a few KB
    assert path.stat().st_size < 50_000
    monkeypatch.setenv("SCRUTINY_KIT_MAX_OFFICE_BYTES", "1000000")
    size = sum(info.file_size for info in zipfile.ZipFile(path).infolist())
    assert texts(package_problems(path, "Word document")) == [
        f"{path}: this Word document cannot be read: {size:,} bytes is over the limit of 1,000,000 bytes once "
        "unzipped (a .docx or .xlsx file is a zip of XML files); if the file is genuine, set "
        "SCRUTINY_KIT_MAX_OFFICE_BYTES to a larger number for this run"]
    monkeypatch.setenv("SCRUTINY_KIT_MAX_OFFICE_BYTES", str(size))
    assert package_problems(path, "Word document") == []


def test_a_zip_of_too_many_files_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wb = openpyxl.Workbook()
    for i in range(12):
        wb.create_sheet(f"S{i}")
    wb.save(tmp_path / "w.xlsx")
    monkeypatch.setenv("SCRUTINY_KIT_MAX_OFFICE_ENTRIES", "15")
    count = len(zipfile.ZipFile(tmp_path / "w.xlsx").infolist())
    assert texts(package_problems(tmp_path / "w.xlsx", "Excel workbook")) == [
        f"{tmp_path / 'w.xlsx'}: this Excel workbook cannot be read: {count} files is over the limit of 15 files "
        "inside the .docx or .xlsx zip; if the file is genuine, set SCRUTINY_KIT_MAX_OFFICE_ENTRIES to a larger "
        "number for this run"]


def test_a_doctype_is_refused_in_word_and_excel_files(tmp_path: Path) -> None:
    path = edit_zip_part(word(tmp_path / "n.docx", ["Caseloads for STAFF are high"]), "word/document.xml", with_doctype)
    assert DOCTYPE in zipfile.ZipFile(path).read("word/document.xml")
    assert texts(package_problems(path, "Word document")) == [
        f"{path}: this Word document contains a DOCTYPE declaration (in word/document.xml), which Word and Excel "
        "never write: its entities could hide or cut text, so the file is refused. Open it in Word or Excel and "
        "save it again under a new name"]
    wb = openpyxl.Workbook()
    wb.save(tmp_path / "w.xlsx")
    edit_zip_part(tmp_path / "w.xlsx", "xl/workbook.xml", lambda xml: xml.replace(b"<workbook", b"<!doctype workbook>"
                                                                                b"<workbook", 1))
    assert "contains a DOCTYPE declaration (in xl/workbook.xml)" in texts(package_problems(tmp_path / "w.xlsx",
                                                                                            "Excel workbook"))[0]


def test_a_doctype_in_utf16_is_found_too(tmp_path: Path) -> None:
    path = word(tmp_path / "n.docx", ["x"])
    edit_zip_part(path, "docProps/app.xml", lambda xml: ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x>'
                                                     "<Properties/>").encode("utf-16"))
    assert "(in docProps/app.xml)" in texts(package_problems(path, "Word document"))[0]


def test_millions_of_empty_paragraphs_are_counted_not_built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = word(tmp_path / "n.docx", ["Date: 03/02/2025", "Team: Riverside", "BODY"])
    edit_zip_part(path, "word/document.xml", lambda xml: xml.replace(b"<w:p>", b"<w:p/>" * 3000 + b"<w:p>", 1))
    monkeypatch.setenv("SCRUTINY_KIT_MAX_DOCX_PARAGRAPHS", "2000")
    assert texts(docx_paragraph_problems(path)) == [
        f"{path}: this Word document cannot be read: more than 2,000 paragraphs is over the limit of 2,000 "
        "paragraphs and table rows in a Word visit note; if the file is genuine, set SCRUTINY_KIT_MAX_DOCX_PARAGRAPHS "
        "to a larger number for this run"]
    monkeypatch.setenv("SCRUTINY_KIT_MAX_DOCX_PARAGRAPHS", "5000")
    assert docx_paragraph_problems(path) == []


def test_a_file_that_is_not_a_zip_is_left_to_its_reader(tmp_path: Path) -> None:
    (tmp_path / "n.docx").write_bytes(b"not a zip")
    assert package_problems(tmp_path / "n.docx", "Word document") == []
    assert docx_paragraph_problems(tmp_path / "n.docx") == []

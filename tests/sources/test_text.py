"""The one reader of text and CSV files every source uses (scrutiny_kit/sources/text.py)."""
from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from scrutiny_kit.sources.text import NotTextError, decode_text, read_csv, read_text, sniff_delimiter


@pytest.mark.parametrize(("text", "expected"), [
    ("period,authority,caseload_avg\n2024,X,20\n", ","),
    ("period;authority;vacancy_rate\n2024;X;12,5\n2023;X;11,0\n", ";"),
    ("period\tauthority\tcaseload_avg\n2024\tX, a council\t20\n", "\t"),
    ('id,recommendation\nR1,"Review caseloads; report back; by March"\nR2,"Fund posts; recruit"\n', ","),
    ("period\n2024\n", ","),  # one column: nothing to sniff
    ("", ","),
])
def test_sniff_delimiter(text: str, expected: str) -> None:
    assert sniff_delimiter(text) == expected


def test_read_csv_utf16_semicolons_and_quoted_cells(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(codecs.BOM_UTF16_LE + 'id;recommendation\r\nR1;"Café; staff"\r\n'.encode("utf-16-le"))
    assert read_csv(path) == [["id", "recommendation"], ["R1", "Café; staff"]]


def test_read_csv_windows_1252_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes("team,cost\nCafé,£5\n".encode("cp1252"))
    assert read_csv(path) == [["team", "cost"], ["Café", "£5"]]
    path.write_bytes(codecs.BOM_UTF8 + "team,cost\nA,1\n".encode())
    assert read_csv(path)[0] == ["team", "cost"]


def test_read_csv_refuses_binary(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"PK\x03\x04\x00\x00binary")
    with pytest.raises(NotTextError):
        read_csv(path)


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

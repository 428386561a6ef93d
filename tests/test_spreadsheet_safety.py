"""Cells a spreadsheet would run as a formula get a leading apostrophe; numbers stay numbers."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from scrutiny_kit.spreadsheet_safety import frame_csv, neutralise, neutralise_sheet, rows_csv


@pytest.mark.parametrize("text", ["=1+1", "=HYPERLINK(\"http://x.example\",\"go\")", "+SUM(A1)", "-2+3+cmd|' /C calc'!A0",
                                  "@SUM(A1:A2)", "\tleading tab", "\rcarriage return", "-", "+44 7700 900123 ext"])
def test_formula_like_text_gets_a_leading_apostrophe(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", [-2.5, 3, 0, "-2.5", "+3", "-1,234.5", "12%", "Caseloads = 20", "", None, True,
                                   "North Team", "'already quoted"])
def test_numbers_and_ordinary_text_are_unchanged(value: object) -> None:
    assert neutralise(value) == value


def test_frame_csv_neutralises_text_columns_and_keeps_numeric_ones() -> None:
    frame = pd.DataFrame({"text": ["=cmd", "fine", "-1"], "n": [-1, 2, 3], "rate": [-0.5, 1.5, None]})
    rows = list(csv.reader(io.StringIO(frame_csv(frame))))
    assert rows == [["text", "n", "rate"], ["'=cmd", "-1", "-0.5"], ["fine", "2", "1.5"], ["-1", "3", ""]]
    assert frame.loc[0, "text"] == "=cmd"  # the input frame is not changed


def test_rows_csv_for_dict_rows() -> None:
    text = rows_csv([{"authority": "@Example", "points": 3}], ["authority", "points"])
    assert text == "authority,points\n'@Example,3\n"


def test_an_excel_sheet_keeps_text_as_text_and_numbers_as_numbers(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["=SUM(A1:A3)", "@name", -4.5, "ordinary"])
    neutralise_sheet(sheet)
    path = tmp_path / "out.xlsx"
    book.save(path)
    read = openpyxl.load_workbook(path).active
    cells = [c for c in next(read.iter_rows())]
    assert [c.value for c in cells] == ["'=SUM(A1:A3)", "'@name", -4.5, "ordinary"]
    assert [c.data_type for c in cells] == ["s", "s", "n", "s"]  # no formula cell

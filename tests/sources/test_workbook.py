"""Reading one worksheet of an .xlsx safely: which sheet, only as far as the data goes, and only values Excel saved.
Every workbook is written by the test (openpyxl), some then edited as the zip of XML they are."""
from __future__ import annotations

import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from conftest import edit_zip_part, write_workbook
from scrutiny_kit.errors import InputError
from scrutiny_kit.sources.recommendations import load_recommendations
from scrutiny_kit.sources.workbook import read_sheet
from scrutiny_kit.sources.workforce import load_workforce

HEADER = ["period", "authority", "caseload_avg"]


def messages(exc: pytest.ExceptionInfo[InputError]) -> str:
    return "\n".join(str(p) for p in exc.value.problems)


def test_a_hidden_sheet_of_old_figures_is_not_read(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "w.xlsx", [("Old figures", [HEADER, ["2024", "X", 77.7]], "hidden"),
                                      ("2024 return", [HEADER, ["2024", "X", 22.8]], "visible")])
    wf = load_workforce(path, authority="X")
    assert wf.data.loc[wf.data["measure"] == "caseload_avg", "value"].tolist() == [22.8]
    assert wf.sheet == "2024 return" and wf.source == f"{path} (sheet '2024 return')"


def test_several_visible_sheets_with_data_are_an_error_listing_them(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "w.xlsx", [("2023", [HEADER, ["2023", "X", 20]], "visible"),
                                      ("Blank", [], "visible"),
                                      ("2024", [HEADER, ["2024", "X", 22]], "visible")])
    with pytest.raises(InputError) as exc:
        load_workforce(path, authority="X")
    assert messages(exc) == (f"{path}: the workbook has 2 visible sheets with data ('2023', '2024'): name the one "
                             "to read 'workforce', or delete or hide the others")


def test_the_sheet_named_for_the_input_wins_and_an_empty_extra_sheet_is_no_choice(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "w.xlsx", [("Notes", [["read me"]], "visible"),
                                      ("WORKFORCE ", [HEADER, ["2024", "X", 19]], "hidden")])
    assert load_workforce(path, authority="X").sheet == "WORKFORCE "
    path = write_workbook(tmp_path / "w2.xlsx", [("Sheet1", [HEADER, ["2024", "X", 19]], "visible"), ("Sheet2", [], "visible")])
    assert load_workforce(path, authority="X").sheet == "Sheet1"


def test_only_hidden_sheets_with_data_says_so(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "w.xlsx", [("Cover", [], "visible"), ("Old", [HEADER], "hidden"),
                                      ("Blank", [], "visible")])
    with pytest.raises(InputError, match=r"no visible sheet of the workbook has any data \(hidden sheets: 'Old'"):
        load_workforce(path, authority="X")


def test_a_tracker_reads_its_visible_sheet_and_names_it(tmp_path: Path) -> None:
    rows = [["id", "recommendation", "themes", "owner", "response", "due", "status"],
            [1, "Cap caseloads", "caseload_workload", "AD", "Accepted", "30/06/2025", "On track"]]
    old = [rows[0], [1, "Old wording", "caseload_workload", "AD", "Rejected", "30/06/2020", "Not started"]]
    path = write_workbook(tmp_path / "t.xlsx", [("Archive", old, "hidden"), ("Tracker", rows, "visible")])
    recs = load_recommendations(path, theme_ids={"caseload_workload"})
    assert recs["recommendation"].tolist() == ["Cap caseloads"] and recs.attrs["sheet"] == "Tracker"


def test_a_stray_cell_in_the_far_corner_is_refused_at_once(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append(["2024", "X", 20])
    ws["XFD1048576"] = "x"
    wb.save(tmp_path / "w.xlsx")
    assert (tmp_path / "w.xlsx").stat().st_size < 10_000
    started = time.perf_counter()
    with pytest.raises(InputError) as exc:
        load_workforce(tmp_path / "w.xlsx", authority="X")
    assert time.perf_counter() - started < 5
    assert messages(exc) == (
        f"{tmp_path / 'w.xlsx'}: the sheet 'Sheet' cannot be read: its cells reach XFD1048576; 1,048,576 rows "
        "x 16,384 columns is over the limit of 5,000,000 cells in the area a worksheet's data covers (rows x "
        "columns); if the file is genuine, set SCRUTINY_KIT_MAX_SHEET_CELLS to a larger number for this run "
        "(delete stray cells outside the table)")


def test_a_huge_declared_size_is_ignored_when_the_data_is_small(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "w.xlsx", [("Sheet", [HEADER, ["2024", "X", 20]], "visible")])
    edit_zip_part(path, "xl/worksheets/sheet1.xml",
              lambda xml: xml.replace(b'<dimension ref="A1:C2"/>', b'<dimension ref="A1:XFD1048576"/>'))
    assert b"XFD1048576" in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    started = time.perf_counter()
    sheet = read_sheet(path, preferred="workforce")
    assert time.perf_counter() - started < 5
    assert sheet.rows == [HEADER, ["2024", "X", 20]]


def test_the_cell_limit_can_be_lowered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_workbook(tmp_path / "w.xlsx", [("Sheet", [HEADER] + [["2024", f"A{i}", i] for i in range(10)], "visible")])
    monkeypatch.setenv("SCRUTINY_KIT_MAX_SHEET_CELLS", "20")
    with pytest.raises(InputError, match=r"its cells reach C7; 7 rows x 3 columns is over the limit of 20 "):
        read_sheet(path, preferred="workforce")


def test_formula_cells_with_no_saved_value_are_named(tmp_path: Path) -> None:
    # openpyxl, like any script, writes formulas without the value Excel would calculate and save
    path = write_workbook(tmp_path / "w.xlsx", [("Sheet", [HEADER, ["2023", "X", 20], ["2024", "X", "=C2*1.1"],
                                                 ["2025", "X", "=C3+1"]], "visible")])
    with pytest.raises(InputError) as exc:
        load_workforce(path, authority="X")
    assert messages(exc) == (
        f"{path}: on sheet 'Sheet', formula cells with no saved value: C3, C4 (the workbook was written by a "
        "program or never recalculated, so they would read as blank): open the file in Excel, let it calculate, "
        "and save it")


def test_a_formula_with_its_saved_value_is_read(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "w.xlsx", [("Sheet", [HEADER, ["2024", "X", "=20+2"]], "visible")])
    edit_zip_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"<f>20+2</f><v></v>", b"<f>20+2</f><v>22</v>"))
    assert read_sheet(path, preferred="workforce").rows[1] == ["2024", "X", 22]


def test_cells_linked_to_another_workbook_are_named(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "t.xlsx", [("Tracker", [["id", "recommendation"], [1, "='[1]Sheet1'!B2"],
                                                   [2, "Plain"]], "visible")])
    with pytest.raises(InputError, match=r"on sheet 'Tracker', cells that take their value from another workbook "
                                         r"\(external links\): B2; "):
        load_recommendations(path, theme_ids=set())


def test_control_characters_in_cells_are_removed(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "w.xlsx", [("Sheet", [HEADER + ["team"], ["2024", "X", 20, "TEAMNAME"]], "visible")])
    # C1 controls (here CSI, which terminals obey like ESC [) and a right-to-left override, as XML allows them
    edit_zip_part(path, "xl/worksheets/sheet1.xml",
              lambda xml: xml.replace(b"TEAMNAME", b"Riverside&#x9B;2J&#x85;\xe2\x80\xae Team"))
    wf = load_workforce(path, authority="X")
    assert wf.teams == ["Riverside2J Team"]


def test_a_sheet_of_formatted_empty_cells_is_bounded_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    wb.active.append(HEADER)
    for row in range(2, 12):
        for column in range(1, 4):
            wb.active.cell(row, column).font = Font(bold=True)  # written, but empty
    wb.save(tmp_path / "w.xlsx")
    monkeypatch.setenv("SCRUTINY_KIT_MAX_SHEET_CELLS", "20")
    with pytest.raises(InputError, match=r"its cells reach C7; 7 rows x 3 columns is over the limit of 20 "):
        read_sheet(tmp_path / "w.xlsx", preferred="workforce")
    monkeypatch.setenv("SCRUTINY_KIT_MAX_SHEET_CELLS", "33")
    assert read_sheet(tmp_path / "w.xlsx", preferred="workforce").rows == [HEADER]


def test_a_damaged_sheet_is_a_message(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "w.xlsx", [("Sheet", [HEADER, ["2024", "X", 20]], "visible")])
    edit_zip_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"</sheetData>", b"<row></sheetData>"))
    with pytest.raises(InputError, match=r"w.xlsx: a sheet of the workbook cannot be read \(ParseError: mismatched tag"):
        load_workforce(path, authority="X")

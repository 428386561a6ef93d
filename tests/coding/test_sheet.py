"""The officer's coding sheet as a real .xlsx file: written with openpyxl, edited as an officer would, read back."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from checking import DECISIONS, edit, header, row_of, small_review
from scrutiny_kit.coding.codebook import load_codebook
from scrutiny_kit.coding import code_points
from scrutiny_kit.coding.check import proposal_rows
from scrutiny_kit.coding.sheet import read_sheet, write_sheet
from scrutiny_kit.errors import InputError
from scrutiny_kit.params import load_params, note_files
from scrutiny_kit.sources.visit_notes import load_visit_notes


@pytest.fixture
def review(tmp_path: Path):
    params = load_params(small_review(tmp_path))
    codebook = load_codebook("default")
    notes = load_visit_notes(note_files(params.visit_notes), default_authority=params.authority)
    coded = code_points(notes, codebook)
    path = write_sheet(tmp_path / "coding-check.xlsx", proposal_rows(notes, coded), codebook=codebook, review=params)
    return params, codebook, notes, coded, path


def test_the_sheet_has_a_row_per_point_with_the_coders_proposal_and_empty_officer_columns(review) -> None:
    params, codebook, notes, coded, path = review
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["points", "themes", "removed", "about"]
    sheet = book["points"]
    cols = header(sheet)
    assert list(cols)[:6] == ["point id", "date", "team", "confidential", "heading", "text"]
    assert [h for h in cols if h in codebook.ids] == codebook.ids  # one column per theme, codebook order
    for name in ("matched", "proposed tone", "tone", "quote", "exclude", "note", "text hash"):
        assert name in cols
    assert sheet.max_row == 1 + len(notes) == 9  # confidential note included
    r = row_of(sheet, "east.md#1")
    assert sheet.cell(r, cols["confidential"]).value == "CONFIDENTIAL"
    assert sheet.cell(r, cols["text"]).value == notes.loc[notes["source"] == "east.md", "text"].iloc[0]
    for source, point, theme in zip(coded["source"], coded["point"], coded["theme"]):
        r = row_of(sheet, f"{source}#{point}")
        if theme:
            assert sheet.cell(r, cols[theme]).value == "x"
        proposed = coded.loc[(coded["source"] == source) & (coded["point"] == point), "tone"].iloc[0]
        assert sheet.cell(r, cols["proposed tone"]).value == proposed
        assert all(sheet.cell(r, cols[c]).value is None for c in ("tone", "quote", "exclude", "note"))
    ticked = sum(sheet.cell(r, cols[t]).value == "x" for r in range(2, sheet.max_row + 1) for t in codebook.ids)
    assert ticked == int((coded["theme"] != "").sum())


def test_the_sheet_is_pleasant_to_work_in(review) -> None:
    params, codebook, notes, coded, path = review
    sheet = openpyxl.load_workbook(path)["points"]
    cols = header(sheet)
    letter = {h: openpyxl.utils.get_column_letter(c) for h, c in cols.items()}
    assert sheet.freeze_panes == "B2"
    assert sheet.auto_filter.ref == f"A1:{letter['text hash']}9"
    assert sheet.column_dimensions[letter["text"]].width == 70
    assert sheet.cell(2, cols["text"]).alignment.wrap_text
    assert sheet.row_dimensions[2].height >= 15
    lists = {str(dv.sqref).split(":")[0].rstrip("0123456789"): dv.formula1
             for dv in sheet.data_validations.dataValidation}
    assert lists[letter["tone"]] == '"concern,positive,mixed,neutral"'
    assert lists[letter["quote"]] == '"yes,no"'
    themes = openpyxl.load_workbook(path)["themes"]
    rows = {r[0]: r for r in themes.iter_rows(min_row=2, values_only=True)}
    assert rows["caseload_workload"][1] == codebook.theme("caseload_workload").label
    assert rows["caseload_workload"][2] == codebook.theme("caseload_workload").definition
    about = dict(openpyxl.load_workbook(path)["about"].iter_rows(values_only=True))
    assert about["review id"] == params.review_id


def test_officer_edits_are_read_back(review) -> None:
    params, codebook, notes, coded, path = review
    edit(path, DECISIONS, theme_ids=codebook.ids)
    sheet = read_sheet(path, review_id=params.review_id, theme_ids=codebook.ids)
    rows = {r.point_id: r for r in sheet.rows}
    assert len(rows) == 8
    assert rows["north.md#3"].themes == {"voice_of_child", "recruitment_retention"}
    assert rows["north.md#2"].themes == set() and rows["north.md#2"].exclude
    assert rows["north.md#2"].exclude_reason == "about the visit's arrangements"
    assert rows["north.md#4"].quote == "no" and rows["south.md#1"].quote == "yes"
    assert rows["north.md#4"].tone == "concern" and rows["east.md#1"].confidential
    assert rows["north.md#1"].row == row_of(openpyxl.load_workbook(path)["points"], "north.md#1")
    assert sheet.theme_columns == tuple(codebook.ids)


def test_excel_booleans_and_a_bare_exclude_are_understood(review) -> None:
    params, codebook, notes, coded, path = review
    edit(path, {"south.md#3": {"quote": True, "exclude": "yes"}, "south.md#2": {"quote": False}},
         theme_ids=codebook.ids)
    rows = {r.point_id: r for r in read_sheet(path, review_id=params.review_id, theme_ids=codebook.ids).rows}
    assert rows["south.md#3"].quote == "yes" and rows["south.md#3"].exclude and rows["south.md#3"].exclude_reason == ""
    assert rows["south.md#2"].quote == "no"


def test_bad_cells_are_errors_naming_sheet_row_and_column(review) -> None:
    params, codebook, notes, coded, path = review
    edit(path, {"north.md#1": {"tone": "worried"}, "south.md#2": {"quote": "maybe"}}, theme_ids=codebook.ids)
    book = openpyxl.load_workbook(path)
    sheet = book["points"]
    cols = header(sheet)
    sheet.cell(1, cols["voice_of_child"]).value = "voice_of_children"
    sheet.cell(row_of(sheet, "south.md#3"), cols["caseload_workload"]).value = "perhaps"
    book.save(path)
    tone_col = openpyxl.utils.get_column_letter(cols["tone"])
    quote_col = openpyxl.utils.get_column_letter(cols["quote"])
    with pytest.raises(InputError) as exc:
        read_sheet(path, review_id=params.review_id, theme_ids=codebook.ids)
    found = [str(p) for p in exc.value.problems]
    assert len(found) == 4
    assert any(f"sheet 'points': row 1, column {openpyxl.utils.get_column_letter(cols['voice_of_child'])} "
               "('voice_of_children'): unknown theme column" in p for p in found)
    assert any(f"row {row_of(sheet, 'north.md#1')}, column {tone_col} ('tone'): not a tone" in p and "'worried'" in p
               for p in found)
    assert any(f"row {row_of(sheet, 'south.md#2')}, column {quote_col} ('quote'): not a yes/no value" in p
               for p in found)
    assert any("('caseload_workload'): not a yes/no value" in p and "'perhaps'" in p for p in found)
    assert exc.value.exit_code == 2


def test_a_sheet_from_another_review_is_refused(review, tmp_path: Path) -> None:
    params, codebook, notes, coded, path = review
    with pytest.raises(InputError) as exc:
        read_sheet(path, review_id="another-review-2026", theme_ids=codebook.ids)
    message = str(exc.value)
    assert f"belongs to the review '{params.review_id}' ({params.title}), not to 'another-review-2026'" in message
    stray = tmp_path / "stray.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "workforce"
    book.save(stray)
    with pytest.raises(InputError, match="not a scrutiny-kit coding sheet: it has no 'points' sheet"):
        read_sheet(stray, review_id=params.review_id, theme_ids=codebook.ids)
    broken = tmp_path / "broken.xlsx"
    broken.write_text("not a workbook")
    with pytest.raises(InputError, match="not a readable Excel .xlsx workbook"):
        read_sheet(broken, review_id=params.review_id, theme_ids=codebook.ids)


def test_text_that_looks_like_a_formula_stays_text_and_reads_back_as_written(tmp_path: Path) -> None:
    notes = {"north.md": "---\ndate: 2025-01-10\nteam: North Team\n---\n- =HYPERLINK(\"x\") was typed by staff.\n"
                         "- @Team leads said +2 posts were filled.\n- -3 vacancies since May, staff said.\n"}
    params = load_params(small_review(tmp_path, notes))
    codebook = load_codebook("default")
    frame = load_visit_notes(note_files(params.visit_notes), default_authority=params.authority)
    path = write_sheet(tmp_path / "c.xlsx", proposal_rows(frame, code_points(frame, codebook)), codebook=codebook,
                       review=params)
    sheet = openpyxl.load_workbook(path)["points"]
    column = header(sheet)["text"]
    cells = [sheet.cell(r, column) for r in range(2, sheet.max_row + 1)]
    assert all(c.data_type == "s" for c in cells)
    assert [c.value for c in cells] == ["'" + text for text in frame["text"]]  # neutralised, as OWASP advises
    read = read_sheet(path, review_id=params.review_id, theme_ids=codebook.ids)
    assert [r.text for r in read.rows] == list(frame["text"])


def test_a_stray_cell_in_the_far_corner_of_the_sheet_is_a_message_not_a_hang(review) -> None:
    import time

    params, codebook, notes, coded, path = review
    book = openpyxl.load_workbook(path)
    book["points"]["XFD1048576"] = "stray"
    book.save(path)
    started = time.perf_counter()
    with pytest.raises(InputError, match=r"the sheet 'points' cannot be read: its cells reach XFD1048576; "):
        read_sheet(path, review_id=params.review_id, theme_ids=codebook.ids)
    assert time.perf_counter() - started < 10

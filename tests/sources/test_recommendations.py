"""Reading the recommendations tracker (scrutiny_kit/sources/recommendations.py; CSV, Excel, YAML): columns, and
every validation message (the response and status wording: tests/sources/test_tracker_categories.py)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from scrutiny_kit.errors import InputError, Problem
from scrutiny_kit.sources.recommendations import OUTPUT_COLUMNS, load_recommendations

FIXTURES = Path(__file__).parents[1] / "fixtures" / "recommendations"
THEMES = {"caseload_workload", "agency_staff", "recruitment_retention", "it_systems", "pay_conditions"}
HEADER = "id,recommendation,themes,owner,response,action,due,status,update,updated\n"


def write(tmp_path: Path, body: str, name: str = "tracker.csv", header: str = HEADER) -> Path:
    path = tmp_path / name
    path.write_text(header + body, encoding="utf-8")
    return path


def problems(path: Path, theme_ids: set[str] = THEMES) -> list[Problem]:
    with pytest.raises(InputError) as info:
        load_recommendations(path, theme_ids=theme_ids)
    return [p for p in info.value.problems if isinstance(p, Problem)]


# --- reading ---------------------------------------------------------------------------------------------

def test_semicolon_delimited_utf16_tracker_is_read(tmp_path: Path) -> None:
    path = tmp_path / "tracker.csv"  # Excel's "Unicode text" export in a locale that separates fields with ';'
    path.write_text("id;recommendation;themes;status\n"
                    'R1;"Cap caseloads, then review";"caseload_workload; agency_staff";Done\n', encoding="utf-16")
    recs = load_recommendations(path, theme_ids=THEMES)
    assert list(recs["recommendation"]) == ["Cap caseloads, then review"]
    assert recs.iloc[0]["themes"] == ["caseload_workload", "agency_staff"]
    assert recs.iloc[0]["status_category"] == "complete"


def test_csv_tracker_is_read_into_the_contract_columns() -> None:
    recs = load_recommendations(FIXTURES / "tracker.csv", theme_ids=THEMES)
    assert list(recs.columns) == OUTPUT_COLUMNS
    assert list(recs["id"]) == ["1", "2a", "R3", "4"]
    assert list(recs["row"]) == [2, 3, 4, 5]
    first = recs.iloc[0]
    assert first["themes"] == ["caseload_workload"]
    assert first["owner"] == "Assistant Director, Children's Social Care"
    assert (first["response"], first["response_category"]) == ("Accepted in full", "accepted")
    assert (first["status"], first["status_category"]) == ("On track", "in progress")
    assert first["due"] == dt.date(2025, 6, 30)  # dd/mm/yyyy
    assert first["updated"] == dt.date(2025, 3, 1)  # ISO
    assert recs.iloc[1]["themes"] == ["agency_staff", "recruitment_retention"]
    assert recs.iloc[1]["response_category"] == "partially accepted"
    assert recs.iloc[1]["status_category"] == "not started"


def test_blank_optional_cells_are_fine() -> None:
    recs = load_recommendations(FIXTURES / "tracker.csv", theme_ids=THEMES)
    r3 = recs.iloc[2]
    assert r3["themes"] == ["it_systems"]  # theme ids match case-insensitively
    assert r3["due"] is None and r3["updated"] is None
    assert r3["action"] == "" and r3["update"] == ""
    assert (r3["response"], r3["response_category"]) == ("TBC", "awaiting response")
    assert (r3["status"], r3["status_category"]) == ("", "not recorded")  # blank: nothing recorded, not "not started"
    four = recs.iloc[3]
    assert four["themes"] == [] and four["response_category"] == "not accepted"
    assert four["status_category"] == "superseded"


def test_yaml_tracker_as_a_mapping_or_a_list(tmp_path: Path) -> None:
    recs = load_recommendations(FIXTURES / "tracker.yaml", theme_ids=THEMES)
    assert list(recs["id"]) == ["1", "2"]
    assert recs.iloc[0]["due"] == dt.date(2025, 6, 30)
    assert recs.iloc[1]["due"] == dt.date(2025, 4, 10)
    assert recs.iloc[1]["themes"] == ["agency_staff", "recruitment_retention"]
    assert list(recs["response_category"]) == ["accepted", "awaiting response"]
    assert list(recs["status_category"]) == ["in progress", "complete"]
    listed = tmp_path / "list.yml"
    listed.write_text("- id: A\n  recommendation: Something\n", encoding="utf-8")
    assert list(load_recommendations(listed, theme_ids=THEMES)["id"]) == ["A"]


def test_yaml_problems_name_the_line_of_the_item(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("- id: 1\n  recommendation: Fine\n- id: 2\n  recommendation: Bad\n  status: sort of\n",
                    encoding="utf-8")
    [p] = problems(path)
    assert (p.line, p.line_label, p.field, p.value) == (3, "line", "status", "sort of")


def test_excel_tracker_with_date_cells_and_number_ids(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["ID", "Recommendation", "Themes", "Owner", "Response", "Action", "Due", "Status", "Update",
                  "Updated"])
    sheet.append([1, "Set a caseload ceiling", "caseload_workload", "Head of Service", "Agreed", None,
                  dt.datetime(2025, 6, 30), "Ongoing", None, dt.datetime(2025, 3, 1)])
    sheet.append([None] * 10)  # a blank row is skipped but still counted
    sheet.append([3.0, "Review pay", "pay_conditions", None, "Awaiting", None, "yesterday", "Done", None, None])
    path = tmp_path / "tracker.xlsx"
    book.save(path)
    [p] = problems(path)
    assert (p.line, p.line_label, p.field, p.value) == (4, "row", "due", "yesterday")
    sheet.cell(row=4, column=7, value="31/05/2025")
    book.save(path)
    recs = load_recommendations(path, theme_ids=THEMES)
    assert list(recs["id"]) == ["1", "3"]
    assert list(recs["row"]) == [2, 4]
    assert list(recs["due"]) == [dt.date(2025, 6, 30), dt.date(2025, 5, 31)]
    assert recs.iloc[0]["updated"] == dt.date(2025, 3, 1)


# --- validation messages -------------------------------------------------------------------------------

def test_every_problem_in_the_file_is_reported_at_once_with_row_column_value_and_rule() -> None:
    found = problems(FIXTURES / "bad.csv")
    where = [(p.line, p.field) for p in found]
    assert where == [(2, "response"), (2, "due"), (2, "status"), (3, "id"), (3, "themes"), (3, "updated"),
                     (4, "id"), (5, "recommendation")]
    assert all(str(p.file).endswith("bad.csv") and p.line_label == "row" for p in found)
    by = {(p.line, p.field): p for p in found}

    response = by[(2, "response")]
    assert response.value == "Maybe later"
    assert "unknown response: it cannot be placed in a category" in response.message
    assert "accepted, partially accepted, noted, not accepted, awaiting response" in response.message

    status = by[(2, "status")]
    assert status.value == "Finished-ish"
    assert "not started, in progress, complete, superseded, not recorded" in status.message

    due = by[(2, "due")]
    assert due.value == "31/02/2025" and "date" in due.message and "not a real date" in due.message
    assert by[(3, "updated")].value == "soon"
    assert "YYYY-MM-DD or DD/MM/YYYY" in by[(3, "updated")].message

    duplicate = by[(3, "id")]
    assert duplicate.value == "1" and "duplicate id" in duplicate.message and "row 2" in duplicate.message

    theme = by[(3, "themes")]
    assert "'morale'" in theme.message
    assert "valid ids are agency_staff, caseload_workload, it_systems, pay_conditions, recruitment_retention" \
        in theme.message

    assert "missing id" in by[(4, "id")].message
    assert "missing recommendation text" in by[(5, "recommendation")].message


def test_problem_text_reads_file_row_column_value_rule() -> None:
    text = str(problems(FIXTURES / "bad.csv")[0])
    assert text.startswith(str(FIXTURES / "bad.csv") + ", row 2, 'response': unknown response")
    assert text.endswith("(value 'Maybe later')")


def test_duplicate_ids_ignore_case_and_spaces(tmp_path: Path) -> None:
    path = write(tmp_path, "R1,First,,,,,,,,\n r1 ,Second,,,,,,,,\n")
    [p] = problems(path)
    assert (p.line, p.field, p.value) == (3, "id", "r1")


def test_blank_rows_keep_the_row_numbers_the_user_sees(tmp_path: Path) -> None:
    path = write(tmp_path, "1,First,,,,,,,,\n\n,,,,,,,,,\n2,Second,,,,,,bad status,,\n")
    [p] = problems(path)
    assert p.line == 5


def test_missing_required_column_is_reported_once_not_per_row(tmp_path: Path) -> None:
    path = write(tmp_path, "1,caseload_workload\n2,\n", header="id,themes\n")
    [p] = problems(path)
    assert "missing column 'recommendation'" in p.message and p.line == 1


def test_misspelt_column_gets_a_suggestion(tmp_path: Path) -> None:
    path = write(tmp_path, "1,Text,Done\n", header="id,recommendation,staus\n")
    [p] = problems(path)
    assert "unknown column 'staus': did you mean 'status'?" in p.message


def test_header_aliases_and_extra_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "7,Text,1 April 2025,Yes,n/a\n", header="Rec No,Recommendation Text,Due Date,"
                                                                     "Executive Response,Notes\n")
    recs = load_recommendations(path, theme_ids=THEMES)
    assert recs.iloc[0]["id"] == "7" and recs.iloc[0]["due"] == dt.date(2025, 4, 1)
    assert (recs.iloc[0]["response"], recs.iloc[0]["response_category"]) == ("Yes", "accepted")


@pytest.mark.parametrize("name, body, message", [
    ("t.txt", "x", "unsupported file type '.txt'"),
    ("t.csv", "", "the tracker is empty"),
    ("t.yaml", "recommendations: {a: 1}", "must be a list of recommendations"),
    ("t.yaml", "- id: 1\n  recommendation: [unclosed\n", "not valid YAML"),
    ("t.xlsx", "not a zip", "not a readable Excel"),
])
def test_unreadable_files(tmp_path: Path, name: str, body: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    [p] = problems(path)
    assert message in p.message


def test_missing_file() -> None:
    [p] = problems(FIXTURES / "nope.csv")
    assert "not found" in p.message


def test_windows_1252_csv_is_read(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes((HEADER + "1,Budget \u00a3400k \u2013 agreed,,,,,,,,\n").encode("cp1252"))
    assert load_recommendations(path, theme_ids=THEMES).iloc[0]["recommendation"] == "Budget \u00a3400k \u2013 agreed"


def test_an_empty_yaml_tracker_has_no_rows(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("recommendations: []\n", encoding="utf-8")
    recs = load_recommendations(path, theme_ids=THEMES)
    assert recs.empty and list(recs.columns) == OUTPUT_COLUMNS


def test_a_binary_file_named_csv_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"PK\x03\x04\x00\x00binary")
    [p] = problems(path)
    assert "not a plain text file" in p.message

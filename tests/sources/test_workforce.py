"""Workforce loading (scrutiny_kit/sources/workforce.py): forgiving column names, both DfE layouts, symbols, and
every validation rule reported at once with the row as Excel numbers it (cells, periods and the authority's name
have their own test modules beside this one)."""
from __future__ import annotations

import csv
import datetime as dt
import math
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from scrutiny_kit.errors import InputError
from scrutiny_kit.sources.workforce import LONG_COLUMNS, Workforce, load_workforce

from problems import problems_of

FIXTURES = Path(__file__).parents[1] / "fixtures" / "workforce"
EXAMPLE = Path(__file__).parents[2] / "examples" / "frontline" / "workforce.csv"
ECC = "Example County Council"


def value(wf: Workforce, measure: str, period: str, authority: str | None = None, team: str = "") -> pd.Series:
    d = wf.data
    rows = d[(d["measure"] == measure) & (d["period"] == period) & (d["authority"] == (authority or wf.authority))
             & (d["team"] == team)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def write_xlsx(path: Path, rows: list[list[object]], *, sheet: str = "Sheet1", percent_cols: tuple[int, ...] = ()) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for r in rows:
        ws.append(r)
    for col in percent_cols:
        for cell in list(ws.iter_cols(min_col=col, max_col=col, min_row=2))[0]:
            cell.number_format = "0.0%"
    book.save(path)
    return path


# --- the table layout ---------------------------------------------------------------------------------------

def test_table_layout_columns_matched_forgivingly_and_long_frame() -> None:
    wf = load_workforce(FIXTURES / "table_basic.csv", authority=ECC, comparators=["England", "east midlands"])
    assert list(wf.data.columns) == LONG_COLUMNS
    assert wf.authority == ECC
    assert wf.comparators == ["England", "East Midlands"]
    assert wf.measures == ["fte_social_workers", "headcount", "vacancy_rate", "agency_rate", "turnover_rate",
                           "absence_rate", "caseload_avg", "statutory_visits_on_time", "newly_qualified_workers"]
    assert wf.layout == "table"
    assert wf.periods == ["2022", "2023", "2024"]
    assert wf.teams == ["Northgate Locality Team"]
    assert wf.labels["vacancy_rate"] == "Vacancy rate (%)"
    # "1,234", "12.5%", " 14.0 " are numbers
    assert value(wf, "fte_social_workers", "2022")["value"] == 1234.0
    assert value(wf, "vacancy_rate", "2022")["value"] == 12.5
    assert value(wf, "agency_rate", "2022")["value"] == 14.0
    assert value(wf, "caseload_avg", "2024")["value"] == 26.0
    assert value(wf, "fte_social_workers", "2024", "England")["value"] == 32000.0
    assert value(wf, "caseload_avg", "2024", team="Northgate Locality Team")["value"] == 28.0
    roles = wf.data.groupby("authority")["role"].first().to_dict()
    assert roles == {ECC: "authority", "England": "comparator", "East Midlands": "comparator"}
    assert wf.data["period_order"].dtype == "int64" and wf.data["value"].dtype == "float64"
    # the "Notes" text column is not a measure; rows keep the Excel row number (blank row 6 skipped, not renumbered)
    assert "notes" not in wf.measures
    assert value(wf, "caseload_avg", "2022", "England")["row"] == 7
    assert value(wf, "caseload_avg", "2024", team="Northgate Locality Team")["row"] == 5


def test_suppression_symbols_become_nan_with_reason_never_zero() -> None:
    wf = load_workforce(FIXTURES / "table_basic.csv", authority=ECC, comparators=[])
    expected = {
        ("vacancy_rate", "2023"): "suppressed",       # c
        ("turnover_rate", "2023"): "not available",   # x
        ("absence_rate", "2023"): "not applicable",   # z
        ("statutory_visits_on_time", "2023"): "not available",  # ..
        ("agency_rate", "2024"): "low (rounds to 0)",  # low
        ("turnover_rate", "2024"): "low reliability",  # u
        ("absence_rate", "2024"): "not available",    # :
        ("newly_qualified_workers", "2024"): "blank",  # empty cell
    }
    for (measure, period), reason in expected.items():
        row = value(wf, measure, period)
        assert math.isnan(row["value"]), (measure, period)
        assert row["missing"] == reason, (measure, period)
    assert value(wf, "vacancy_rate", "2022")["missing"] == ""
    assert (wf.data["value"] == 0).sum() == 0


def test_every_validation_problem_reported_at_once_with_excel_rows() -> None:
    with pytest.raises(InputError) as exc:
        load_workforce(FIXTURES / "bad_values.csv", authority=ECC)
    found = [(p.line, p.field, p.value) for p in problems_of(exc)]
    assert found == [
        (2, "fte_social_workers", "-3"),
        (3, "vacancy_rate", "150"),
        (3, "caseload_avg", "lots"),
        (4, None, None),
        (5, "period", "Spring"),
        (6, "headcount", "-1"),
        (6, "vacancy_rate", "-0.5"),
    ]
    problems = problems_of(exc)
    assert all(p.line_label == "row" and str(p.file).endswith("bad_values.csv") for p in problems)
    assert "must not be negative" in problems[0].message
    assert "between 0 and 100" in problems[1].message
    assert "must be a number" in problems[2].message
    assert "duplicate row" in problems[3].message and "row 3" in problems[3].message
    assert "unknown period format" in problems[4].message
    text = str(exc.value)
    assert "bad_values.csv, row 3, 'caseload_avg': must be a number" in text
    assert "(value 'lots')" in text


def test_blank_authority_and_period_are_errors(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    path.write_text("period,authority,caseload_avg\n2024,X,20\n,X,21\n2023,,22\n")
    with pytest.raises(InputError) as exc:
        load_workforce(path, authority="X")
    found = [(p.line, p.field, p.message) for p in problems_of(exc)]
    assert found == [(3, "period", "the period must not be blank"),
                     (4, "authority", "the authority must not be blank")]


def test_duplicate_team_rows_and_same_period_written_two_ways(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    path.write_text("period,authority,team,caseload_avg\n"
                    "2024-03-31,X,,20\n31/03/2024,X,,21\n2024-03-31,X,Team A,22\n2024-03-31,x,team a,23\n")
    with pytest.raises(InputError) as exc:
        load_workforce(path, authority="X")
    found = [(p.line, p.message) for p in problems_of(exc)]
    assert [line for line, _ in found] == [3, 5]
    assert "already on row 2" in found[0][1] and "already on row 4" in found[1][1]


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        load_workforce(tmp_path / "missing.csv", authority="X")
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"this is not a zip file")
    with pytest.raises(InputError, match="not a readable Excel .xlsx workbook"):
        load_workforce(bad, authority="X")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(InputError, match="empty"):
        load_workforce(empty, authority="X")
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(InputError, match=r"\.xls"):
        load_workforce(old, authority="X")
    ods = tmp_path / "w.ods"
    ods.write_bytes(b"x")
    with pytest.raises(InputError, match="unsupported file type"):
        load_workforce(ods, authority="X")


def test_ragged_row_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    path.write_text("period,authority,caseload_avg\n2024,Kingston upon Hull, City of,20\n")
    with pytest.raises(InputError) as exc:
        load_workforce(path, authority="Kingston upon Hull, City of")
    (problem,) = problems_of(exc)
    assert problem.line == 2 and "header has only 3 columns" in problem.message


def test_windows_1252_csv_is_read(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    path.write_bytes("period,authority,team,caseload_avg\n2024,X,Café team,20\n2024,X,,19\n".encode("cp1252"))
    wf = load_workforce(path, authority="X")
    assert wf.teams == ["Café team"]


def test_utf16_csv_is_read(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"  # Excel's "Unicode text" and Notepad's "Unicode": UTF-16 with a byte-order mark
    path.write_text("period,authority,team,caseload_avg\n2024,X,Café team,20\n2024,X,,19.5\n", encoding="utf-16")
    wf = load_workforce(path, authority="X")
    assert wf.teams == ["Café team"]
    assert value(wf, "caseload_avg", "2024")["value"] == 19.5


def test_semicolon_delimited_csv_is_read(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"  # Excel in many European locales writes ';' between fields
    path.write_text("Period;Authority;Vacancy rate (%);Average caseload\n2023;X;12.5;18\n2024;X;14;\"19\"\n",
                    encoding="utf-8")
    wf = load_workforce(path, authority="X")
    assert wf.measures == ["vacancy_rate", "caseload_avg"]
    assert value(wf, "vacancy_rate", "2023")["value"] == 12.5
    assert value(wf, "caseload_avg", "2024")["value"] == 19.0


# --- Excel ---------------------------------------------------------------------------------------------------

def test_xlsx_loads_with_numbers_dates_percent_cells_and_symbols(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "w.xlsx", [
        ["Period", "Authority", "Team", "Vacancy rate (%)", "Average caseload", "FTE social workers"],
        [dt.datetime(2023, 9, 30), ECC, None, 0.175, 24, 280.5],
        [dt.datetime(2024, 9, 30), ECC, None, 0.213, "c", 268],
        [None, None, None, None, None, None],
        [dt.datetime(2024, 9, 30), "England", None, 0.185, 16.9, "32,900"],
    ], percent_cols=(4,))
    wf = load_workforce(path, authority=ECC)
    assert wf.periods == ["30 September 2023", "30 September 2024"]
    assert value(wf, "vacancy_rate", "30 September 2024")["value"] == pytest.approx(21.3)
    assert value(wf, "caseload_avg", "30 September 2024")["missing"] == "suppressed"
    assert value(wf, "fte_social_workers", "30 September 2024", "England")["value"] == 32900.0
    assert value(wf, "fte_social_workers", "30 September 2024", "England")["row"] == 5
    assert wf.comparators == ["England"]


def test_xlsx_validation_uses_excel_row_numbers(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "w.xlsx", [
        ["period", "authority", "headcount", "agency_rate"],
        [2023, "X", 10, 12],
        [2024, "X", -2, "n/k"],
        [2024, "X", 3, 101],
    ])
    with pytest.raises(InputError) as exc:
        load_workforce(path, authority="X")
    found = [(p.line, p.field, p.value) for p in problems_of(exc)]
    assert found == [(3, "headcount", -2), (3, "agency_rate", "n/k"), (4, None, None), (4, "agency_rate", 101)]


def test_xlsx_prefers_a_sheet_named_workforce(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.active.append(["read me"])
    ws = book.create_sheet("Workforce")
    ws.append(["period", "authority", "caseload_avg"])
    ws.append(["2024", "X", 20])
    book.save(tmp_path / "w.xlsx")
    wf = load_workforce(tmp_path / "w.xlsx", authority="X")
    assert value(wf, "caseload_avg", "2024")["value"] == 20.0
    assert "sheet 'Workforce'" in wf.source


def test_xlsx_empty_sheet(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "w.xlsx", [])
    with pytest.raises(InputError, match="empty"):
        load_workforce(path, authority="X")


# --- DfE open data ----------------------------------------------------------------------------------------------

def test_dfe_newer_layout() -> None:
    wf = load_workforce(FIXTURES / "dfe_new_layout.csv", authority="kingston upon hull, city of")
    assert wf.layout == "dfe"
    assert wf.authority == "Kingston upon Hull, City of"
    assert wf.comparators == ["England"]
    assert wf.periods == ["2022", "2023"]
    assert set(wf.data["period_order"]) == {20220930, 20230930}
    for measure in ("fte_social_workers", "headcount", "vacancy_rate", "agency_rate", "turnover_rate",
                    "absence_rate", "caseload_avg"):
        assert measure in wf.measures
    for extra in ("starters_fte", "leavers_fte", "agency_cover_rate_fte", "cases", "working_days_lost_fte"):
        assert extra in wf.measures
    assert "time_identifier" not in wf.measures and "old_la_code" not in wf.measures
    assert value(wf, "fte_social_workers", "2022")["value"] == 201.3
    assert value(wf, "headcount", "2023")["value"] == 226
    assert value(wf, "caseload_avg", "2023")["value"] == 18.5
    assert value(wf, "agency_rate", "2023")["missing"] == "suppressed"
    assert value(wf, "absence_rate", "2023")["missing"] == "low reliability"
    assert value(wf, "working_days_lost_fte", "2023")["missing"] == "low (rounds to 0)"
    assert value(wf, "vacancy_rate", "2023", "England")["value"] == 19.9


def test_dfe_regional_comparator_and_la_code() -> None:
    wf = load_workforce(FIXTURES / "dfe_new_layout.csv", authority="E06000011",
                        comparators=["Yorkshire and The Humber", "england"])
    assert wf.authority == "East Riding of Yorkshire"
    assert wf.comparators == ["Yorkshire and The Humber", "England"]
    assert value(wf, "caseload_avg", "2023", "Yorkshire and The Humber")["value"] == 16.7
    assert value(wf, "agency_rate", "2023")["missing"] == "not applicable"
    other_la = load_workforce(FIXTURES / "dfe_new_layout.csv", authority="East Riding of Yorkshire",
                              comparators=["Kingston upon Hull, City of"])
    assert other_la.comparators == ["Kingston upon Hull, City of"]


def test_dfe_older_layout_with_bom_and_percent_suffixes() -> None:
    assert (FIXTURES / "dfe_old_layout.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    wf = load_workforce(FIXTURES / "dfe_old_layout.csv", authority="North Tyneside", comparators=["North East", "England"])
    assert wf.layout == "dfe"
    assert wf.periods == ["2017", "2018"]
    assert value(wf, "fte_social_workers", "2017")["value"] == 98.3
    assert value(wf, "headcount", "2018")["value"] == 97
    assert value(wf, "turnover_rate", "2018")["value"] == 16.0
    assert value(wf, "absence_rate", "2018")["value"] == 3.8
    assert value(wf, "agency_rate", "2017")["missing"] == "suppressed"
    assert value(wf, "agency_rate", "2018")["value"] == 5.4
    assert value(wf, "vacancy_rate", "2018")["value"] == 11.5
    assert value(wf, "caseload_avg", "2017")["value"] == 26.0
    assert value(wf, "caseload_avg", "2018", "North East")["value"] == 17.6
    assert "leaver_fte" in wf.measures and "agency_cover_rate_fte" in wf.measures


def test_dfe_unknown_authority_and_comparator(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        load_workforce(FIXTURES / "dfe_old_layout.csv", authority="North Tynesid", comparators=["Nort East"])
    messages = [p.message for p in problems_of(exc)]
    assert "closest matches: 'North Tyneside'" in messages[0]
    assert "la_name or new_la_code" in messages[0]
    assert "did you mean 'North East'" in messages[1]
    assert "England" in messages[1] and "Gateshead" in messages[1]


def test_dfe_national_file_of_a_thousand_rows_loads(tmp_path: Path) -> None:
    header = (FIXTURES / "dfe_new_layout.csv").read_text().splitlines()[0].split(",")
    path = tmp_path / "national.csv"
    with path.open("w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f)
        w.writerow(header)
        for year in range(2017, 2024):
            w.writerow([year, "Reporting year", "National", "E92000001", "England", "", "", "", "", ""]
                       + [f"{10 + i}.5" for i in range(len(header) - 10)])
            for la in range(150):
                name = "Kingston upon Hull, City of" if la == 7 else f"Authority {la}"
                w.writerow([year, "Reporting year", "Local authority", "E92000001", "England", "E12000003",
                            "Yorkshire and The Humber", str(300 + la), f"E06{la:06d}", name]
                           + [("c" if (la + i) % 17 == 0 else f"{(la + i) % 40 + 1}.2") for i in range(len(header) - 10)])
    wf = load_workforce(path, authority="Kingston upon Hull, City of")
    assert wf.periods == [str(y) for y in range(2017, 2024)]
    assert set(wf.data["authority"]) == {"Kingston upon Hull, City of", "England"}
    assert len(wf.data) == 2 * 7 * len(wf.measures)


def test_example_data_loads() -> None:
    wf = load_workforce(EXAMPLE, authority=ECC, comparators=["England", "East Midlands"])
    assert wf.periods == ["2021", "2022", "2023", "2024"]
    assert wf.teams == ["Northgate Locality Team", "Riverside Locality Team", "Front Door / MASH",
                        "Children in Care Team", "Leaving Care Team"]
    assert wf.measures == ["fte_social_workers", "headcount", "vacancy_rate", "agency_rate", "turnover_rate",
                           "absence_rate", "caseload_avg", "statutory_visits_on_time"]
    caseload = wf.data[(wf.data["measure"] == "caseload_avg") & (wf.data["role"] == "authority")
                       & (wf.data["team"] == "")]["value"].tolist()
    assert caseload == sorted(caseload) and caseload[0] < 20 < caseload[-1]
    assert (wf.data["missing"] == "suppressed").any()
    assert load_workforce(EXAMPLE, authority=ECC).comparators == ["England"]


def test_the_same_rules_hold_for_xlsx(tmp_path: Path) -> None:
    """bad_values.csv saved as a workbook reports the same problems on the same rows."""
    with (FIXTURES / "bad_values.csv").open(newline="") as f:
        rows = list(csv.reader(f))
    path = write_xlsx(tmp_path / "bad_values.xlsx", rows)
    with pytest.raises(InputError) as exc:
        load_workforce(path, authority=ECC)
    found = [(p.line, p.field) for p in problems_of(exc)]
    assert found == [(2, "fte_social_workers"), (3, "vacancy_rate"), (3, "caseload_avg"), (4, None), (5, "period"),
                     (6, "headcount"), (6, "vacancy_rate")]
    no_measures = write_xlsx(tmp_path / "none.xlsx", [["period", "authority", "notes"], ["2024", ECC, "text"]])
    with pytest.raises(InputError, match="none of the measure columns"):
        load_workforce(no_measures, authority=ECC)


def test_header_only_file(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    path.write_text("period,authority,caseload_avg\n")
    with pytest.raises(InputError, match="no rows of figures"):
        load_workforce(path, authority="X")


def test_dfe_national_file_checks_only_the_rows_the_review_uses(tmp_path: Path) -> None:
    lines = (FIXTURES / "dfe_new_layout.csv").read_text().splitlines()
    names = [line.split(",")[9] if line.count(",") > 20 else "" for line in lines]
    hull = next(i for i, n in enumerate(names) if n.startswith('"Kingston') or n.startswith("Kingston"))
    other = next(i for i, line in enumerate(lines) if "East Riding of Yorkshire" in line)
    england = next(i for i, line in enumerate(lines) if ",National," in line)

    def with_bad_cell(row: int) -> Path:
        changed = list(lines)
        cells = changed[row].split(",")
        cells[-1] = "3..1"  # absence_rate_fte, not a number
        changed[row] = ",".join(cells)
        path = tmp_path / f"national-{row}.csv"
        path.write_text("\n".join(changed) + "\n", encoding="utf-8")
        return path

    # another council's odd cell is not this review's problem
    wf = load_workforce(with_bad_cell(other), authority="Kingston upon Hull, City of")
    assert value(wf, "caseload_avg", "2023")["value"] == 18.5
    # but a cell the review uses is reported, with its Excel row, column and value
    for row in (hull, england):
        with pytest.raises(InputError) as exc:
            load_workforce(with_bad_cell(row), authority="Kingston upon Hull, City of")
        [problem] = problems_of(exc)
        assert (problem.line, problem.field, problem.value) == (row + 1, "absence_rate_fte", "3..1")
    # and it is checked when that council is the review's comparator
    with pytest.raises(InputError):
        load_workforce(with_bad_cell(other), authority="Kingston upon Hull, City of",
                       comparators=["East Riding of Yorkshire"])


def test_an_unknown_authority_and_bad_cells_are_reported_in_one_go(tmp_path: Path) -> None:
    path = tmp_path / "workforce.csv"
    path.write_text("period,authority,vacancy_rate,caseload_avg\n2023,Example County Council,12.5,18\n"
                    "2024,Example County Council,125,eighteen\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_workforce(path, authority="Exampel County", comparators=[])
    found = [(p.line, p.field, p.message.split(";")[0]) for p in problems_of(exc)]
    assert found[0] == (None, None, "no rows for the authority 'Exampel County' in 'authority'")
    assert (3, "vacancy_rate", "a percentage must be between 0 and 100") in found
    assert any(line == 3 and field == "caseload_avg" for line, field, _ in found)

"""The review's authority and comparators found in a workforce file (scrutiny_kit/sources/authority.py): names
as officers write them against the file's (and the DfE's) names, England by default, and a few close suggestions
when a name is not there, never a guess."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from scrutiny_kit.errors import InputError
from scrutiny_kit.sources.workforce import load_workforce

from problems import problems_of

FIXTURES = Path(__file__).parents[1] / "fixtures" / "workforce"
ECC = "Example County Council"


def test_default_comparator_is_england_when_present_else_none(tmp_path: Path) -> None:
    wf = load_workforce(FIXTURES / "table_basic.csv", authority=ECC)
    assert wf.comparators == ["England"]
    assert set(wf.data["authority"]) == {ECC, "England"}
    path = tmp_path / "no_england.csv"
    path.write_text("period,authority,caseload_avg\n2024,Example County Council,26\n2024,East Midlands,18\n")
    wf = load_workforce(path, authority=ECC)
    assert wf.comparators == []
    assert set(wf.data["role"]) == {"authority"}


def test_authority_matched_case_insensitively_and_without_council_words() -> None:
    wf = load_workforce(FIXTURES / "table_basic.csv", authority="example county council", comparators=[])
    assert wf.authority == ECC
    wf = load_workforce(FIXTURES / "table_basic.csv", authority="Example", comparators=[])
    assert wf.authority == ECC


def test_unknown_authority_names_the_closest_matches() -> None:
    with pytest.raises(InputError) as exc:
        load_workforce(FIXTURES / "table_basic.csv", authority="Exmaple County Concil", comparators=[])
    (problem,) = problems_of(exc)
    assert "no rows for the authority 'Exmaple County Concil'" in problem.message
    assert "closest matches: 'Example County Council'" in problem.message
    assert str(problem.file).endswith("table_basic.csv")


def test_unknown_comparator_lists_the_names_available() -> None:
    with pytest.raises(InputError) as exc:
        load_workforce(FIXTURES / "table_basic.csv", authority=ECC, comparators=["Englnd", "North West"])
    messages = [p.message for p in problems_of(exc)]
    assert len(messages) == 2
    assert "comparator 'Englnd' is not in the file" in messages[0]
    assert "did you mean 'England'? names available: England, East Midlands" in messages[0]
    assert "comparator 'North West'" in messages[1]


DFE_2025_HEADER = ("time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
                   "old_la_code,new_la_code,la_name,inpost_fte,inpost_headcount,starters_fte,starters_headcount,"
                   "leavers_fte,leavers_headcount,turnover_rate_fte,turnover_rate_headcount,agency_fte,"
                   "agency_headcount,agency_rate_fte,agency_rate_headcount,agency_cover_fte,agency_cover_rate_fte,"
                   "vacancy_fte,vacancy_rate_fte,case_holders_fte,cases,caseload_fte,working_days_lost_fte,"
                   "absence_rate_fte,absence_rate_headcount")


def dfe_2025_file(folder: Path, years: tuple[int, ...] = (2025, 2024)) -> Path:
    """A national file in the 2025 release's layout (32 columns, newest year first): England, each region and
    every local authority under the names the DfE writes (tests/fixtures/workforce/dfe_la_names_2025.txt)."""
    lines = (FIXTURES / "dfe_la_names_2025.txt").read_text(encoding="utf-8").splitlines()
    places = [line.split("|", 1) for line in lines if line and not line.startswith("#")]
    regions = list(dict.fromkeys(region for region, _ in places))
    columns = DFE_2025_HEADER.split(",")
    path = folder / "csww_indicators_2017_to_2025.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        for year in years:
            rows = [("National", "", "")] + [("Regional", r, "") for r in regions] + [
                ("Local authority", r, la) for r, la in places]
            for i, (level, region, la) in enumerate(rows):
                figures = [f"{100 + i}.5", str(110 + i)] + ["x"] * 14 + [f"{15 + i % 5}.2"] * 3 + [
                    "c", f"{17 + i % 3}.1", f"{3 + i % 2}.4"]
                writer.writerow([year, "Reporting year", level, "E92000001", "England", "", region, "", "", la,
                                 *figures[: len(columns) - 10]])
    return path


@pytest.mark.parametrize("written, dfe_name", [
    ("Hull City Council", "Kingston upon Hull, City of"),
    ("Kingston upon Hull City Council", "Kingston upon Hull, City of"),
    ("Devonshire County Council", "Devon"),
    ("Devon County Council", "Devon"),
    ("Royal Borough of Kensington and Chelsea", "Kensington and Chelsea"),
    ("City of York Council", "York"),
    ("Bristol City Council", "Bristol, City of"),
    ("Herefordshire Council", "Herefordshire, County of"),
    ("Durham County Council", "County Durham"),
    ("St Helens Borough Council", "St. Helens"),
    ("Richmond upon Thames", "Kingston upon Thames / Richmond upon Thames"),
])
def test_authority_names_as_officers_write_them_find_the_dfe_name(tmp_path: Path, written: str,
                                                                    dfe_name: str) -> None:
    wf = load_workforce(dfe_2025_file(tmp_path), authority=written)
    assert wf.authority == dfe_name
    assert set(wf.data.loc[wf.data["role"] == "authority", "period"]) == {"2024", "2025"}


def test_an_ambiguous_name_is_not_guessed_and_suggestions_are_few(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        load_workforce(dfe_2025_file(tmp_path), authority="Kingston")  # Hull, or Thames and Richmond?
    (problem,) = problems_of(exc)
    assert "'Kingston upon Hull, City of'" in problem.message
    assert "'Kingston upon Thames / Richmond upon Thames'" in problem.message
    assert problem.message.count("'") <= 2 * 4  # the name asked for and at most three suggestions


def test_a_comparator_typo_gets_the_closest_names_never_every_name(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        load_workforce(dfe_2025_file(tmp_path), authority="Devon", comparators=["South-West", "Englnad"])
    first, second = (p.message for p in problems_of(exc))
    assert first.startswith("comparator 'South-West' is not in the file; did you mean 'South West'")
    assert "Barnsley" not in first and "Wiltshire" not in first and len(first) < 200
    assert "did you mean 'England'" in second and "Torbay" not in second

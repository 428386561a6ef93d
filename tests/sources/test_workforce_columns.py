"""A workforce table's columns recognised (scrutiny_kit/sources/workforce_columns.py): the period, authority and
measure columns under the names officers and the DfE give them, and identifier columns that are not measures."""
from __future__ import annotations

from pathlib import Path

import pytest

from scrutiny_kit.errors import InputError
from scrutiny_kit.sources.workforce import load_workforce

from problems import problems_of

FIXTURES = Path(__file__).parents[1] / "fixtures" / "workforce"
ECC = "Example County Council"


def test_missing_period_and_authority_columns(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    path.write_text("year_ending,council_name,caseload_avg\n2024,X,20\n")
    with pytest.raises(InputError) as exc:
        load_workforce(path, authority="X")
    messages = " | ".join(p.message for p in problems_of(exc))
    assert "no 'period' column" in messages and "no 'authority' column" in messages


def test_file_with_no_measure_columns() -> None:
    with pytest.raises(InputError) as exc:
        load_workforce(FIXTURES / "no_measures.csv", authority=ECC)
    (problem,) = problems_of(exc)
    assert "none of the measure columns" in problem.message
    assert "caseload_avg" in problem.message and "'notes'" in problem.message


def test_identifier_columns_are_not_measures(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    path.write_text("period,authority,la_code,year,id,level,caseload_avg\n2024,X,810,2024,1,3,20\n")
    wf = load_workforce(path, authority="X")
    assert wf.measures == ["caseload_avg", "level_2"]

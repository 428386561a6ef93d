"""Workforce figures as they were at the report date: periods ending after it are left out, and said so."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import write_review
from scrutiny_kit.analysis.as_at import as_at, left_out_sentence
from scrutiny_kit.errors import InputError
from scrutiny_kit.sources.workforce import load_workforce

DFE = Path(__file__).parents[1] / "fixtures" / "workforce" / "dfe_new_layout.csv"
NOTE = """---
date: 2022-05-10
team: Beverley Locality Team
---
- Caseloads had risen to 24 children each and staff said this was unmanageable.
- Agency social workers covered two vacant posts.
"""


def east_riding() -> object:
    return load_workforce(DFE, authority="East Riding of Yorkshire")


def test_a_dfe_year_after_the_report_date_is_left_out_for_the_authority_and_comparators() -> None:
    wf = as_at(east_riding(), dt.date(2023, 6, 14))  # 2023 is the 30 September 2023 snapshot: after it
    assert wf.periods == ["2022"] and wf.left_out == ("2023",)
    assert set(wf.data["period"]) == {"2022"}
    assert set(wf.data["role"]) == {"authority", "comparator"}  # England's 2023 row went too
    fte = wf.data[(wf.data["measure"] == "fte_social_workers") & (wf.data["role"] == "authority")]
    assert list(fte["value"]) == [120.5]


def test_a_period_ending_on_the_report_date_is_kept() -> None:
    wf = as_at(east_riding(), dt.date(2023, 9, 30))
    assert wf.periods == ["2022", "2023"] and wf.left_out == ()
    assert left_out_sentence(wf, dt.date(2023, 9, 30)) == ""


def test_the_method_says_which_periods_were_left_out_and_why() -> None:
    wf = as_at(east_riding(), dt.date(2023, 6, 14))
    sentence = left_out_sentence(wf, dt.date(2023, 6, 14))
    assert "as they were at the report date, 14 June 2023" in sentence
    assert "figures for the period 2023, which are left out of every sentence, table and chart" in sentence
    assert "30 September" in sentence and "newer release" in sentence


def test_no_period_left_for_the_authority_is_an_error_naming_the_file() -> None:
    with pytest.raises(InputError) as exc:
        as_at(east_riding(), dt.date(2022, 6, 14))
    assert "every period for East Riding of Yorkshire ends after the report date (14 June 2022)" in str(exc.value)
    assert "dfe_new_layout.csv" in str(exc.value)


def test_a_review_quotes_no_figure_from_after_its_report_date(tmp_path: Path) -> None:
    from scrutiny_kit.review import open_review

    params = write_review(tmp_path, {"beverley.md": NOTE}, authority="East Riding of Yorkshire",
                          workforce=str(DFE), report_date="2023-06-14", comparators=None, commentary=None)
    review = open_review(params)
    assert review.inputs.workforce.periods == ["2022"]
    assert set(review.measures["latest_period"]) == {"2022"}
    findings = str(review.findings_chapter())
    assert "2023" not in findings and "125" not in findings  # East Riding's 2023 FTE was 125.0
    assert "The number of FTE social workers was 120.5 in 2022." in findings  # the latest figure by the report date
    intro = str(review.introduction())
    assert "left out of every sentence, table and chart because it ends after 14 June 2023" in intro

"""Derived measures on hand-checked numbers, comparator gaps, number formatting and the findings sentence."""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from scrutiny_kit.errors import InputError
from scrutiny_kit.analysis.measures import (
    DERIVED_COLUMNS,
    GAP_COLUMNS,
    MEASURES,
    comparator_gaps,
    derive_measures,
    describe_measure,
    format_change,
    format_target,
    format_value,
    measure_info,
    measures_table,
)
from scrutiny_kit.sources.workforce import CANONICAL_MEASURES, Workforce, load_workforce, workforce_from_table

from workforce_tables import ECC, table

FIXTURES = Path(__file__).parents[1] / "fixtures" / "workforce"

CASELOAD = """
period,authority,team,caseload_avg,vacancy_rate,fte_social_workers,headcount
2022,Example County Council,,22.5,15.0,98.31,105
2023,Example County Council,,25.0,c,90.5,97
2024,Example County Council,,26.0,18.0,89,95
2023,Example County Council,Northgate,27.0,20.0,6,7
2024,Example County Council,Northgate,28.5,x,4,4
2022,England,,17.0,16.5,31000,34000
2024,England,,17.8,18.1,32000,35000
2024,East Midlands,,18.9,c,2650,2950
"""


@pytest.fixture()
def wf() -> Workforce:
    return workforce_from_table(table(CASELOAD), authority=ECC, comparators=["England", "East Midlands"])


def row(derived: pd.DataFrame, measure: str, team: str = "") -> pd.Series:
    found = derived[(derived["measure"] == measure) & (derived["team"] == team)]
    assert len(found) == 1
    return found.iloc[0]


def test_catalogue() -> None:
    assert tuple(MEASURES) == CANONICAL_MEASURES
    caseload = MEASURES["caseload_avg"]
    assert (caseload.label, caseload.unit, caseload.higher_is_better, caseload.phrase) == (
        "Average caseload", "cases per FTE", False, "the average caseload")
    assert MEASURES["vacancy_rate"].label == "Vacancy rate" and MEASURES["vacancy_rate"].unit == "%"
    assert MEASURES["fte_social_workers"].unit == "FTE"
    assert MEASURES["statutory_visits_on_time"].higher_is_better is True
    assert MEASURES["vacancy_rate"].axis_title == "Vacancy rate (%)"
    assert MEASURES["fte_social_workers"].axis_title == "FTE social workers"
    extra = measure_info("newly_qualified_workers")
    assert extra.label == "Newly qualified workers" and extra.higher_is_better is None
    assert measure_info("starters_fte").label == "Starters (FTE)"


def test_derive_measures_hand_checked(wf: Workforce) -> None:
    d = derive_measures(wf, {"caseload_avg": 24})
    assert list(d.columns) == DERIVED_COLUMNS
    assert list(zip(d["measure"], d["team"]))[:3] == [("fte_social_workers", ""), ("fte_social_workers", "Northgate"),
                                                     ("headcount", "")]  # catalogue order, whole authority first
    r = row(d, "caseload_avg")
    assert (r["first_period"], r["first_value"]) == ("2022", 22.5)
    assert (r["previous_period"], r["previous_value"]) == ("2023", 25.0)
    assert (r["latest_period"], r["latest_value"], r["latest_missing"]) == ("2024", 26.0, "")
    assert r["change_first_abs"] == pytest.approx(3.5)
    assert r["change_first_pct"] == pytest.approx(15.5556, abs=1e-3)
    assert r["change_prev_abs"] == pytest.approx(1.0)
    assert r["change_prev_pct"] == pytest.approx(4.0)
    assert r["target"] == 24
    assert r["vs_target_abs"] == pytest.approx(2.0)
    assert r["vs_target_pct"] == pytest.approx(8.3333, abs=1e-3)
    assert bool(r["meets_target"]) is False
    assert r["periods"] == 3
    team = row(d, "caseload_avg", "Northgate")
    assert (team["first_period"], team["latest_value"], team["vs_target_abs"]) == ("2023", 28.5, 4.5)


def test_missing_values_skip_to_the_last_available(wf: Workforce) -> None:
    d = derive_measures(wf, {})
    vacancy = row(d, "vacancy_rate")
    # 2023 is suppressed, so "previous" is the last earlier period with a value: 2022
    assert (vacancy["previous_period"], vacancy["previous_value"]) == ("2022", 15.0)
    assert vacancy["change_prev_abs"] == pytest.approx(3.0)
    assert vacancy["missing_periods"] == "2023: suppressed"
    team = row(d, "vacancy_rate", "Northgate")
    assert math.isnan(team["latest_value"]) and team["latest_missing"] == "not available"
    assert (team["latest_available_period"], team["latest_available_value"]) == ("2023", 20.0)
    assert math.isnan(team["change_first_abs"])
    assert pd.isna(team["meets_target"])


def test_targets_accept_forgiving_names_and_reject_unknown(wf: Workforce) -> None:
    d = derive_measures(wf, {"Average caseload": 24, "vacancy rate (%)": 15})
    assert row(d, "caseload_avg")["target"] == 24 and row(d, "vacancy_rate")["target"] == 15
    assert bool(row(d, "vacancy_rate")["meets_target"]) is False
    with pytest.raises(InputError, match="unknown measure 'caseloads'"):
        derive_measures(wf, {"caseloads": 20})


def test_higher_is_better_target() -> None:
    wf = workforce_from_table(table("period,authority,statutory_visits_on_time\n2024,X,92.0\n"), authority="X")
    r = row(derive_measures(wf, {"statutory_visits_on_time": 90}), "statutory_visits_on_time")
    assert bool(r["meets_target"]) is True and r["vs_target_abs"] == pytest.approx(2.0)


def test_comparator_gaps_same_latest_period(wf: Workforce) -> None:
    g = comparator_gaps(wf)
    assert list(g.columns) == GAP_COLUMNS
    caseload = g[(g["measure"] == "caseload_avg") & (g["team"] == "")]
    assert caseload["comparator"].tolist() == ["England", "East Midlands"]
    assert caseload["period"].tolist() == ["2024", "2024"]
    assert caseload["comparator_value"].tolist() == [17.8, 18.9]
    assert caseload["gap_abs"].round(6).tolist() == [8.2, 7.1]
    assert caseload["gap_pct"].iloc[0] == pytest.approx(8.2 / 17.8 * 100)
    vacancy = g[(g["measure"] == "vacancy_rate") & (g["team"] == "") & (g["comparator"] == "East Midlands")].iloc[0]
    assert math.isnan(vacancy["comparator_value"]) and vacancy["comparator_missing"] == "suppressed"
    # a team's latest period is compared with the comparator's figure for that period
    team = g[(g["measure"] == "caseload_avg") & (g["team"] == "Northgate") & (g["comparator"] == "England")].iloc[0]
    assert team["gap_abs"] == pytest.approx(28.5 - 17.8)


def test_comparator_without_a_row_for_the_period() -> None:
    wf = workforce_from_table(table("period,authority,caseload_avg\n2023,X,20\n2024,X,21\n2023,England,17\n"),
                              authority="X")
    g = comparator_gaps(wf)
    assert g["comparator_missing"].tolist() == ["no figure for 2024"]


def test_describe_measure_the_contract_sentence(wf: Workforce) -> None:
    d = derive_measures(wf, {"caseload_avg": 24})
    g = comparator_gaps(wf)
    text = describe_measure(row(d, "caseload_avg"), g[g["comparator"] == "England"])
    assert text == ("The average caseload was 26.0 cases per FTE in 2024 against a target of 24 (+2.0, +8.3%), "
                    "up from 22.5 in 2022; England: 17.8.")
    assert describe_measure(row(d, "caseload_avg"), g).endswith("; England: 17.8; East Midlands: 18.9.")
    assert describe_measure(row(d, "caseload_avg")) == (
        "The average caseload was 26.0 cases per FTE in 2024 against a target of 24 (+2.0, +8.3%), up from 22.5 "
        "in 2022.")


def test_describe_measure_rates_counts_teams_and_missing(wf: Workforce) -> None:
    d = derive_measures(wf, {"vacancy_rate": 15})
    g = comparator_gaps(wf)
    assert describe_measure(row(d, "vacancy_rate"), g) == (
        "The vacancy rate was 18.0% in 2024 against a target of 15% (+3.0 percentage points), up from 15.0% in "
        "2022; England: 18.1%; East Midlands: suppressed.")
    # counts: whole numbers without ".0", no comparison with England's totals
    assert describe_measure(row(d, "fte_social_workers"), g) == (
        "The number of FTE social workers was 89.0 in 2024, down from 98.3 in 2022.")  # FTE keeps its decimal
    assert describe_measure(row(d, "vacancy_rate", "Northgate"), g) == (
        "In the Northgate, the vacancy rate for 2024 is not available; the latest figure was 20.0% in 2023; "
        "England: 18.1%; East Midlands: suppressed.")


def test_small_numbers_suppressed_when_asked(wf: Workforce) -> None:
    d = derive_measures(wf, {"headcount": 10})
    r = row(d, "headcount", "Northgate")
    assert describe_measure(r) == ("In the Northgate, the social worker headcount was 4 in 2024 against a target "
                                   "of 10 (-6, -60.0%), down from 7 in 2023.")
    assert describe_measure(r, suppress_small_numbers=True) == (
        "In the Northgate, the social worker headcount was fewer than 5 in 2024 against a target of 10, compared "
        "with 7 in 2023.")
    fte = row(d, "fte_social_workers", "Northgate")
    assert "fewer than 5" in describe_measure(fte, suppress_small_numbers=True)
    t = measures_table(d, comparator_gaps(wf), suppress_small_numbers=True)
    cell = t[(t["Measure"] == "Social worker headcount (people)") & (t["Team"] == "Northgate")]["Latest"].iloc[0]
    assert cell == "fewer than 5"
    # rates are never suppressed
    assert format_value(3.0, "vacancy_rate", suppress_small_numbers=True) == "3.0%"


@pytest.mark.parametrize("value, measure, expected", [
    (26.0, "caseload_avg", "26.0 cases per FTE"), (18.04, "vacancy_rate", "18.0%"), (89.0, "fte_social_workers", "89.0"), (1234.0, "headcount", "1,234"),
    (98.31, "fte_social_workers", "98.3"), (32000.0, "headcount", "32,000"), (float("nan"), "vacancy_rate", "not available"),
])
def test_format_value(value: float, measure: str, expected: str) -> None:
    assert format_value(value, measure) == expected


def test_format_missing_reason_target_and_change() -> None:
    assert format_value(float("nan"), "agency_rate", missing="suppressed") == "suppressed"
    assert format_value(4.0, "headcount", suppress_small_numbers=True) == "fewer than 5"
    assert format_value(5.0, "headcount", suppress_small_numbers=True) == "5"
    assert format_value(26.0, "caseload_avg", unit=False) == "26.0"
    assert format_target(24, MEASURES["caseload_avg"]) == "24"
    assert format_target(20.5, MEASURES["caseload_avg"]) == "20.5"
    assert format_target(15, MEASURES["vacancy_rate"]) == "15%"
    assert format_change(2.0, MEASURES["caseload_avg"]) == "+2.0"
    assert format_change(-1.5, MEASURES["vacancy_rate"]) == "-1.5 percentage points"
    assert format_change(-7.0, MEASURES["headcount"]) == "-7"


def test_dfe_file_end_to_end() -> None:
    wf = load_workforce(FIXTURES / "dfe_old_layout.csv", authority="North Tyneside", comparators=["North East", "England"])
    d = derive_measures(wf, {"caseload_avg": 24})
    text = describe_measure(row(d, "caseload_avg"), comparator_gaps(wf))
    assert text == ("The average caseload was 24.1 cases per FTE in 2018 against a target of 24 (+0.1, +0.4%), down "
                    "from 26.0 in 2017; North East: 17.6; England: 16.9.")
    agency = describe_measure(row(d, "agency_rate"), comparator_gaps(wf))
    assert agency == "The agency worker rate was 5.4% in 2018; North East: 5.8%; England: 15.4%."

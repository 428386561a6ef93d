"""Chart data (scrutiny_kit/presentation/chart_data.py): each measure's trend and team data, computed once, and
the tables of display strings with a reason for every missing figure."""
from __future__ import annotations

from scrutiny_kit.presentation.chart_data import team_data, trend_data, trend_table
from scrutiny_kit.sources.workforce import Workforce, workforce_from_table

from workforce_tables import DATA, ECC, table, wf  # noqa: F401  (wf: a fixture)


def test_trend_table_shows_missing_reasons(wf: Workforce) -> None:
    t = trend_table(wf, "caseload_avg")
    assert t.columns.tolist() == ["Period", ECC, "England", "East Midlands"]
    assert t.to_dict("records") == [
        {"Period": "2022", ECC: "22.5", "England": "17.0", "East Midlands": "no figure"},
        {"Period": "2023", ECC: "suppressed", "England": "17.4", "East Midlands": "no figure"},
        {"Period": "2024", ECC: "26.0", "England": "17.8", "East Midlands": "18.2"},
    ]


def test_a_comparator_without_any_figure_for_a_measure_is_left_out() -> None:
    data = DATA.replace("period,authority,team,caseload_avg,headcount,vacancy_rate",
                        "period,authority,team,caseload_avg,headcount,vacancy_rate,visits_on_time")
    data = "\n".join(line + ("" if not line or line.startswith("period") else
                             (",90.5" if line.startswith("2024,Example County Council,,") else
                              ",x" if line.startswith("2024,East Midlands") else ","))
                     for line in data.strip().splitlines())
    wf = workforce_from_table(table(data), authority=ECC, comparators=["England", "East Midlands"])
    t = trend_table(wf, "statutory_visits_on_time")
    # England has no figure at all: left out; East Midlands' "x" says why it has none, so it stays
    assert t.columns.tolist() == ["Period", ECC, "East Midlands"]
    assert t.loc[t["Period"] == "2024", "East Midlands"].tolist() == ["not available"]  # its own "x"


def test_chart_data_is_computed_once_and_callers_cannot_change_it(wf: Workforce) -> None:
    first = trend_data(wf, "caseload_avg")
    first.loc[0, "value"] = -1.0  # a caller scribbling on its copy
    first["extra"] = 1
    again = trend_data(wf, "caseload_avg")
    assert again.loc[0, "value"] == 22.5 and "extra" not in again.columns
    assert len(wf._cache) == 1  # the second call came from the cache
    assert trend_data(wf, "caseload_avg", suppress_small_numbers=True) is not None
    team_data(wf, "caseload_avg")
    assert len(wf._cache) == 3  # suppression and team data are cached separately

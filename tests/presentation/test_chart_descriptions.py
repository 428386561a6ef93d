"""Chart headlines (scrutiny_kit/presentation/chart_descriptions.py): which way a measure moved, and how it
stands against its target and each comparator."""
from __future__ import annotations

from scrutiny_kit.presentation.chart_descriptions import trend_description
from scrutiny_kit.sources.workforce import workforce_from_table

from workforce_tables import table


def test_trend_description_directions() -> None:
    wf = workforce_from_table(table("period,authority,vacancy_rate\n2023,X,18.0\n2024,X,15.5\n2024,England,18.1\n"),
                              authority="X")
    assert trend_description(wf, "vacancy_rate", 16) == (
        "Vacancy rate fell from 18.0% in 2023 to 15.5% in 2024, below the target of 16% and England's 18.1%.")
    wf = workforce_from_table(table("period,authority,caseload_avg\n2024,X,20\n2024,England,20.0\n"), authority="X")
    assert trend_description(wf, "caseload_avg", 24) == (
        "Average caseload was 20.0 in 2024, below the target of 24 and level with England's 20.0.")
    wf = workforce_from_table(table("period,authority,turnover_rate\n2022,X,15\n2023,X,u\n2024,X,u\n"
                                    "2022,England,17.1\n2022,Wales,14\n2022,Scotland,12\n"),
                              authority="X", comparators=["England", "Wales", "Scotland"])
    assert trend_description(wf, "turnover_rate", 16) == (
        "Turnover rate was 15.0% in 2022, below the target of 16% and England's 17.1%, and above Wales' 14.0% and "
        "Scotland's 12.0%. The figures for 2023 and 2024 are not shown (low reliability).")

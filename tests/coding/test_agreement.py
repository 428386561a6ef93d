"""Agreement of the automatic coding with the officer's check: precision, recall, tone accuracy per theme."""
from __future__ import annotations

import pandas as pd
import pytest

from scrutiny_kit.coding.agreement import agreement_table, format_agreement, tone_agrees


def decided(*rows: tuple[int, str, str, str, str, bool, bool]) -> pd.DataFrame:
    """(point, officer theme, coder themes, officer tone, coder tone, checked, excluded) rows of one note."""
    return pd.DataFrame(rows, columns=["point", "theme", "coder_themes", "tone", "coder_tone", "checked", "excluded"]
                        ).assign(source="a.md")


def test_precision_recall_and_tone_accuracy_count_checked_points_only() -> None:
    frame = decided(
        (1, "caseload_workload", "caseload_workload", "concern", "concern", True, False),  # agree
        (2, "caseload_workload", "", "concern", "positive", True, False),  # coder missed it, wrong tone
        (3, "", "caseload_workload; voice_of_child", "neutral", "neutral", True, False),  # coder's false themes
        (4, "voice_of_child", "voice_of_child", "mixed", "concern", True, False),  # mixed accepts concern
        (5, "voice_of_child", "caseload_workload", "positive", "positive", False, False),  # not checked: left out
        (6, "voice_of_child", "", "neutral", "neutral", True, True),  # excluded: left out
    )
    table = agreement_table(frame, ["caseload_workload", "voice_of_child", "pay_conditions"]).set_index("theme")
    assert table.loc["caseload_workload", ["officer", "coder", "both"]].tolist() == [2, 2, 1]
    assert table.loc["caseload_workload", "precision"] == 0.5 and table.loc["caseload_workload", "recall"] == 0.5
    assert table.loc["caseload_workload", "tone_accuracy"] == 0.5
    assert table.loc["voice_of_child", ["officer", "coder", "both"]].tolist() == [1, 2, 1]
    assert table.loc["voice_of_child", "tone_accuracy"] == 1.0
    assert pd.isna(table.loc["pay_conditions", "precision"])
    assert table.loc["all themes", ["officer", "coder", "both"]].tolist() == [3, 4, 2]
    lines = format_agreement(table.reset_index(), sheet="coding-check.xlsx")
    assert any(line.split() == ["caseload_workload", "2", "2", "1", "0.50", "0.50", "0.50"] for line in lines)
    assert not any(line.startswith("pay_conditions") for line in lines)


@pytest.mark.parametrize("officer, coder, agrees", [("concern", "concern", True), ("mixed", "positive", True),
                                                    ("concern", "mixed", False), ("neutral", "concern", False)])
def test_tone_agreement(officer: str, coder: str, agrees: bool) -> None:
    assert tone_agrees(officer, coder) is agrees

"""The gap check (scrutiny_kit/analysis/gap_check.py), both ways: concerns raised in several visits with no
recommendation, and recommendations with no evidence behind them."""
from __future__ import annotations

import pandas as pd

from fixtures.findings import sample
from scrutiny_kit.analysis.findings import Findings, build_findings
from scrutiny_kit.analysis.recommendations import rate



def test_gap_check_both_directions(findings: Findings) -> None:
    gaps = findings.gaps
    assert [(g.theme, g.concern_visits) for g in gaps.unaddressed] == [("it_systems", 2)]
    unsupported = {link.id: why for link, why in gaps.unsupported}
    assert unsupported == {"R3": "no visit raised Pay and conditions (pay_conditions)",
                           "R5": "no themes given, so it is not linked to any evidence"}
    assert not gaps.none


def test_a_concern_in_one_visit_is_not_a_gap_and_no_gaps_when_all_covered() -> None:
    recs = sample.recommendations()
    recs = recs.loc[recs["id"].isin(["R1", "R2", "R4"])].reset_index(drop=True)
    extra = recs.iloc[[0]].assign(id="R9", themes=[["it_systems"]])
    f = sample.findings(recommendations=rate(pd.concat([recs, extra], ignore_index=True), sample.REPORT_DATE))
    assert f.gaps.none
    coded = sample.coded()
    coded = coded.loc[~((coded["theme"] == "it_systems") & (coded["source"] == "d-south-2025-03-03.md"))]
    f = build_findings(coded, sample.codebook())
    assert f.section("it_systems").concern_visits == 1
    assert "it_systems" not in {g.theme for g in f.gaps.unaddressed}
    assert {g.theme for g in f.gaps.unaddressed} == {"caseload_workload", "agency_staff"}  # no tracker given

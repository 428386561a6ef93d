"""findings.csv (scrutiny_kit/analysis/findings_table.py): one row per codebook theme, with its counts, dates,
measures, cited excerpts, recommendations and section number."""
from __future__ import annotations

from fixtures.findings import sample
from scrutiny_kit.analysis.findings import FINDINGS_COLUMNS, Findings, build_findings
from scrutiny_kit.analysis.findings_table import findings_table


def test_findings_table(findings: Findings) -> None:
    table = findings_table(findings)
    assert list(table.columns) == FINDINGS_COLUMNS == [
        "theme", "label", "points", "visits", "teams", "concern", "positive", "neutral", "mixed", "first_date",
        "last_date", "measures", "excerpts", "recommendations", "section"]
    assert list(table["theme"]) == ["caseload_workload", "it_systems", "agency_staff", "supervision_training",
                                    "recruitment_retention", "pay_conditions"]
    row = table.iloc[0].to_dict()
    assert row == {
        "theme": "caseload_workload", "label": "Caseloads and workload", "points": 4, "visits": 4,
        "teams": "North Team, East Team, Ashfield Team, West Team", "concern": 3, "positive": 1, "neutral": 0,
        "mixed": 0, "first_date": "2025-02-03", "last_date": "2025-03-12", "measures": "caseload_avg=26.0",
        "excerpts": ";".join([
            "North Team, 3 February 2025, visit 1, point 1 (a-north-2025-02-03.md)",
            "East Team, 10 February 2025, visit 2, point 1 (b-east-2025-02-10.md)",
            "Ashfield Team, 17 February 2025, visit 3, point 1 (c-ashfield-2025-02-17.md)",
            "West Team, 12 March 2025, visit 5, point 1 (e-west-2025-03-12.md)"]),
        "recommendations": "R1;R2", "section": "2.1"}
    assert table.iloc[2]["measures"] == "agency_rate=18.5"
    pay = table.set_index("theme").loc["pay_conditions"]
    assert (pay["points"], pay["visits"], pay["first_date"], pay["recommendations"]) == (0, 0, "", "R3")
    assert pay["measures"] == "caseload_avg=26.0"


def test_no_evidence_at_all() -> None:
    f = build_findings(sample.coded().iloc[0:0], sample.codebook())
    assert f.sections == () and f.visits == 0 and f.other_issues == () and f.first_date is None
    assert len(findings_table(f)) == len(sample.codebook().themes)

"""Hand-written manifest.json files of three reviews: the index page's input in tests/batch/."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from scrutiny_kit.batch.index_site import write_index

CASELOAD = "Caseloads and workload"


def theme(label: str, points: int, visits: int, concern: int, positive: int) -> dict:
    return {"label": label, "points": points, "visits": visits, "concern": concern, "positive": positive}


REVIEWS = {
    "northmoor-2025": dict(
        title="Frontline social work", authority="Northmoor County Council", report_date="2025-03-31", visits=12,
        themes={"caseload_workload": theme(CASELOAD, 14, 9, 12, 1), "it_systems": theme("IT systems", 4, 3, 4, 0),
                "agency_staff": theme("Agency staff", 2, 2, 1, 1)},
        top_concerns=["caseload_workload", "it_systems", "agency_staff"], rag={"red": 2, "amber": 1, "green": 3, "blue": 1}),
    "eastvale-2024": dict(
        title="Agency staff <and> retention", authority="Eastvale Borough Council", report_date="2024-06-01", visits=5,
        themes={"agency_staff": theme("Agency staff", 6, 4, 6, 0), "caseload_workload": theme(CASELOAD, 1, 1, 0, 1)},
        top_concerns=["agency_staff"], rag={"red": 0, "amber": 1, "green": 0, "blue": 0}),
    "westbrook-2023": dict(
        title="The front door", authority="Westbrook City Council", report_date="2023-11-20", visits=20,
        themes={"it_systems": theme("IT systems", 25, 16, 20, 2)},
        top_concerns=["it_systems"], rag={"red": 0, "amber": 0, "green": 0, "blue": 4}),
}


def write_review(out: Path, review_id: str, **summary) -> Path:
    folder = out / review_id
    folder.mkdir(parents=True)
    (folder / "report.html").write_text(f"<h1>{summary.get('title', review_id)}</h1>", encoding="utf-8")
    full = {"committee": "Children and Young People Scrutiny Committee", "points": 50, "teams": 3,
            "exempt_notes": 0, "recommendations": sum((summary.get("rag") or {}).values()), **summary}
    manifest = {"review_id": review_id, "generated_at": "2025-04-01T10:00:00+00:00", "summary": full,
                "params": {"title": "from params", "authority": "Params Council", "committee": "Params Committee",
                           "report_date": "2022-01-01"}}
    (folder / "working").mkdir()
    (folder / "working" / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


@pytest.fixture
def site(tmp_path: Path) -> Path:
    out = tmp_path / "outputs"
    for rid, summary in REVIEWS.items():
        write_review(out, rid, **summary)
    write_index(out)
    return out

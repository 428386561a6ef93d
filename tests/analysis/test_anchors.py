"""Anchor ids for the report's links (scrutiny_kit/analysis/anchors.py): safe in HTML, and unique."""
from __future__ import annotations

from scrutiny_kit.analysis.anchors import rec_anchors, slug


def test_anchor_ids_are_safe_and_unique() -> None:
    assert slug("R 3.1") == "r-3-1" and slug("caseload_workload") == "caseload_workload"
    assert slug('"><script>') == "script" and slug("") == "x"
    assert rec_anchors(["1.2", "1-2", "2a", "R3"]) == {"1.2": "rec-1-2", "1-2": "rec-1-2-2", "2a": "rec-2a",
                                                       "R3": "rec-r3"}

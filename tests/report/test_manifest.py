"""manifest.json: what went into a report, without the names that must never be published."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from conftest import write_review
from scrutiny_kit.params import load_params
from scrutiny_kit.report.manifest import build_manifest, params_record

NOTE = "---\ndate: 2025-02-03\nteam: Riverside\n---\n- Caseloads had risen.\n"


def test_the_redact_list_is_recorded_as_a_count_and_a_hash(tmp_path: Path) -> None:
    params = load_params(write_review(tmp_path, {"a.md": NOTE}, redact=["Jo Bloggs", "Sam Smith"],
                                      title="Review chaired by Sam Smith"))
    manifest = build_manifest(params, notebook=tmp_path / "nb.ipynb", hashes={}, timings={},
                              extra={"apply_redaction": True})
    text = json.dumps(manifest)
    assert "Jo Bloggs" not in text and "Sam Smith" not in text
    expected = hashlib.sha256(json.dumps(["Jo Bloggs", "Sam Smith"]).encode()).hexdigest()
    assert manifest["params"]["redact"] == {"count": 2, "sha256": expected}
    assert manifest["params"]["title"] == "Review chaired by [redacted]"  # as the report shows it
    assert manifest["params"]["params_file"] == "review.yaml"  # relative to itself: no machine path
    assert params_record(params)["title"] == "Review chaired by Sam Smith"  # without --redact it is refused anyway

"""Params as the notebook gets them (scrutiny_kit/notebook_params.py): keys papermill injected find their params
file by review id from any folder, and keys left at None change nothing."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import EXAMPLE_PARAMS
from scrutiny_kit.notebook_params import overrides_from, resolve_params


def test_papermill_injected_keys_find_their_params_file_by_review_id(monkeypatch: pytest.MonkeyPatch,
                                                                     tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # papermill may run from anywhere
    injected = {"review_id": "example-frontline-2025", "title": "Retitled", "targets": {"caseload_avg": 18},
                "visit_notes": "../examples/frontline/visits/"}
    params = resolve_params("../params/example.yaml", overrides_from(injected))
    assert params.title == "Retitled" and params.targets == {"caseload_avg": 18.0}
    assert params.params_file == EXAMPLE_PARAMS.resolve()
    assert params.workforce.is_file()


def test_overrides_ignore_keys_left_at_none() -> None:
    assert overrides_from({"title": None, "targets": {"caseload_avg": 20}, "other": 1}) == {
        "targets": {"caseload_avg": 20}}

"""The review facade (scrutiny_kit/review.py): a run refused before personal data is shown (the check's rules:
tests/report/test_input_privacy.py), a notebook session that writes nothing, and charts drawn early."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import render, write_review
from personal_data import NOTE
from scrutiny_kit.errors import PublishCheckError
from scrutiny_kit.review import open_review


def test_run_refuses_personal_data_and_keeps_the_previous_report(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    clean = NOTE.replace("Jo Bloggs's team could be reached on 07700 900123 or at duty.team@example.gov.uk",
                         "the duty team could be reached by phone")
    params = write_review(tmp_path, {"riverside.md": clean}, redact=["Jo Bloggs"])
    out = tmp_path / "out"
    assert render(params, out) == 0
    report = out / "example-frontline-2025" / "report.html"
    before = report.read_bytes()

    (tmp_path / "visits" / "riverside.md").write_text(NOTE, encoding="utf-8")
    capsys.readouterr()
    assert render(params, out) == 3
    err = capsys.readouterr().err
    assert "07700 900123" in err and "riverside.md, point 2" in err and "--redact" in err
    assert report.read_bytes() == before
    leftovers = [p for p in out.rglob("*") if p.is_file() and "07700 900123" in p.read_text(errors="ignore")]
    assert leftovers == [], "a refused run must not keep the personal data it found anywhere"

    from scrutiny_kit.cli import main
    assert main(["validate", str(params)]) == 3  # validate reports it too, before any run
    assert "07700 900123" in capsys.readouterr().err

    assert render(params, out, "--redact") == 0
    html = report.read_text(encoding="utf-8")
    assert "07700 900123" not in html and "Jo Bloggs" not in html and "example.gov.uk" not in html
    manifest = json.loads((report.parent / "working" / "manifest.json").read_text())
    assert manifest["redactions"] == {"email": 1, "name": 1, "phone": 1}
    assert manifest["apply_redaction"] is True


def test_open_review_in_a_notebook_session_writes_nothing(tmp_path: Path) -> None:
    params = write_review(tmp_path, {"riverside.md": NOTE.replace("07700 900123", "the duty line")
                                     .replace("duty.team@example.gov.uk", "the duty inbox")}, redact=[])
    review = open_review(str(params))
    assert review.save_tables(None) is None
    assert ("Caseloads and workload came up once in the only visit (Riverside Locality Team), as a concern."
            in review.findings_chapter())
    assert not any(tmp_path.glob("*.csv"))


def test_charts_start_drawing_when_the_review_opens_and_only_raised_themes_are_shown(tmp_path: Path) -> None:
    note = "---\ndate: 2025-01-15\nteam: Riverside\n---\n- Caseloads are too high, some workers hold 30 cases.\n"
    review = open_review(str(write_review(tmp_path, {"riverside.md": note}, redact=[])))
    started = [p.figure.measure for p in review.pending_figures]
    # every workforce measure a codebook theme links to is started before the notes are coded ...
    assert set(started) == {"absence_rate", "agency_rate", "caseload_avg", "fte_social_workers",
                            "statutory_visits_on_time", "turnover_rate", "vacancy_rate"}
    charts = review.charts()
    # ... but the chapter shows only the measures of the themes raised: here caseloads alone
    assert list(charts) == ["caseload_avg"]
    assert len(charts["caseload_avg"]) == 2 and "Average caseload" in charts["caseload_avg"][0]
    assert review.pending_figures == []
    assert review.charts() is charts  # drawn once


def test_charts_for_measures_not_started_early_are_drawn_on_demand(tmp_path: Path) -> None:
    note = "---\ndate: 2025-01-15\nteam: Riverside\n---\n- Caseloads are too high, some workers hold 30 cases.\n"
    review = open_review(str(write_review(tmp_path, {"riverside.md": note}, redact=[])))
    review.pending_figures = []  # as if nothing was started
    assert list(review.charts()) == ["caseload_avg"]
    assert 'id="fig-caseload-avg-trend' in review.charts()["caseload_avg"][0]




def test_the_check_before_running_hands_its_inputs_to_the_next_open_review_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from scrutiny_kit import review as review_module

    note = "---\ndate: 2025-01-15\nteam: Riverside\n---\n- Caseloads are too high, some workers hold 30 cases.\n"
    params = write_review(tmp_path, {"riverside.md": note}, redact=[])
    review_module.check_before_running(str(params))
    checked = review_module.CHECKED[0][1]
    calls = []
    original = review_module.publish_check
    monkeypatch.setattr(review_module, "publish_check", lambda *a, **k: calls.append(1) or original(*a, **k))
    first = open_review(str(params))
    assert calls == []  # the check's result is handed over with the inputs: not run twice
    assert first.inputs.notes is checked.notes  # read once: by the check
    assert [p.figure.measure for p in first.pending_figures]  # the charts still start as the review opens
    assert "Caseloads and workload came up once" in first.findings_chapter()
    again = open_review(str(params))
    assert again.inputs.notes is not checked.notes and review_module.CHECKED == []  # handed out once


def test_the_check_before_running_refuses_personal_data_and_keeps_nothing(tmp_path: Path) -> None:
    from scrutiny_kit import review as review_module

    params = write_review(tmp_path, {"riverside.md": NOTE}, redact=[])
    with pytest.raises(PublishCheckError, match="07700 900123"):
        review_module.check_before_running(str(params))
    assert review_module.CHECKED == []

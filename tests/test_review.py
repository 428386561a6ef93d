"""The review facade: params as the notebook sees them, the publish check before anything is shown (its rules:
tests/report/test_input_privacy.py), charts drawn early, and inputs handed over only when clean."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import EXAMPLE_PARAMS, render, write_review
from personal_data import NOTE
from scrutiny_kit.errors import InputError
from scrutiny_kit.review import load_inputs, open_review, overrides_from, resolve_params


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


def test_load_inputs_hands_over_codebook_and_workforce_only_when_both_are_clean(tmp_path: Path) -> None:
    note = "---\ndate: 2025-01-15\nteam: Riverside\n---\n- Caseloads are too high.\n"
    seen: list[tuple[str, str]] = []
    inputs = load_inputs(resolve_params(str(write_review(tmp_path / "good", {"r.md": note}, redact=[])), None),
                         then=lambda codebook, workforce: seen.append((codebook.source, workforce.authority)))
    assert seen == [(inputs.codebook.source, "Example County Council")]
    bad = tmp_path / "bad.csv"
    bad.write_text("period,authority,caseload_avg\n2024,Example County Council,lots\n", encoding="utf-8")
    params = resolve_params(str(write_review(tmp_path / "bad", {"r.md": note}, redact=[], workforce=str(bad))), None)
    with pytest.raises(InputError) as excinfo:
        load_inputs(params, then=lambda codebook, workforce: seen.append(("called", "")))
    assert "lots" in str(excinfo.value) and len(seen) == 1


def test_validate_lists_warnings_and_the_sheet_read(tmp_path: Path) -> None:
    import openpyxl

    from scrutiny_kit.params import load_params
    from scrutiny_kit.review import describe_inputs

    wb = openpyxl.Workbook()
    wb.active.title = "Old"
    wb.active.append(["period", "authority", "caseload_avg"])
    wb.active.append(["2024", "Example County Council", 77.7])
    wb.active.sheet_state = "hidden"
    ws = wb.create_sheet("March return")
    ws.append(["period", "authority", "caseload_avg"])
    ws.append(["2024", "Example County Council", 22.8])
    wb.save(tmp_path / "w.xlsx")
    old = NOTE.replace("2025-02-03", "2012-02-03").replace("Jo Bloggs's team", "the team").replace(
        " on 07700 900123 or at duty.team@example.gov.uk", "")
    inputs = load_inputs(load_params(write_review(tmp_path, {"old.md": old}, redact=[], comparators=[],
                                                  workforce=str(tmp_path / "w.xlsx"))))
    assert "workforce (sheet 'March return'): Example County Council, 1 periods" in describe_inputs(inputs)[1]
    assert inputs.sheets == {"workforce": "March return"}
    assert [str(w) for w in inputs.warnings] == [
        f"{tmp_path / 'visits' / 'old.md'}, 'date': the visit date 3 February 2012 is more than 10 years before the "
        "report date 31 March 2025: check it is not a typing slip"]

"""Every input of a review loaded and validated (scrutiny_kit/inputs.py): the codebook and workforce handed on only
when both are clean, and what `validate` lists (the sheet read, warnings)."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import write_review
from personal_data import NOTE
from scrutiny_kit.errors import InputError
from scrutiny_kit.inputs import load_inputs
from scrutiny_kit.notebook_params import resolve_params


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
    from scrutiny_kit.inputs import describe_inputs

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

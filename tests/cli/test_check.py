"""`scrutiny-kit check` and the coding sheet through the real CLI: write, refuse, update, agreement, run, --strict."""
from __future__ import annotations

import csv
import hashlib
import json
import os
import re
from pathlib import Path

import openpyxl
import pytest

from checking import DECISIONS, NORTH, edit, header, row_of, small_review
from conftest import render
from scrutiny_kit.cli import main
from scrutiny_kit.coding.codebook import load_codebook

IDS = load_codebook("default").ids


def checked_sheet(folder: Path) -> tuple[Path, Path]:
    """The small review's params file and its coding sheet, written by `check` and edited by the officer."""
    params = small_review(folder)
    assert main(["check", str(params)]) == 0
    sheet = folder / "coding-check.xlsx"
    edit(sheet, DECISIONS, theme_ids=IDS)
    return params, sheet


def test_check_writes_the_sheet_beside_the_params_file_and_never_overwrites_it(tmp_path: Path,
                                                                               capsys: pytest.CaptureFixture) -> None:
    params = small_review(tmp_path)
    assert main(["check", str(params)]) == 0
    sheet = tmp_path / "coding-check.xlsx"
    out = capsys.readouterr().out
    assert f"{sheet}: 8 points to check (1 from confidential notes, marked)" in out
    assert "add `coding_check: coding-check.xlsx` to review.yaml" in out
    edit(sheet, {"north.md#1": {"tone": "mixed"}}, theme_ids=IDS)
    edited = sheet.read_bytes()
    assert main(["check", str(params)]) == 1
    assert "exists and may hold an officer's decisions: use --update" in capsys.readouterr().err
    assert sheet.read_bytes() == edited
    assert main(["check", str(params), "--force"]) == 0
    book = openpyxl.load_workbook(sheet)["points"]
    assert book.cell(row_of(book, "north.md#1"), header(book)["tone"]).value is None
    other = tmp_path / "elsewhere" / "mine.xlsx"
    assert main(["check", str(params), "--out", str(other)]) == 0 and other.is_file()


def test_update_keeps_every_decision_and_moves_removed_points_to_their_own_sheet(tmp_path: Path,
                                                                                capsys: pytest.CaptureFixture) -> None:
    params, sheet = checked_sheet(tmp_path)
    north = NORTH.replace("three different social workers", "four different social workers")
    north = north.replace("- Members were shown around the building before the meeting started.\n", "")
    north += "- Staff said the new duty rota had made evenings easier.\n"
    (tmp_path / "visits" / "north.md").write_text(north)
    capsys.readouterr()
    assert main(["check", str(params), "--update"]) == 0
    said = capsys.readouterr().out
    assert "6 decisions kept, 1 new point added (status 'new'), 1 changed point marked stale, 1 row of removed " \
           "points moved to the 'removed' sheet, 1 point followed to its new number" in said
    book = openpyxl.load_workbook(sheet)
    points, cols = book["points"], header(book["points"])
    by_id = {points.cell(r, 1).value: r for r in range(2, points.max_row + 1)}
    assert set(by_id) == {"north.md#1", "north.md#2", "north.md#3", "north.md#4", "south.md#1", "south.md#2",
                          "south.md#3", "east.md#1"}
    # north.md#4 (was #4: 'so high that recording fell behind') is now point 3 and keeps quote 'no'
    assert points.cell(by_id["north.md#3"], cols["quote"]).value == "no"
    assert points.cell(by_id["north.md#3"], cols["status"]).value is None
    stale = by_id["north.md#2"]
    assert points.cell(stale, cols["status"]).value.startswith("stale: the text changed since it was checked; it "
                                                               "was \u201cYoung people said they had three different")
    assert points.cell(stale, cols["voice_of_child"]).value == "x"  # the officer's old decision is still there
    assert points.cell(by_id["north.md#4"], cols["status"]).value == "new: not checked yet"
    assert points.cell(by_id["south.md#1"], cols["quote"]).value == "yes"
    removed = list(book["removed"].iter_rows(values_only=True))
    head = list(removed[0])
    assert len(removed) == 2 and removed[1][head.index("point id")] == "north.md#2"
    assert removed[1][head.index("exclude")] == "about the visit's arrangements"
    assert removed[1][head.index("status")] == "removed: no longer in the visit notes"


def test_agreement_prints_precision_recall_and_tone_accuracy_per_theme(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture) -> None:
    params, sheet = checked_sheet(tmp_path)
    capsys.readouterr()
    assert main(["check", str(params), "--agreement"]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith("voice_of_child "))
    officer = sum("voice_of_child" in d["themes"] for d in DECISIONS.values() if "exclude" not in d)
    assert line.split()[1] == str(officer) == "2"
    total = sum(len(d["themes"]) for d in DECISIONS.values() if "exclude" not in d)
    assert re.search(rf"^all themes\s+{total}\s+\d+\s+\d+\s+\d\.\d\d\s+\d\.\d\d\s+\d\.\d\d$", out, re.M)
    assert "the officer's 'mixed' accepts concern or positive" in out


def test_a_run_with_a_checked_sheet_says_so_and_records_the_sheet(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture) -> None:
    params, sheet = checked_sheet(tmp_path)
    out = tmp_path / "out"
    params.write_text(params.read_text() + "coding_check: coding-check.xlsx\n")
    assert render(params, out) == 0
    folder = next(p for p in out.iterdir() if p.is_dir())
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", (folder / "report.html").read_text()))
    assert "All 7 points were coded automatically and then checked by officers, who changed" in text
    assert "excluded 1 (about the visit&#39;s arrangements)" in text  # the page escapes the apostrophe
    assert "Members were shown around the building" not in text  # excluded: no list, no excerpt
    manifest = json.loads((folder / "working" / "manifest.json").read_text())
    digest = hashlib.sha256(sheet.read_bytes()).hexdigest()
    assert manifest["coding_check"]["sha256"] == digest and manifest["coding_check"]["checked"] == 7
    assert manifest["inputs"][os.path.relpath(sheet, params.parent)] == digest  # relative to the params file
    rows = list(csv.DictReader((folder / "working" / "coded_points.csv").open()))
    assert {(r["source"], r["point"]) for r in rows} == {(k.split("#")[0], k.split("#")[1]) for k in DECISIONS}
    assert all(r["checked"] == "True" for r in rows)
    north3 = [r for r in rows if (r["source"], r["point"]) == ("north.md", "3")]
    assert {r["theme"] for r in north3} == {"voice_of_child", "recruitment_retention"}
    assert "coder_themes" in rows[0] and "coder_tone" in rows[0]


def test_strict_refuses_unchecked_points_which_are_otherwise_warnings(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture) -> None:
    params = small_review(tmp_path)
    out = tmp_path / "out"
    assert main(["check", str(params)]) == 0
    params.write_text(params.read_text() + "coding_check: coding-check.xlsx\n")
    (tmp_path / "visits" / "west.md").write_text("---\ndate: 2025-02-10\nteam: West Team\n---\n- Caseloads are high.\n")
    capsys.readouterr()
    assert main(["validate", str(params)]) == 0
    captured = capsys.readouterr()
    assert "coding check: coding-check.xlsx, 8 of 9 points checked, 1 not checked" in captured.out
    assert "warning: " in captured.err and "point 1 of west.md is not in the sheet" in captured.err
    assert main(["validate", str(params), "--strict"]) == 2
    assert render(params, out, "--strict") == 2
    assert "point 1 of west.md is not in the sheet" in capsys.readouterr().err
    assert not (out / "example-frontline-2025" / "report.html").exists()
    assert render(params, out) == 0
    assert "warning: " in capsys.readouterr().err
    report = (out / "example-frontline-2025" / "report.html").read_text()
    assert "officers then checked 7 of them" in report and "(added to the notes since the check)" in report


def test_check_can_write_the_sheet_the_params_file_already_names(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture) -> None:
    params = small_review(tmp_path, coding_check="checks/ours.xlsx")
    assert main(["validate", str(params)]) == 2
    assert "key 'coding_check': file not found (write the coding sheet with `scrutiny-kit check PARAMS`)" in \
        capsys.readouterr().err
    assert main(["check", str(params)]) == 0
    assert (tmp_path / "checks" / "ours.xlsx").is_file()
    assert "the params file already names it (coding_check)" in capsys.readouterr().out
    assert main(["validate", str(params)]) == 0

"""The command line: `code` for tuning a codebook, help text, and errors as messages with exit codes."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from scrutiny_kit.cli import main

ROOT = Path(__file__).resolve().parent.parent
NOTES = ROOT / "tests" / "fixtures" / "cli"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(args)
    out, err = capsys.readouterr()
    return status, out, err


def test_code_writes_coded_points_csv_for_notes_with_no_review(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(["code", str(NOTES / "visit.md")], capsys)
    assert status == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["point"] for r in rows if r["theme"] == "caseload_workload"] == ["1"]
    first = next(r for r in rows if r["point"] == "1")
    assert first["team"] == "Eastfield Team" and first["date"] == "2025-01-20"
    assert "caseload" in first["matched"] and first["tone"] == "concern"
    parking = [r for r in rows if r["point"] == "2"]
    assert parking[0]["theme"] == "accommodation_premises" and "(heading)" in parking[0]["matched"]
    assert {r["point"] for r in rows} == {"1", "2", "3"}  # the uncoded point is there too
    assert next(r for r in rows if r["point"] == "3")["theme"] == ""


def test_code_takes_an_analysts_codebook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = tmp_path / "mine.yaml"
    book.write_text("extends: default\nthemes:\n  - id: kettle\n    label: Kitchen facilities\n"
                    "    definition: Kitchens and kettles in team bases.\n    phrases: [kettle]\n")
    status, out, err = run(["code", str(NOTES), "--codebook", str(book)], capsys)
    assert status == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert next(r for r in rows if r["point"] == "3")["theme"] == "kettle"


def test_bad_notes_give_a_message_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text("---\nteam: Eastfield Team\n---\n- A point.\n")
    status, out, err = run(["code", str(bad)], capsys)
    assert status == 2 and out == ""
    assert "bad.md" in err and "date" in err and "Traceback" not in err


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    for command in ("run", "run-all", "validate", "code"):
        assert command in text
    assert "Exit status" in text

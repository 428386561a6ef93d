"""The command line: `code` for tuning a codebook, help text, and errors as messages with exit codes."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from scrutiny_kit.cli import main

ROOT = Path(__file__).resolve().parents[2]
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


def test_code_reads_committee_text_with_no_visit_metadata(capsys: pytest.CaptureFixture[str]) -> None:
    briefing = Path(__file__).parents[1] / "fixtures" / "notes" / "committee_briefing.txt"
    status, out, err = run(["code", str(briefing)], capsys)
    assert status == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["date"] for r in rows} == {""} and {r["team"] for r in rows} == {""}  # no visit, nothing invented
    by_theme = {r["theme"]: r for r in rows if r["theme"]}
    assert by_theme["caseload_workload"]["text"].startswith("Average caseloads in the locality teams have fallen")
    assert by_theme["caseload_workload"]["tone"] == "positive"
    assert by_theme["agency_staff"]["tone"] == "concern"
    assert "reflective supervision" in by_theme["supervision_training"]["matched"]
    assert len({r["point"] for r in rows}) == 10  # every paragraph is a point, coded or not


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
    bad.write_text("---\nteam: Eastfield Team\n- A point.\n")  # the front matter never closes
    status, out, err = run(["code", str(bad), str(tmp_path / "notes.doc")], capsys)
    assert status == 2 and out == ""
    assert "bad.md, line 1: front matter starts with '---' but has no closing '---' line" in err
    assert "notes.doc" in err and "Traceback" not in err


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    for command in ("run", "run-all", "validate", "code"):
        assert command in text
    assert "Exit status" in text


def test_ctrl_c_during_run_says_interrupted_keeps_the_previous_report_and_prints_no_traceback(
        example_report: Path, tmp_path: Path) -> None:
    import shutil
    import signal
    import subprocess
    import sys
    import time

    from conftest import EXAMPLE_PARAMS

    out = tmp_path / "outputs"
    shutil.copytree(example_report.parent, out / example_report.parent.name)
    previous = (out / example_report.parent.name / "report.html").read_bytes()
    proc = subprocess.Popen([sys.executable, "-m", "scrutiny_kit.cli", "run", str(EXAMPLE_PARAMS), "--output-dir",
                             str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    kids = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    while time.time() < deadline and not (kids.exists() and kids.read_text().split()):  # the kernel is up
        time.sleep(0.05)
    time.sleep(1.0)  # into the notebook's cells
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert stderr.strip().endswith("interrupted: previous reports are untouched")
    assert "Traceback" not in stdout + stderr and "Task exception" not in stderr
    assert (out / example_report.parent.name / "report.html").read_bytes() == previous
    assert not list(out.glob(".*staging*"))


def test_a_ctrl_c_caught_inside_generated_code_still_exits_130_under_python_m(tmp_path: Path) -> None:
    """CPython marks a KeyboardInterrupt raised in code run by exec() of a string (dataclasses generate their
    methods so while a module is imported) as unhandled even once caught, and `python -m` then ended the
    process by SIGINT (status -2): the flaky Ctrl-C test, when the signal came during an import."""
    import subprocess
    import sys

    (tmp_path / "interrupted_in_exec.py").write_text(
        "import sys\nimport scrutiny_kit.cli as cli\n\n"
        "def main(argv=None):\n"
        "    try:\n"
        "        exec('raise KeyboardInterrupt')\n"
        "    except KeyboardInterrupt:\n"
        "        print('interrupted', file=sys.stderr)\n"
        "        return cli.EXIT_INTERRUPTED\n\n"
        "cli.main = main\n"
        "if sys.argv[1:] == ['without-the-fix']:\n"
        "    cli._forget_caught_interrupt = lambda: None\n"
        "cli.command()\n", encoding="utf-8")
    runs = {how: subprocess.run([sys.executable, "-m", "interrupted_in_exec", how], cwd=tmp_path,
                                capture_output=True, text=True, timeout=60)
            for how in ("as-shipped", "without-the-fix")}
    assert runs["without-the-fix"].returncode == -2  # the interpreter's behaviour this guards against
    assert runs["as-shipped"].returncode == 130 and runs["as-shipped"].stderr == "interrupted\n"

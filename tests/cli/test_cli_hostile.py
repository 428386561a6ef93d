"""Hostile files and hostile machines through the real command line: each answered with a message naming the
file and the rule, the documented exit status, and nothing written, lost or left behind. Every hostile file is
small and written by the test; the machine's failures are real (a file in the way, a folder the run may not
write, a file-size limit on the process), not mocks."""
from __future__ import annotations

import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl
import pytest

from conftest import EXAMPLE_PARAMS, ROOT, render, write_review, write_workbook
from scrutiny_kit.cli import main

REVIEW_ID = "example-frontline-2025"
NOTE = "---\ndate: 2025-02-03\nteam: Riverside Locality Team\n---\n- Caseloads had risen to 27 children each.\n"
CLI = [sys.executable, "-m", "scrutiny_kit.cli"]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden ones too) and its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def previous_report(example_report: Path, out: Path) -> dict[str, bytes]:
    """An output folder holding a good report of the example review; returns its snapshot."""
    shutil.copytree(example_report.parent, out / REVIEW_ID)
    return snapshot(out)


FIGURES = [["period", "authority", "caseload_avg"], ["2024", "Example County Council", 22.8],
           ["2024", "England", 17.8], ["2024", "East Midlands", 18.1]]


def test_validate_names_the_sheet_it_read_and_lists_candidates_when_it_cannot_choose(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = [FIGURES[0], ["2024", "Example County Council", 77.7], *FIGURES[2:]]
    path = write_workbook(tmp_path / "w.xlsx", [("Old", old, "hidden"), ("Current", FIGURES, "visible")])
    params = write_review(tmp_path, {"a.md": NOTE}, workforce=str(path), redact=[])
    assert main(["validate", str(params)]) == 0
    out = capsys.readouterr().out
    assert "  workforce (sheet 'Current'): Example County Council, 1 periods" in out

    write_workbook(path, [("Old", old, "visible"), ("Current", FIGURES, "visible")])
    assert main(["validate", str(params)]) == 2
    assert capsys.readouterr().err == (f"error: {path}: the workbook has 2 visible sheets with data ('Old', "
                                       "'Current'): name the one to read 'workforce', or delete or hide the others\n")


def test_messages_and_validate_output_never_carry_raw_control_characters(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    params = write_review(tmp_path, {"ok.md": NOTE.replace("Riverside", "River\x1b]0;owned\x07side"),
                                     "bad\x1b[2J\u202e.md": "- a point with no date or team\n"}, redact=[])
    assert main(["validate", str(params)]) == 2
    err = capsys.readouterr().err
    assert "bad\\x1b[2J\\u202e.md" in err and "missing date" in err
    assert not any(c in err for c in "\x1b\x07\u202e")
    (tmp_path / "visits" / "bad\x1b[2J\u202e.md").unlink()
    assert main(["validate", str(params)]) == 0
    out = capsys.readouterr().out
    assert "River]0;ownedside" in out and not any(c in out for c in "\x1b\x07")


def test_validate_reports_what_run_would_refuse(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    note = NOTE.replace("team:", "visitors: [Cllr A Patel, Jo Bloggs]\nteam:")
    params = write_review(tmp_path, {"jo-bloggs.md": note, "later.md": NOTE.replace("2025-02-03", "2025-06-01")},
                          redact=["Jo Bloggs"])
    assert main(["validate", str(params)]) == 2  # inputs first: a visit after the report date
    assert capsys.readouterr().err == (
        f"error: {tmp_path / 'visits' / 'later.md'}, 'date': the visit date 1 June 2025 is after the report date "
        "31 March 2025: check the date (or the params' report_date)\n")
    (tmp_path / "visits" / "later.md").unlink()
    assert main(["validate", str(params)]) == 3
    err = capsys.readouterr().err
    assert "visit note jo-bloggs.md (file name): name found: 'jo-bloggs'" in err
    assert "visit note jo-bloggs.md (visitors): name found: 'Jo Bloggs'" in err


def test_a_params_file_naming_another_params_file_writes_nothing(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    params = write_review(tmp_path, {"a.md": NOTE}, params_file=str(EXAMPLE_PARAMS))
    out = tmp_path / "out"
    assert render(params, out) == 2
    assert "unknown key 'params_file': it is not a params key" in capsys.readouterr().err
    assert not out.exists()


def test_a_killed_runs_staging_goes_and_a_far_corner_workbook_leaves_the_previous_report(
        example_report: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    before = previous_report(example_report, out)
    run = subprocess.Popen([*CLI, "run", str(EXAMPLE_PARAMS), "--output-dir", str(out), "--quiet"], cwd=ROOT,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not (left := list(out.glob(f".{REVIEW_ID}.staging-*"))):
        assert run.poll() is None and time.monotonic() < deadline, "the run never made its staging folder"
        time.sleep(0.01)
    run.send_signal(signal.SIGKILL)
    run.wait()
    [killed] = left
    (killed / "coded_points.csv").write_text("confidential working text")  # what a killed run can leave
    assert killed.name.startswith(f".{REVIEW_ID}.staging-{run.pid}-")

    wb = openpyxl.Workbook()
    for row in FIGURES:
        wb.active.append(row)
    wb.active["XFD1048576"] = "stray"
    wb.save(tmp_path / "w.xlsx")
    params = write_review(tmp_path, {"a.md": NOTE}, workforce=str(tmp_path / "w.xlsx"), redact=[])
    started = time.monotonic()
    assert render(params, out) == 2
    assert time.monotonic() - started < 120
    err = capsys.readouterr().err
    assert f"{tmp_path / 'w.xlsx'}: the sheet 'Sheet' cannot be read: its cells reach XFD1048576" in err
    assert snapshot(out) == before  # the killed run's staging folder is gone; nothing else changed


def test_an_output_folder_that_is_a_file_is_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "outputs"
    blocker.write_text("not a folder")
    assert main(["run", str(EXAMPLE_PARAMS), "--output-dir", str(blocker), "--quiet"]) == 1
    assert capsys.readouterr().err == (
        f"error: could not write {blocker}: File exists (a file is in the way where a folder should be: move it or "
        "choose another --output-dir); any previous report is untouched\n")
    assert blocker.read_text() == "not a folder"


def test_a_read_only_output_folder_is_a_message_and_the_report_stays(example_report: Path) -> None:
    shared = Path(tempfile.mkdtemp(prefix="sk-readonly-"))
    try:
        os.chmod(shared, 0o755)
        out = shared / "out"
        before = previous_report(example_report, out)
        for path in [out, *out.rglob("*")]:
            os.chmod(path, (0o555 if path.is_dir() else 0o444) if os.geteuid() != 0 else (0o755 if path.is_dir()
                                                                                        else 0o644))
        # root may write anywhere: the run is made as the unprivileged user 'nobody' instead
        prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if os.geteuid() == 0 else []
        env = {**os.environ, "HOME": str(shared)}
        done = subprocess.run([*prefix, *CLI, "run", str(EXAMPLE_PARAMS), "--output-dir", str(out), "--quiet"],
                              cwd=ROOT, capture_output=True, text=True, env=env, timeout=120)
        assert done.returncode == 1, done.stderr
        assert done.stderr.startswith(f"error: could not write {out}/.{REVIEW_ID}.staging-")
        assert done.stderr.endswith(": Permission denied (permission denied: choose a folder you can write to "
                                    "(--output-dir) or ask for access); any previous report is untouched\n")
        assert "Traceback" not in done.stderr
        assert snapshot(out) == before
    finally:
        for path in [shared, *shared.rglob("*")]:
            os.chmod(path, stat.S_IRWXU | (path.stat().st_mode & 0o777))
        shutil.rmtree(shared)


def _file_size_limit(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit then fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_a_full_disk_leaves_no_partial_copy_and_the_previous_report(example_report: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    before = previous_report(example_report, out)
    env = {**os.environ, "IPYTHONDIR": str(tmp_path / "ipython")}
    # every file the run writes may grow to 120 KB, no more: the executed notebook (about 250 KB) cannot be saved
    done = subprocess.run([*CLI, "run", str(EXAMPLE_PARAMS), "--output-dir", str(out), "--quiet"], cwd=ROOT,
                          capture_output=True, text=True, env=env, timeout=300, preexec_fn=_file_size_limit(120_000))
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith(f"error: could not write {out}/.{REVIEW_ID}.staging-"), done.stderr
    assert done.stderr.endswith("/executed.ipynb: File too large (a file grew past the size this system allows: "
                                "free some space or raise the limit)\n"), done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot(out) == before  # no .failed copy, no staging folder, the report as it was


def test_run_redact_replaces_names_in_every_field_and_never_refuses_for_them(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    note = NOTE.replace("team:", "visitors: [Cllr A Patel, Jo Bloggs]\nteam:") + (
        "\n## Notes by J\u200bo Bloggs\n\n- Staff said agency workers covered two vacant posts.\n")
    params = write_review(tmp_path, {"jo-bloggs.md": note}, redact=["Jo Bloggs"],
                          title="Frontline review led by Jo Bloggs")
    out = tmp_path / "out"
    assert render(params, out, "--redact") == 0, capsys.readouterr().err
    folder = out / REVIEW_ID
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert "Frontline review led by [redacted]" in html and ".md" not in html  # visits are cited by number
    assert "[redacted].md" in (folder / "working" / "coded_points.csv").read_text(encoding="utf-8")
    for name in ("report.html", "working/coded_points.csv", "working/findings.csv", "working/manifest.json"):
        text = (folder / name).read_text(encoding="utf-8")
        assert "Bloggs" not in text and "\u200b" not in text, name

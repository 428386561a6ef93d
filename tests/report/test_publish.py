"""report/publish.py: the swap that replaces a report whole, and recovery from a swap stopped part-way."""
from __future__ import annotations

import os
import time
from pathlib import Path

from scrutiny_kit.report import publish


def folder(path: Path, text: str) -> Path:
    path.mkdir(parents=True)
    (path / "report.html").write_text(text, encoding="utf-8")
    return path


def test_promote_replaces_the_report_and_leaves_nothing_beside_it(tmp_path: Path) -> None:
    final = folder(tmp_path / "review", "old")
    folder(tmp_path / "review.failed", "a failed render")
    publish.promote(folder(tmp_path / ".review.staging-1", "new"), final)
    assert (final / "report.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["review"]


def test_stopped_between_the_renames_the_old_report_comes_back(tmp_path: Path) -> None:
    older = folder(tmp_path / ".review.previous-111", "older")
    time.sleep(0.01)
    folder(tmp_path / ".review.previous-222", "old")
    os.utime(older, (time.time() - 60, time.time() - 60))
    publish.recover(tmp_path / "review")
    assert (tmp_path / "review" / "report.html").read_text() == "old"  # the most recent comes back
    assert sorted(p.name for p in tmp_path.iterdir()) == ["review"]


def test_stopped_after_the_renames_the_old_copy_is_removed(tmp_path: Path) -> None:
    final = folder(tmp_path / "review", "new")
    folder(tmp_path / ".review.previous-333", "old, with last time's coded points")
    folder(tmp_path / ".other.previous-444", "another review's swap")
    publish.recover(final)
    assert (final / "report.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.previous-444", "review"]


def test_a_dead_runs_staging_folder_is_removed_and_a_live_ones_kept(tmp_path: Path) -> None:
    import subprocess
    import sys

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # its pid is now free: a run killed with SIGKILL looks like this
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        dead = folder(tmp_path / f".review.staging-{gone.pid}-abc123", "confidential working text")
        live = folder(tmp_path / f".review.staging-{alive.pid}-def456", "another run, still going")
        old = folder(tmp_path / f".review.staging-{alive.pid}-old999", "a day old, whatever its pid")
        os.utime(old, (time.time() - 2 * 86400, time.time() - 2 * 86400))
        legacy = folder(tmp_path / ".review.staging-k2j3h4", "named before pids, two hours old")
        os.utime(legacy, (time.time() - 7200, time.time() - 7200))
        other = folder(tmp_path / f".other.staging-{gone.pid}-abc123", "another review's")
        assert sorted(publish.remove_stale_staging(tmp_path, "review")) == sorted([dead, old, legacy])
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, other.name])
        staging = publish.staging_dir(tmp_path, "review")
        assert staging.name.startswith(f".review.staging-{os.getpid()}-") and live.exists()
    finally:
        alive.kill()
        alive.wait()


def test_a_full_disk_keeps_no_partial_failed_copy(tmp_path: Path) -> None:
    import errno

    from scrutiny_kit.errors import RenderError, out_of_space

    final = folder(tmp_path / "review", "good")
    folder(tmp_path / "review.failed", "last failure")
    staging = folder(tmp_path / ".review.staging-1-x", "half written")
    assert out_of_space(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
    assert out_of_space(RenderError(f"the notebook could not be executed: OSError: [Errno 28] {os.strerror(28)}"))
    assert not out_of_space(RenderError("cell 3 failed with ValueError: bad"))
    publish.discard_failed(staging, final)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["review"]
    assert (final / "report.html").read_text() == "good"

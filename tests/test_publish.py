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

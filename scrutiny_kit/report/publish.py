"""Swap a finished render into place so a failed or interrupted run never damages the previous good report."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def staging_dir(output_root: Path, review_id: str) -> Path:
    """A fresh folder beside the final one (same filesystem, so the swap is a rename). mkdtemp makes it
    private (0700); it becomes the published folder, so it gets the permissions any new folder would
    (the umask's), or a web server serving outputs/ could not read the report."""
    output_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{review_id}.staging-", dir=output_root))
    os.chmod(staging, 0o777 & ~_umask())
    return staging


def _umask() -> int:
    mask = os.umask(0o022)  # reading the umask means setting it; put it straight back
    os.umask(mask)
    return mask


def recover(final: Path) -> None:
    """Finish a swap that was stopped part-way: between its two renames the old report comes back; after
    them, the old copy (full of the last render's files) is removed rather than left hidden beside it."""
    leftovers = sorted(final.parent.glob(f".{final.name}.previous-*"), key=lambda p: p.stat().st_mtime)
    if leftovers and not final.exists():
        os.replace(leftovers.pop(), final)
    for stale in leftovers:
        shutil.rmtree(stale, ignore_errors=True)


def promote(staging: Path, final: Path) -> None:
    """Replace `final` with `staging` in two renames; the previous report is deleted only afterwards."""
    recover(final)
    previous = final.parent / f".{final.name}.previous-{os.getpid()}"
    if final.exists():
        os.replace(final, previous)
    os.replace(staging, final)
    shutil.rmtree(previous, ignore_errors=True)
    shutil.rmtree(failed_dir(final), ignore_errors=True)


def keep_failed(staging: Path, final: Path) -> Path:
    """Keep a failed render's folder (executed notebook and all) beside the good one for debugging."""
    failed = failed_dir(final)
    shutil.rmtree(failed, ignore_errors=True)
    os.replace(staging, failed)
    return failed


def failed_dir(final: Path) -> Path:
    return final.parent / f"{final.name}.failed"


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)

"""Swap a finished render into place so a failed or interrupted run never damages the previous good report."""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path


WORKING_DIR = "working"  # inside a review's folder: everything that must not be uploaded


def working_dir(folder: Path) -> Path:
    """`<folder>/working/`: the executed notebook, manifest, tables and codebook copy (never published)."""
    return folder / WORKING_DIR


def public_files(folder: Path) -> list[Path]:
    """Every file of a review's folder outside `working/`: what a web officer may upload."""
    working = working_dir(folder)
    return sorted(p for p in folder.rglob("*") if (p.is_file() or p.is_symlink()) and working not in p.parents)


STALE_AFTER_SECONDS = 24 * 3600  # a staging folder this old is a dead run's, whatever its pid says now


def staging_dir(output_root: Path, review_id: str) -> Path:
    """A fresh folder beside the final one (same filesystem, so the swap is a rename), named after this process
    (`.<review_id>.staging-<pid>-<random>`) so a later run can tell a dead run's folder; those are removed first.
    mkdtemp makes it private (0700); it becomes the published folder, so it gets the permissions any new folder
    would (the umask's), or a web server serving outputs/ could not read the report."""
    output_root.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(output_root, review_id)
    staging = Path(tempfile.mkdtemp(prefix=f".{review_id}.staging-{os.getpid()}-", dir=output_root))
    os.chmod(staging, 0o777 & ~_umask())
    return staging


def remove_stale_staging(output_root: Path, review_id: str) -> list[Path]:
    """Remove staging folders of this review left by runs that are gone (killed, or the machine restarted):
    they hold the review's working files, confidential notes included. A folder is a live run's while the
    process named in it is running and the folder is less than STALE_AFTER_SECONDS old; a folder named by an
    older version (no pid) counts as dead after an hour."""
    removed = []
    for folder in output_root.glob(f".{review_id}.staging-*"):
        if folder.is_dir() and _is_stale(folder, folder.name.removeprefix(f".{review_id}.staging-")):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _is_stale(folder: Path, suffix: str) -> bool:
    try:
        age = time.time() - folder.stat().st_mtime
    except OSError:
        return False
    pid_text = suffix.split("-", 1)[0]
    if not pid_text.isdigit() or "-" not in suffix:
        return age > 3600
    pid = int(pid_text)
    return pid == os.getpid() or age > STALE_AFTER_SECONDS or not _running(pid)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


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


def discard_failed(staging: Path, final: Path) -> None:
    """A render that failed for lack of space keeps nothing: its partial copy and the last failed one are
    removed, so the disk is not left full."""
    discard(staging)
    shutil.rmtree(failed_dir(final), ignore_errors=True)


def failed_dir(final: Path) -> Path:
    return final.parent / f"{final.name}.failed"


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)

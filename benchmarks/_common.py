"""Shared helpers for the benchmark scripts: where to work, how to run the CLI, timing, memory sampling and
reporting a measured ratio against its target. Scripts, not timed tests: run them from the project root,
e.g. `.venv/bin/python benchmarks/bench_run.py`, or all of them with `make bench`."""
from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "_work"  # git-ignored
EXAMPLE_PARAMS = ROOT / "params" / "example.yaml"
sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_reviews  # noqa: E402  (benchmarks/make_reviews.py)


def cli() -> list[str]:
    """The `scrutiny-kit` command of this environment (its console script, as a user runs it)."""
    script = Path(sys.executable).parent / "scrutiny-kit"
    return [str(script)] if script.exists() else [sys.executable, "-m", "scrutiny_kit.cli"]


def fresh(name: str) -> Path:
    """An empty folder under benchmarks/_work/."""
    path = WORK / name
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def run(cmd: list[str], *, check: bool = True, **kwargs: Any) -> tuple[float, subprocess.CompletedProcess]:
    """Run a command, returning its wall time in seconds (a subprocess: interpreter start-up included)."""
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    seconds = time.perf_counter() - t0
    if check and done.returncode != 0:
        sys.exit(f"command failed ({done.returncode}): {' '.join(cmd)}\n{done.stdout}\n{done.stderr}")
    return seconds, done


def children_cpu() -> float:
    """CPU seconds (user + system) of every finished child process so far, grandchildren (kernels) included."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def load() -> str:
    """The 1-minute load average: a busy machine (other jobs) makes parallel speed-ups look worse."""
    try:
        return f"load average {os.getloadavg()[0]:.2f}"
    except OSError:
        return "load average unknown"


def repeat(times: int, measure: Callable[[], float]) -> tuple[float, list[float]]:
    """The median of `times` measurements (and all of them, for the record)."""
    values = [measure() for _ in range(times)]
    return statistics.median(values), values


def one_review_params(work: Path, params: str | None) -> Path:
    """The params file to benchmark: the one given, else the example review, else a generated 20-note one."""
    if params:
        return Path(params).resolve()
    if EXAMPLE_PARAMS.exists() and subprocess.run([*cli(), "validate", str(EXAMPLE_PARAMS)],
                                                  capture_output=True).returncode == 0:
        return EXAMPLE_PARAMS
    return make_reviews.make_reviews(work / "inputs", 1, min_notes=20, max_notes=20)[0]


def manifest_timings(output_root: Path, review_id: str) -> dict[str, float]:
    data = json.loads((output_root / review_id / "working" / "manifest.json").read_text(encoding="utf-8"))
    return {k: float(v) for k, v in data.get("timings_seconds", {}).items()}


def review_id_of(params: Path) -> str:
    import yaml

    return yaml.safe_load(params.read_text(encoding="utf-8"))["review_id"]


# --------------------------------------------------------------------------- memory


def _tree(pid: int) -> list[int]:
    """pid and all its descendants (Linux /proc; psutil when available, which also covers macOS)."""
    try:
        import psutil

        proc = psutil.Process(pid)
        return [pid, *(c.pid for c in proc.children(recursive=True))]
    except ImportError:
        pass
    except Exception:  # psutil.NoSuchProcess and friends
        return []
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            todo += [int(c) for c in Path(f"/proc/{p}/task/{p}/children").read_text().split()]
        except OSError:
            continue
    return found


def _rss_mb(pid: int) -> float:
    try:
        import psutil

        return psutil.Process(pid).memory_info().rss / 2**20
    except ImportError:
        pass
    except Exception:
        return 0.0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _pss_mb(pid: int) -> float | None:
    """Proportional set size (Linux): each shared page is split between the processes that map it, so the
    sum over a process tree counts shared libraries once. None where the kernel does not provide it."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return None


@dataclass
class TreeMemory:
    """Peaks of one process tree's memory, sampled together."""

    rss: float = 0.0  # summed RSS: counts a library shared by three processes three times (an upper bound)
    pss: float | None = None  # summed PSS: the tree's real footprint (Linux only)
    per_name: dict[str, float] = field(default_factory=dict)  # peak RSS of each kind of process
    status: int = 0


def peak_tree_memory(cmd: list[str], *, interval: float = 0.05) -> TreeMemory:
    """Run `cmd`, sampling its process tree's summed RSS and PSS every `interval` seconds."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = TreeMemory()
    while proc.poll() is None:
        rss, pss, have_pss = 0.0, 0.0, True
        for pid in _tree(proc.pid):
            mb = _rss_mb(pid)
            if not mb:  # gone, or a zombie waiting to be reaped
                continue
            rss += mb
            share = _pss_mb(pid)
            have_pss = have_pss and share is not None
            pss += share or 0.0
            name = _name(pid)
            peak.per_name[name] = max(peak.per_name.get(name, 0.0), mb)
        peak.rss = max(peak.rss, rss)
        if have_pss:
            peak.pss = max(peak.pss or 0.0, pss)
        time.sleep(interval)
    proc.communicate()
    peak.status = proc.returncode
    return peak


def _name(pid: int) -> str:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        text = " ".join(part.decode(errors="replace") for part in cmdline if part)
    except OSError:
        return str(pid)
    if not text:
        return str(pid)
    if "ipykernel" in text:
        return "kernel"
    if "svg_render" in text:
        return "chart helper"
    if "multiprocessing" in text or "spawn_main" in text:
        return "worker"
    return "cli" if "scrutiny" in text else Path(text.split(" ")[0]).name


# --------------------------------------------------------------------------- reporting


def verdict(label: str, value: float, target: float, *, unit: str = "", lower_is_better: bool = True) -> bool:
    ok = value <= target if lower_is_better else value >= target
    sign = "<=" if lower_is_better else ">="
    print(f"{label}: {value:.2f}{unit} (target {sign} {target:g}{unit}) {'OK' if ok else 'MISSED'}")
    return ok


def environment() -> str:
    return f"{os.cpu_count()} CPU(s), Python {sys.version.split()[0]}, {sys.platform}"

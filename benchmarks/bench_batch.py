"""`run-all` over 24 generated reviews: --jobs 2 against --jobs 1. Judged figure: the speed-up (wall time of
--jobs 1 / wall time of --jobs 2), median of --repeat pairs of runs (at least 3); target >= 1.7x on 2 cores.
Exits 1 when it is missed. (The no-change run-all is bench_no_change.py.)

    .venv/bin/python benchmarks/bench_batch.py [--count 24] [--jobs 2] [--repeat 3]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import _common as c

TARGET_SPEEDUP = 1.7


def run_all(folder: Path, out: Path, *extra: str) -> float:
    """Wall seconds of one `run-all` of `folder` into `out`; prints its wall and CPU time."""
    cpu = c.children_cpu()
    seconds, done = c.run([*c.cli(), "run-all", str(folder), "--output-dir", str(out), "--quiet", *extra], check=False)
    if done.returncode != 0:
        sys.exit(f"run-all failed:\n{done.stdout[-3000:]}\n{done.stderr[-2000:]}")
    cpu = c.children_cpu() - cpu
    print(f"run-all {' '.join(extra)}: {seconds:.1f} s wall, {cpu:.0f} CPU-s = {cpu / seconds:.2f} cores busy on "
          f"average; {c.load()} after")
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=24, help="reviews to generate (default 24)")
    parser.add_argument("--jobs", type=int, default=2, help="parallel workers to compare with 1 (default 2)")
    parser.add_argument("--repeat", type=int, default=3, help="pairs of runs to take the median of (at least 3)")
    args = parser.parse_args(argv)

    work = c.fresh("bench_batch")
    c.make_reviews.make_reviews(work, args.count, min_notes=5, max_notes=40)
    folder = work / "params"
    print(f"bench_batch: {args.count} generated reviews in {folder} ({c.environment()}); {c.load()}")

    def speed_up() -> float:
        serial = run_all(folder, work / "out-1", "--jobs", "1", "--force")
        parallel = run_all(folder, work / f"out-{args.jobs}", "--jobs", str(args.jobs), "--force")
        print(f"  speed-up {serial / parallel:.2f}x ({serial:.1f} s vs {parallel:.1f} s)")
        return serial / parallel

    median, runs = c.repeat(max(3, args.repeat), speed_up)
    print(f"speed-ups: {', '.join(f'{v:.2f}' for v in runs)}x")
    ok = c.verdict(f"speed-up --jobs {args.jobs} vs --jobs 1 (median of {len(runs)})", median, TARGET_SPEEDUP,
                   unit="x", lower_is_better=False)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

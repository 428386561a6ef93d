"""A no-change `run-all` over 24 generated reviews, everything already rendered. Judged figure: wall time of
the whole command, median of --repeat runs (at least 3); target < 2 s. Exits 1 when it is missed.

    .venv/bin/python benchmarks/bench_no_change.py [--count 24] [--repeat 3]
"""
from __future__ import annotations

import argparse
import sys

import _common as c
from bench_batch import run_all

TARGET_SECONDS = 2.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=24, help="reviews to generate (default 24)")
    parser.add_argument("--repeat", type=int, default=3, help="runs to take the median of (at least 3)")
    args = parser.parse_args(argv)

    work = c.fresh("bench_no_change")
    c.make_reviews.make_reviews(work, args.count, min_notes=5, max_notes=40)
    folder, out = work / "params", work / "outputs"
    print(f"bench_no_change: {args.count} generated reviews in {folder} ({c.environment()})")
    run_all(folder, out, "--jobs", "2")  # render everything once; not counted

    def no_change() -> float:
        seconds, done = c.run([*c.cli(), "run-all", str(folder), "--output-dir", str(out), "--quiet"])
        if f"0 rendered, {args.count} unchanged, 0 failed" not in done.stdout:
            sys.exit("the no-change run rendered something: did the package code change during the benchmark?\n"
                     + done.stdout[-2000:])
        return seconds

    median, runs = c.repeat(max(3, args.repeat), no_change)
    print(f"no-change run-all: runs {', '.join(f'{v:.2f}' for v in runs)} s; {c.load()}")
    ok = c.verdict(f"no-change run-all of {args.count} reviews (median of {len(runs)})", median, TARGET_SECONDS,
                   unit=" s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

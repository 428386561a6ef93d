"""`run-all` over 24 generated reviews: --jobs 2 against --jobs 1 (speed-up; target >= 1.7x on 2 cores),
then a no-change run-all with everything cached (target < 2 s, wall time of the whole command).

    .venv/bin/python benchmarks/bench_batch.py [--count 24] [--jobs 2]
"""
from __future__ import annotations

import argparse
import sys

import _common as c

TARGET_SPEEDUP = 1.7
TARGET_NO_CHANGE_SECONDS = 2.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=24, help="reviews to generate (default 24)")
    parser.add_argument("--jobs", type=int, default=2, help="parallel workers to compare with 1 (default 2)")
    args = parser.parse_args(argv)

    work = c.fresh("bench_batch")
    c.make_reviews.make_reviews(work, args.count, min_notes=5, max_notes=40)
    folder = work / "params"
    print(f"bench_batch: {args.count} generated reviews in {folder} ({c.environment()})")

    def run_all(out: str, *extra: str) -> float:
        cpu = c.children_cpu()
        seconds, done = c.run([*c.cli(), "run-all", str(folder), "--output-dir", str(work / out), "--quiet", *extra],
                              check=False)
        if done.returncode != 0:
            sys.exit(f"run-all failed:\n{done.stdout[-3000:]}\n{done.stderr[-2000:]}")
        cpu = c.children_cpu() - cpu
        if extra:
            print(f"run-all {' '.join(extra)}: {seconds:.1f} s wall ({seconds / args.count:.2f} s per review), "
                  f"{cpu:.0f} CPU-s = {cpu / seconds:.2f} cores busy on average; {c.load()} after")
        return seconds

    print(c.load())
    serial = run_all("out-1", "--jobs", "1", "--force")
    parallel = run_all(f"out-{args.jobs}", "--jobs", str(args.jobs), "--force")
    ok = c.verdict(f"speed-up --jobs {args.jobs} vs --jobs 1", serial / parallel, TARGET_SPEEDUP, unit="x",
                   lower_is_better=False)
    run_all(f"out-{args.jobs}")  # settle: re-render anything whose code changed meanwhile (a shared checkout)

    def no_change() -> float:
        seconds, done = c.run([*c.cli(), "run-all", str(folder), "--output-dir", str(work / f"out-{args.jobs}"),
                               "--quiet"])
        if f"0 rendered, {args.count} unchanged, 0 failed" not in done.stdout:
            sys.exit("the no-change run rendered something: did the package code change during the benchmark?\n"
                     + done.stdout[-2000:])
        return seconds

    median, runs = c.repeat(3, no_change)
    print(f"no-change run-all: runs {', '.join(f'{v:.2f}' for v in runs)} s")
    ok &= c.verdict("no-change run-all (median of 3)", median, TARGET_NO_CHANGE_SECONDS, unit=" s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""Peak memory of one `scrutiny-kit run`: the CLI, its Jupyter kernel and the kernel's chart-drawing helper,
sampled together every 50 ms. Target < 400 MB.

Two sums are printed. Summed PSS (Linux) is the review's real footprint: a page shared by several processes
(the Python interpreter, common libraries) is split between them. Summed RSS counts such a page once per
process, so it is an upper bound; it is printed too, and judged against the target as well, so a reader
sees both. Also prints each kind of process's own peak RSS.

    .venv/bin/python benchmarks/bench_memory.py [--params params/example.yaml]
"""
from __future__ import annotations

import argparse
import sys

import _common as c

TARGET_MB = 400.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--params", help="params file to measure (default: params/example.yaml)")
    args = parser.parse_args(argv)
    work = c.fresh("bench_memory")
    params = c.one_review_params(work, args.params)
    print(f"bench_memory: {params} ({c.environment()})")
    peak = c.peak_tree_memory([*c.cli(), "run", str(params), "--output-dir", str(work / "outputs"), "--quiet"])
    if peak.status != 0:
        sys.exit(f"the run failed with exit status {peak.status}")
    print("peak RSS by process: " + ", ".join(f"{name} {mb:.0f} MB" for name, mb in sorted(peak.per_name.items())))
    ok = True
    if peak.pss is not None:
        ok = c.verdict("peak PSS of the run's processes (summed; real footprint)", peak.pss, TARGET_MB, unit=" MB")
    ok_rss = c.verdict("peak RSS of the run's processes (summed; upper bound)", peak.rss, TARGET_MB, unit=" MB")
    return 0 if ok and (peak.pss is not None or ok_rss) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Peak memory of one `scrutiny-kit run`: every process of the run (the CLI, its Jupyter kernel, the kernel's
chart-drawing helper, any other child), sampled together every 50 ms. Target < 400 MB.

Judged figure: the peak of the run's summed RSS (every process's resident memory added up; a library shared
by three processes counts three times, so this is an upper bound on the footprint), median of --repeat runs
(at least 3). Summed PSS (Linux; shared pages split between processes) and each kind of process's own peak
RSS are printed as information. Exits 1 when the target is missed.

    .venv/bin/python benchmarks/bench_memory.py [--params params/example.yaml] [--repeat 3]
"""
from __future__ import annotations

import argparse
import sys

import _common as c

TARGET_MB = 400.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--params", help="params file to measure (default: params/example.yaml)")
    parser.add_argument("--repeat", type=int, default=3, help="runs to take the median of (at least 3)")
    args = parser.parse_args(argv)
    work = c.fresh("bench_memory")
    params = c.one_review_params(work, args.params)
    print(f"bench_memory: {params} ({c.environment()})")
    peaks: list[c.TreeMemory] = []

    def one_run() -> float:
        peak = c.peak_tree_memory([*c.cli(), "run", str(params), "--output-dir", str(work / "outputs"), "--quiet"])
        if peak.status != 0:
            sys.exit(f"the run failed with exit status {peak.status}")
        peaks.append(peak)
        return peak.rss

    rss, runs = c.repeat(max(3, args.repeat), one_run)
    for n, peak in enumerate(peaks, start=1):
        pss = f"summed PSS {peak.pss:.0f} MB; " if peak.pss is not None else ""
        print(f"run {n}: summed RSS {peak.rss:.0f} MB; {pss}peak RSS by process: "
              + ", ".join(f"{name} {mb:.0f} MB" for name, mb in sorted(peak.per_name.items())))
    print(c.load())
    ok = c.verdict(f"peak summed RSS of every process of a run (median of {len(runs)})", rss, TARGET_MB, unit=" MB")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

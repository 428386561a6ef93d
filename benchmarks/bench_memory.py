"""Peak memory of one `scrutiny-kit run`: the CLI process plus its Jupyter kernel, sampled as the summed RSS
of the process tree every 50 ms (psutil if installed, else /proc). Target < 400 MB. Also prints the
kernel's and the CLI's own peaks, and the largest child's ru_maxrss as the OS counted it.

    .venv/bin/python benchmarks/bench_memory.py [--params params/example.yaml]
"""
from __future__ import annotations

import argparse
import resource
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
    peak, per_name, status = c.peak_tree_rss([*c.cli(), "run", str(params), "--output-dir", str(work / "outputs"),
                                              "--quiet"])
    if status != 0:
        sys.exit(f"the run failed with exit status {status}")
    largest_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / (1024 if sys.platform != "darwin" else 2**20)
    print("peak RSS by process: " + ", ".join(f"{name} {mb:.0f} MB" for name, mb in sorted(per_name.items())))
    print(f"largest single process (ru_maxrss of children): {largest_child:.0f} MB")
    ok = c.verdict("peak RSS of CLI + kernel (summed)", peak, TARGET_MB, unit=" MB")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

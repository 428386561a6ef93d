"""How close is one `scrutiny-kit run` to the floor: papermill + nbconvert on a notebook that only imports
pandas and altair (plain papermill.execute_notebook on the package's kernelspec, then export_html with the
report template), each as a fresh process. Prints both wall times, the run's stages from its manifest,
and the ratio (median of --repeat runs, at least 3; target <= 1.3x): the one judged figure, run / floor, where
the floor is plain papermill + nbconvert. The like-for-like figure (the same trivial notebook with run's kernel
handling) is printed beside it as information. Exits 1 when the target is missed.

    .venv/bin/python benchmarks/bench_run.py [--params params/example.yaml] [--repeat 3]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

import _common as c

TARGET_RATIO = 1.3


def floor_once(folder: Path, early: bool) -> None:
    """(In a fresh process) execute a notebook that only imports pandas and altair, export it; print timings.
    `early`: handle the kernel as `run` does (started first and importing at once, stopped without waiting)."""
    import time

    t0 = time.perf_counter()
    from scrutiny_kit.report.kernel import ReviewKernel

    kernel = ReviewKernel(folder, warm_up="import pandas, altair").start() if early else None
    import nbformat
    import papermill

    from scrutiny_kit.report.export import export_html
    from scrutiny_kit.report.kernel import KERNEL_NAME, own_kernelspec

    folder.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook()
    nb.metadata = nbformat.read(str(c.ROOT / "notebooks" / "review.ipynb"), as_version=4).metadata  # same kernel
    nb.cells = [nbformat.v4.new_code_cell("params_file = None\noutput_dir = None", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("import pandas\nimport altair")]
    source, executed = folder / "floor.ipynb", folder / "executed.ipynb"
    nbformat.write(nb, str(source))
    t1 = time.perf_counter()
    with own_kernelspec():  # the same kernel as run's, started and stopped as papermill does by default
        papermill.execute_notebook(str(source), str(executed), parameters={"params_file": "x"},
                                   kernel_name=KERNEL_NAME, cwd=str(folder), progress_bar=False,
                                   km=kernel.manager if kernel else None)
    if kernel:
        kernel.stop()
    t2 = time.perf_counter()
    html = export_html(executed, {"title": "floor", "authority": "", "committee": "", "report_date": "", "version": ""})
    (folder / "report.html").write_text(html, encoding="utf-8")
    t3 = time.perf_counter()
    print(json.dumps({"setup": t1 - t0, "execute": t2 - t1, "export": t3 - t2}))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--params", help="params file to time (default: params/example.yaml)")
    parser.add_argument("--repeat", type=int, default=3, help="runs to take the median of (at least 3)")
    parser.add_argument("--floor-once", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--early-kernel", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.floor_once:
        floor_once(args.floor_once, args.early_kernel)
        return 0

    args.repeat = max(3, args.repeat)
    work = c.fresh("bench_run")
    params = c.one_review_params(work, args.params)
    review_id = c.review_id_of(params)
    out = work / "outputs"
    print(f"bench_run: {params} ({c.environment()})")

    floor_stages: list[dict[str, float]] = []
    run_stages: list[dict[str, float]] = []

    def floor(*early: str) -> float:
        seconds, done = c.run([sys.executable, __file__, "--floor-once", str(work / "floor"), *early])
        if not early:
            floor_stages.append(json.loads(done.stdout.strip().splitlines()[-1]))
        return seconds

    run_cpu: list[float] = []

    def run() -> float:
        cpu = c.children_cpu()
        seconds, _ = c.run([*c.cli(), "run", str(params), "--output-dir", str(out), "--quiet"])
        run_cpu.append((c.children_cpu() - cpu) / seconds)
        run_stages.append(c.manifest_timings(out, review_id))
        return seconds

    floor(), run()  # warm the disk cache and compiled bytecode; not counted
    floor_stages.clear(), run_stages.clear(), run_cpu.clear()
    floor_s, floor_all = c.repeat(args.repeat, floor)
    run_s, run_all = c.repeat(args.repeat, run)
    early_s, early_all = c.repeat(args.repeat, lambda: floor("--early-kernel"))

    def med(rows: list[dict[str, float]], key: str) -> float:
        return statistics.median(r.get(key, 0.0) for r in rows)

    print(f"floor (papermill + nbconvert, imports only): {floor_s:.2f} s wall  "
          f"[runs {', '.join(f'{v:.2f}' for v in floor_all)}; execute {med(floor_stages, 'execute'):.2f} s, "
          f"export {med(floor_stages, 'export'):.2f} s]")
    print(f"scrutiny-kit run:                            {run_s:.2f} s wall  "
          f"[runs {', '.join(f'{v:.2f}' for v in run_all)}; validate {med(run_stages, 'validate'):.2f} s, "
          f"execute {med(run_stages, 'execute'):.2f} s, export {med(run_stages, 'export'):.2f} s, "
          f"total in-process {med(run_stages, 'total'):.2f} s]")
    # Not the target's floor, shown so nobody mistakes where run's lead comes from: the same trivial notebook
    # with the kernel handled as run handles it (started first, importing at once; stopped without waiting).
    print(f"(floor with run's kernel handling:           {early_s:.2f} s wall  "
          f"[runs {', '.join(f'{v:.2f}' for v in early_all)}]; run / that: {run_s / early_s:.2f}x)")
    print(f"one run keeps {statistics.median(run_cpu):.2f} cores busy on average (CLI + kernel); {c.load()}")
    ok = c.verdict(f"run / floor (median of {args.repeat}; like-for-like {run_s / early_s:.2f}x)", run_s / floor_s,
                   TARGET_RATIO, unit="x")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark the theme coder: points per second, and how time grows with the number of points.

Generates N synthetic visit-note points (~200 characters each, so 100,000 points is ~20 MB of
text) from a fixed vocabulary of realistic sentence fragments, codes them with the default
codebook, then codes 2N points and reports the time ratio (linear scaling gives about 2.0).

Run: .venv/bin/python benchmarks/bench_coding.py [N]   (default N = 20,000)
Judged figure (issue 13): points/s on one core (CPU time, median of 3 runs) >= 5,000 (a review has hundreds of
points, so clear code beats speed here); exits 1 when it is missed. The time ratio for 2N points is printed as
information (linear scaling gives about 2.0).
"""
from __future__ import annotations

import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import _common as c  # noqa: E402
from scrutiny_kit.coding.codebook import load_codebook  # noqa: E402
from scrutiny_kit.coding import code_points, compiled  # noqa: E402

OPENINGS = [
    "Staff told members that", "The team manager explained that", "Members heard that", "It was reported that",
    "Practitioners said that", "Officers confirmed that", "A Member asked whether", "Social workers felt that",
]
CLAUSES = [
    "caseloads had risen to around 25 children each", "two vacancies had been filled by agency workers",
    "business support had been reduced and minute-taking fell to social workers", "the laptops were slow to start",
    "car parking at the office was a daily problem", "reflective supervision happened every four weeks",
    "joint work with the police in the MASH was strong", "morale was good despite the pressure",
    "referrals from schools had increased since September", "the restructure had unsettled the team",
    "the market supplement had helped with retention", "audits showed that visits were on time",
    "young people wanted a say in their plans", "the visit lasted about two hours",
    "the new family hub would open in the spring", "nobody raised any concerns about the building",
    "the duty rota was covered by the same few people", "training on exploitation had been well received",
    "the recording system often crashed during visits", "mileage rates had not kept pace with fuel costs",
    "the £2,000 retention payment was “welcome”", "the children’s views were recorded in every plan",
]
HEADINGS = ["", "", "", "Car parking", "Caseloads", "What is working well", "IT", "Staffing"]


def make_notes(n: int, seed: int = 1) -> pd.DataFrame:
    """n synthetic points of ~200 characters in the notes DataFrame shape."""
    rng = random.Random(seed)
    texts = []
    for _ in range(n):
        parts = [rng.choice(OPENINGS), rng.choice(CLAUSES) + ",", rng.choice(CLAUSES) + ",", "and",
                 rng.choice(CLAUSES) + ";", rng.choice(CLAUSES) + "."]
        texts.append(" ".join(parts))
    return pd.DataFrame({
        "source": [f"note-{i // 12:05d}.md" for i in range(n)], "point": [i % 12 + 1 for i in range(n)],
        "line": 1, "date": dt.date(2025, 3, 4), "team": "Northgate Locality Team", "authority": "Example County Council",
        "visitors": "", "confidential": False, "heading": [rng.choice(HEADINGS) for _ in range(n)], "text": texts,
    })


TARGET_POINTS_PER_SECOND = 5_000
RUNS = 3


def timed(notes: pd.DataFrame, codebook) -> tuple[float, float, int]:
    """Median wall-clock and CPU seconds over RUNS codings of the notes (CPU time is steadier on a shared machine)."""
    walls, cpus, rows = [], [], 0
    for _ in range(RUNS):
        wall, cpu = time.perf_counter(), time.process_time()
        rows = len(code_points(notes, codebook))
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), rows


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    codebook = load_codebook("default")
    start = time.perf_counter()
    compiled(codebook)
    print(f"compile default codebook: {time.perf_counter() - start:.2f} s (once per codebook)")
    small, large = make_notes(n), make_notes(2 * n, seed=2)
    megabytes = small["text"].str.len().sum() / 1e6
    code_points(make_notes(1000), codebook)  # warm up
    w1, c1, rows1 = timed(small, codebook)
    w2, c2, rows2 = timed(large, codebook)
    speed = n / c1
    print(f"{n:,} points ({megabytes:.1f} MB of text), median of {RUNS}: {w1:.2f} s wall, {c1:.2f} s CPU -> "
          f"{n / w1:,.0f} points/s wall, {speed:,.0f} points/s CPU; {rows1:,} coded rows")
    print(f"{2 * n:,} points: {w2:.2f} s wall, {c2:.2f} s CPU -> {2 * n / w2:,.0f} points/s wall, "
          f"{2 * n / c2:,.0f} points/s CPU; {rows2:,} coded rows")
    print(f"time ratio for 2x points: {w2 / w1:.2f} wall, {c2 / c1:.2f} CPU (information; linear is 2.0)")
    ok = c.verdict(f"points/s on one core (CPU time, median of {RUNS})", speed, TARGET_POINTS_PER_SECOND,
                   unit=" points/s", lower_is_better=False)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

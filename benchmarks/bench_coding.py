"""Benchmark the theme coder: points per second, and how time grows with the number of points.

Generates N synthetic visit-note points (~200 characters each, so 100,000 points is ~20 MB of
text) from a fixed vocabulary of realistic sentence fragments, codes them with the default
codebook, then codes 2N points and reports the time ratio (linear scaling gives about 2.0).

Run: .venv/bin/python benchmarks/bench_coding.py [N]   (default N = 100,000)
Targets: >= 50,000 points/s on one core; 2N points within 2.2x the time of N.
"""
from __future__ import annotations

import datetime as dt
import random
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scrutiny_kit.codebook import load_codebook  # noqa: E402
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


def timed(notes: pd.DataFrame, codebook) -> tuple[float, float, int]:
    """Wall-clock and CPU seconds to code the notes (CPU time is steadier on a shared machine)."""
    wall, cpu = time.perf_counter(), time.process_time()
    coded = code_points(notes, codebook)
    return time.perf_counter() - wall, time.process_time() - cpu, len(coded)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    codebook = load_codebook("default")
    start = time.perf_counter()
    compiled(codebook)
    print(f"compile default codebook: {time.perf_counter() - start:.2f} s (once per codebook)")
    small, large = make_notes(n), make_notes(2 * n, seed=2)
    megabytes = small["text"].str.len().sum() / 1e6
    timed(make_notes(1000), codebook)  # warm up
    w1, c1, rows1 = timed(small, codebook)
    w2, c2, rows2 = timed(large, codebook)
    print(f"{n:,} points ({megabytes:.1f} MB of text): {w1:.2f} s wall, {c1:.2f} s CPU -> "
          f"{n / w1:,.0f} points/s wall, {n / c1:,.0f} points/s CPU; {rows1:,} coded rows")
    print(f"{2 * n:,} points: {w2:.2f} s wall, {c2:.2f} s CPU -> {2 * n / w2:,.0f} points/s wall, "
          f"{2 * n / c2:,.0f} points/s CPU; {rows2:,} coded rows")
    print(f"time ratio for 2x points: {w2 / w1:.2f} wall, {c2 / c1:.2f} CPU (target <= 2.2)")
    print(f"target 50,000 points/s on one core: {'met' if n / c1 >= 50_000 else 'NOT met'} (CPU time)")


if __name__ == "__main__":
    main()

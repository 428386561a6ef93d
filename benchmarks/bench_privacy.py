"""Benchmark the publish check: how fast it scans text for personal data, and how time grows with size.

Builds about N MB of realistic report text full of near-misses (decimals, dates, percentages, money, case
numbers, legislation, postcode districts) with one real phone number and one listed name at the very end,
scans it with the names list (median of 3 scans), then 2N MB and prints the time ratio as information (linear
scaling gives about 2.0). Every scan also checks that exactly the two real hits are found.

Run: .venv/bin/python benchmarks/bench_privacy.py [N]   (default N = 5)
Judged figure: MB/s of the N MB scan (median of 3), target >= 2 MB/s; exits 1 when it is missed.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import _common as c  # noqa: E402
from scrutiny_kit.report.privacy import find_personal_data  # noqa: E402

PARAGRAPH = (
    "The team at Northgate said caseloads were 18.5 on average in 2015-16, up 12% on 12/03/2024. "
    "Recommendation 12 was agreed; £400,000 was allocated for 98.31 FTE at 10:30 (case 0042731). "
    "The Annual report, see section 17 of the Children Act 1989, LS6 office. "
)
NAMES = ["Jo", "Ann", "Sam Smith"]
TARGET_MB_PER_S = 2.0
RUNS = 3


def scan(megabytes: float) -> float:
    """Seconds to scan `megabytes` of text; fails loudly if the hits are not exactly the two planted."""
    text = PARAGRAPH * int(megabytes * 1_000_000 // len(PARAGRAPH)) + "Ring Jo on 07700 900123."
    started = time.perf_counter()
    hits = find_personal_data(text, names=NAMES)
    seconds = time.perf_counter() - started
    found = [(h.kind, h.text) for h in hits]
    if found != [("name", "Jo"), ("phone", "07700 900123")]:
        sys.exit(f"wrong hits on {megabytes} MB: {found}")
    return seconds


def main(argv: list[str]) -> int:
    size = float(argv[0]) if argv else 5.0
    scan(0.1)  # compile the patterns; not counted
    one, ones = c.repeat(RUNS, lambda: scan(size))
    two, twos = c.repeat(RUNS, lambda: scan(2 * size))
    print(f"bench_privacy: {size:g} MB in {one:.2f} s (median of {RUNS}: {', '.join(f'{v:.2f}' for v in ones)} s); "
          f"{2 * size:g} MB in {two:.2f} s = {two / one:.2f}x the time (information; linear is 2.0); {c.load()}")
    ok = c.verdict(f"publish check speed on {size:g} MB (median of {RUNS})", size / one, TARGET_MB_PER_S, unit=" MB/s",
                   lower_is_better=False)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

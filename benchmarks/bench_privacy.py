"""Benchmark the publish check: how fast it scans text for personal data, and how time grows with size.

Builds about N MB of realistic report text full of near-misses (decimals, dates, percentages, money, case
numbers, legislation, postcode districts) with one real phone number and one listed name at the very end,
scans it with the names list, then scans 2N MB and reports the time ratio (linear scaling gives about 2.0).
Every run also checks that exactly the two real hits are found.

Run: .venv/bin/python benchmarks/bench_privacy.py [N]   (default N = 5)
Targets: >= 2 MB/s; 2N MB within 2.2x the time of N MB.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scrutiny_kit.report.privacy import find_personal_data  # noqa: E402

PARAGRAPH = (
    "The team at Northgate said caseloads were 18.5 on average in 2015-16, up 12% on 12/03/2024. "
    "Recommendation 12 was agreed; £400,000 was allocated for 98.31 FTE at 10:30 (case 0042731). "
    "The Annual report, see section 17 of the Children Act 1989, LS6 office. "
)
NAMES = ["Jo", "Ann", "Sam Smith"]
TARGET_MB_PER_S = 2.0
TARGET_SCALING = 2.2


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
    one, two = scan(size), scan(2 * size)
    rate = size / one
    ratio = two / one
    print(f"bench_privacy: {size:g} MB in {one:.2f} s = {rate:.1f} MB/s (target >= {TARGET_MB_PER_S:g}) "
          f"{'OK' if rate >= TARGET_MB_PER_S else 'MISSED'}")
    print(f"{2 * size:g} MB in {two:.2f} s: {ratio:.2f}x the time of {size:g} MB (target <= {TARGET_SCALING:g}x) "
          f"{'OK' if ratio <= TARGET_SCALING else 'MISSED'}")
    return 0 if rate >= TARGET_MB_PER_S and ratio <= TARGET_SCALING else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""`scrutiny-kit new REVIEW_DIR`: the command line of scaffold.py (its options, and what it prints)."""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register `new` on the `scrutiny-kit` command."""
    new = sub.add_parser("new", help="start a review: write a folder with params.yaml and example inputs to fill in",
                         description="Write REVIEW_DIR with params.yaml (review id from the folder's name, today "
                         "as the report date, every key commented), visits/ with an example note in Markdown and "
                         "in Word, recommendations.xlsx (drop-downs for response and status, one example row), "
                         "commentary.md (a heading per theme) and the workforce file. It validates and renders "
                         "as it stands; example content says so: replace it. Existing files are never "
                         "overwritten.",
                         epilog="Exit status: 0 written; 2 the authority is not in the workforce file (its closest "
                         "names are listed), a file is missing or the folder's name gives no review id.")
    new.add_argument("review_dir", type=Path, metavar="REVIEW_DIR",
                     help="the review's folder, e.g. reviews/frontline-2026 (its name becomes the review id)")
    new.add_argument("--authority", metavar="NAME",
                     help="the council under review, as the workforce file names it (checked against "
                     "--workforce); default: an example name")
    new.add_argument("--workforce", type=Path, metavar="FILE",
                     help="a workforce CSV or Excel file, e.g. a downloaded DfE national release: copied into "
                     "REVIEW_DIR (or used in place when it is already there); default: an example table")
    new.add_argument("--committee", metavar="NAME", help="the committee the report goes to")
    new.add_argument("--title", metavar="TEXT", help="the report's title (default: from the folder's name)")


def cmd_new(args: argparse.Namespace) -> int:
    """Write the review folder and say what is in it and what to do next."""
    from ..scaffold import new_review

    done = new_review(args.review_dir, authority=args.authority, workforce=args.workforce,
                      committee=args.committee, title=args.title)
    print(f"{done.review_dir}: review '{done.review_id}'")
    for path in done.written:
        print(f"  wrote {path}")
    for path in done.kept:
        print(f"  kept  {path} (already there: not overwritten)")
    params = done.params
    print("Next:")
    print(f"  1. edit {params} and replace the example content (files named example…, the tracker's example row)")
    print(f"  2. scrutiny-kit validate {params}")
    print(f"  3. scrutiny-kit run {params}")
    return 0


def print_example_content(inputs: Any) -> None:
    """For `validate`: name the example content `new` wrote that is still there, to replace before publishing."""
    from ..scaffold import example_content

    found = example_content(inputs)
    if found:
        print(f"  example content to replace before publishing: {', '.join(found)}")

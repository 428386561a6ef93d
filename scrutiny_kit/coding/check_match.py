"""Matching a coding sheet to the notes (`reconcile`): which rows are checked, stale, removed or new, and the
warnings that says so (see coding/check.py)."""
from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from ..errors import Problem
from ..wording import join_words, plural
from .check_rows import Sheet, SheetRow, point_id, text_hash

REWORDED = 0.5  # a changed point shares at least this share of its words (difflib ratio) with what was checked
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Stale:
    """A sheet row whose point's text changed since the sheet was written."""

    row: SheetRow
    new_text: str
    point: tuple[str, int] = ("", 0)  # the point it stands for now (source, number)


@dataclass(frozen=True)
class Reconciliation:
    """How a sheet's rows meet the notes' points."""

    decisions: dict[tuple[str, int], SheetRow]  # checked points -> their row (rows with a status are not here)
    pending: dict[tuple[str, int], SheetRow]  # rows the officer has not cleared yet (status new/stale)
    moved: tuple[tuple[SheetRow, tuple[str, int]], ...]  # rows found again under another point number
    stale: tuple[Stale, ...]
    new: tuple[tuple[str, int], ...]  # points no row matches
    removed: tuple[SheetRow, ...]  # rows whose point no longer exists
    missing_themes: tuple[str, ...] = ()  # codebook themes the sheet has no column for


def reconcile(sheet: Sheet, notes: pd.DataFrame, theme_ids: Sequence[str] = ()) -> Reconciliation:
    """Match every sheet row to a point of the notes (see the module docstring). `notes` must be the notes as
    read (before any redaction), so that the text hashes compare like with like.

    Per note file, the rows' text hashes (in point order) are aligned with the points' (difflib): runs of equal
    text match whatever their numbers now are; where texts differ, rows and points pair up in order as stale,
    and what is left over is removed (rows) or new (points)."""
    points: dict[str, list[tuple[int, str, str]]] = {}
    for source, point, text in zip(notes["source"], notes["point"], notes["text"]):
        points.setdefault(str(source), []).append((int(point), text_hash(text), str(text)))
    rows: dict[str, list[SheetRow]] = {}
    for row in sorted(sheet.rows, key=lambda r: (r.source, r.point)):
        rows.setdefault(row.source, []).append(row)
    matched: dict[tuple[str, int], SheetRow] = {}
    moved: list[tuple[SheetRow, tuple[str, int]]] = []
    stale: list[Stale] = []
    new: list[tuple[str, int]] = []
    removed = [r for source, rs in rows.items() if source not in points for r in rs]
    for source, now in points.items():
        old = rows.get(source, [])
        blocks = difflib.SequenceMatcher(None, [r.text_hash for r in old], [h for _, h, _ in now], autojunk=False)
        for op, i1, i2, j1, j2 in blocks.get_opcodes():
            if op == "equal":
                for r, (number, _, _) in zip(old[i1:i2], now[j1:j2]):
                    key = (source, number)
                    matched[key] = r if r.point == number else replace(r, point_id=point_id(*key), point=number)
                    if r.point != number:
                        moved.append((r, key))
                continue
            pairs = _reworded(old[i1:i2], now[j1:j2])
            stale += [Stale(r, text, (source, number)) for r, (number, _, text) in pairs]
            paired_rows, paired_points = {id(r) for r, _ in pairs}, {p[0] for _, p in pairs}
            removed += [r for r in old[i1:i2] if id(r) not in paired_rows]
            new += [(source, number) for number, _, _ in now[j1:j2] if number not in paired_points]
    decisions = {k: r for k, r in matched.items() if not r.status}
    pending = {k: r for k, r in matched.items() if r.status}
    missing = tuple(t for t in theme_ids if t not in sheet.theme_columns)
    order = {(str(s), int(p)): i for i, (s, p) in enumerate(zip(notes["source"], notes["point"]))}
    return Reconciliation(decisions, pending, tuple(moved), tuple(stale), tuple(sorted(new, key=order.__getitem__)),
                          tuple(sorted(removed, key=lambda r: r.row)), missing)


def _reworded(rows: Sequence[SheetRow], points: Sequence[tuple[int, str, str]]) -> list[tuple[SheetRow, Any]]:
    """Where rows and points differ, pair each row in order with the next point whose words are mostly the same
    (a reworded point is stale); a row with no such point was removed, a point with no such row is new."""
    pairs, start = [], 0
    for r in rows:
        for k in range(start, len(points)):
            if difflib.SequenceMatcher(None, _WORD.findall(r.text.lower()),
                                       _WORD.findall(points[k][2].lower())).ratio() >= REWORDED:
                pairs.append((r, points[k]))
                start = k + 1
                break
    return pairs


def check_warnings(rec: Reconciliation, sheet_name: str) -> list[Problem]:
    """What an officer should know before publishing: points not checked (new, stale, pending), rows for points
    that no longer exist and theme columns missing. Warnings by default; `run --strict` makes them errors."""
    out: list[Problem] = []
    for source, numbers in _by_source(rec.new).items():
        out.append(Problem(sheet_name, f"{_points_of(source, numbers)} not in the sheet (added since it was "
                                       "written): coded automatically, not checked; run `scrutiny-kit check "
                                       "PARAMS --update` to add them"))
    for s in rec.stale:
        out.append(Problem(sheet_name, f"point {s.row.point_id} has changed since the sheet was written: it was "
                                       f"\u201c{s.row.text}\u201d and is now \u201c{s.new_text}\u201d; coded "
                                       "automatically until it is checked again (`scrutiny-kit check PARAMS "
                                       "--update` marks it stale in the sheet)",
                           line=s.row.row or None, line_label="row"))
    pending = sorted(rec.pending.values(), key=lambda r: r.row)
    if pending:
        rows = join_words([str(r.row) for r in pending][:20]) + (" ..." if len(pending) > 20 else "")
        out.append(Problem(sheet_name, f"{plural(len(pending), 'row')} still marked new or stale in the 'status' "
                                       f"column (rows {rows}): coded automatically until an officer checks "
                                       "them and clears the status"))
    for row in rec.removed:
        out.append(Problem(sheet_name, f"point {row.point_id} is no longer in the visit notes; its row is not used "
                                       "(`scrutiny-kit check PARAMS --update` moves it to the 'removed' sheet)",
                           line=row.row or None, line_label="row"))
    if rec.missing_themes:
        out.append(Problem(sheet_name, f"no column for the theme(s) {', '.join(rec.missing_themes)} (added to the "
                                       "codebook since the sheet was written): the coder's coding is used for "
                                       "them; `scrutiny-kit check PARAMS --update` adds the columns"))
    return out


def _by_source(keys: Iterable[tuple[str, int]]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for source, point in keys:
        out.setdefault(source, []).append(point)
    return out


def _points_of(source: str, numbers: Sequence[int]) -> str:
    if len(numbers) == 1:
        return f"point {numbers[0]} of {source} is"
    return f"points {join_words([str(n) for n in numbers])} of {source} are"

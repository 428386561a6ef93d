"""`check --update`: a refreshed coding sheet's rows after the notes change, every decision on an unchanged point
kept, new and changed points marked for the officer."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import pandas as pd

from .check_match import reconcile
from .check_rows import Sheet, SheetRow


@dataclass(frozen=True)
class Update:
    """A refreshed sheet's rows and what changed."""

    rows: tuple[SheetRow, ...]
    removed: tuple[SheetRow, ...]  # rows to move to the 'removed' sheet
    kept: int
    new: int
    stale: int
    moved: int
    dropped_columns: Mapping[str, int]  # theme columns no longer in the codebook -> rows that had them ticked


def update_rows(sheet: Sheet, fresh: Sequence[SheetRow], theme_ids: Sequence[str]) -> Update:
    """The rows of a refreshed sheet, in note order: every decision on an unchanged point kept as it was, new
    points added with status 'new', changed points keep the officer's old decisions but are marked stale (with
    the old text and the coder's new proposal), rows for removed points returned to be archived. Nothing is
    dropped silently: a theme column no longer in the codebook is reported with how many rows had it ticked."""
    notes = pd.DataFrame({"source": [r.source for r in fresh], "point": [r.point for r in fresh],
                          "text": [r.text for r in fresh]})
    rec = reconcile(sheet, notes, theme_ids)
    known = set(theme_ids)
    added_themes = set(rec.missing_themes)
    stale = {s.point: s.row for s in rec.stale}
    old = {**rec.decisions, **rec.pending}
    rows = []
    for f in fresh:
        key = (f.source, f.point)
        meta = {"point_id": f.point_id, "point": f.point, "date": f.date, "team": f.team,
                "confidential": f.confidential, "heading": f.heading}
        if key in old:
            r = old[key]
            themes = (set(r.themes) & known) | (set(f.themes) & added_themes)
            status = r.status
            if not status and set(f.themes) & added_themes:
                status = f"new theme(s) {', '.join(sorted(set(f.themes) & added_themes))}: check them"
            rows.append(replace(r, **meta, themes=frozenset(themes), status=status, row=0))
        elif key in stale:
            r = stale[key]
            proposal = ", ".join(sorted(f.themes)) or "no theme"
            status = (f"stale: the text changed since it was checked; it was \u201c{r.text}\u201d; the coder now "
                      f"proposes {proposal}, tone {f.proposed_tone}")
            rows.append(replace(r, **meta, text=f.text, text_hash=f.text_hash, matched=f.matched,
                                proposed_tone=f.proposed_tone, themes=frozenset(set(r.themes) & known),
                                status=status, row=0))
        else:
            rows.append(replace(f, status="new: not checked yet"))
    dropped = {t: sum(1 for r in sheet.rows if t in r.themes) for t in sheet.theme_columns if t not in known}
    return Update(tuple(rows), rec.removed, kept=len(old), new=len(rec.new), stale=len(rec.stale),
                  moved=len(rec.moved), dropped_columns=dropped)

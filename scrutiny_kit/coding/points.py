"""Code visit-note points into themes and tones, and summarise them: the coded-points frame.

Why this design: a scrutiny officer has to be able to say why a point was counted under a theme,
so coding is a dictionary method with no model. `matched` records the phrases that decided each
theme, as found in the text (heading phrases as "car parking (heading)"). The rules are in
themes.py (which themes) and tone.py (which tone), and at the top of codebooks/default.yaml.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .codebook import Codebook, load_codebook
from ..sources.visit_notes import NOTE_COLUMNS, expand_note_paths, load_visit_notes
from .coder import Coder
from .themes import HEADING_SUFFIX, PHRASE_SEPARATOR, themes_of
from .tone import tone_of

CODED_COLUMNS = [
    "source", "point", "date", "team", "theme", "matched", "tone", "text",
    "heading", "line", "authority", "visitors", "confidential",
]
TONES = ("concern", "positive", "mixed", "neutral")
SUMMARY_COLUMNS = [
    "theme", "label", "points", "visits", "teams", *TONES, "concern_visits", "first_date", "last_date",
]


def compiled(codebook: Codebook) -> Coder:
    """The codebook's coder, compiled once and kept with the codebook."""
    return codebook.cached("coder", lambda: Coder(codebook))


def code_points(notes: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """One row per point x theme (a point with no theme once, theme ""), with `matched` and `tone`.

    Rows keep the notes' order (then codebook theme order); columns are CODED_COLUMNS, then any
    other columns the notes had.
    """
    missing = [c for c in ("text", "heading") if c not in notes.columns]
    if missing:
        raise KeyError(f"notes have no {', '.join(missing)} column; expected the columns {', '.join(NOTE_COLUMNS)}")
    coder = compiled(codebook)
    headings: dict[str, Any] = {}
    rows, themes, matched, tones = [], [], [], []
    for row, (text, heading) in enumerate(zip(notes["text"].tolist(), notes["heading"].tolist())):
        heading = heading if isinstance(heading, str) else ""
        if heading not in headings:
            headings[heading] = coder.read(heading)
        words, hits = coder.read(text)
        head_words, head_hits = headings[heading]
        tone = tone_of(words, hits) or tone_of(head_words, head_hits) or "neutral"
        given = themes_of(hits, head_hits, coder.parents) or {-1: ""}
        for theme, phrases in given.items():
            rows.append(row)
            themes.append(coder.ids[theme] if theme >= 0 else "")
            matched.append(phrases)
            tones.append(tone)
    coded = notes.iloc[rows].reset_index(drop=True)
    coded["theme"] = pd.Series(themes, dtype="str")
    coded["matched"] = pd.Series(matched, dtype="str")
    coded["tone"] = pd.Series(tones, dtype="str")
    return coded[_column_order(coded)]


def phrase_count(matched: Any, *, with_heading: bool = False) -> int:
    """How many distinct phrases a `matched` value records: those in the point's own words, or also those
    found in its heading (marked HEADING_SUFFIX). 0 for a point with no theme."""
    if not isinstance(matched, str):
        return 0
    phrases = {p.strip().lower() for p in matched.split(PHRASE_SEPARATOR.strip()) if p.strip()}
    return len({p for p in phrases if with_heading or not p.endswith(HEADING_SUFFIX.strip())})


def _column_order(frame: pd.DataFrame) -> list[str]:
    """CODED_COLUMNS that are present, then any other columns."""
    return [c for c in CODED_COLUMNS if c in frame.columns] + [c for c in frame.columns if c not in CODED_COLUMNS]


def theme_summary(coded: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Per codebook theme: points, visits, teams, tone counts (per point), visits raising it as a concern and
    date range, most points first. Every theme is listed (a theme nobody raised shows 0 points), so gaps
    are visible. The findings chapter counts from this too, on the published points only.
    """
    rows = []
    for theme in codebook.themes:
        part = coded[coded["theme"] == theme.id].drop_duplicates(["source", "point"])
        tones = part["tone"].value_counts()
        dates = part["date"].dropna()
        rows.append({
            "theme": theme.id, "label": theme.label, "points": len(part),
            "visits": part["source"].nunique(), "teams": ", ".join(sorted(part["team"].dropna().unique())),
            **{t: int(tones.get(t, 0)) for t in TONES},
            "concern_visits": part.loc[part["tone"] == "concern", "source"].nunique(),
            "first_date": dates.min() if len(dates) else None, "last_date": dates.max() if len(dates) else None,
        })
    summary = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    return summary.sort_values("points", ascending=False, kind="stable").reset_index(drop=True)


def coded_points_csv(coded: pd.DataFrame) -> str:
    """coded_points.csv as text: CODED_COLUMNS first (dates ISO), one row per point x theme; text a spreadsheet
    would run as a formula is neutralised (spreadsheet_safety)."""
    from ..spreadsheet_safety import frame_csv

    out = coded[_column_order(coded)].copy()
    if "date" in out:
        out["date"] = [d.isoformat() if hasattr(d, "isoformat") else ("" if d is None else d) for d in out["date"]]
    return frame_csv(out)


def code_files(
    paths: Sequence[str | Path], codebook_spec: str | Path | None = None, *, default_authority: str = ""
) -> pd.DataFrame:
    """Read visit notes, or any text in a note format, from files, folders or globs and code them (for
    `scrutiny-kit code`, which needs no review: a missing visit date or team is left blank).

    Raises InputError for unreadable files or a bad codebook.
    """
    codebook = load_codebook(codebook_spec or "default")
    notes = load_visit_notes(expand_note_paths(paths), default_authority=default_authority, visit_metadata=False)
    return code_points(notes, codebook)

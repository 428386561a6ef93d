"""The coding sheet's rows as plain data: point ids, text hashes, a row (SheetRow), the sheet as read (Sheet) and
the rows the coder proposes for a new sheet."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

OFFICER_TONES = ("concern", "positive", "mixed", "neutral")
HASH_CHARACTERS = 10
THEME_SEPARATOR = "; "
_SPACE = re.compile(r"\s+")


def point_id(source: str, point: int) -> str:
    """The stable id of a point in a coding sheet: '2024-10-08-northgate-locality.md#4'."""
    return f"{source}#{int(point)}"


def split_point_id(value: str) -> tuple[str, int] | None:
    """('file.md', 4) from 'file.md#4', or None when it is not a point id."""
    source, sep, number = str(value).strip().rpartition("#")
    return (source, int(number)) if sep and source and number.isdigit() else None


def split_themes(value: Any) -> frozenset[str]:
    """The theme ids of a `coder_themes` value ('a; b')."""
    return frozenset(t.strip() for t in str(value or "").split(THEME_SEPARATOR.strip()) if t.strip())


def text_hash(text: str) -> str:
    """A short hash of a point's text (spaces normalised), kept per row to notice a point whose text changed."""
    normal = _SPACE.sub(" ", str(text or "")).strip()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:HASH_CHARACTERS]


# --- the sheet's rows, as plain data ----------------------------------------------------------------------

@dataclass(frozen=True)
class SheetRow:
    """One row of the coding sheet: the point as written, the coder's proposal and the officer's decisions."""

    point_id: str
    source: str
    point: int
    text: str
    text_hash: str
    themes: frozenset[str]  # the ticked theme columns: the coder's proposal until the officer edits them
    date: Any = None
    team: str = ""
    confidential: bool = False
    heading: str = ""
    matched: str = ""
    proposed_tone: str = ""
    tone: str = ""  # the officer's tone, "" = agrees with the proposed tone
    quote: str = ""  # "yes" (prefer as an excerpt), "no" (never quote) or ""
    exclude: bool = False
    exclude_reason: str = ""
    note: str = ""
    status: str = ""  # "" = checked; "new ..." / "stale ..." written by `check --update` until the officer clears it
    row: int = 0  # the Excel row it was read from (0 for rows not read from a file)

    @property
    def decided_tone(self) -> str:
        """The tone the officer settled on: their own, else the proposed tone they saw and left."""
        return self.tone or self.proposed_tone


@dataclass(frozen=True)
class Sheet:
    """A coding sheet as read: who it belongs to, its theme columns, its rows and its archive of removed rows."""

    review_id: str
    theme_columns: tuple[str, ...]
    rows: tuple[SheetRow, ...]
    removed: tuple[tuple[Any, ...], ...] = ()  # the 'removed' sheet's rows, kept as they are
    removed_header: tuple[str, ...] = ()
    path: str = ""
    sha256: str = ""


def proposal_rows(notes: pd.DataFrame, coded: pd.DataFrame) -> list[SheetRow]:
    """One sheet row per point of the notes, with the coder's themes, phrases and tone, and no decision yet."""
    by_point = coder_view(coded)
    rows = []
    for rec in notes.to_dict("records"):
        key = (str(rec["source"]), int(rec["point"]))
        themes, matched, tone = by_point.get(key, ((), {}, "neutral"))
        rows.append(SheetRow(
            point_id=point_id(*key), source=key[0], point=key[1], text=str(rec["text"]),
            text_hash=text_hash(rec["text"]), themes=frozenset(themes), date=rec.get("date"),
            team=str(rec.get("team", "") or ""), confidential=bool(rec.get("confidential", False)),
            heading=str(rec.get("heading", "") or ""),
            matched="\n".join(f"{t}: {matched[t]}" for t in themes if matched.get(t)),
            proposed_tone=tone))
    return rows


def coder_view(coded: pd.DataFrame) -> dict[tuple[str, int], tuple[tuple[str, ...], dict[str, str], str]]:
    """Per point: the coder's themes (in its order), the phrases per theme, and its tone."""
    out: dict[tuple[str, int], tuple[list[str], dict[str, str], str]] = {}
    for source, point, theme, matched, tone in zip(coded["source"], coded["point"], coded["theme"],
                                                    coded["matched"], coded["tone"]):
        themes, phrases, _ = out.setdefault((str(source), int(point)), ([], {}, str(tone)))
        if theme:
            themes.append(str(theme))
            phrases[str(theme)] = "" if pd.isna(matched) else str(matched)
    return {k: (tuple(t), p, tone) for k, (t, p, tone) in out.items()}

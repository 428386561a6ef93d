"""Ids inside the report page: a theme's section anchor and each recommendation's, unique and safe in HTML."""
from __future__ import annotations

import re
from collections.abc import Sequence


def slug(text: str) -> str:
    """A safe HTML id fragment: lower-case letters, digits, '_' and '-' ('R 3.1' -> 'r-3-1')."""
    return re.sub(r"[^a-z0-9_]+", "-", str(text).casefold()).strip("-") or "x"


def theme_anchor(theme: str) -> str:
    """The id of a theme's section: 'theme-caseload_workload'."""
    return f"theme-{slug(theme)}"


def rec_anchors(ids: Sequence[str]) -> dict[str, str]:
    """{recommendation id: 'rec-<slug>'}, made unique in tracker order ('rec-1-2', then 'rec-1-2-2')."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for rec_id in ids:
        base = f"rec-{slug(rec_id)}"
        anchor, n = base, 1
        while anchor in used:
            n += 1
            anchor = f"{base}-{n}"
        out[str(rec_id)] = anchor
        used.add(anchor)
    return out

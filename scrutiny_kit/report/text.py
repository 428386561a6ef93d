"""Visible text of a rendered page: what a reader sees, for the final personal-data scan."""
from __future__ import annotations

import html
import re

_DROP = re.compile(r"<(style|script)\b[^>]*>.*?</\1>", re.S | re.I)
_SVG_TEXT = re.compile(r"<svg\b.*?</svg>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
_SPOKEN_ATTR = re.compile(r'\b(?:aria-label|alt|title)="([^"]*)"', re.I)


def visible_text(page: str) -> str:
    """Strip styles, scripts and SVG drawings (their text is repeated in data tables), then tags; unescape.
    Attribute text a screen reader speaks (aria-label, alt, title) is kept."""
    spoken = " ".join(_SPOKEN_ATTR.findall(page))
    page = _DROP.sub(" ", page)
    page = _SVG_TEXT.sub(" ", page)
    return html.unescape(_TAG.sub(" ", page) + " " + spoken)

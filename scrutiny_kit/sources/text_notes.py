"""A plain-text (.txt) visit note: a leading `Key: value` block, then the body read line by line into points
(see visit_notes for the rules). Markdown notes are read from markdown-it-py's tokens (markdown_notes); the
`Key: value` block reader here serves both."""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from .note_meta import ParsedNote, add_meta, key_value
from .note_points import Point, PointBuilder

_BLANK_BREAK = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")  # ---, ***, ___ (rules between paragraphs)
_BULLET = re.compile(r"^(\s*)(?:[-*+•·–▪◦]|\d{1,3}[.)])\s+(.*)$")
_INDENT_NESTED = 2  # a bullet indented this much more than its list's top level is a sub-bullet


def parse_plain(path: Path, text: str) -> ParsedNote:
    """A leading Key: value block then the body as points under headings."""
    lines = text.split("\n")
    parsed = ParsedNote(lines=lines, where="in the block of 'Key: value' lines at the top of the file")
    skip = key_block(lines, parsed, _heading_line)
    parsed.points = body_points(lines, skip)
    return parsed


def key_block(lines: list[str], parsed: ParsedNote, is_heading: Callable[[str], bool]) -> set[int]:
    """Read the leading run of 'Key: value' lines into parsed.meta; return their line indices.

    Blank and heading lines may sit before or among them (headings stay in the body, so a title
    still gives context); an indented line straight after a key continues its value.
    """
    consumed: set[int] = set()
    last_key: str | None = None
    for i, line in enumerate(lines):
        kv = key_value(line)
        if kv:
            add_meta(parsed, kv[0], kv[1], i + 1)
            last_key = kv[0]
        elif last_key and line[:1] in (" ", "\t") and line.strip() and not _BULLET.match(line):
            value, number = parsed.meta[last_key]
            parsed.meta[last_key] = (f"{value or ''} {line.strip()}".strip(), number)
        elif line.strip() and not is_heading(line):
            break
        else:
            last_key = None
            continue
        consumed.add(i)
    return consumed


def _heading_line(line: str) -> bool:
    """ALL CAPS line (at least two letters, no lower case) or a short line ending with ':'."""
    text = line.strip()
    letters = [c for c in text if c.isalpha()]
    caps = len(letters) >= 2 and not any(c.islower() for c in letters)
    return bool(text) and (caps or (text.endswith(":") and len(text) <= 80))


def body_points(lines: list[str], skip: set[int]) -> list[Point]:
    """Split body lines into points: paragraphs and bullets, sub-bullets joined, headings as context."""
    b = PointBuilder()
    for index, line in enumerate(lines):
        raw = line.expandtabs(4)
        if index in skip or not raw.strip():
            if not b.is_bullet:
                b.close()
            b.after_blank = True
            continue
        _take_line(b, index + 1, raw, lines[index + 1] if index + 1 < len(lines) else "")
        b.after_blank = False
    return b.finish()


def _take_line(b: PointBuilder, number: int, raw: str, following: str) -> None:
    """Route one non-blank line: rule, bullet, sub-bullet, heading, continuation or new paragraph."""
    indent = len(raw) - len(raw.lstrip())
    if _BLANK_BREAK.match(raw):
        b.close()
        return
    if m := _BULLET.match(raw):
        text = m[2].strip()
        if b.open and b.is_bullet and indent >= b.list_indent + _INDENT_NESTED:
            b.add(text, sub=True)
        else:
            b.start(number, text, bullet=True, indent=indent)
        return
    text = raw.strip()
    if _is_heading(b, raw, following):
        b.set_heading(text.rstrip(":").strip(), 1 if not any(c.islower() for c in raw) else 2)
        return
    if b.open and (not b.after_blank or (b.is_bullet and indent >= b.list_indent + _INDENT_NESTED)):
        b.add(text)
    else:
        b.start(number, text, bullet=False)


def _is_heading(b: PointBuilder, raw: str, following: str) -> bool:
    """A heading: an ALL CAPS line starting a paragraph, or a ':' line standing alone."""
    starts_paragraph = not b.open or b.after_blank
    if not starts_paragraph or not _heading_line(raw):
        return False
    if not any(c.islower() for c in raw):  # ALL CAPS
        return True
    return not following.strip() or bool(_BULLET.match(following.expandtabs(4)))

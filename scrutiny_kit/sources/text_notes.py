"""The body of a Markdown or plain-text visit note read line by line into points (see visit_notes for the
rules), and a .txt note's leading `Key: value` block."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .note_meta import ParsedNote, add_meta, key_value
from .note_points import Point, PointBuilder, table_points

_BLANK_BREAK = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")  # ---, ***, ___ (thematic breaks)
_SETEXT = re.compile(r"^\s{0,3}(={2,}|-{2,})\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_ATX = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_MD_BULLET = re.compile(r"^(\s*)(?:[-*+]|\d{1,3}[.)])\s+(?:\[[ xX]\]\s+)?(.*)$")
_TXT_BULLET = re.compile(r"^(\s*)(?:[-*+•·–▪◦]|\d{1,3}[.)])\s+(.*)$")
_TABLE_ROW = re.compile(r"^\s*\|(.*)\|?\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?(\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*$")
_QUOTE = re.compile(r"^\s{0,3}>\s?")
_COMMENT = re.compile(r"<!--.*?-->")
_INLINE = [
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links and images -> their text
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),  # strong
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])"), r"\1"),  # emphasis
    (re.compile(r"(?<!\w)_(?!\s)(.+?)(?<!\s)_(?!\w)"), r"\1"),
    (re.compile(r"`([^`]*)`"), r"\1"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])"), r"\1"),  # backslash escapes
]
_INLINE_MARKS = re.compile(r"[\[*_`\\]")  # a character one of the _INLINE patterns needs
_INDENT_NESTED = 2  # a bullet indented this much more than its list's top level is a sub-bullet


def parse_plain(path: Path, text: str) -> ParsedNote:
    """A leading Key: value block then the body as points under headings."""
    lines = text.split("\n")
    parsed = ParsedNote(lines=lines, where="in the block of 'Key: value' lines at the top of the file")
    skip = key_block(lines, parsed, _txt_heading_line)
    parsed.points = body_points(lines, 0, PLAIN, skip)
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
        elif last_key and line[:1] in (" ", "\t") and line.strip() and not _TXT_BULLET.match(line):
            value, number = parsed.meta[last_key]
            parsed.meta[last_key] = (f"{value or ''} {line.strip()}".strip(), number)
        elif line.strip() and not is_heading(line):
            break
        else:
            last_key = None
            continue
        consumed.add(i)
    return consumed


@dataclass(frozen=True)
class _Dialect:
    """How one text format marks bullets and headings."""

    bullet: re.Pattern[str]
    markdown: bool


MARKDOWN = _Dialect(bullet=_MD_BULLET, markdown=True)
PLAIN = _Dialect(bullet=_TXT_BULLET, markdown=False)


def md_heading(line: str) -> bool:
    return bool(_ATX.match(line))


def _txt_heading_line(line: str) -> bool:
    """ALL CAPS line (at least two letters, no lower case) or a short line ending with ':'."""
    text = line.strip()
    letters = [c for c in text if c.isalpha()]
    caps = len(letters) >= 2 and not any(c.islower() for c in letters)
    return bool(text) and (caps or (text.endswith(":") and len(text) <= 80))


def body_points(lines: list[str], start: int, dialect: _Dialect, skip: set[int]) -> list[Point]:
    """Split body lines into points (see the module docstring for the rules)."""
    b = PointBuilder()
    for index in range(start, len(lines)):
        number, raw = index + 1, lines[index].expandtabs(4)
        if dialect.markdown:
            raw = _QUOTE.sub("", _COMMENT.sub("", raw))
            if _FENCE.match(raw):
                continue
        if index in skip or not raw.strip():
            if not b.is_bullet:
                b.close()
            b.after_blank = True
            continue
        _take_line(b, dialect, number, raw, lines[index + 1] if index + 1 < len(lines) else "")
        b.after_blank = False
    return b.finish()


def _take_line(b: PointBuilder, dialect: _Dialect, number: int, raw: str, following: str) -> None:
    """Route one non-blank line: heading, table row, bullet, sub-bullet, continuation or new paragraph."""
    indent = len(raw) - len(raw.lstrip())
    if dialect.markdown and (m := _ATX.match(raw)):
        b.set_heading(_clean(m[2], dialect), len(m[1]))
        return
    if dialect.markdown and _SETEXT.match(raw) and b.open and not b.is_bullet and len(b.parts) == 1 and not b.after_blank:
        text, b.parts = b.parts[0], []  # the paragraph line above was a heading
        b.set_heading(text, 1 if raw.strip().startswith("=") else 2)
        return
    if _BLANK_BREAK.match(raw):
        b.close()
        return
    if dialect.markdown and _TABLE_ROW.match(raw):
        cells = [_clean(c, dialect) for c in raw.strip().strip("|").split("|")]
        if _TABLE_RULE.match(following):  # the row above a rule is the header
            b.close()
            b.table_header = cells
        elif not _TABLE_RULE.match(raw):
            for text in table_points(b.table_header, cells):
                b.start(number, text, bullet=False)
                b.close()
        return
    b.table_header = []
    if m := dialect.bullet.match(raw):
        text = _clean(m[2], dialect)
        if b.open and b.is_bullet and indent >= b.list_indent + _INDENT_NESTED:
            b.add(text, sub=True)
        else:
            b.start(number, text, bullet=True, indent=indent)
        return
    text = _clean(raw, dialect)
    if not dialect.markdown and _plain_heading(b, raw, following, dialect):
        b.set_heading(text.rstrip(":").strip(), 1 if not any(c.islower() for c in raw) else 2)
        return
    if b.open and (not b.after_blank or (b.is_bullet and indent >= b.list_indent + _INDENT_NESTED)):
        b.add(text)
    else:
        b.start(number, text, bullet=False)


def _plain_heading(b: PointBuilder, raw: str, following: str, dialect: _Dialect) -> bool:
    """A .txt heading: an ALL CAPS line starting a paragraph, or a ':' line standing alone."""
    starts_paragraph = not b.open or b.after_blank
    if not starts_paragraph or not _txt_heading_line(raw):
        return False
    if not any(c.islower() for c in raw):  # ALL CAPS
        return True
    return not following.strip() or bool(dialect.bullet.match(following.expandtabs(4)))


def _clean(text: str, dialect: _Dialect) -> str:
    """Remove Markdown inline syntax (emphasis, links, code) so the text reads as written."""
    if dialect.markdown and _INLINE_MARKS.search(text):  # most lines have no inline syntax: skip the patterns
        for pattern, repl in _INLINE:
            text = pattern.sub(repl, text)
    return text.strip()

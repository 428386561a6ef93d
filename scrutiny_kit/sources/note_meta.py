"""A visit note's metadata (date, team, authority, visitors, confidential): the keys and their aliases, the
raw values each format reader finds, and their validation into NoteMeta with one Problem per bad or missing key."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..dates import parse_date
from ..errors import Problem
from .cells import is_blank
from .note_points import Point

KEY_ALIASES = {
    "date": "date", "visit date": "date", "date of visit": "date",
    "team": "team", "team visited": "team", "service": "team",
    "authority": "authority", "council": "authority", "local authority": "authority",
    "visitors": "visitors", "visited by": "visitors", "members": "visitors", "councillors": "visitors",
    "confidential": "confidential", "exempt": "confidential",
}
_TRUE = {"true", "yes", "y", "1", "exempt", "confidential"}
_FALSE = {"false", "no", "n", "0", "", "none", "not confidential"}

_KEY_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z _]{0,24}?)\s*:\s*(.*?)\s*$")


@dataclass(frozen=True)
class NoteMeta:
    """The visit a note records."""

    date: dt.date | None  # None only when coding text with no visit metadata (`scrutiny-kit code`)
    team: str
    authority: str
    visitors: tuple[str, ...] = ()
    confidential: bool = False


@dataclass
class ParsedNote:
    """What a format reader found: raw metadata (value, line) by key, points, and problems."""

    meta: dict[str, tuple[Any, int | None]] = field(default_factory=dict)
    points: list[Point] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    where: str = "at the top of the file"  # where metadata is expected, for messages
    lines: list[str] = field(default_factory=list)  # the file's lines, for hints


def build_meta(path: Path, parsed: ParsedNote, default_authority: str,
                visit_metadata: bool = True) -> tuple[NoteMeta | None, list[Problem]]:
    """Validate raw metadata into NoteMeta, one Problem per bad or missing key (a visit's date and team
    only when ``visit_metadata``)."""
    raw = parsed.meta
    problems: list[Problem] = []

    def missing(key: str, example: str) -> None:
        if visit_metadata:
            hint = _later_key_hint(parsed.lines, key)
            problems.append(Problem(path, f"missing {key}: add '{key}: {example}' {parsed.where}{hint}", field=key))

    date: dt.date | None = None
    if is_blank(raw.get("date", (None, None))[0]):
        missing("date", "DD/MM/YYYY")
    else:
        value, line = raw["date"]
        try:
            date = parse_date(value)
        except ValueError as exc:
            if visit_metadata:
                problems.append(Problem(path, f"date is not a date we can read: {exc}", line=line, field="date"))
    team = _text(raw.get("team", (None, None))[0])
    if not team:
        missing("team", "the team's name")
    authority = _text(raw.get("authority", (None, None))[0]) or default_authority
    visitors = _visitors(raw.get("visitors", (None, None))[0])
    confidential, line = raw.get("confidential", (False, None))
    flag = _flag(confidential)
    if flag is None:
        problems.append(Problem(path, "confidential must be yes or no (true/false)", line=line,
                                field="confidential", value=confidential))
    if problems or (date is None and visit_metadata):
        return None, problems
    return NoteMeta(date=date, team=team, authority=authority, visitors=visitors, confidential=bool(flag)), []


def _later_key_hint(lines: list[str], key: str) -> str:
    """If the key appears further down the file, say where: it was probably meant as metadata."""
    for number, line in enumerate(lines, start=1):
        m = _KEY_LINE.match(line.lstrip("-*•· \t"))
        if m and KEY_ALIASES.get(norm_key(m[1])) == key and m[2]:
            return f" (line {number} has '{m[1]}:' but it is not in the metadata block at the top)"
    return ""


def _text(value: Any) -> str:
    return "" if is_blank(value) else " ".join(str(value).split())


def _visitors(value: Any) -> tuple[str, ...]:
    if is_blank(value):
        return ()
    items = value if isinstance(value, list | tuple) else re.split(r"[;,]", str(value))
    return tuple(t for t in (_text(v) for v in items) if t)


def _flag(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    return True if text in _TRUE else False if text in _FALSE else None


def norm_key(key: str) -> str:
    return " ".join(key.replace("_", " ").lower().split())


def key_value(line: str) -> tuple[str, str] | None:
    """'Date: 4/3/2025' -> ('date', '4/3/2025') for a recognised metadata key, else None."""
    m = _KEY_LINE.match(line)
    if not m:
        return None
    key = KEY_ALIASES.get(norm_key(m[1]))
    return (key, m[2]) if key else None


def add_meta(parsed: ParsedNote, key: str, value: Any, line: int | None) -> None:
    if key == "visitors" and key in parsed.meta and not is_blank(value):
        old = parsed.meta[key][0]
        value = [*(_visitors(old)), *(_visitors(value))]
    parsed.meta[key] = (value, line)

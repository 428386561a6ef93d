"""A visit note's points as every format reader builds them: lines or paragraphs gathered into points under
the heading above them, sub-bullets joined to their parent, a document title taken out of context, and
table rows as points (members' and actions columns as points of their own)."""
from __future__ import annotations

import re
from dataclasses import dataclass

OWN_VOICE_HEADING = re.compile(
    r"\b(members?'?|councillors?'?|cllrs?|committee|scrutiny|panel|actions?|follow[- ]?ups?|next steps?|"
    r"recommendations?|agreed)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Point:
    """One point of a note: where it starts, the heading above it, and its text."""

    line: int
    heading: str
    text: str


class PointBuilder:
    """Accumulates lines into points, tracking the current heading and list indentation."""

    def __init__(self) -> None:
        self.heading = ""
        self.points: list[Point] = []
        self.parts: list[str] = []
        self.line = 0
        self.is_bullet = False
        self.list_indent = 0
        self.after_blank = False
        self.joined_sub = False  # a sub-bullet was joined to the open point
        self.headings: list[int] = []  # the level of each heading so far (0 = a Word Title)
        self.under: list[int] = []  # per point, the index of the heading it sits under (-1: none)

    @property
    def open(self) -> bool:
        return bool(self.parts)

    def start(self, line: int, text: str, *, bullet: bool, indent: int = 0) -> None:
        self.close()
        self.parts, self.line, self.is_bullet = [text], line, bullet
        if bullet:
            self.list_indent = indent

    def add(self, text: str, *, sub: bool = False) -> None:
        self.joined_sub = self.joined_sub or sub
        if sub and self.parts and not re.search(r"[.:;,!?]$", self.parts[-1]):
            self.parts[-1] += ";"
        elif sub and self.parts and re.search(r"[.!?]$", self.parts[-1]):
            text = text[:1].upper() + text[1:]  # a sub-bullet after a full stop starts a new sentence
        self.parts.append(text)

    def close(self) -> None:
        text = " ".join(" ".join(self.parts).split())
        if self.joined_sub and text and text[-1].isalnum():
            text += "."  # sub-bullets joined into one point end as a sentence does
        if text:
            self.points.append(Point(self.line, self.heading, text))
            self.under.append(len(self.headings) - 1 if self.heading else -1)
        self.parts, self.is_bullet, self.joined_sub = [], False, False

    def set_heading(self, text: str, level: int = 1) -> None:
        self.close()
        self.heading = " ".join(text.split())
        self.headings.append(level)

    def finish(self) -> list[Point]:
        """The points, with a document title taken out of their context: a top-level first heading (`#`,
        a Word Title or Heading 1, a .txt ALL CAPS line) that comes before any point, with no later
        heading at its level ("CABINET - SOCIAL WORKER RECRUITMENT AND RETENTION", "# Visit to
        Northgate"), names the document or meeting, not a topic of every point under it."""
        self.close()
        levels = self.headings
        title = bool(levels) and levels[0] <= 1 and (not self.under or self.under[0] >= 0) \
            and all(lv > levels[0] for lv in levels[1:])
        if not title:
            return self.points
        return [Point(p.line, "", p.text) if u == 0 else p for p, u in zip(self.points, self.under)]


def table_points(header: list[str], cells: list[str]) -> list[str]:
    """A table row as points: its non-empty cells joined with '; ', each after its column heading when the
    table has one ("Issue: offices; What staff said: …"). A column whose heading speaks for members or
    for what is to be done (OWN_VOICE_HEADING: "What members noted", "Councillors' view", "Action") gives a
    point of its own, so it is neither read as staff's words nor lends them its theme or tone."""
    shared: list[str] = []
    own: list[str] = []
    for index, cell in enumerate(cells):
        heading = header[index].rstrip(":").strip() if index < len(header) else ""
        if cell:
            text = f"{heading}: {cell}" if heading else cell
            (own if OWN_VOICE_HEADING.search(heading) else shared).append(text)
    return (["; ".join(shared)] if shared else []) + own

"""Visit notes (one file per visit) -> the notes DataFrame, one row per point.

Formats and rules (docs/architecture.md has the columns):

Markdown (.md, .markdown)
    YAML front matter between `---` lines: `date` (required, ISO or DD/MM/YYYY), `team` (required),
    `authority` (defaults to the review's), `visitors` (list or "a; b"), `confidential` (true = exempt
    information, never quoted). Without front matter, a leading `Key: value` block is read as for
    .txt. `#` headings (and underlined setext headings) are not points: they give context to the
    points under them (`heading` column) until the next heading. A document's title (a top-level
    first heading before any point, with no other heading at its level) gives no context. Each top-level bullet (`-`, `*`, `+`, `1.`, `1)`) or
    plain paragraph is one point. A bullet runs on over following lines, indented or not, until a
    blank line or the next bullet; a line indented under a bullet after a blank line still belongs
    to it. Nested (indented) sub-bullets are joined to their parent point with "; " (or start a new
    sentence after a full stop). Table rows are points (cells joined with "; ", each after its
    column heading, e.g. "Issue: caseloads; What staff said: …"), except the header row itself
    (the row above the `|---|` rule); a column headed for members or actions ("What members
    noted", "Councillors' view", "Action", "Follow-up") is a point of its own; `>` quote markers, emphasis and link syntax are removed.
Plain text (.txt)
    A leading `Key: value` block gives the metadata (keys below, any case; blank lines and headings
    may sit among them; the first other line ends the block). Paragraphs and bullets (`-`, `*`, `•`,
    `·`, `–`, `1.`) are points, with the same continuation and nesting rules. Headings: a line in
    ALL CAPITALS that starts a paragraph, or a line ending with ':' standing alone (followed by a
    blank line, a bullet or the end of the file).
Word (.docx)
    Paragraphs and list items are points; nested list items (level 2 and below) join their parent.
    Paragraphs styled Heading 1-9 or Title are headings. Each table row is a point (cells joined
    with "; "), except the first row of a table of two or more rows, which holds column headings: each
    cell of the rows below is then written after its heading, and a members' or actions column is a
    point of its own, as for Markdown.
    `line` is the block number: body paragraphs counted from 1 at the top of the
    document, each table row counting as one block. Metadata comes from a leading block of
    `Key: value` paragraphs (Title/Heading paragraphs and empty paragraphs may come before or
    among them). A key missing there is taken from the document properties (File > Info):
    Keywords written as "date: 2025-03-04; team: Riverside Locality Team", then Title as the team.
    The Created property is never used: Word copies it from templates, so it is not the visit date.

Metadata keys (case-insensitive): date (also "visit date", "date of visit"), team ("team visited",
"service"), authority ("council", "local authority"), visitors ("visited by", "members",
"councillors"), confidential ("exempt"; yes/no, true/false, y/n, 1/0).

Every file is read before anything is reported: problems in all files come back together as one
InputError, one Problem per issue naming the file and line. A file with a problem contributes no
rows, so no point is ever silently dropped from an otherwise accepted file.

With ``visit_metadata=False`` (`scrutiny-kit code`, which needs no review) any text file can be coded:
a missing or unreadable date or team is left blank instead of being a problem.
"""
from __future__ import annotations

import datetime as dt
import glob
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from .. import yamlio
from ..dates import format_date, parse_date
from ..errors import InputError, Problem
from .characters import clean
from ..limits import limit, over_limit
from .cells import is_blank
from .office import docx_paragraph_problems, package_problems
from .text import NotTextError, read_text

NOTE_COLUMNS = ["source", "point", "line", "date", "team", "authority", "visitors", "confidential", "heading", "text"]
MARKDOWN_SUFFIXES = (".md", ".markdown")
TEXT_SUFFIXES = (".txt",)
DOCX_SUFFIXES = (".docx",)
NOTE_SUFFIXES = MARKDOWN_SUFFIXES + TEXT_SUFFIXES + DOCX_SUFFIXES

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
_BLANK_BREAK = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")  # ---, ***, ___ (thematic breaks)
_SETEXT = re.compile(r"^\s{0,3}(={2,}|-{2,})\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_ATX = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_MD_BULLET = re.compile(r"^(\s*)(?:[-*+]|\d{1,3}[.)])\s+(?:\[[ xX]\]\s+)?(.*)$")
_TXT_BULLET = re.compile(r"^(\s*)(?:[-*+•·–▪◦]|\d{1,3}[.)])\s+(.*)$")
_TABLE_ROW = re.compile(r"^\s*\|(.*)\|?\s*$")
OWN_VOICE_HEADING = re.compile(
    r"\b(members?'?|councillors?'?|cllrs?|committee|scrutiny|panel|actions?|follow[- ]?ups?|next steps?|"
    r"recommendations?|agreed)\b", re.IGNORECASE)
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
_JUNK_FILES = {"thumbs.db", "desktop.ini"}


@dataclass(frozen=True)
class NoteMeta:
    """The visit a note records."""

    date: dt.date | None  # None only when coding text with no visit metadata (`scrutiny-kit code`)
    team: str
    authority: str
    visitors: tuple[str, ...] = ()
    confidential: bool = False


@dataclass(frozen=True)
class Point:
    """One point of a note: where it starts, the heading above it, and its text."""

    line: int
    heading: str
    text: str


@dataclass
class _Parsed:
    """What a format reader found: raw metadata (value, line) by key, points, and problems."""

    meta: dict[str, tuple[Any, int | None]] = field(default_factory=dict)
    points: list[Point] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    where: str = "at the top of the file"  # where metadata is expected, for messages
    lines: list[str] = field(default_factory=list)  # the file's lines, for hints


# --------------------------------------------------------------------------- public API


def load_visit_notes(files: Iterable[str | Path], *, default_authority: str,
                     visit_metadata: bool = True, folder: Path | None = None) -> pd.DataFrame:
    """Read every visit note into one DataFrame (one row per point, file order then point order).
    ``visit_metadata=False`` reads any text: a missing or unreadable date or team is left blank. With
    ``folder`` (the review's visit notes folder) a note that is a link to a file outside it is refused.

    Raises InputError listing every problem in every file, after reading all of them.
    """
    rows: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for path in expand_note_paths(files):
        if folder is not None and (outside := link_outside(path, folder)):
            problems.append(outside)
            continue
        meta, points, file_problems = _read(path, default_authority, visit_metadata)
        problems += file_problems
        if meta is not None and not file_problems:
            rows += _rows(path, meta, points)
    if problems:
        raise InputError(problems)
    return notes_frame(rows)


OLD_VISIT_YEARS = 10  # a visit this many years before the report is worth a second look


def visit_date_problems(notes: pd.DataFrame, report_date: dt.date,
                        files: Iterable[Path]) -> tuple[list[Problem], list[Problem]]:
    """Visit dates against the report date: (errors for visits after it, warnings for visits more than
    OLD_VISIT_YEARS years before it), one per note, naming its file."""
    paths = {Path(f).name: Path(f) for f in files}
    try:
        oldest = report_date.replace(year=report_date.year - OLD_VISIT_YEARS)
    except ValueError:  # 29 February
        oldest = report_date.replace(year=report_date.year - OLD_VISIT_YEARS, day=28)
    errors: list[Problem] = []
    warnings: list[Problem] = []
    for source, date in notes.drop_duplicates("source")[["source", "date"]].itertuples(index=False):
        where = paths.get(source, source)
        if date > report_date:
            errors.append(Problem(where, f"the visit date {format_date(date)} is after the report date "
                                         f"{format_date(report_date)}: check the date (or the params' report_date)",
                                  field="date"))
        elif date < oldest:
            warnings.append(Problem(where, f"the visit date {format_date(date)} is more than {OLD_VISIT_YEARS} "
                                           f"years before the report date {format_date(report_date)}: check it is "
                                           "not a typing slip", field="date"))
    return errors, warnings


def read_note(path: str | Path, default_authority: str) -> tuple[NoteMeta, list[Point]]:
    """Read one visit note; raise InputError with every problem found in it."""
    meta, points, problems = _read(Path(path), default_authority)
    if problems or meta is None:
        raise InputError(problems)
    return meta, points


def link_outside(path: Path, folder: Path) -> Problem | None:
    """A note reached through a link (the file or a folder on the way) whose target is outside `folder`: its
    text is not the review's to publish (a link to a system file or to another review's confidential notes)."""
    target = Path(path).resolve()
    if target.is_relative_to(Path(folder).resolve()):
        return None
    return Problem(path, f"this note is a link to {target}, outside the review's visit notes folder "
                         f"({folder}): copy the file into the folder instead of linking to it")


def expand_note_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Folders -> their files (sorted), globs -> matching files (sorted), files as given.

    Hidden files and Word lock files (~$...) are skipped; a path that matches nothing is kept so
    that reading it reports "file not found" rather than silently ignoring it.
    """
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = _visible(path.iterdir())
        elif not path.exists() and glob.has_magic(str(raw)):
            found = _visible(Path(p) for p in glob.glob(str(raw), recursive=True)) or [path]
        else:
            found = [path]
        out += [p for p in found if p not in out]
    return out


def _visible(paths: Iterable[Path]) -> list[Path]:
    """Files only, sorted by name, without hidden files, Word lock files and Windows junk."""
    return sorted(
        p for p in paths
        if p.is_file() and not p.name.startswith((".", "~$")) and p.name.lower() not in _JUNK_FILES
    )


def notes_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows -> the notes DataFrame with the contract's columns and dtypes (also when empty)."""
    frame = pd.DataFrame(rows, columns=NOTE_COLUMNS)
    return frame.astype({"point": "int64", "line": "int64", "confidential": "bool"})


# --------------------------------------------------------------------------- one file


def _read(path: Path, default_authority: str,
          visit_metadata: bool = True) -> tuple[NoteMeta | None, list[Point], list[Problem]]:
    """Parse one file in its format and validate its metadata; never raises for bad input."""
    suffix = path.suffix.lower()
    if not path.is_file():
        return None, [], [Problem(path, "file not found")]
    if suffix not in NOTE_SUFFIXES:
        return None, [], [Problem(path, _unsupported(suffix))]
    try:
        if suffix in DOCX_SUFFIXES:
            parsed = _parse_docx(path)
        else:
            if (size := path.stat().st_size) > limit("note_bytes"):
                return None, [], [Problem(path, "this note cannot be read: " + over_limit("note_bytes", f"{size:,} bytes")
                                          + "; or split it into one file per visit")]
            text = read_text(path)
            parsed = _parse_markdown(path, text) if suffix in MARKDOWN_SUFFIXES else _parse_plain(path, text)
    except NotTextError as exc:
        return None, [], [Problem(path, str(exc))]
    except OSError as exc:
        return None, [], [Problem(path, f"could not be read: {exc.strerror or exc}")]
    if parsed.problems:  # the file could not be read as a note: missing keys would only add noise
        return None, [], parsed.problems
    if suffix in DOCX_SUFFIXES and (size := sum(len(p.text) for p in parsed.points)) > limit("note_bytes"):
        return None, [], [Problem(path, "this note cannot be read: " + over_limit("note_bytes", f"{size:,} characters")
                                        + "; or split it into one file per visit")]
    if len(parsed.points) > limit("note_points"):  # every point is coded, tabled and may be listed in the report
        return None, [], [Problem(path, "this note cannot be read: " + over_limit("note_points", f"{len(parsed.points):,} "
                                        "points") + "; or split it into one file per visit")]
    if not parsed.meta and not any(line.strip() for line in parsed.lines):
        return None, [], [Problem(path, "the file is empty: a visit note needs a date, a team and at least one point")]
    meta, problems = _build_meta(path, parsed, default_authority, visit_metadata)
    if not parsed.points:
        problems.append(Problem(path, "no points found: write each point as a bullet or a paragraph under the metadata"))
    return meta, parsed.points, problems


def _unsupported(suffix: str) -> str:
    shown = suffix or "(no extension)"
    hint = " (open it in Word and save it as .docx)" if suffix in (".doc", ".rtf", ".odt") else ""
    return (
        f"unsupported file type '{shown}': visit notes must be Markdown (.md), Word (.docx) "
        f"or plain text (.txt){hint}"
    )


def _rows(path: Path, meta: NoteMeta, points: list[Point]) -> list[dict[str, Any]]:
    return [
        {
            "source": path.name, "point": number, "line": p.line, "date": meta.date, "team": meta.team,
            "authority": meta.authority, "visitors": "; ".join(meta.visitors),
            "confidential": meta.confidential, "heading": p.heading, "text": p.text,
        }
        for number, p in enumerate(points, start=1)
    ]


# --------------------------------------------------------------------------- metadata


def _build_meta(path: Path, parsed: _Parsed, default_authority: str,
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
        if m and KEY_ALIASES.get(_norm_key(m[1])) == key and m[2]:
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


def _norm_key(key: str) -> str:
    return " ".join(key.replace("_", " ").lower().split())


def _key_value(line: str) -> tuple[str, str] | None:
    """'Date: 4/3/2025' -> ('date', '4/3/2025') for a recognised metadata key, else None."""
    m = _KEY_LINE.match(line)
    if not m:
        return None
    key = KEY_ALIASES.get(_norm_key(m[1]))
    return (key, m[2]) if key else None


def _add_meta(parsed: _Parsed, key: str, value: Any, line: int | None) -> None:
    if key == "visitors" and key in parsed.meta and not is_blank(value):
        old = parsed.meta[key][0]
        value = [*(_visitors(old)), *(_visitors(value))]
    parsed.meta[key] = (value, line)


# --------------------------------------------------------------------------- markdown and text


def _parse_markdown(path: Path, text: str) -> _Parsed:
    """Front matter (or a Key: value block) then the body as points under headings."""
    lines = text.split("\n")
    parsed = _Parsed(lines=lines, where="to the front matter")
    start = _front_matter(path, lines, parsed)
    skip: set[int] = set()
    if start is None:
        parsed.where = "to the front matter (between '---' lines at the top)"
        start, skip = 0, _key_block(lines, parsed, _md_heading)
    parsed.points = _points(lines, start, _MARKDOWN, skip)
    return parsed


def _parse_plain(path: Path, text: str) -> _Parsed:
    """A leading Key: value block then the body as points under headings."""
    lines = text.split("\n")
    parsed = _Parsed(lines=lines, where="in the block of 'Key: value' lines at the top of the file")
    skip = _key_block(lines, parsed, _txt_heading_line)
    parsed.points = _points(lines, 0, _PLAIN, skip)
    return parsed


def _front_matter(path: Path, lines: list[str], parsed: _Parsed) -> int | None:
    """Read YAML front matter into parsed.meta; return the index of the first body line, or None."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or lines[first].strip() != "---":
        return None
    end = next((i for i in range(first + 1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        parsed.problems.append(Problem(path, "front matter starts with '---' but has no closing '---' line",
                                       line=first + 1))
        return len(lines)
    block = "\n".join(lines[first + 1 : end])
    try:
        data = yamlio.load(block) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        # libyaml may point just past the last line of the block; keep the line inside the front matter
        line = min(first + 2 + mark.line, end) if mark is not None else first + 1
        reason = getattr(exc, "problem", None) or "not valid YAML"
        parsed.problems.append(Problem(path, f"front matter is not valid YAML ({reason})", line=line))
        return end + 1
    if not isinstance(data, dict):
        parsed.problems.append(Problem(path, "front matter must be 'key: value' lines", line=first + 2))
        return end + 1
    key_lines = yamlio.key_lines(block)
    for raw_key, value in data.items():
        key = KEY_ALIASES.get(_norm_key(str(raw_key)))
        if key:
            line = key_lines.get(str(raw_key))
            _add_meta(parsed, key, value, first + 1 + line if line else None)
    return end + 1


def _key_block(lines: list[str], parsed: _Parsed, is_heading: Callable[[str], bool]) -> set[int]:
    """Read the leading run of 'Key: value' lines into parsed.meta; return their line indices.

    Blank and heading lines may sit before or among them (headings stay in the body, so a title
    still gives context); an indented line straight after a key continues its value.
    """
    consumed: set[int] = set()
    last_key: str | None = None
    for i, line in enumerate(lines):
        kv = _key_value(line)
        if kv:
            _add_meta(parsed, kv[0], kv[1], i + 1)
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


_MARKDOWN = _Dialect(bullet=_MD_BULLET, markdown=True)
_PLAIN = _Dialect(bullet=_TXT_BULLET, markdown=False)


def _md_heading(line: str) -> bool:
    return bool(_ATX.match(line))


def _txt_heading_line(line: str) -> bool:
    """ALL CAPS line (at least two letters, no lower case) or a short line ending with ':'."""
    text = line.strip()
    letters = [c for c in text if c.isalpha()]
    caps = len(letters) >= 2 and not any(c.islower() for c in letters)
    return bool(text) and (caps or (text.endswith(":") and len(text) <= 80))


class _Builder:
    """Accumulates lines into points, tracking the current heading and list indentation."""

    def __init__(self) -> None:
        self.heading = ""
        self.points: list[Point] = []
        self.parts: list[str] = []
        self.line = 0
        self.is_bullet = False
        self.list_indent = 0
        self.after_blank = False
        self.table_header: list[str] = []  # the current Markdown table's column headings
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


def _points(lines: list[str], start: int, dialect: _Dialect, skip: set[int]) -> list[Point]:
    """Split body lines into points (see the module docstring for the rules)."""
    b = _Builder()
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


def _take_line(b: _Builder, dialect: _Dialect, number: int, raw: str, following: str) -> None:
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


def _plain_heading(b: _Builder, raw: str, following: str, dialect: _Dialect) -> bool:
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


# --------------------------------------------------------------------------- Word


def _parse_docx(path: Path) -> _Parsed:
    """Paragraphs, list items and table rows of a .docx, with the metadata block and properties."""
    parsed = _Parsed(where="in a 'Key: value' paragraph at the top of the document")
    refused = package_problems(path, "Word document") or docx_paragraph_problems(path)
    if refused:
        parsed.problems += refused
        return parsed
    try:
        import docx  # python-docx

        document = docx.Document(str(path))
        blocks = list(_docx_blocks(document))
    except Exception as exc:  # python-docx raises many types for damaged or non-Word files
        parsed.problems.append(Problem(path, f"could not be opened as a Word document: {_docx_reason(exc)}"))
        return parsed
    parsed.lines = [text for _, text, _, _ in blocks]
    skip = _docx_key_block(blocks, parsed)
    _docx_properties(document, parsed)
    b = _Builder()
    for index, (number, text, kind, level) in enumerate(blocks):
        if index in skip or not text.strip():
            b.close()
        elif kind == "heading":
            b.set_heading(text, level)
        elif kind == "list" and level > 0 and b.open and b.is_bullet:
            b.add(text, sub=True)
        else:
            b.start(number, text, bullet=kind == "list")
            if kind != "list":
                b.close()
    parsed.points = b.finish()
    return parsed


def _docx_reason(exc: Exception) -> str:
    import zipfile

    from docx.opc.exceptions import PackageNotFoundError

    if isinstance(exc, PackageNotFoundError | zipfile.BadZipFile | KeyError):
        return "it is not a .docx file (an old .doc renamed, a damaged file or a password-protected one?); save it from Word as .docx"
    detail = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
    return f"{detail}; save it again from Word as .docx"


def _docx_blocks(document: Any) -> Iterator[tuple[int, str, str, int]]:
    """(block number, text, kind, list level) for each paragraph and table row in body order."""
    from docx.table import Table

    number = 0
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            rows = [_row_cells(row) for row in item.rows]
            header = rows[0] if len(rows) > 1 else []  # a table's first row holds its column headings
            for index, cells in enumerate(rows):
                number += 1
                if index > 0 or not header:
                    for text in table_points(header, cells):
                        yield number, text, "row", 0
            continue
        number += 1
        yield number, clean(item.text), *_paragraph_kind(item)


def _row_cells(row: Any) -> list[str]:
    cells: list[str] = []
    seen: set[int] = set()
    for cell in row.cells:  # merged cells are returned once per grid column
        if id(cell._tc) in seen:
            continue
        seen.add(id(cell._tc))
        cells.append(" ".join(clean(cell.text).split()))
    return cells


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


def _paragraph_kind(paragraph: Any) -> tuple[str, int]:
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    lowered = style.lower()
    if lowered == "title":
        return "heading", 0
    if lowered.startswith("heading"):
        level = re.search(r"(\d+)$", style)
        return "heading", int(level[1]) if level else 1
    ppr = paragraph._p.pPr
    num = ppr.numPr if ppr is not None else None
    if num is not None or lowered.startswith("list"):
        level = num.ilvl.val if num is not None and num.ilvl is not None else 0
        m = re.search(r"(\d+)$", style)
        if num is None and m:
            level = int(m[1]) - 1
        return "list", int(level)
    return "paragraph", 0


def _docx_key_block(blocks: list[tuple[int, str, str, int]], parsed: _Parsed) -> set[int]:
    """Read leading 'Key: value' paragraphs (soft line breaks allowed); return their indices.

    Empty and heading paragraphs may sit before or among them; headings stay in the body.
    """
    consumed: set[int] = set()
    for index, (number, text, kind, _) in enumerate(blocks):
        if not text.strip() or kind == "heading":
            continue
        pairs = [_key_value(line) for line in text.split("\n") if line.strip()]
        if kind == "row" or not all(pairs):
            break
        for key, value in pairs:  # type: ignore[misc]
            _add_meta(parsed, key, value, number)
        consumed.add(index)
    return consumed


def _docx_properties(document: Any, parsed: _Parsed) -> None:
    """Fill keys missing from the block from Keywords ('date: ...; team: ...') then Title."""
    props = document.core_properties
    for item in re.split(r"[;\n]", clean(props.keywords or "")):
        kv = _key_value(item)
        if kv and kv[0] not in parsed.meta:
            _add_meta(parsed, kv[0], kv[1], None)
    if "team" not in parsed.meta and clean(props.title or "").strip():
        _add_meta(parsed, "team", clean(props.title).strip(), None)

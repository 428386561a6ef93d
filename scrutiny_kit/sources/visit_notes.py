"""Visit notes (one file per visit) -> the notes DataFrame, one row per point.

Formats and rules (docs/architecture.md has the columns):

Markdown (.md, .markdown)
    YAML front matter between `---` lines: `date` (required, ISO or DD/MM/YYYY), `team` (required),
    `authority` (defaults to the review's), `visitors` (list or "a; b"), `confidential` (true = exempt
    information, never quoted). Without front matter, a leading `Key: value` block is read as for
    .txt. The body is read from markdown-it-py's tokens (CommonMark with GitHub tables), so what a
    Markdown preview shows as a heading, list item, table row or paragraph is what is read. Headings
    (`#` and underlined) are not points: they give context to the points under them (`heading`
    column) until the next heading. A document's title (a top-level first heading before any point,
    with no other heading at its level) gives no context. Each top-level list item (`-`, `*`, `+`,
    `1.`, `1)`, with any `[ ]` task box removed) or paragraph is one point, its later paragraphs
    included; sub-lists are joined to their parent point with "; " (or start a new sentence after a
    full stop). Table rows are points (cells joined with "; ", each after its column heading, e.g.
    "Issue: caseloads; What staff said: …"), never the header row; a column headed for members or
    actions ("What members noted", "Councillors' view", "Action", "Follow-up") is a point of its own.
    Emphasis, link, code and quote marks are removed; HTML comments are dropped. So that no point is
    lost to a formatting slip, four readings go beyond CommonMark: a list indented more than the list
    item above it is its sub-list; an underlined "heading" of several lines, or ending
    in . ! or ?, is a point above a rule; code blocks (indented or fenced) are read as Markdown;
    `| … |` lines with no header rule are table rows; and a line with words that no Markdown token
    reads (nested past 20 levels, a link definition) is a point of its own where it stands. A heading
    inside a list item is the item's text, a header-only table is a point, and cells past a table's
    header columns are kept.
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
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from ..dates import format_date
from ..errors import InputError, Problem
from ..limits import limit, over_limit
from .docx_notes import parse_docx
from .markdown_notes import parse_markdown
from .note_meta import NoteMeta, build_meta
from .note_points import OWN_VOICE_HEADING, Point, table_points
from .text import NotTextError, read_text
from .text_notes import parse_plain

__all__ = ["NOTE_COLUMNS", "NOTE_SUFFIXES", "OWN_VOICE_HEADING", "NoteMeta", "Point", "expand_note_paths",
           "link_outside", "load_visit_notes", "notes_frame", "read_note", "table_points", "visit_date_problems"]

NOTE_COLUMNS = ["source", "point", "line", "date", "team", "authority", "visitors", "confidential", "heading", "text"]
MARKDOWN_SUFFIXES = (".md", ".markdown")
TEXT_SUFFIXES = (".txt",)
DOCX_SUFFIXES = (".docx",)
NOTE_SUFFIXES = MARKDOWN_SUFFIXES + TEXT_SUFFIXES + DOCX_SUFFIXES

_JUNK_FILES = {"thumbs.db", "desktop.ini"}


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
            parsed = parse_docx(path)
        else:
            if (size := path.stat().st_size) > limit("note_bytes"):
                return None, [], [Problem(path, "this note cannot be read: " + over_limit("note_bytes", f"{size:,} bytes")
                                          + "; or split it into one file per visit")]
            text = read_text(path)
            parsed = parse_markdown(path, text) if suffix in MARKDOWN_SUFFIXES else parse_plain(path, text)
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
    meta, problems = build_meta(path, parsed, default_authority, visit_metadata)
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

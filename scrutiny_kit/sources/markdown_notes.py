"""A Markdown visit note: YAML front matter (or a `Key: value` block) and the body, read line by line."""
from __future__ import annotations

from pathlib import Path

import yaml

from .. import yamlio
from ..errors import Problem
from .note_meta import KEY_ALIASES, ParsedNote, add_meta, norm_key
from .text_notes import MARKDOWN, body_points, key_block, md_heading


def parse_markdown(path: Path, text: str) -> ParsedNote:
    """Front matter (or a Key: value block) then the body as points under headings."""
    lines = text.split("\n")
    parsed = ParsedNote(lines=lines, where="to the front matter")
    start = _front_matter(path, lines, parsed)
    skip: set[int] = set()
    if start is None:
        parsed.where = "to the front matter (between '---' lines at the top)"
        start, skip = 0, key_block(lines, parsed, md_heading)
    parsed.points = body_points(lines, start, MARKDOWN, skip)
    return parsed


def _front_matter(path: Path, lines: list[str], parsed: ParsedNote) -> int | None:
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
        key = KEY_ALIASES.get(norm_key(str(raw_key)))
        if key:
            line = key_lines.get(str(raw_key))
            add_meta(parsed, key, value, first + 1 + line if line else None)
    return end + 1

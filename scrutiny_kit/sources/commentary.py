"""Read the officers' commentary: a Markdown file split into sections by its headings.

Sections are headed by a theme id or label (`## caseload_workload`, `## Caseloads and workload`) or by
`Introduction` / `Conclusion`, matched case-insensitively. The section headings are the file's top
heading level (usually `##`); deeper headings stay inside their section. The text under each heading is
kept verbatim (it is rendered later, from Markdown with raw HTML disabled, then sanitised).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..errors import InputError, Problem
from .text import NotTextError, read_text

INTRODUCTION = "introduction"
CONCLUSION = "conclusion"
_FIXED = {"introduction": INTRODUCTION, "intro": INTRODUCTION, "conclusion": CONCLUSION,
          "conclusions": CONCLUSION}
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_NUMBERING = re.compile(r"^\d+(?:\.\d+)*\.?\s+")


def _key(text: str) -> str:
    """'2.1 Caseloads & Workload' / 'caseload-workload' -> comparable words."""
    text = _NUMBERING.sub("", text.strip()).casefold().replace("&", " and ")
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def section_names(theme_ids: Iterable[str] | Mapping[str, str],
                  labels: Mapping[str, str] | None = None) -> dict[str, str]:
    """{heading key: section id} for Introduction, Conclusion, each theme id and each theme label."""
    labels = dict(labels or {})
    if isinstance(theme_ids, Mapping):
        labels = {**dict(theme_ids), **labels}
    names = dict(_FIXED)
    for theme in theme_ids:
        names[_key(theme)] = theme
    for theme, label in labels.items():
        names.setdefault(_key(label), theme)
    return names


def _headings(lines: list[str]) -> list[tuple[int, int, str]]:
    """(line index, level, text) of ATX headings outside fenced code blocks."""
    found: list[tuple[int, int, str]] = []
    fence: str | None = None
    for i, line in enumerate(lines):
        if m := _FENCE.match(line):
            marker = m[1][0]
            fence = None if fence == marker else (fence or marker)
            continue
        if fence is None and (m := _HEADING.match(line)):
            found.append((i, len(m[1]), (m[2] or "").strip()))
    return found


def split_sections(text: str) -> tuple[list[tuple[int, str, str]], list[int]]:
    """([(heading line number, heading text, body markdown)], line numbers of text before the first heading)."""
    lines = text.split("\n")
    headings = _headings(lines)
    if not headings:
        return [], [i + 1 for i, line in enumerate(lines) if line.strip()][:1]
    top = min(level for _, level, _ in headings)
    starts = [(i, title) for i, level, title in headings if level == top]
    sections = []
    for n, (i, title) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        sections.append((i + 1, title, "\n".join(lines[i + 1:end]).strip("\n")))
    before = [i + 1 for i, line in enumerate(lines[:starts[0][0]]) if line.strip()][:1]
    return sections, before


def parse_commentary(text: str, *, theme_ids: Iterable[str] | Mapping[str, str], source: str | Path = "commentary",
                     labels: Mapping[str, str] | None = None) -> dict[str, str]:
    """{section id: markdown} from commentary text; InputError naming each bad heading's line."""
    names = section_names(theme_ids, labels)
    valid = "Introduction, Conclusion or a theme id: " + ", ".join(sorted(set(theme_ids)))
    sections, before = split_sections(text)
    problems: list[Problem] = [
        Problem(source, f"text before the first section heading: put it under '## Introduction' ({valid})", line=n)
        for n in before
    ]
    found: dict[str, str] = {}
    first_line: dict[str, int] = {}
    for line, title, body in sections:
        section = names.get(_key(title))
        if section is None:
            problems.append(Problem(source, f"unknown section heading: use {valid}", line=line, value=title))
        elif section in found:
            problems.append(Problem(source, f"section '{title}' appears twice (first at line {first_line[section]}): "
                                            "merge them", line=line))
        else:
            found[section], first_line[section] = body, line
    if problems:
        raise InputError(problems)
    return {section: body for section, body in found.items() if body.strip()}


def load_commentary(path: str | Path, *, theme_ids: Iterable[str] | Mapping[str, str],
                    labels: Mapping[str, str] | None = None) -> dict[str, str]:
    """Read a commentary Markdown file into {section id: markdown} ('introduction', 'conclusion', theme ids).

    `theme_ids` is the set of valid ids (or a mapping id -> label); `labels` lets headings use theme labels."""
    path = Path(path)
    try:
        text = read_text(path)
    except FileNotFoundError:
        raise InputError(Problem(path, "commentary file not found")) from None
    except NotTextError as exc:
        raise InputError(Problem(path, str(exc))) from None
    return parse_commentary(text, theme_ids=theme_ids, source=path, labels=labels)

"""YAML in and out through libyaml's C parser when PyYAML was built with it (ten times faster on the
codebook, which every run reads twice), with one way of naming the line of a syntax error."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import Problem

SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SafeDumper: type = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class TextDatesLoader(SafeLoader):  # type: ignore[misc,valid-type]
    """Safe YAML that leaves dates as text: `dates.parse_date` then reports an impossible one (2025-02-30)
    in words, where PyYAML's own date constructor would raise a bare ValueError."""


TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in SafeLoader.yaml_implicit_resolvers.items()
}


def load(text: str) -> Any:
    """Parse one YAML document safely (no Python objects; dates stay text)."""
    return yaml.load(text, Loader=TextDatesLoader)  # noqa: S506 - a safe loader


def compose(text: str) -> Any:
    """The node tree of one document, for finding the line an item starts on."""
    return yaml.compose(text, Loader=TextDatesLoader)


def dump(data: Any) -> str:
    """Readable block YAML in the order given, non-ASCII kept as is."""
    return yaml.dump(data, Dumper=SafeDumper, sort_keys=False, allow_unicode=True, width=100)


def syntax_problem(path: Path, exc: yaml.YAMLError, what: str) -> Problem:
    """An officer's message for a YAML syntax error: what was not valid, and on which line."""
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    return Problem(path, f"{what} is not valid YAML: {getattr(exc, 'problem', None) or exc}", line=line)

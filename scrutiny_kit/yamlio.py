"""YAML in and out through libyaml's C parser when PyYAML was built with it (ten times faster on the
codebook, which every run reads twice), with one way of naming the line of a syntax error."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .characters import clean_data
from .errors import InputError, Problem

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
    """Parse one YAML document safely (no Python objects; dates stay text). Control and format characters
    written as escapes ("\\e", "\\u202e") are removed from its strings (see characters.clean)."""
    return clean_data(yaml.load(text, Loader=TextDatesLoader))  # noqa: S506 - a safe loader


def compose(text: str) -> Any:
    """The node tree of one document, for finding the line an item starts on."""
    return yaml.compose(text, Loader=TextDatesLoader)


def key_lines(text: str) -> dict[str, int]:
    """The 1-based line of every key and list item, by dotted path ('targets.caseload_avg', 'redact.0'),
    so a problem with a value can name its line. Empty if the text is not valid YAML."""
    try:
        root = compose(text)
    except yaml.YAMLError:
        return {}
    lines: dict[str, int] = {}

    def walk(node: Any, prefix: str) -> None:
        if isinstance(node, yaml.MappingNode):
            children = [(str(key.value), key, value) for key, value in node.value]
        elif isinstance(node, yaml.SequenceNode):
            children = [(str(i), item, item) for i, item in enumerate(node.value)]
        else:
            return
        for name, marked, value in children:
            lines.setdefault(prefix + name, marked.start_mark.line + 1)
            walk(value, f"{prefix}{name}.")

    walk(root, "")
    return lines


def dump(data: Any) -> str:
    """Readable block YAML in the order given, non-ASCII kept as is."""
    return yaml.dump(data, Dumper=SafeDumper, sort_keys=False, allow_unicode=True, width=100)


def syntax_problem(path: Path, exc: yaml.YAMLError, what: str) -> Problem:
    """An officer's message for a YAML syntax error: what was not valid, and on which line."""
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    return Problem(path, f"{what} is not valid YAML: {getattr(exc, 'problem', None) or exc}", line=line)


def read_file(path: Path, what: str) -> tuple[Any, dict[str, int]]:
    """A YAML file's data and the line of each key (key_lines): the one way params and codebooks are read.
    Raises InputError naming the file (and a syntax error's line) when it is not UTF-8 YAML."""
    try:
        text = path.read_text(encoding="utf-8-sig")
        return load(text), key_lines(text)
    except yaml.YAMLError as exc:
        raise InputError(syntax_problem(path, exc, what)) from None
    except UnicodeDecodeError:
        raise InputError(Problem(path, f"{what} is not UTF-8 text: save it as UTF-8 in your editor")) from None

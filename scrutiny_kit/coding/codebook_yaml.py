"""Codebook files read into a Codebook: 'default' or a path, `extends` chains merged onto their base, and every
problem named by file, line and field (the file format is described in codebook.py)."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .. import resources, yamlio
from ..errors import InputError, Problem
from .codebook_model import TONE_LISTS, Codebook, Theme, ToneCues, phrase_list
from .phrases import is_regex, regex_body

DEFAULT_CODEBOOK = resources.DEFAULT_CODEBOOK
_TOP_KEYS = {"themes", "tone", "extends", "name", "description", "version"}


def resolve_spec(spec: str | Path, *, relative_to: Path | None = None) -> Path:
    """'default' -> the built-in codebook; otherwise a path (relative to `relative_to` if given)."""
    if str(spec).strip().lower() == "default":
        return DEFAULT_CODEBOOK
    path = Path(str(spec)).expanduser()
    if relative_to is not None and not path.is_absolute():
        path = relative_to / path
    return path


def load_codebook(spec: str | Path = "default") -> Codebook:
    """Read and validate a codebook ("default" or a path); InputError lists every problem."""
    path = resolve_spec(spec)
    data, problems = _merged(path, chain=())
    if problems:
        raise InputError(problems)
    themes = data["themes"]
    problems = _check_parents(path, themes, data["lines"]) + _check_regexes(path, themes, data["tone"], data["lines"])
    if problems:
        raise InputError(problems)
    return Codebook(themes=themes, tone=data["tone"], source=str(path))


def _merged(path: Path, chain: tuple[Path, ...]) -> tuple[dict[str, Any], list[Problem]]:
    """Read one file and, if it extends another, merge it onto the base."""
    raw, key_lines, problems = _read_yaml(path, chain)
    if problems:
        return {}, problems
    base: dict[str, Any] = {"themes": [], "tone": ToneCues(), "lines": {}}
    if raw.get("extends") is not None:
        if not isinstance(raw["extends"], str):
            return {}, [Problem(path, "'extends' must be 'default' or the path of another codebook", field="extends")]
        base_path = resolve_spec(raw["extends"], relative_to=path.parent)
        base, problems = _merged(base_path, chain + (path,))
        if problems:
            return {}, problems
    themes, tone, lines, problems = _parse(path, raw, key_lines, base)
    return {"themes": themes, "tone": tone, "lines": lines}, problems


def _read_yaml(path: Path, chain: tuple[Path, ...]) -> tuple[dict[str, Any], dict[str, int], list[Problem]]:
    """One codebook file's mapping and key lines, or the problems that stop it being read."""
    if path.resolve() in {p.resolve() for p in chain}:
        return {}, {}, [Problem(chain[-1], f"'extends' goes round in a circle back to {path}", field="extends")]
    if not path.is_file():
        where = f" (named by 'extends' in {chain[-1]})" if chain else ""
        return {}, {}, [Problem(path, f"codebook file not found{where}; use 'default' for the built-in codebook")]
    try:
        raw, lines = yamlio.read_file(path, "codebook")
    except InputError as exc:
        return {}, {}, exc.problems
    except OSError as exc:
        return {}, {}, [Problem(path, f"codebook could not be read ({exc.strerror or exc})")]
    if not isinstance(raw, dict):
        return {}, {}, [Problem(path, "a codebook must be a mapping with a 'themes:' list")]
    unknown = sorted(set(map(str, raw)) - _TOP_KEYS)
    if unknown:
        return {}, {}, [Problem(path, f"unknown key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(_TOP_KEYS))})")]
    return raw, lines, []


def _parse(
    path: Path, raw: dict[str, Any], key_lines: dict[str, int], base: dict[str, Any]
) -> tuple[list[Theme], ToneCues, dict[str, tuple[Path, int | None]], list[Problem]]:
    """Validate this file's themes and tone and merge them onto the base codebook."""
    problems: list[Problem] = []
    items = raw.get("themes")
    if items is None and raw.get("extends") is None:
        return [], ToneCues(), {}, [Problem(path, "the codebook has no 'themes:' list")]
    if items is not None and not isinstance(items, list):
        return [], ToneCues(), {}, [Problem(path, "'themes' must be a list of themes (each starting '- id: ...')")]
    themes: dict[str, Theme] = {t.id: t for t in base["themes"]}
    lines: dict[str, tuple[Path, int | None]] = dict(base["lines"])
    seen: set[str] = set()
    for position, item in enumerate(items or [], start=1):
        theme_id = str(item.get("id", "")) if isinstance(item, dict) else ""
        line = _id_line(items, key_lines, theme_id)
        name = f"theme '{theme_id}'" if theme_id else f"theme {position} (no id)"
        if not isinstance(item, dict):
            problems.append(Problem(path, f"{name}: must be a mapping of id, label, definition and phrases"))
            continue
        if theme_id in seen:
            problems.append(Problem(path, f"{name}: the id is used twice in this file", line=line, field="id"))
            continue
        seen.add(theme_id)
        merged = _merge_theme(themes.get(theme_id), item)
        try:
            theme = Theme.model_validate(merged)
        except ValidationError as exc:
            problems += [_theme_problem(path, name, line, err) for err in exc.errors()]
            continue
        if not theme.phrases and not theme.ambiguous:
            problems.append(Problem(path, f"{name}: has no phrases, so it can never match", line=line, field="phrases"))
        themes[theme.id] = theme
        lines[theme.id] = (path, line)
    tone = base["tone"]
    if raw.get("tone") is not None:
        tone, tone_problems = _merge_tone(path, tone, raw["tone"])
        problems += tone_problems
    return list(themes.values()), tone, lines, problems


def _merge_theme(base: Theme | None, item: dict[str, Any]) -> dict[str, Any]:
    """A theme from an extending file: new, or adding phrases/exclusions/measures to the base one."""
    if base is None:
        return dict(item)
    merged = base.model_dump()
    for key, value in item.items():
        if key in ("phrases", "ambiguous", "exclude", "measures"):
            try:
                extra = phrase_list(value) if key != "measures" else list(value or [])
            except (ValueError, TypeError):
                return {**merged, key: value}  # let validation report it
            merged[key] = merged[key] + [v for v in extra if v not in merged[key]]
        else:
            merged[key] = value
    return merged


def _merge_tone(path: Path, base: ToneCues, raw: Any) -> tuple[ToneCues, list[Problem]]:
    if not isinstance(raw, dict):
        return base, [Problem(path, f"'tone' must be a mapping of the lists {', '.join(TONE_LISTS)}", field="tone")]
    try:
        extra = ToneCues.model_validate(raw)
    except ValidationError as exc:
        return base, [_theme_problem(path, "tone", None, err) for err in exc.errors()]
    merged = {k: getattr(base, k) + [p for p in getattr(extra, k) if p not in getattr(base, k)] for k in TONE_LISTS}
    return ToneCues(**merged), []


def _id_line(items: list[Any], key_lines: dict[str, int], theme_id: str) -> int | None:
    """The line of the first theme with this id (yamlio.key_lines), so a repeated id names the first."""
    return next((key_lines.get(f"themes.{i}.id") for i, item in enumerate(items)
                 if theme_id and isinstance(item, dict) and str(item.get("id", "")) == theme_id), None)


def _theme_problem(path: Path, name: str, line: int | None, err: dict[str, Any]) -> Problem:
    loc = ".".join(str(x) for x in err.get("loc", ()) if not isinstance(x, int))
    kind = err.get("type", "")
    if kind == "missing":
        return Problem(path, f"{name}: missing '{loc}'", line=line, field=loc)
    if kind == "extra_forbidden":
        allowed = ", ".join(Theme.model_fields)
        return Problem(path, f"{name}: unknown key '{loc}' (allowed: {allowed})", line=line, field=loc)
    msg = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
    return Problem(path, f"{name}: '{loc}' {msg}", line=line, field=loc or None)


def _check_parents(path: Path, themes: list[Theme], lines: dict[str, tuple[Path, int | None]]) -> list[Problem]:
    """Every parent must be a theme in the codebook, and parents must not form a loop."""
    ids = {t.id for t in themes}
    by_id = {t.id: t for t in themes}
    problems: list[Problem] = []
    for t in themes:
        file, line = lines.get(t.id, (path, None))
        if t.parent is None:
            continue
        if t.parent not in ids:
            problems.append(Problem(file, f"theme '{t.id}': unknown parent '{t.parent}' (themes: {', '.join(sorted(ids))})",
                                    line=line, field="parent"))
            continue
        seen, parent = {t.id}, t.parent
        while parent is not None:
            if parent in seen:
                problems.append(Problem(file, f"theme '{t.id}': parents go round in a circle", line=line, field="parent"))
                break
            seen.add(parent)
            parent = by_id[parent].parent if parent in by_id else None
    return problems


def _check_regexes(
    path: Path, themes: list[Theme], tone: ToneCues, lines: dict[str, tuple[Path, int | None]]
) -> list[Problem]:
    """Every `re:` entry must compile; report the theme, the entry and Python's reason."""
    problems: list[Problem] = []
    groups = [(f"theme '{t.id}'", t.phrases + t.ambiguous + t.exclude, lines.get(t.id, (path, None))) for t in themes]
    groups += [(f"tone cues '{k}'", getattr(tone, k), (path, None)) for k in ("concern", "positive")]
    for name, phrases, (file, line) in groups:
        for phrase in phrases:
            if not is_regex(phrase):
                continue
            body = regex_body(phrase)
            try:
                compiled = re.compile(body, re.IGNORECASE)
            except re.error as exc:
                problems.append(Problem(file, f"{name}: bad regular expression {body!r}: {exc}", line=line))
                continue
            if not body or compiled.match(""):
                problems.append(Problem(file, f"{name}: regular expression {body!r} matches empty text", line=line))
    return problems

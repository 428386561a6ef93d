"""The codebook: the themes a review codes visit-note points into, read from YAML.

A codebook file has `themes:` (each with `id`, `label`, a one-line `definition`, `phrases`,
optional `ambiguous` (phrases that need corroboration), `exclude`, `parent` and `measures`) and
optional `tone:` cue lists (`concern`, `positive`, `neutral`, `negators`, and for trends `worse_when_rising`, `better_when_rising`, `rising`,
`falling`). `load_codebook("default")` reads `scrutiny_kit/codebooks/default.yaml`;
any other spec is a path. A file with `extends: default` (or a path, relative to that file) starts
from that codebook: a theme with a new id is added, a theme with an existing id adds its phrases,
exclusions and measures to the base theme (and replaces its label, definition or parent if given),
and tone cues are added to the base lists. So an analyst adds a theme or a phrase without copying
the default or changing code.

Phrase rules (how `coding/matcher.py` matches them; `phrase_forms` in `coding/phrases.py` expands them):
- Plain phrases match whole words, ignoring case, hyphens and curly apostrophes ("hot desking"
  matches "Hot-desking"). Each word also matches its simple inflections: plural and possessive
  (vacancy -> vacancies, child -> child's), -ed/-ing/-ment (recruit -> recruited, recruiting,
  recruitment) and British/American spellings (organisation <-> organization, behaviour ->
  behavior, centre -> center). Irregular forms (children, left) need their own entry.
- A phrase written in capitals (IT, MASH, ASYE) matches only in capitals, so "IT" is never "it".
- `re: <regular expression>` entries are Python regular expressions, matched ignoring case
  against the cleaned text (hyphens, slashes, brackets and double quotes as spaces).
- `ambiguous` phrases count only with a second phrase of the theme or the heading agreeing
  (coding/themes.py); listing a base phrase as ambiguous in an extending file makes it ambiguous.
- `exclude` phrases hide the theme's phrases they overlap: another sense ("in train").
- `parent`: a point coded to a theme is also coded to its parent (and the parent's parent).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator

from .. import resources, yamlio
from ..errors import InputError, Problem
from .phrases import (MATCH_CHARACTERS, MATCH_TRANSLATION, REGEX_PREFIX, is_acronym, is_regex,  # noqa: F401
                      normalise_phrase, phrase_forms, regex_body, word_forms)

DEFAULT_CODEBOOK = resources.DEFAULT_CODEBOOK
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_TOP_KEYS = {"themes", "tone", "extends", "name", "description", "version"}
T = TypeVar("T")


class Theme(BaseModel):
    """One theme: what it means, the phrases that evidence it and the measures that back it up."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    label: str
    definition: str
    phrases: list[str] = Field(default_factory=list)
    ambiguous: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    parent: str | None = None
    measures: list[str] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not _ID.match(v):
            raise ValueError("must be lower-case letters, digits and underscores, starting with a letter")
        return v

    @field_validator("label", "definition")
    @classmethod
    def _text(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("must not be blank")
        return " ".join(v.split())

    @field_validator("phrases", "ambiguous", "exclude", mode="before")
    @classmethod
    def _phrases(cls, v: Any) -> list[str]:
        return _phrase_list(v)

    @model_validator(mode="before")
    @classmethod
    def _ambiguous_wins(cls, data: Any) -> Any:
        """A phrase listed as ambiguous is ambiguous, even if a base codebook lists it as a strong phrase."""
        if isinstance(data, dict) and data.get("ambiguous") and data.get("phrases"):
            try:
                ambiguous = set(_phrase_list(data["ambiguous"]))
                return {**data, "phrases": [p for p in _phrase_list(data["phrases"]) if p not in ambiguous]}
            except ValueError:
                return data  # the field validators report it
        return data

    @field_validator("measures", mode="before")
    @classmethod
    def _measures(cls, v: Any) -> list[str]:
        items = [] if v is None else [v] if isinstance(v, str) else v
        for m in items:
            if not isinstance(m, str) or not _ID.match(m):
                raise ValueError(f"measure ids are snake_case words such as caseload_avg, not {m!r}")
        return list(items)

    @property
    def regexes(self) -> list[str]:
        """The `re:` entries of `phrases`, without the prefix."""
        return [regex_body(p) for p in self.phrases if is_regex(p)]


TONE_LISTS = ("concern", "positive", "neutral", "negators", "worse_when_rising", "better_when_rising", "rising",
              "falling")
TREND_LISTS = TONE_LISTS[4:]


class ToneCues(BaseModel):
    """Words and phrases that make a point read as a concern or as positive, negators that flip
    them, and trends: a measure said to be rising or falling (see coding/tone.py)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    concern: list[str] = Field(default_factory=list)
    positive: list[str] = Field(default_factory=list)
    neutral: list[str] = Field(default_factory=list)  # look like cues but judge nothing: "improvement plan"
    negators: list[str] = Field(default_factory=list)
    worse_when_rising: list[str] = Field(default_factory=list)  # referrals, caseloads, vacancies ...
    better_when_rising: list[str] = Field(default_factory=list)  # visits on time, permanent staff ...
    rising: list[str] = Field(default_factory=list)  # risen, increased, doubled, rise in ...
    falling: list[str] = Field(default_factory=list)  # fallen, reduced, halved, fall in ...

    @field_validator(*TONE_LISTS, mode="before")
    @classmethod
    def _phrases(cls, v: Any) -> list[str]:
        return _phrase_list(v)

    @field_validator(*TREND_LISTS)
    @classmethod
    def _plain(cls, v: list[str]) -> list[str]:
        if any(is_regex(p) for p in v):
            raise ValueError("trend lists take plain phrases only, not 're:' entries")
        return v


class Codebook(BaseModel):
    """The themes (in reporting order) and tone cues, with the file they came from."""

    model_config = ConfigDict(extra="forbid")

    themes: list[Theme]
    tone: ToneCues = Field(default_factory=ToneCues)
    source: str = ""
    _cache: dict[str, Any] = PrivateAttr(default_factory=dict)

    @property
    def ids(self) -> list[str]:
        return [t.id for t in self.themes]

    def theme(self, theme_id: str) -> Theme:
        """The theme with this id; KeyError naming the known ids if there is none."""
        for t in self.themes:
            if t.id == theme_id:
                return t
        raise KeyError(f"no theme '{theme_id}' in codebook {self.source} (themes: {', '.join(self.ids)})")

    def label(self, theme_id: str) -> str:
        return self.theme(theme_id).label

    def ancestors(self, theme_id: str) -> list[str]:
        """Parent, grandparent, ... of a theme (validated to be acyclic at load)."""
        out: list[str] = []
        parent = self.theme(theme_id).parent
        while parent:
            out.append(parent)
            parent = self.theme(parent).parent
        return out

    def to_yaml(self) -> str:
        """The whole codebook as YAML, with any `extends:` base merged in (e.g. to publish beside a
        report, where the user's own file may hold only its additions). Loads back unchanged."""
        data = {"themes": [t.model_dump() for t in self.themes], "tone": self.tone.model_dump()}
        header = f"# Codebook as used: {Path(self.source).name} merged with any codebook it extends.\n"
        return header + yamlio.dump(data)

    def cached(self, key: str, build: Callable[[], T]) -> T:
        """Memoise something derived from this codebook (e.g. the compiled matcher)."""
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]


# --------------------------------------------------------------------------- phrases (read from YAML)


def _phrase_list(value: Any) -> list[str]:
    """YAML phrase entries -> strings: plain phrases, and {re: ...} mappings as 're: ...'."""
    if value is None:
        return []
    if isinstance(value, str | dict):
        value = [value]
    out: list[str] = []
    for item in value:
        if isinstance(item, dict):
            if set(item) != {"re"} or not isinstance(item["re"], str):
                raise ValueError(f"a phrase must be text or 're: <regular expression>', not {item!r}")
            out.append(f"{REGEX_PREFIX} {item['re'].strip()}")
        elif isinstance(item, str | int | float) and not isinstance(item, bool):
            text = " ".join(str(item).split())
            if not text:
                raise ValueError("phrases must not be blank")
            out.append(text)
        elif isinstance(item, bool):
            raise ValueError(f"a phrase must be text, not {item!r}: put words such as no, yes, on and off in quotes")
        else:
            raise ValueError(f"a phrase must be text, not {item!r}")
    return out


# --------------------------------------------------------------------------- loading


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
    raw, problems = _read_yaml(path, chain)
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
    themes, tone, lines, problems = _parse(path, raw, base)
    return {"themes": themes, "tone": tone, "lines": lines}, problems


def _read_yaml(path: Path, chain: tuple[Path, ...]) -> tuple[dict[str, Any], list[Problem]]:
    if path.resolve() in {p.resolve() for p in chain}:
        return {}, [Problem(chain[-1], f"'extends' goes round in a circle back to {path}", field="extends")]
    if not path.is_file():
        where = f" (named by 'extends' in {chain[-1]})" if chain else ""
        return {}, [Problem(path, f"codebook file not found{where}; use 'default' for the built-in codebook")]
    try:
        raw = yamlio.load(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as exc:
        return {}, [yamlio.syntax_problem(path, exc, "codebook")]
    except (UnicodeDecodeError, OSError) as exc:
        return {}, [Problem(path, f"codebook could not be read as UTF-8 text ({exc})")]
    if not isinstance(raw, dict):
        return {}, [Problem(path, "a codebook must be a mapping with a 'themes:' list")]
    unknown = sorted(set(map(str, raw)) - _TOP_KEYS)
    if unknown:
        return {}, [Problem(path, f"unknown key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(_TOP_KEYS))})")]
    return raw, []


def _parse(
    path: Path, raw: dict[str, Any], base: dict[str, Any]
) -> tuple[list[Theme], ToneCues, dict[str, tuple[Path, int | None]], list[Problem]]:
    """Validate this file's themes and tone and merge them onto the base codebook."""
    problems: list[Problem] = []
    key_lines = yamlio.key_lines(path.read_text(encoding="utf-8-sig"))
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
                extra = _phrase_list(value) if key != "measures" else list(value or [])
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

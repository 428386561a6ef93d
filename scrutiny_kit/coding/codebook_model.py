"""What a codebook is once read: themes and tone cues, the rules each field keeps (pydantic), and the lookups
the coder uses (a theme by id, its ancestors, a memo of what is compiled from it). Reading files: codebook_yaml.py."""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from .. import yamlio
from .phrases import REGEX_PREFIX, is_regex, regex_body

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
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
        return phrase_list(v)

    @model_validator(mode="before")
    @classmethod
    def _ambiguous_wins(cls, data: Any) -> Any:
        """A phrase listed as ambiguous is ambiguous, even if a base codebook lists it as a strong phrase."""
        if isinstance(data, dict) and data.get("ambiguous") and data.get("phrases"):
            try:
                ambiguous = set(phrase_list(data["ambiguous"]))
                return {**data, "phrases": [p for p in phrase_list(data["phrases"]) if p not in ambiguous]}
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
        return phrase_list(v)

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


def phrase_list(value: Any) -> list[str]:
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

"""Find a codebook's phrases in a text, word by word, and say where each was found.

A plain phrase is looked up as a run of whole words: the text is cleaned as the codebook cleans
phrases (phrases.MATCH_TRANSLATION: hyphens and slashes to spaces, curly apostrophes straight),
lower-cased and split into words, and every run of up to the longest phrase's length is looked up
in one dictionary holding every inflected form of every phrase (codebook.phrase_forms). Phrases
in capitals (IT, MASH) match only where the text has them in capitals. `re:` entries are Python
regular expressions run on the same cleaned, lower-cased text (same length, so positions agree).

A phrase found inside a longer phrase of the same family (theme phrases and exclusions; tone
cues; negators; clause words; trend measures and directions) counts only as the longer one: so "agency social workers" is not
also "social workers", an `exclude` phrase such as "in train" or "County Hall" hides the theme
phrase inside it ("train", "hall") without vetoing the theme, and the cue "not enough" is not
also a negated "enough".
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from .phrases import MATCH_CHARACTERS, is_acronym, is_regex, normalise_phrase, phrase_forms, regex_body

FAMILIES = (frozenset({"theme", "ambiguous", "exclude"}), frozenset({"concern", "positive", "neutral"}),
            frozenset({"negator"}), frozenset({"contrast", "concession"}), frozenset({"measure", "rising", "falling"}))
_FAMILY_OF = {kind: number for number, family in enumerate(FAMILIES) for kind in family}
_CLEAN = str.maketrans({**MATCH_CHARACTERS, **dict.fromkeys('()[]{}"', " ")})
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*'?")
_ESCAPED = re.compile(r"\\.")


@dataclass(frozen=True)
class Entry:
    """One codebook phrase and what it means: kind ("theme", "ambiguous", "exclude", "concern", ...)
    and its owner (a theme index, or a measure's polarity for trend words; -1 when none)."""

    phrase: str
    kind: str
    owner: int = -1


class Hit(NamedTuple):
    """An entry found in a text: characters [start, end), the words [first, last) it covers, and
    the text as written there (lower-cased unless the phrase is an acronym). A tuple: texts have
    dozens of hits, and a tuple is made several times faster than a frozen dataclass."""

    entry: Entry
    start: int
    end: int
    first: int
    last: int
    found: str


@dataclass(frozen=True)
class Words:
    """A text cleaned for matching, and its words with their character spans."""

    text: str
    lowered: str
    spans: list[tuple[int, int]]
    words: list[str]

    def word_at(self, char: int) -> int:
        """Index of the first word starting at or after a character position."""
        for i, (start, _) in enumerate(self.spans):
            if start >= char:
                return i
        return len(self.spans)


def split_words(text: str) -> Words:
    """The text cleaned and lower-cased (same length) and split into words; a trailing apostrophe
    (a closing quote or a plural possessive) is not part of the word for lookup."""
    cleaned = text.translate(_CLEAN)
    lowered = cleaned.lower()
    if len(lowered) != len(cleaned):  # a few characters lower-case to two; keep positions aligned
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in cleaned)
    spans, words = [], []
    for m in _WORD.finditer(lowered):
        spans.append(m.span())
        words.append(m.group())
    return Words(text, lowered, spans, words)


class PhraseMatcher:
    """Every plain form of every entry in one dictionary keyed by its words (and the set of their word
    prefixes, so a run of words stops growing as soon as no phrase starts so, and the set of first words, so
    a word no phrase starts with is passed over at once); `re:` entries compiled."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.forms: dict[tuple[str, ...], list[tuple[Entry, bool]]] = {}
        self.regexes: list[tuple[re.Pattern[str], Entry]] = []
        for entry in entries:
            if is_regex(entry.phrase):
                self.regexes.append((_compile(regex_body(entry.phrase)), entry))
                continue
            acronym = is_acronym(entry.phrase)
            for form in phrase_forms(entry.phrase) | {normalise_phrase(entry.phrase)}:
                key = tuple(_lookup_key(w) for w in _WORD.findall(form.lower()))
                if not key:
                    continue
                bucket = self.forms.setdefault(key, [])
                if (entry, acronym) not in bucket:
                    bucket.append((entry, acronym))
        self.prefixes = {key[:size] for key in self.forms for size in range(1, len(key) + 1)}
        self.first_words = {key[0] for key in self.forms}  # most words start no phrase: skip them at once

    def find(self, words: Words) -> list[Hit]:
        """Every entry found in the text, minus those inside a longer hit, in text order."""
        hits: list[Hit] = []
        keys = [_lookup_key(w) for w in words.words]
        n = len(keys)
        for i in range(n):
            if keys[i] not in self.first_words:
                continue
            for size in range(1, n - i + 1):
                run = tuple(keys[i:i + size])
                if run not in self.prefixes:  # no phrase starts with these words: stop lengthening
                    break
                for entry, acronym in self.forms.get(run, ()):
                    start, end = words.spans[i][0], words.spans[i + size - 1][1]
                    if acronym and not _in_capitals(words.text[start:end]):
                        continue
                    found = words.text[start:end] if acronym else words.text[start:end].lower()
                    hits.append(Hit(entry, start, end, i, i + size, found))
        for pattern, entry in self.regexes:
            for m in pattern.finditer(words.lowered):
                start, end = m.span()
                if end > start:
                    first = words.word_at(start)
                    last = max(first + 1, words.word_at(end))
                    hits.append(Hit(entry, start, end, first, last, words.text[start:end].strip().lower()))
        families: list[list[Hit]] = [[] for _ in FAMILIES]
        for hit in hits:
            families[_FAMILY_OF[hit.entry.kind]].append(hit)
        kept = [h for family in families if family for h in _outermost(family)]
        return sorted(kept, key=lambda h: (h.start, -h.end))


def _lookup_key(word: str) -> str:
    """A word as looked up: a trailing apostrophe (closing quote, plural possessive) dropped."""
    return word[:-1] if word.endswith("'") and len(word) > 1 else word


def _outermost(hits: list[Hit]) -> list[Hit]:
    """Drop each hit lying inside a longer hit; hits with the same span all stay."""
    ordered = sorted(hits, key=lambda h: (h.start, -h.end))
    kept: list[Hit] = []
    reach_start, reach_end = -1, -1
    for hit in ordered:
        inside = hit.end <= reach_end and (hit.start > reach_start or hit.end < reach_end)
        if inside:
            continue
        kept.append(hit)
        if hit.end > reach_end:
            reach_start, reach_end = hit.start, hit.end
    return kept


def _in_capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters[:-1]) and (letters[-1].isupper() or text.endswith("s"))


def _compile(body: str) -> re.Pattern[str]:
    """A `re:` entry, run on lower-cased text; ignoring case only when it has capitals of its own."""
    return re.compile(body, re.IGNORECASE if any(c.isupper() for c in _ESCAPED.sub("", body)) else 0)

"""A codebook compiled once into a phrase matcher: reads a text into theme and tone hits."""
from __future__ import annotations

from .codebook import Codebook
from .matcher import Entry, Hit, PhraseMatcher, Words, split_words
from .tone import CONCESSION_WORDS, CONTRAST_WORDS


class Coder:
    """The codebook's themes, exclusions, tone cues and trend words in one matcher."""

    def __init__(self, codebook: Codebook) -> None:
        self.ids = codebook.ids
        self.parents = [[self.ids.index(a) for a in codebook.ancestors(t)] for t in self.ids]
        entries: list[Entry] = []
        for index, theme in enumerate(codebook.themes):
            entries += [Entry(p, "theme", index) for p in theme.phrases]
            entries += [Entry(p, "ambiguous", index) for p in theme.ambiguous]
            entries += [Entry(p, "exclude", index) for p in theme.exclude]
        tone = codebook.tone
        entries += [Entry(p, "concern") for p in tone.concern] + [Entry(p, "positive") for p in tone.positive]
        entries += [Entry(p, "neutral") for p in tone.neutral] + [Entry(p, "negator") for p in tone.negators]
        entries += [Entry(p, "measure", 0) for p in tone.worse_when_rising]
        entries += [Entry(p, "measure", 1) for p in tone.better_when_rising]
        entries += [Entry(p, "rising") for p in tone.rising] + [Entry(p, "falling") for p in tone.falling]
        entries += [Entry(p, "contrast") for p in CONTRAST_WORDS] + [Entry(p, "concession") for p in CONCESSION_WORDS]
        self.matcher = PhraseMatcher(entries)

    def read(self, text: str) -> tuple[Words, list[Hit]]:
        """The text's words and every entry found in it."""
        words = split_words(text if isinstance(text, str) else "")
        return words, self.matcher.find(words)

"""The tone of a point (concern, positive, mixed or neutral), read from its cues in context.

The rule, in order (cue lists live in the codebook's `tone:` section, so analysts can edit them):
  1. Cues. Each concern or positive cue in the point is one vote. A cue that is part of a name in
     Title Case ("the Improvement Board", "Good Practice Panel") is a name, not a judgement, and so
     is a cue inside one of the codebook's `neutral` phrases ("improvement plan", "secret to success").
  2. Negation. A negator ("not", "no longer", "lack of" ...) up to three words before a cue, in the
     same clause, turns it round: "not manageable" is a concern, "no concerns" positive.
  3. Direction. A rising or falling word (or a level: "high", "lower than") with a measure near it
     in the same clause (commas allowed: "rose to 94%, up from 80%") is two votes, judged by which way is good for that measure: "referrals rose"
     and "audit scores fell" are concerns, "agency use has reduced" positive. A direction is what the
     point claims, so it outweighs a single cue describing the measure ("children at risk of
     exploitation fell from 42 to 25" is positive), and the measure words in that clause cast no
     vote of their own ("stress" in "stress-related absence has fallen").
  4. Contrast. Votes in a concession ("although ...", "despite ...", "while ...", up to the next
     punctuation) count only when nothing else does; where the rest disagrees, the votes after the
     last "but", "however" or "now" decide ("X has improved but Y is still difficult" is a concern;
     "recruitment was slow last year and has now accelerated" is positive).
  5. More votes one way decide; concern and positive votes in equal numbers make it `mixed`.
  6. No vote in the point: its heading's cues decide ("## What is working well"); else `neutral`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .matcher import Hit, Words

CONTRAST_WORDS = ("but", "however", "nevertheless", "nonetheless", "on the other hand", "now")
CONCESSION_WORDS = ("although", "though", "even though", "despite", "in spite of", "while", "whilst", "whereas",
                    "notwithstanding")
TREND_WEIGHT = 2
TREND_CHARACTERS = 60  # at most this many characters between a measure and its rising/falling word
_PUNCTUATION = re.compile(r"[,;:.!?]")


@dataclass(frozen=True)
class Vote:
    position: int
    concern: bool
    discounted: bool = False


def tone_of(words: Words, hits: list[Hit]) -> str | None:
    """The point's tone from its tone hits; None when nothing in it carries a tone (rule 6 is the caller's)."""
    cues = list({(h.start, h.end, h.entry.kind): h for h in hits  # one vote per cue, however many entries match it
                 if h.entry.kind in ("concern", "positive") and not _is_name(words, h)}.values())
    negators = [h for h in hits if h.entry.kind == "negator"]
    breaks = sorted([h.start for h in hits if h.entry.kind in ("contrast", "concession")]
                    + [m.start() for m in _PUNCTUATION.finditer(words.lowered) if _is_break(words.lowered, m.start())])
    trend_votes, measures_used = _trend_votes(words, hits, negators, [b for b in breaks if words.lowered[b] != ","])
    counted = [c for c in cues if not any(start <= c.start and c.end <= end for start, end in measures_used)]
    negator_of = [_negator_of(words, c.start, negators, breaks) for c in counted]
    turned = {(n.start, n.end) for n in negator_of if n}  # a negator that turns a cue round is part of it
    votes = list(trend_votes)
    for cue, negator in zip(counted, negator_of):
        if (cue.start, cue.end) not in turned:
            votes.append(Vote(cue.start, (cue.entry.kind == "concern") != (negator is not None)))
    if not votes:
        return None
    concessions = [h for h in hits if h.entry.kind == "concession"]
    votes = [Vote(v.position, v.concern, _in_concession(v.position, concessions, breaks)) for v in votes]
    return _decide(votes, [h.start for h in hits if h.entry.kind == "contrast"])


def _decide(votes: list[Vote], contrasts: list[int]) -> str:
    """Rules 4 and 5 on the votes."""
    counted = [v for v in votes if not v.discounted] or votes
    concern = sum(v.concern for v in counted)
    positive = len(counted) - concern
    if concern and positive and contrasts:
        after = [v for v in counted if v.position > max(contrasts)]
        after_concern = sum(v.concern for v in after)
        if after_concern * 2 != len(after):
            return "concern" if after_concern * 2 > len(after) else "positive"
    if concern > positive:
        return "concern"
    if positive > concern:
        return "positive"
    return "mixed"


def _trend_votes(words: Words, hits: list[Hit], negators: list[Hit],
                 breaks: list[int]) -> tuple[list[Vote], set[tuple[int, int]]]:
    """Rule 3: a vote per rising/falling word with a measure near it in the same clause."""
    measures = [h for h in hits if h.entry.kind == "measure"]
    votes, used = [], set()
    for word in (h for h in hits if h.entry.kind in ("rising", "falling")):
        near = [m for m in measures if _same_clause(word, m, breaks)
                and min(abs(word.start - m.end), abs(m.start - word.end)) <= TREND_CHARACTERS]
        if not near:
            continue
        measure = min(near, key=lambda m: min(abs(word.start - m.end), abs(m.start - word.end)))
        worse_when_rising = measure.entry.owner == 0
        concern = worse_when_rising == (word.entry.kind == "rising")
        if _negator_of(words, word.start, negators, breaks):
            concern = not concern
        votes += [Vote(word.start, concern)] * TREND_WEIGHT
        used.update((m.start, m.end) for m in near)
    return votes, used


def _negator_of(words: Words, at: int, negators: list[Hit], breaks: list[int]) -> Hit | None:
    """The negator governing a cue at `at`: ending at most three words before it, no clause break between."""
    for negator in reversed(negators):
        if negator.end <= at and words.lowered.count(" ", negator.end, at) <= 4 \
                and not any(negator.end <= b < at for b in breaks):
            return negator
    return None


def _same_clause(a: Hit, b: Hit, breaks: list[int]) -> bool:
    low, high = min(a.start, b.start), max(a.end, b.end)
    return not any(low < p < high and not (a.start <= p < a.end or b.start <= p < b.end) for p in breaks)


def _in_concession(position: int, concessions: list[Hit], breaks: list[int]) -> bool:
    """Between a concession word and the next clause break after it."""
    for word in concessions:
        if word.start <= position:
            following = [b for b in breaks if b >= word.end]
            if position < (min(following) if following else 1 << 30):
                return True
    return False


def _is_break(text: str, i: int) -> bool:
    """Punctuation that ends a clause: not a decimal point or a thousands comma ("81.7", "1,200")."""
    return not (0 < i < len(text) - 1 and text[i] in ".," and text[i - 1].isdigit() and text[i + 1].isdigit())


def _is_name(words: Words, hit: Hit) -> bool:
    """Rule 1: every word of the cue in Title Case, and either several words or next to another Title
    Case word (not merely the first word of a sentence), in a text that is not written in capitals."""
    text = words.text
    if text.isupper():
        return False
    own = range(hit.first, hit.last)
    if not own or not all(_title_case(text, words.spans[i]) for i in own):
        return False
    if len(own) > 1:
        return True
    before = hit.first - 1
    after = hit.last
    starts_sentence = before < 0 or text[words.spans[before][1]:words.spans[hit.first][0]].strip()[-1:] in (".", "!", "?", ":")
    neighbour_before = before >= 0 and not starts_sentence and _title_case(text, words.spans[before])
    neighbour_after = after < len(words.spans) and _title_case(text, words.spans[after])
    return neighbour_before or neighbour_after


def _title_case(text: str, span: tuple[int, int]) -> bool:
    word = text[span[0]:span[1]]
    return len(word) > 1 and word[0].isupper() and any(c.islower() for c in word[1:])

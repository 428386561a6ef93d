"""Which themes a point is about: evidence strength, not a bag of words.

A theme is given to a point when the point's own words give it:
  - one of the theme's `phrases` (strong, unambiguous evidence: "caseload", "hot-desking"), or
  - two different phrases of the theme, where some are `ambiguous` (they need corroboration:
    "posts", "partners", "skills"; one alone is not enough), or
  - an ambiguous phrase in the point agreeing with the heading it sits under (a phrase of the
    theme in the heading).
A heading never gives a theme on its own: the point's own words must agree. `exclude` phrases
hide the theme's phrases they overlap ("in train" is not training, "summer holiday club" is not
the holidays theme's "summer holiday"). A point coded
to a theme is also coded to the theme's parent.
"""
from __future__ import annotations

from .matcher import Hit

HEADING_SUFFIX = " (heading)"
PHRASE_SEPARATOR = "; "  # between the phrases of `matched`


def themes_of(own: list[Hit], heading: list[Hit], parents: list[list[int]]) -> dict[int, str]:
    """Theme index -> `matched` ("; "-joined phrases as found, heading phrases marked) for one point."""
    found: dict[int, list[Hit]] = {}
    excluded = [h for h in own if h.entry.kind == "exclude"]
    for hit in own:
        if hit.entry.kind in ("theme", "ambiguous") and not _overlaps_exclusion(hit, excluded):
            found.setdefault(hit.entry.owner, []).append(hit)
    in_heading: dict[int, list[Hit]] = {}
    for hit in heading:
        if hit.entry.kind in ("theme", "ambiguous"):
            in_heading.setdefault(hit.entry.owner, []).append(hit)
    given: dict[int, str] = {}
    for theme, hits in found.items():
        strong = any(h.entry.kind == "theme" for h in hits)
        distinct = {_word_stem(h.found) for h in hits}
        if strong or len(distinct) >= 2 or theme in in_heading:
            shown = [h.found for h in hits] + [h.found + HEADING_SUFFIX for h in in_heading.get(theme, [])]
            given[theme] = PHRASE_SEPARATOR.join(dict.fromkeys(shown))
    for theme, matched in list(given.items()):
        for parent in parents[theme]:
            given.setdefault(parent, matched)
    return dict(sorted(given.items()))


def _overlaps_exclusion(hit: Hit, excluded: list[Hit]) -> bool:
    """An exclusion of the same theme overlapping the phrase ("summer holiday" in "summer holiday club")."""
    return any(x.entry.owner == hit.entry.owner and x.start < hit.end and hit.start < x.end for x in excluded)


def _word_stem(found: str) -> str:
    """Phrases as found, compared without a plural or possessive ending: "post" and "posts" (or two
    codebook entries matching the same words) are one piece of evidence, not two."""
    text = found.lower()
    for ending in ("'s", "s'", "'", "s"):
        if text.endswith(ending) and len(text) > len(ending) + 2:
            return text[: -len(ending)]
    return text

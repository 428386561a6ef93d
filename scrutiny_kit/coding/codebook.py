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

This module is the codebook's one import: its parts are codebook_model.py (Theme, ToneCues, Codebook: the
model and its field rules) and codebook_yaml.py (`load_codebook`: files, `extends`, problems with lines).
"""
from __future__ import annotations

from .codebook_model import TONE_LISTS, TREND_LISTS, Codebook, Theme, ToneCues, phrase_list  # noqa: F401
from .codebook_yaml import DEFAULT_CODEBOOK, load_codebook, resolve_spec  # noqa: F401
from .phrases import (MATCH_CHARACTERS, MATCH_TRANSLATION, REGEX_PREFIX, is_acronym, is_regex,  # noqa: F401
                      normalise_phrase, phrase_forms, regex_body, word_forms)

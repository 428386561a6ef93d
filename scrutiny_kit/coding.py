"""Code visit-note points into codebook themes and give each point a tone - transparently.

Why this design: a scrutiny officer has to be able to say why a point was counted under a theme,
so coding is a dictionary method with no model: a theme applies when one of its phrases appears
in the point text or in the heading above it, and `matched` records the phrase as found (heading
phrases as "car parking (heading)"). The phrase rules are in codebook.py and at the top of
codebooks/default.yaml.

Tone rule (cue lists live in the codebook's `tone:` section, so analysts can edit them):
  1. Find the concern and positive cues in the point text. A cue inside a longer cue counts once
     ("areas for improvement" is one concern cue, not also the positive "improvement").
  2. A cue with a negator ("not", "no", "never", "n't", "no longer", "lack of" ...) up to three
     words before it, in the same clause (no , ; : . ! ? or "but" in between), counts for the other
     side: "not manageable" -> concern, "no concerns were raised" -> positive.
  3. More concern votes -> concern; more positive -> positive; a tie goes to the LAST cue in the
     point (in "X has improved but Y is still difficult" the clause after "but" carries it).
  4. No cue in the text -> the heading's cues decide ("## What is working well"); none -> neutral.

Speed: all plain phrases, cues, negators and clause words of a codebook, with every inflected
form (codebook.phrase_forms), go into one prefix tree over WORDS: a dictionary from each word of
a phrase to a number, and sorted numpy arrays for the tree's edges (_PhraseIndex). Compiling is
therefore cheap (about 0.1 s for the default codebook; no giant regular expression). The texts
are joined, split into words, the words looked up in the dictionary in one C-level pass, and the
tree walked for all word positions at once with numpy (a step per word of the longest phrase),
in blocks that stay in the processor's cache; what each hit means is then worked out with numpy
array operations rather than a Python loop per hit. `re:` entries are run one by one. Cost grows
linearly with the amount of text (benchmarks/bench_coding.py).
"""
from __future__ import annotations

import codecs
import gc
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .codebook import (
    MATCH_CHARACTERS,
    Codebook,
    is_acronym,
    is_regex,
    load_codebook,
    phrase_forms,
    regex_body,
)
from .sources.visit_notes import NOTE_COLUMNS, expand_note_paths, load_visit_notes

CODED_COLUMNS = [
    "source", "point", "date", "team", "theme", "matched", "tone", "text",
    "heading", "line", "authority", "visitors", "confidential",
]
SUMMARY_COLUMNS = [
    "theme", "label", "points", "visits", "teams", "concern", "positive", "neutral", "concern_visits",
    "first_date", "last_date",
]
TONES = ("concern", "positive", "neutral")
HEADING_SUFFIX = " (heading)"
PHRASE_SEPARATOR = "; "  # between the phrases of `matched`


def phrase_count(matched: Any, *, with_heading: bool = False) -> int:
    """How many distinct phrases a `matched` value records: those in the point's own words, or also those
    found in its heading (marked HEADING_SUFFIX). 0 for a point with no theme."""
    if not isinstance(matched, str):
        return 0
    phrases = {p.strip().lower() for p in matched.split(PHRASE_SEPARATOR.strip()) if p.strip()}
    return len({p for p in phrases if with_heading or not p.endswith(HEADING_SUFFIX.strip())})

THEME, EXCLUDE, CONCERN, POSITIVE, NEGATOR, BREAK, MEASURE, RISING, FALLING = range(9)
TREND_CHARACTERS = 60  # at most this many characters between a measure and its rising/falling word
CLAUSE_WORDS = ["but", "however", "although", "though", "whereas", "while", "whilst", "despite"]
_SEPARATOR = "\x00"
_ODD_SPACES = ("  ", "\n", "\t", "\r", "\x0b", "\x0c", "\u00a0")  # others are gone after load_visit_notes
_ODD_BYTES = tuple(o.encode("latin-1") for o in _ODD_SPACES)


def _byte_tables() -> tuple[Any, bytes, bytes, np.ndarray]:
    """Tables to clean and lower-case text in one C-level pass: characters beyond Latin-1 that
    matter (curly quotes, dashes) are encoded into the unused control bytes 0x80-0x9f, any other
    character beyond Latin-1 becomes "?", then one byte translation applies MATCH_CHARACTERS,
    turns brackets and double quotes (never part of a phrase) into spaces and lower-cases."""
    extra = [c for c in MATCH_CHARACTERS if ord(c) > 0xFF]
    decoding = [chr(i) for i in range(256)]
    for k, c in enumerate(extra):
        decoding[0x80 + k] = c
    translate = bytearray(chr(i).lower().encode("latin-1")[0] if len(chr(i).lower()) == 1 and ord(chr(i).lower()) < 256
                          else i for i in range(256))
    clean = bytearray(range(256))  # the same, keeping capitals (to check acronyms)
    changed = np.zeros(256, dtype=bool)
    for c, replacement in {**MATCH_CHARACTERS, **dict.fromkeys('()[]{}"', " ")}.items():
        byte = 0x80 + extra.index(c) if c in extra else ord(c)
        translate[byte], clean[byte], changed[byte] = ord(replacement), ord(replacement), True
    return codecs.charmap_build("".join(decoding)), bytes(translate), bytes(clean), changed


_ENCODING_MAP, _CLEAN_AND_LOWER, _CLEAN, _CHANGED_BYTE = _byte_tables()
_ANY_SPACE = re.compile(r"\s+")
_PUNCTUATION = re.compile(r"[,;:.!?]")
_PUNCTUATION_BYTE = np.isin(np.arange(256), [ord(c) for c in ",;:.!?"])
_DIGIT_BYTE = np.isin(np.arange(256), [ord(c) for c in "0123456789"])
_ESCAPED = re.compile(r"\\.")
_NO_TEXT = np.zeros(0, dtype=object)

_NOT_WORD = re.compile(r"\W")
_BLOCK = 250_000  # characters of text walked at a time (_PhraseIndex.find)
_CHUNK = 20_000  # texts coded at a time (Matcher.code_texts)
_ODD_BYTE = np.array([c != " " and _NOT_WORD.match(c) is not None for c in map(chr, range(256))])


def code_points(notes: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """One row per point x theme (a point with no theme once, theme ""), with `matched` and `tone`.

    Rows keep the notes' order (then codebook theme order); columns are CODED_COLUMNS, then any
    other columns the notes had.
    """
    _require_columns(notes)
    matcher = compiled(codebook)
    n = len(notes)
    headings = [h if isinstance(h, str) else "" for h in notes["heading"].tolist()]
    unique = list(dict.fromkeys(h for h in headings if h.strip()))
    position = {h: i for i, h in enumerate(unique)}
    heading_of = np.array([position.get(h, -1) for h in headings], dtype=np.int64)
    points = matcher.code_texts(notes["text"].tolist())
    heads = matcher.code_texts(unique)
    text, theme, matched = matcher.combine(n, points, heads, heading_of)
    heading_tones = np.append(heads.tones, None)[heading_of]  # heading_of -1 (no heading) -> None
    tones = np.where(pd.isna(points.tones), heading_tones, points.tones)
    tones = np.where(pd.isna(tones), "neutral", tones)
    coded = notes.iloc[text].reset_index(drop=True)
    coded["theme"] = pd.Series(np.array([*matcher.ids, ""], dtype=object)[theme], dtype="str")
    coded["matched"] = pd.Series(matched, dtype="str")
    coded["tone"] = pd.Series(tones[text], dtype="str")
    return coded[_column_order(coded)]


def _column_order(frame: pd.DataFrame) -> list[str]:
    """CODED_COLUMNS that are present, then any other columns."""
    return [c for c in CODED_COLUMNS if c in frame.columns] + [c for c in frame.columns if c not in CODED_COLUMNS]


def theme_summary(coded: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Per codebook theme: points, visits, teams, tone counts (per point), visits raising it as a concern and
    date range, most points first. Every theme is listed (a theme nobody raised shows 0 points), so gaps
    are visible. The findings chapter counts from this too, on the published points only.
    """
    rows = []
    for theme in codebook.themes:
        part = coded[coded["theme"] == theme.id].drop_duplicates(["source", "point"])
        tones = part["tone"].value_counts()
        dates = part["date"].dropna()
        rows.append({
            "theme": theme.id, "label": theme.label, "points": len(part),
            "visits": part["source"].nunique(), "teams": ", ".join(sorted(part["team"].dropna().unique())),
            **{t: int(tones.get(t, 0)) for t in TONES},
            "concern_visits": part.loc[part["tone"] == "concern", "source"].nunique(),
            "first_date": dates.min() if len(dates) else None, "last_date": dates.max() if len(dates) else None,
        })
    summary = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    return summary.sort_values("points", ascending=False, kind="stable").reset_index(drop=True)


def coded_points_csv(coded: pd.DataFrame) -> str:
    """coded_points.csv as text: CODED_COLUMNS first (dates ISO), one row per point x theme."""
    out = coded[_column_order(coded)].copy()
    if "date" in out:
        out["date"] = [d.isoformat() if hasattr(d, "isoformat") else ("" if d is None else d) for d in out["date"]]
    return out.to_csv(index=False, lineterminator="\n")


def code_files(
    paths: Sequence[str | Path], codebook_spec: str | Path | None = None, *, default_authority: str = ""
) -> pd.DataFrame:
    """Read visit notes, or any text in a note format, from files, folders or globs and code them (for
    `scrutiny-kit code`, which needs no review: a missing visit date or team is left blank).

    Raises InputError for unreadable files or a bad codebook.
    """
    codebook = load_codebook(codebook_spec or "default")
    notes = load_visit_notes(expand_note_paths(paths), default_authority=default_authority, visit_metadata=False)
    return code_points(notes, codebook)


def compiled(codebook: Codebook) -> Matcher:
    """The codebook's matcher, compiled once and kept with the codebook."""
    return codebook.cached("matcher", lambda: Matcher(codebook))


def _require_columns(notes: pd.DataFrame) -> None:
    missing = [c for c in ("text", "heading") if c not in notes.columns]
    if missing:
        raise KeyError(f"notes have no {', '.join(missing)} column; expected the columns {', '.join(NOTE_COLUMNS)}")


# --------------------------------------------------------------------------- the matcher


@dataclass(frozen=True)
class Coded:
    """Columnar coding of many texts: one entry per (text, theme) found, plus vetoes and tones."""

    text: np.ndarray  # index of the text, ascending
    theme: np.ndarray  # index of the theme in the codebook
    matched: np.ndarray  # (object) phrases as found, "; "-joined, in text order
    vetoes: np.ndarray  # text * number of themes + theme, for themes an `exclude` phrase vetoed
    tones: np.ndarray  # per text: "concern", "positive" or None (no cue at all)


class Matcher:
    """A codebook compiled for speed (see the module docstring)."""

    def __init__(self, codebook: Codebook) -> None:
        collecting = gc.isenabled()
        gc.disable()  # building creates many small objects; the cyclic collector would only slow it down
        try:
            self._build(codebook)
        finally:
            if collecting:
                gc.enable()

    def _build(self, codebook: Codebook) -> None:
        self.ids = codebook.ids
        self.parents = [[self.ids.index(a) for a in codebook.ancestors(t)] for t in self.ids]
        entries: list[tuple[str, int, int]] = []  # phrase, kind, theme index
        for index, theme in enumerate(codebook.themes):
            entries += [(p, THEME, index) for p in theme.phrases]
            entries += [(p, EXCLUDE, index) for p in theme.exclude]
        entries += [(p, CONCERN, -1) for p in codebook.tone.concern]
        entries += [(p, POSITIVE, -1) for p in codebook.tone.positive]
        entries += [(p, NEGATOR, -1) for p in codebook.tone.negators]
        entries += [(p, MEASURE, 0) for p in codebook.tone.worse_when_rising]
        entries += [(p, MEASURE, 1) for p in codebook.tone.better_when_rising]
        entries += [(p, RISING, -1) for p in codebook.tone.rising]
        entries += [(p, FALLING, -1) for p in codebook.tone.falling]
        entries += [(p, BREAK, -1) for p in CLAUSE_WORDS]
        self.index = _PhraseIndex([e for e in entries if not is_regex(e[0])])
        self.regexes = [(_compile_entry(regex_body(p)), kind, index) for p, kind, index in entries if is_regex(p)]

    def code_texts(self, texts: Sequence[Any]) -> Coded:
        """Code many texts, a chunk of _CHUNK texts at a time (so time grows linearly with the
        number of texts and memory stays bounded), each chunk in one pass over its concatenation."""
        n = len(texts)
        if n <= _CHUNK:
            return self._code_chunk(texts)
        parts = [(first, self._code_chunk(texts[first : first + _CHUNK])) for first in range(0, n, _CHUNK)]
        return Coded(
            np.concatenate([c.text + first for first, c in parts]),
            np.concatenate([c.theme for _, c in parts]),
            np.concatenate([c.matched for _, c in parts]),
            np.concatenate([c.vetoes + first * len(self.ids) for first, c in parts]),
            np.concatenate([c.tones for _, c in parts]),
        )

    def _code_chunk(self, texts: Sequence[Any]) -> Coded:
        n = len(texts)
        if n == 0:
            return Coded(np.zeros(0, np.int64), np.zeros(0, np.int64), _NO_TEXT, np.zeros(0, np.int64), _NO_TEXT)
        raw, lowered, lowered_bytes, cleaned, starts, changed = _prepare(texts)
        pos, entry = self.index.find(lowered, lowered_bytes, cleaned)
        ix = self.index
        end = pos + ix.length[entry]
        kind = ix.kind[entry]
        owner = np.searchsorted(starts, pos, side="right") - 1
        themes = kind == THEME
        hits = self._theme_hits(entry[themes], pos[themes], end[themes], owner[themes], raw, changed)
        excluded = kind == EXCLUDE
        vetoes = owner[excluded] * len(self.ids) + ix.theme[entry[excluded]]
        tonal = (kind >= CONCERN) & (kind < MEASURE)
        trend = kind >= MEASURE
        tone_events = _trend_cues(kind[trend], ix.theme[entry[trend]], pos[trend], end[trend], owner[trend],
                                  pos[kind == BREAK], lowered_bytes)
        tone_events = tuple(np.concatenate(pair) for pair in zip((kind[tonal], pos[tonal], end[tonal]), tone_events))
        if self.regexes:
            hits, vetoes, tone_events = self._regex_hits(raw, lowered, starts, hits, vetoes, tone_events)
        votes = self._votes(*tone_events, starts, lowered, n)
        text, theme, matched = _group_phrases(*hits)
        return Coded(text, theme, matched, vetoes, _tones(*votes))

    def _theme_hits(self, entry: np.ndarray, start: np.ndarray, stop: np.ndarray, owner: np.ndarray, raw: str,
                    changed: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(text, theme, start, end, phrase as found) for each theme phrase found.

        The phrase is shown as the codebook form found, except where the text differs from it:
        acronyms keep their capitals, and phrases where cleaning changed a character show the
        text's own hyphens, slashes and curly apostrophes ("hot-desking", "children’s views")."""
        ix = self.index
        shown = ix.keys[ix.key_of[entry]]
        keep_case = ix.acronym[entry] >= 0
        after = np.searchsorted(changed, start)  # first changed character at or after each start
        differs = np.append(changed, len(raw))[after] < stop
        for j in np.flatnonzero(keep_case).tolist():
            shown[j] = raw[start[j] : stop[j]]
        for j in np.flatnonzero(differs & ~keep_case).tolist():
            shown[j] = raw[start[j] : stop[j]].lower()
        return owner, ix.theme[entry], start, stop, shown

    def _votes(self, kind: np.ndarray, pos: np.ndarray, end: np.ndarray, starts: np.ndarray, lowered: str,
               n: int) -> list[np.ndarray]:
        """Concern and positive votes per text, and the kind and position of its last cue.

        Works on the tone phrases found (cues, negators, clause words), taken together per word
        where they start: the longest cue starting there, the longest negator, any clause word."""
        order = np.lexsort((-end, pos))
        kind, pos, end = kind[order], pos[order], end[order]
        first = np.ones(len(pos), dtype=bool)
        first[1:] = pos[1:] != pos[:-1]
        group = np.cumsum(first) - 1
        at = pos[first]
        cue, cue_end = np.zeros(len(at), np.int64), np.zeros(len(at), np.int64)
        negator_end = np.full(len(at), -1, np.int64)
        clause_break = np.zeros(len(at), dtype=bool)
        cues = _first_per_group(np.flatnonzero((kind == CONCERN) | (kind == POSITIVE)), group)  # longest first
        cue[group[cues]], cue_end[group[cues]] = kind[cues], end[cues]
        negators = _first_per_group(np.flatnonzero(kind == NEGATOR), group)
        negator_end[group[negators]] = end[negators]
        clause_break[group[kind == BREAK]] = True
        owner = np.searchsorted(starts, at, side="right") - 1
        counted = (cue > 0) & (cue_end > _exclusive_cummax(np.where(cue > 0, cue_end, -1)))  # not inside a longer cue
        last_negator = _exclusive_cummax(negator_end)
        last_break = _exclusive_cummax(np.where(clause_break, at, -1))
        candidates = counted & (last_negator > last_break) & (last_negator >= starts[owner]) & (last_negator <= at)
        flip = np.zeros(len(at), dtype=bool)
        for i in np.flatnonzero(candidates).tolist():
            flip[i] = _governs(lowered, int(last_negator[i]), int(at[i]))
        kind = np.where(flip, CONCERN + POSITIVE - cue, cue)[counted]
        who = owner[counted]
        concern = np.bincount(who[kind == CONCERN], minlength=n)
        positive = np.bincount(who[kind == POSITIVE], minlength=n)
        last_kind, last_pos = np.zeros(n, np.int64), np.full(n, -1, np.int64)
        if len(who):  # who is in text order, so a text's last cue is where the text changes
            last = np.flatnonzero(np.append(who[1:] != who[:-1], True))
            last_kind[who[last]], last_pos[who[last]] = kind[last], at[counted][last]
        return [concern, positive, last_kind, last_pos]

    def _regex_hits(self, raw: str, lowered: str, starts: np.ndarray, hits: tuple, vetoes: np.ndarray,
                    tone_events: tuple) -> tuple[tuple, np.ndarray, tuple]:
        """Add the hits of `re:` entries to the literal hits: themes, vetoes, and cues (which then
        go through the same tone rule as literal cues: the longest cue starting at a word counts,
        a cue inside a longer one does not, and a negator before it flips it)."""
        hits_parts = [[h] for h in hits[:4]]
        shown = [hits[4]]
        veto_parts = [vetoes]
        tone_parts = [[t] for t in tone_events]
        for rx, kind, index in self.regexes:
            spans = [(s, e) for s, e in (m.span() for m in rx.finditer(lowered))
                     if e > s and _SEPARATOR not in lowered[s:e]]
            if not spans:
                continue
            start, end = np.array(spans, dtype=np.int64).T
            who = np.searchsorted(starts, start, side="right") - 1
            if kind == THEME:
                for part, values in zip(hits_parts, (who, np.full(len(who), index), start, end)):
                    part.append(values)
                shown.append(np.array([raw[s:e].strip().lower() for s, e in spans], dtype=object))
            elif kind == EXCLUDE:
                veto_parts.append(who * len(self.ids) + index)
            elif kind in (CONCERN, POSITIVE):
                for part, values in zip(tone_parts, (np.full(len(start), kind), start, end)):
                    part.append(values)
        return (tuple(np.concatenate(p) for p in hits_parts) + (np.concatenate(shown),), np.concatenate(veto_parts),
                tuple(np.concatenate(p) for p in tone_parts))

    # ---- a point and its heading

    def combine(self, n: int, points: Coded, heads: Coded, heading_of: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Rows (text, theme, matched) for n points: own and heading phrases, minus vetoes, plus
        parent themes; a point with no theme gets one row with theme -1 (shown as "")."""
        themes = len(self.ids)
        h_text, h_theme, h_matched = _heading_rows(heads, heading_of)
        vetoes = np.concatenate([points.vetoes, _heading_vetoes(heads, heading_of, themes)])
        text = np.concatenate([points.text, h_text])
        theme = np.concatenate([points.theme, h_theme])
        matched = np.concatenate([points.matched, h_matched])
        if len(vetoes):
            keep = ~np.isin(text * themes + theme, vetoes)
            text, theme, matched = text[keep], theme[keep], matched[keep]
        if any(self.parents):
            text, theme, matched = self._add_parents(text, theme, matched, vetoes)
        coded = np.zeros(n, dtype=bool)
        coded[text] = True
        missing = np.flatnonzero(~coded)
        text = np.concatenate([text, missing])
        theme = np.concatenate([theme, np.full(len(missing), -1, np.int64)])
        return _merge_rows(text, theme, np.concatenate([matched, np.full(len(missing), "", dtype=object)]), themes)

    def _add_parents(self, text: np.ndarray, theme: np.ndarray, matched: np.ndarray,
                     vetoes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """A point coded to a child theme is also coded to its ancestors (unless vetoed)."""
        vetoed = set(vetoes.tolist())
        extra = [(t, p, m) for t, th, m in zip(text.tolist(), theme.tolist(), matched)
                 for p in self.parents[th] if t * len(self.ids) + p not in vetoed]
        if not extra:
            return text, theme, matched
        et, ep, em = zip(*extra)
        return np.concatenate([text, et]), np.concatenate([theme, ep]), np.concatenate([matched, np.array(em, dtype=object)])


def _explode(ptr: np.ndarray, values: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each i in rows, each value of list rows[i]: (i repeated, value)."""
    counts = ptr[rows + 1] - ptr[rows]
    hit = np.repeat(np.arange(len(rows), dtype=np.int64), counts)
    offsets = np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    return hit, values[ptr[rows][hit] + offsets]


def _trend_cues(kind: np.ndarray, polarity: np.ndarray, pos: np.ndarray, end: np.ndarray, owner: np.ndarray,
                breaks: np.ndarray, lowered_bytes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cues from trends: each rising or falling word with a measure next to it - the nearest one
    before or after it in the same point and clause (no , ; : . ! ? or clause word between), at
    most TREND_CHARACTERS away - is a concern or positive cue at the rising/falling word: rising
    is a concern for a measure that is worse when rising (polarity 0), positive for one that is
    better when rising (polarity 1); falling the other way round. Returns (kind, start, end)."""
    measure = np.flatnonzero(kind == MEASURE)
    word = np.flatnonzero(kind != MEASURE)
    if not len(measure) or not len(word):
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)
    by_end, by_start = measure[np.argsort(end[measure])], measure[np.argsort(pos[measure])]
    before = by_end[np.maximum(np.searchsorted(end[by_end], pos[word], side="right") - 1, 0)]
    after = by_start[np.minimum(np.searchsorted(pos[by_start], end[word]), len(by_start) - 1)]
    gap_before = np.where(end[before] <= pos[word], pos[word] - end[before], TREND_CHARACTERS + 1)
    gap_after = np.where(pos[after] >= end[word], pos[after] - end[word], TREND_CHARACTERS + 1)
    nearest = np.where(gap_before <= gap_after, before, after)
    low, high = np.minimum(end[nearest], pos[word]), np.maximum(pos[nearest], end[word])
    punctuation = np.flatnonzero(_PUNCTUATION_BYTE[lowered_bytes])
    inner = punctuation[(punctuation > 0) & (punctuation < len(lowered_bytes) - 1)]
    number = _DIGIT_BYTE[lowered_bytes[inner - 1]] & _DIGIT_BYTE[lowered_bytes[inner + 1]]
    punctuation = np.setdiff1d(punctuation, inner[number])  # "10,000" and "2.5" do not end a clause
    between = (np.searchsorted(punctuation, high) - np.searchsorted(punctuation, low)
               + np.searchsorted(breaks, high) - np.searchsorted(breaks, low))
    ok = (np.minimum(gap_before, gap_after) <= TREND_CHARACTERS) & (owner[nearest] == owner[word]) & (between == 0)
    word, nearest = word[ok], nearest[ok]
    worse = (kind[word] == RISING) == (polarity[nearest] == 0)
    return np.where(worse, CONCERN, POSITIVE), pos[word], end[word]


def _capitals(keys: list[str], key_of: np.ndarray, acronym: np.ndarray, acronyms: list[frozenset[str]]) -> np.ndarray:
    """Per entry of a phrase index, the acronym form it must match as written (cleaned bytes,
    zero-padded; a row of zeros for entries that are not acronyms)."""
    rows = np.flatnonzero(acronym >= 0)
    forms = [next(f for f in acronyms[a] if f.lower() == keys[k]).encode("latin-1", "replace")
             for k, a in zip(key_of[rows].tolist(), acronym[rows].tolist())]
    table = np.zeros((len(acronym), max(map(len, forms), default=0)), dtype=np.uint8)
    for row, form in zip(rows.tolist(), forms):
        table[row, : len(form)] = np.frombuffer(form, dtype=np.uint8)
    return table


def _first_per_group(rows: np.ndarray, group: np.ndarray) -> np.ndarray:
    """The first of the rows (ascending) in each group."""
    return rows[np.append(True, group[rows][1:] != group[rows][:-1])] if len(rows) else rows


def _exclusive_cummax(values: np.ndarray) -> np.ndarray:
    """Running maximum of the values before each position (-1 for the first)."""
    if not len(values):
        return values
    return np.concatenate(([-1], np.maximum.accumulate(values)[:-1]))


def _governs(lowered: str, negator_end: int, cue_start: int) -> bool:
    """A negator ending at negator_end governs a cue: at most three words and no punctuation between."""
    return lowered.count(" ", negator_end, cue_start) <= 4 and _PUNCTUATION.search(lowered, negator_end, cue_start) is None


def _tones(concern: np.ndarray, positive: np.ndarray, last_kind: np.ndarray, _last_pos: np.ndarray) -> np.ndarray:
    """The tone rule of the module docstring, per text ("concern", "positive" or None)."""
    tie = np.where(concern == 0, None, np.where(last_kind == CONCERN, "concern", "positive"))
    return np.where(concern > positive, "concern", np.where(positive > concern, "positive", tie)).astype(object)


def _group_phrases(text: np.ndarray, theme: np.ndarray, start: np.ndarray, end: np.ndarray,
                   shown: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One row per (text, theme): the phrases in text order, without repeats or phrases inside a
    longer phrase of the same theme, "; "-joined."""
    span = int(end.max()) + 1 if len(end) else 1
    order = np.lexsort((-end, start, theme, text))  # the longest phrase first where several start together
    text, theme, end = text[order], theme[order], end[order]
    new = np.ones(len(text), dtype=bool)
    new[1:] = (text[1:] != text[:-1]) | (theme[1:] != theme[:-1])
    group = np.cumsum(new) - 1
    value = group * span + end
    keep = value > _exclusive_cummax(value)
    return _join_groups(group[keep], text[keep], theme[keep], shown[order[keep]])


def _join_groups(group: np.ndarray, text: np.ndarray, theme: np.ndarray,
                 phrases: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Collapse consecutive rows of the same group, joining their phrases with "; "."""
    if not len(group):
        return text, theme, _NO_TEXT
    starts = np.ones(len(group), dtype=bool)
    starts[1:] = group[1:] != group[:-1]
    first = np.flatnonzero(starts)
    stops = np.r_[first[1:], len(group)]
    joined = phrases[first]
    sizes = stops - first
    pairs = np.flatnonzero(sizes == 2)
    if len(pairs):  # the commonest case, done as whole-array operations
        a, b = phrases[first[pairs]], phrases[first[pairs] + 1]
        joined[pairs] = np.where(a == b, a, a + "; " + b)
    for k in np.flatnonzero(sizes > 2).tolist():
        joined[k] = "; ".join(dict.fromkeys(phrases[first[k] : stops[k]].tolist()))
    return text[first], theme[first], joined


def _heading_rows(heads: Coded, heading_of: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each point's heading themes, phrases marked " (heading)"."""
    if not len(heads.text):
        return np.zeros(0, np.int64), np.zeros(0, np.int64), _NO_TEXT
    marked = np.array([PHRASE_SEPARATOR.join(p + HEADING_SUFFIX for p in m.split(PHRASE_SEPARATOR))
                       for m in heads.matched], dtype=object)
    ptr = np.searchsorted(heads.text, np.arange(len(heads.tones) + 2))
    rows = np.where(heading_of >= 0, heading_of, len(heads.tones))  # no heading -> an empty list
    point, which = _explode(ptr, np.arange(len(heads.text), dtype=np.int64), rows)
    return point, heads.theme[which], marked[which]


def _heading_vetoes(heads: Coded, heading_of: np.ndarray, themes: int) -> np.ndarray:
    if not len(heads.vetoes):
        return np.zeros(0, np.int64)
    heading, theme = np.divmod(heads.vetoes, themes)
    points = [np.flatnonzero(heading_of == h) * themes + t for h, t in zip(heading.tolist(), theme.tolist())]
    return np.concatenate(points)


def _merge_rows(text: np.ndarray, theme: np.ndarray, matched: np.ndarray,
                themes: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sort rows by point then theme (a stable sort keeps text phrases before heading phrases)
    and merge rows of the same (point, theme)."""
    key = text * (themes + 1) + theme + 1
    order = np.argsort(key, kind="stable")
    key = key[order]
    new = np.ones(len(key), dtype=bool)
    new[1:] = key[1:] != key[:-1]
    return _join_groups(np.cumsum(new) - 1, text[order], theme[order], matched[order])


def _prepare(texts: Sequence[Any]) -> tuple[str, str, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Join texts (each after a space) with a separator, and clean and lower-case them for matching
    as codebook.MATCH_TRANSLATION cleans phrases (hyphens and slashes to spaces, curly quotes to
    straight), in one byte per character (several times faster to lower-case and scan).

    Returns the joined text (spaces normalised, for showing phrases as written), its cleaned
    lower-case copy (same length) as text and as a byte array, the cleaned copy with capitals kept
    (bytes, for acronyms), where each text starts and where cleaning changed a character."""
    clean = [t.replace(_SEPARATOR, " ") if _SEPARATOR in t else t for t in (t if isinstance(t, str) else "" for t in texts)]
    raw = " " + (_SEPARATOR + " ").join(clean)
    encoded = _encode(raw)
    lengths = np.fromiter(map(len, clean), dtype=np.int64, count=len(clean)) + 2
    if any(odd in encoded for odd in _ODD_BYTES):  # tabs, line breaks, double spaces: normalise, re-measure
        raw = _ANY_SPACE.sub(" ", raw)
        encoded = _encode(raw)
        lengths = np.fromiter((len(p) + 1 for p in raw.split(_SEPARATOR)), dtype=np.int64, count=len(clean))
    changed = np.flatnonzero(_CHANGED_BYTE[np.frombuffer(encoded, dtype=np.uint8)])
    lowered_bytes = encoded.translate(_CLEAN_AND_LOWER).replace(b" '", b"  ")  # opening quotes
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1])) + 1  # skip the space each text starts with
    cleaned = np.frombuffer(encoded.translate(_CLEAN), dtype=np.uint8)
    return raw, lowered_bytes.decode("latin-1"), np.frombuffer(lowered_bytes, dtype=np.uint8), cleaned, starts, changed


def _encode(text: str) -> bytes:
    return text.encode("ascii") if text.isascii() else codecs.charmap_encode(text, "replace", _ENCODING_MAP)[0]


def _compile_entry(body: str) -> re.Pattern[str]:
    """A `re:` entry, run against lower-cased text; IGNORECASE only when it has capitals of its own,
    because IGNORECASE stops Python using a pattern's literal prefix to skip ahead quickly."""
    needs_case = any(c.isupper() for c in _ESCAPED.sub("", body))
    return re.compile(body, re.IGNORECASE if needs_case else 0)


# --------------------------------------------------------------------------- phrase index


class _PhraseIndex:
    """Every literal form of the codebook's plain phrases, cues, negators and clause words, as a
    prefix tree over WORDS (not characters), walked over the words of the text with numpy.

    A literal is a space-separated run of parts ("caseload", "children's", "i.t."). It is found
    where it starts a word (after a space) and is followed by a character that is not a letter,
    digit or underscore: every part but the last must be a whole word of the text, the last may
    be followed by punctuation ("caseloads," and "caseloads." end with the part "caseloads",
    "child's" also ends with "child"). Every literal found counts, so "car parking spaces" also
    finds "car parking". Compiling is a Python dictionary and a few sorted arrays - no regular
    expression - so it costs little even for tens of thousands of forms.
    """

    def __init__(self, entries: list[tuple[str, int, int]]) -> None:
        tags: dict[tuple[int, int, frozenset[str] | None], int] = {}  # (kind, theme, acronym forms) -> tag
        forms_found: list[str] = []
        tag_of_form: list[int] = []
        for phrase, kind, index in entries:
            forms = [f.lower() for f in phrase_forms(phrase)]
            tag = tags.setdefault((kind, index, frozenset(phrase_forms(phrase)) if is_acronym(phrase) else None),
                                  len(tags))
            forms_found += forms
            tag_of_form += [tag] * len(forms)
        keys = list(dict.fromkeys(forms_found))
        key_id = dict(zip(keys, range(len(keys))))
        pair = np.unique(np.fromiter(map(key_id.__getitem__, forms_found), dtype=np.int64, count=len(forms_found))
                         * max(len(tags), 1) + np.array(tag_of_form, dtype=np.int64))
        key_of, tag = np.divmod(pair, max(len(tags), 1))  # an entry: a literal (key) and what it means (tag)
        acronyms = {forms: i for i, forms in enumerate(dict.fromkeys(t[2] for t in tags if t[2] is not None))}
        tag_kind, tag_theme, tag_acronym = (np.array(column, dtype=np.int64).reshape(-1) for column in (
            [t[0] for t in tags], [t[1] for t in tags], [-1 if t[2] is None else acronyms[t[2]] for t in tags]))
        self.keys = np.array(keys, dtype=object)
        self.key_of = key_of
        self.kind, self.theme, self.acronym = tag_kind[tag], tag_theme[tag], tag_acronym[tag]
        self.capitals = _capitals(keys, key_of, self.acronym, list(acronyms))
        self.length = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))[key_of]
        self.entry_ptr = np.searchsorted(key_of, np.arange(len(keys) + 1))  # key k: entries ptr[k]:ptr[k + 1]
        self.entry_idx = np.arange(len(key_of), dtype=np.int64)
        self._build_tree(keys)

    def _build_tree(self, keys: list[str]) -> None:
        """Parts get ids; tree node 0 is the root; an edge is (node, part) -> child node. Built a
        level (word position) at a time with numpy."""
        split = [key.split(" ") for key in keys]
        words = [w for parts in split for w in parts]
        parts = self.parts = {w: i for i, w in enumerate(dict.fromkeys(words))}
        self.width = width = len(parts) + 1  # part id len(parts) stands for "not a part" (-1)
        lengths = np.fromiter(map(len, split), dtype=np.int64, count=len(split))
        self.depth = int(lengths.max(initial=0))
        table = np.full((len(keys), max(self.depth, 1)), -1, dtype=np.int64)  # part ids, a key per row
        row = np.repeat(np.arange(len(keys)), lengths)
        column = np.arange(len(words)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        table[row, column] = np.fromiter(map(parts.__getitem__, words), dtype=np.int64, count=len(words))
        node = np.zeros(len(keys), dtype=np.int64)  # each key's node so far, level by level
        codes, children, count = [], [], 1
        for level in range(self.depth):
            rows = np.flatnonzero(lengths > level)
            code = node[rows] * width + table[rows, level]
            unique, inverse = np.unique(code, return_inverse=True)
            node[rows] = count + inverse.reshape(-1)
            codes.append(unique)
            children.append(count + np.arange(len(unique), dtype=np.int64))
            count += len(unique)
        terminal = np.full(count + 1, -1, dtype=np.int64)  # the extra last node: "no node" (-1)
        terminal[node] = np.arange(len(keys), dtype=np.int64)
        self.terminal = terminal
        code, child = (np.concatenate(codes), np.concatenate(children)) if codes else (np.zeros(0, np.int64),) * 2
        at_root = code < width
        self.root_child = np.full(width, -1, dtype=np.int64)
        self.root_child[code[at_root]] = child[at_root]
        order = np.argsort(code[~at_root])
        self.edge_code, self.edge_child = code[~at_root][order], child[~at_root][order]
        self.later = np.zeros(width, dtype=bool)  # parts that are 2nd, 3rd ... word of some literal
        self.later[np.unique(self.edge_code % width)] = True

    def _child(self, node: np.ndarray, part: np.ndarray) -> np.ndarray:
        """The child of each node along each part (-1 for none; node > 0)."""
        if not len(self.edge_code):
            return np.full(len(node), -1, dtype=np.int64)
        code = node * self.width + part % self.width
        at = np.minimum(np.searchsorted(self.edge_code, code), len(self.edge_code) - 1)
        return np.where(self.edge_code[at] == code, self.edge_child[at], -1)

    def _endings(self, token: str) -> list[int]:
        """Part ids the token can end a literal with, longest first: the token itself and each
        beginning of it that is followed by a character other than a letter, digit or _."""
        cuts = [len(token)] + [m.start() for m in reversed(list(_NOT_WORD.finditer(token))) if m.start()]
        return [p for p in dict.fromkeys(self.parts.get(token[:c], -1) for c in cuts) if p >= 0]

    def _endings_of(self, tokens: list[str], token_start: np.ndarray, word: np.ndarray,
                    lowered_bytes: np.ndarray) -> list[np.ndarray]:
        """Per token, the parts it can end a literal with, longest first, as columns: the token's
        own part id, except that a token with punctuation ("caseloads,", "child's") may end with a
        shorter part; a second and later column only where a token has more than one."""
        odd = np.zeros(len(tokens), dtype=bool)  # tokens with a character other than letters, digits, _
        odd[np.searchsorted(token_start, np.flatnonzero(_ODD_BYTE[lowered_bytes]), side="right") - 1] = True
        odd_tokens = np.flatnonzero(odd)
        if not len(odd_tokens):
            return [word]
        strings = list(map(tokens.__getitem__, odd_tokens.tolist()))
        unique = {s: self._endings(s) for s in dict.fromkeys(strings)}
        table = np.full((len(unique), max(1, *map(len, unique.values()))), -1, dtype=np.int64)
        for r, ends in enumerate(unique.values()):
            table[r, : len(ends)] = ends
        row = dict(zip(unique, range(len(unique))))
        rows = table[np.fromiter(map(row.__getitem__, strings), dtype=np.int64, count=len(strings))]
        columns = [word.copy()] + [np.full(len(tokens), -1, dtype=np.int64) for _ in range(table.shape[1] - 1)]
        for c, column in enumerate(columns):
            column[odd_tokens] = rows[:, c]
        return columns

    def find(self, lowered: str, lowered_bytes: np.ndarray, cleaned: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(start, entry) of every literal found in the prepared text, acronyms only in capitals.

        The text is walked in blocks of whole texts (a few hundred kilobytes): the word lists and
        arrays of a block stay in the processor's cache, which makes this about twice as fast."""
        if not len(self.keys):
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        found_pos, found_key = [], []
        begin = 0
        while begin < len(lowered):
            end = lowered.find(_SEPARATOR, begin + _BLOCK) + 1 or len(lowered)  # a block starts with a space
            token, key, token_start = self._find_block(lowered[begin:end], lowered_bytes[begin:end])
            found_pos.append(token_start[token] + begin)
            found_key.append(key)
            begin = end
        pos, key = np.concatenate(found_pos), np.concatenate(found_key)
        hit, entry = _explode(self.entry_ptr, self.entry_idx, key)
        pos = pos[hit]
        capitals = np.flatnonzero(self.acronym[entry] >= 0)
        if len(capitals):  # an acronym only where the text has it in capitals, as written in the codebook
            form = self.capitals[entry[capitals]]
            start = pos[capitals]
            same = np.ones(len(capitals), dtype=bool)
            for k in range(form.shape[1]):
                live = form[:, k] > 0
                same[live] &= cleaned[start[live] + k] == form[live, k]
            keep = np.ones(len(entry), dtype=bool)
            keep[capitals[~same]] = False
            pos, entry = pos[keep], entry[keep]
        return pos, entry

    def _find_block(self, lowered: str, lowered_bytes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(word where a literal starts, literal, where each word starts) in one block of text."""
        tokens = lowered.split(" ")
        count = len(tokens)
        token_start = np.concatenate(([0], np.flatnonzero(lowered_bytes == 32) + 1))
        word = np.fromiter(map(self.parts.get, tokens, repeat(-1)), dtype=np.int64, count=count)
        endings = self._endings_of(tokens, token_start, word, lowered_bytes)
        found_at, found_key = [], []
        for column in endings:  # one-part literals
            key = self.terminal[self.root_child[column]]
            found_at.append(np.flatnonzero(key >= 0))
            found_key.append(key[found_at[-1]])
        node = self.root_child[word[:-1]]
        start = np.flatnonzero(node >= 0)
        node = node[start]
        for step in range(1, self.depth):
            at = start + step
            for column in endings:
                part = column[at]
                maybe = np.flatnonzero(self.later[part])
                key = self.terminal[self._child(node[maybe], part[maybe])]
                hit = key >= 0
                found_at.append(start[maybe[hit]])
                found_key.append(key[hit])
            if step + 1 == self.depth:
                break
            part = word[at]
            maybe = np.flatnonzero(self.later[part] & (at + 1 < count))
            child = self._child(node[maybe], part[maybe])
            going = child >= 0
            start, node = start[maybe[going]], child[going]
            if not len(start):
                break
        return np.concatenate(found_at), np.concatenate(found_key), token_start

"""Choosing the review's authority and its comparators among a workforce file's names.

Council names are matched forgivingly ('Bristol City Council' = 'Bristol, City of'); a name that is not found
is reported with the few closest names, never a list of every council.
"""
from __future__ import annotations

import difflib
import re
from typing import Iterable

import pandas as pd

from ..errors import Problem
from .workforce_columns import Mapped

_COUNCIL_WORDS = re.compile(
    r"\b(the|council|county|city|borough|metropolitan|district|royal|london|of|and|&)\b", re.I)


def _core(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", _COUNCIL_WORDS.sub(" ", name.lower())).strip()


def _stem(core: str) -> str:
    """A core name with '-shire' dropped from each word ('devonshire' -> 'devon'), for the forms officers write."""
    return " ".join(re.sub(r"(?<=[a-z]{3})shire$", "", word) for word in core.split())


def match_by_core(wanted: str, names: Iterable[str]) -> str | None:
    """The one name that `wanted` means once council affixes are removed, or None (no match, or several).

    Tried in turn, each needing a single candidate: the same core words ('Bristol City Council' = 'Bristol,
    City of'); the same without '-shire' ('Devonshire County Council' = 'Devon'); every core word of `wanted`
    within the name's ('Hull City Council' = 'Kingston upon Hull, City of')."""
    core = _core(wanted)
    if not core:
        return None
    names = [n for n in dict.fromkeys(names) if n]
    cores = {n: _core(n) for n in names}
    tests = (lambda c: c == core, lambda c: _stem(c) == _stem(core),
             lambda c: set(_stem(core).split()) <= set(_stem(c).split()))
    for test in tests:
        found = [n for n in names if cores[n] and test(cores[n])]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            return None
    return None


def closest_names(wanted: str, names: Iterable[str], n: int = 3) -> list[str]:
    """The few names most like `wanted` once council affixes are removed ('South-West' -> 'South West'):
    never a list of every name."""
    core = _stem(_core(wanted)) or wanted.lower()
    words = set(core.split())
    scored = []
    for name in dict.fromkeys(names):
        other = _stem(_core(name)) or name.lower()
        ratio = max(difflib.SequenceMatcher(None, core, other).ratio(),
                    difflib.SequenceMatcher(None, wanted.lower(), name.lower()).ratio())
        overlap = len(words & set(other.split())) / max(len(words | set(other.split())), 1)
        within = 0.9 if words and words <= set(other.split()) else 0.0  # every word asked for is in the name
        score = max(ratio, overlap, within)
        if score >= 0.6:
            scored.append((-score, name))
    return [name for _, name in sorted(scored)[:n]]


def resolve_authority(mapped: Mapped, authority: str, source: str) -> tuple[str | None, list[Problem]]:
    wanted = re.sub(r"\s+", " ", str(authority)).strip()
    low = wanted.lower()
    wide, codes = mapped.wide, mapped.codes
    local = wide["level"].isin(["local authority", ""]) if mapped.layout == "dfe" else pd.Series(True, index=wide.index)
    hit = codes["name"] == low
    for code in ("new_la_code", "old_la_code"):
        if code in codes:
            hit |= codes[code] == low
    if mapped.layout == "dfe" and (hit & local).any():
        hit &= local
    if not hit.any():
        same = match_by_core(wanted, wide.loc[local, "authority"])
        if same is not None:
            hit = wide["authority"] == same
    if hit.any():
        return str(wide.loc[hit, "authority"].iloc[0]), []
    names = sorted({n for n in wide.loc[local, "authority"] if n})
    close = closest_names(wanted, names)
    column = "la_name or new_la_code" if mapped.layout == "dfe" else f"'{mapped.headers.get('authority', 'authority')}'"
    hint = ("closest matches: " + ", ".join(f"'{c}'" for c in close)) if close else (
        f"no name among the file's {len(names)} authorities is close: check the spelling")
    return None, [Problem(source, f"no rows for the authority '{wanted}' in {column}; {hint} "
                                  "(set `authority:` in the params file to the name used in the file)")]


def _comparator_names(mapped: Mapped, authority: str | None) -> dict[str, str]:
    """lower-case name -> display name of every whole-authority row that could be a comparator."""
    wide = mapped.wide
    rows = wide[wide["team"] == ""]
    names: dict[str, str] = {}
    for name in rows["authority"]:
        if name and name.lower() != (authority or "").lower():
            names.setdefault(name.lower(), name)
    return names


def resolve_comparators(mapped: Mapped, authority: str | None, comparators: list[str] | None,
                         source: str) -> tuple[list[str], list[Problem]]:
    available = _comparator_names(mapped, authority)
    if comparators is None:
        if mapped.layout == "dfe":
            national = mapped.wide.loc[mapped.wide["level"] == "national", "authority"]
            return ([national.iloc[0]] if len(national) else []), []
        return ([available["england"]] if "england" in available else []), []
    resolved: list[str] = []
    problems: list[Problem] = []
    for given in comparators:
        wanted = re.sub(r"\s+", " ", str(given)).strip()
        if authority and wanted.lower() == authority.lower():
            continue
        if wanted.lower() in available:
            name = available[wanted.lower()]
            if name not in resolved:
                resolved.append(name)
            continue
        problems.append(Problem(source, f"comparator '{wanted}' is not in the file; "
                                + _comparator_hint(mapped, wanted, list(available.values()))))
    return resolved, problems


def _comparator_hint(mapped: Mapped, wanted: str, names: list[str]) -> str:
    """Did you mean the few closest names; else, for a DfE file, what kinds of name work (never every name)."""
    close = closest_names(wanted, names)
    hint = f"did you mean {' or '.join(repr(c) for c in close)}? " if close else ""
    if len(names) <= 12:
        return hint + "names available: " + (", ".join(sorted(names, key=lambda n: (n != "England", n))) or "none")
    if hint:
        return hint.strip()
    if mapped.layout == "dfe":
        regions = sorted(set(mapped.wide.loc[mapped.wide["level"] == "regional", "authority"]))
        return ("use 'England', a region (" + (", ".join(regions) or "none in this file")
                + ") or a local authority as the file's la_name writes it")
    return f"no name among the file's {len(names)} is close: check the spelling"


def authority_rows(mapped: Mapped, authority: str) -> pd.Series:
    """The review authority's rows (whole authority and teams); in a DfE file its LA rows, not a region that
    happens to share the name."""
    wide = mapped.wide
    is_authority = wide["authority"].str.lower() == authority.lower()
    if mapped.layout == "dfe":
        local = wide["level"].isin(["local authority", ""])
        if (is_authority & local).any():
            is_authority &= local
    return is_authority


def used_rows(mapped: Mapped, authority: str, comparators: list[str]) -> pd.Series:
    """The rows a review uses: its authority's, and each comparator's whole-authority rows."""
    wide = mapped.wide
    is_authority = authority_rows(mapped, authority)
    is_comparator = wide["authority"].str.lower().isin({c.lower() for c in comparators}) & (wide["team"] == "")
    return is_authority | (is_comparator & ~is_authority)

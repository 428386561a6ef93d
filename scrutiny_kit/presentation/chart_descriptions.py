"""Chart headlines: the sentence under each figure that says what its chart shows (the trend against the target
and comparators, or the highest and lowest team), also the SVG's description."""
from __future__ import annotations

import numpy as np

from ..analysis.measures import (Measure, comparable, format_target, format_value, is_missing, is_small,
                                 missing_clause, possessive)
from ..sources.workforce import Workforce
from .chart_data import chart_measure, team_data, trend_data
from ..wording import join_words

# --- descriptions (the headline in words) --------------------------------------------------------------------

def _group_comparisons(items: list[tuple[str, str]]) -> str:
    """[("above", "the target of 24"), ("above", "England's 17.8"), ("below", "X's 30")] ->
    "above the target of 24 and England's 17.8, and below X's 30"."""
    order: list[str] = []
    groups: dict[str, list[str]] = {}
    for direction, what in items:
        if direction not in groups:
            order.append(direction)
            groups[direction] = []
        groups[direction].append(what)
    parts = []
    for direction in order:
        whats = groups[direction]
        joined = whats[0] if len(whats) == 1 else ", ".join(whats[:-1]) + " and " + whats[-1]
        parts.append(f"{direction} {joined}")
    if len(parts) == 1:
        return parts[0]
    last_join = ", and " if any(len(groups[d]) > 1 for d in order) else " and "
    return ", ".join(parts[:-1]) + last_join + parts[-1]


def _direction(value: float, other: float, info: Measure) -> str:
    tolerance = 0.05 if info.kind in ("percent", "average") else 1e-9
    if abs(value - other) < tolerance:
        return "level with"
    return "above" if value > other else "below"


def trend_description(workforce: Workforce, measure: str, target: float | None = None, *,
                      suppress_small_numbers: bool = False) -> str:
    """e.g. "Average caseload rose from 22.5 in 2022 to 26.0 in 2024, above the target of 24 and England's 17.8." """
    info = chart_measure(workforce, measure)
    d = trend_data(workforce, measure, suppress_small_numbers=suppress_small_numbers)
    own = d[d["series"] == workforce.authority]
    fmt = lambda v: format_value(v, info, unit=False, suppress_small_numbers=suppress_small_numbers)  # noqa: E731
    label = info.label
    if own.empty:
        return f"{label}: no whole-authority figures for {workforce.authority}."
    known = own[~own["missing"].astype(bool)]  # a value (possibly shown as "fewer than 5")
    if known.empty:
        return f"{label}: every figure for {workforce.authority} is missing ({', '.join(sorted(set(own['missing'])))})."
    first, last = known.iloc[0], known.iloc[-1]
    raw = workforce.data
    raw_own = raw[(raw["measure"] == measure) & (raw["role"] == "authority") & (raw["team"] == "")]
    raw_value = dict(zip(raw_own["period"], raw_own["value"]))
    fv, lv = raw_value.get(first["period"], np.nan), raw_value.get(last["period"], np.nan)
    if first["period"] == last["period"]:
        sentence = f"{label} was {fmt(lv)} in {last['period']}"
    else:
        small = is_small(fv, info, suppress_small_numbers) or is_small(lv, info, suppress_small_numbers)
        direction = _direction(lv, fv, info)
        if direction == "level with" and not small:
            sentence = f"{label} was {fmt(lv)} in both {first['period']} and {last['period']}"
        else:
            verb = "rose" if lv > fv else "fell"
            if small and direction == "level with":
                verb = "changed"
            sentence = f"{label} {verb} from {fmt(fv)} in {first['period']} to {fmt(lv)} in {last['period']}"
    comparisons: list[tuple[str, str]] = []
    if not is_small(lv, info, suppress_small_numbers):
        if target is not None and not is_missing(target):
            comparisons.append((_direction(lv, target, info), f"the target of {format_target(target, info)}"))
        for name in (workforce.comparators if comparable(info) else []):
            match = d[(d["series"] == name) & (d["period"] == last["period"])]
            if len(match) and not is_missing(match["value"].iloc[0]):
                comparisons.append((_direction(lv, match["value"].iloc[0], info),
                                    f"{possessive(name)} {fmt(match['value'].iloc[0])}"))
    if comparisons:
        sentence += ", " + _group_comparisons(comparisons)
    sentence += "."
    gaps = own[own["missing"].astype(bool)]
    by_reason: dict[str, list[str]] = {}
    for period, reason in zip(gaps["period"], gaps["missing"]):
        by_reason.setdefault(reason, []).append(period)
    for reason, periods in by_reason.items():
        if len(periods) == 1:
            sentence += f" The figure for {periods[0]} {missing_clause(reason)}."
        else:
            sentence += f" The figures for {join_words(periods)} {missing_clause(reason, plural=True)}."
    return sentence


def team_description(workforce: Workforce, measure: str, target: float | None = None, *,
                     suppress_small_numbers: bool = False) -> str:
    """e.g. "In 2024 average caseload was highest in the Children in Care Team (28.0) and lowest in the Front
    Door / MASH (19.5); 4 of 5 teams were above the target of 20." """
    info = chart_measure(workforce, measure)
    d = team_data(workforce, measure, suppress_small_numbers=suppress_small_numbers)
    if d.empty:
        return f"There are no team figures for {info.label.lower()}."
    period = d["period"].iloc[0]
    have = d[d["value"].notna()]
    name = lambda t: t if t.lower().startswith("the ") else f"the {t}"  # noqa: E731
    fmt = lambda v: format_value(v, info, unit=False)  # noqa: E731
    lower = info.phrase  # "the number of FTE social workers": a singular noun phrase, so "was" agrees
    if len(have) >= 2:
        hi, lo = have.iloc[0], have.iloc[-1]
        sentence = (f"In {period} {lower} was highest in {name(hi['team'])} ({fmt(hi['value'])}) and lowest in "
                    f"{name(lo['team'])} ({fmt(lo['value'])})")
    elif len(have) == 1:
        sentence = f"In {period} {lower} was {fmt(have['value'].iloc[0])} in {name(have['team'].iloc[0])}"
    else:
        sentence = f"In {period} no team figures for {lower} can be shown"
    if target is not None and not is_missing(target) and len(have):
        worse = have["value"] > target if info.higher_is_better is not True else have["value"] < target
        word = "above" if info.higher_is_better is not True else "below"
        sentence += f"; {int(worse.sum())} of {len(have)} teams were {word} the target of {format_target(target, info)}"
    sentence += "."
    missing = d[d["value"].isna()]
    if len(missing):
        sentence += " " + "; ".join(f"{t}: {s}" for t, s in zip(missing["team"], missing["shown"])) + "."
    return sentence

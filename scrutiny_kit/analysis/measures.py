"""Derived workforce measures: latest values, changes, distance from targets and comparator gaps, in numbers
and in plain-English sentences.

Numbers are formatted one way everywhere (tables, sentences, chart tables): rates and averages to 1 decimal
place ("18.0%", "26.0"), counts without a trailing ".0" when whole ("89", "1,234", "98.3"), targets as
given ("24", "15%"), changes signed ("+2.0", "+8.3%"; "percentage points" for rates).

Small-number suppression: with ``suppress_small_numbers=True`` any count (FTE, headcount, and extra columns
named ``…_fte`` / ``…_headcount``) under 5 — including 0 — is shown as "fewer than 5" and no change or
difference that would reveal it is printed; charts leave such points out and their tables say "fewer
than 5". Rates and averages are not suppressed.
"""
from __future__ import annotations

import functools
import math
import re
from typing import Any, Mapping

import numpy as np
import pandas as pd

from ..catalogue import DFE_EXTRAS, MEASURES, Measure, canonical_measure_id, describe_measure_id
from ..errors import InputError, Problem
from ..sources.workforce import Workforce

SMALL_NUMBER = 5
COMPARABLE_KINDS = ("percent", "average")  # a council's FTE or headcount is not set beside England's in prose
SMALL_NUMBER_TEXT = "fewer than 5"


def comparable(measure: Measure) -> bool:
    """True when a measure is set beside comparators (percentages and averages, not FTE or headcounts)."""
    return measure.kind in COMPARABLE_KINDS


def measure_info(measure_id: str, workforce: Workforce | None = None) -> Measure:
    """The catalogue entry, or a generic one for an extra numeric column (labelled from its header)."""
    header = (workforce.labels.get(measure_id) if workforce is not None else None) or ""
    return describe_measure_id(measure_id, header)


# --- formatting ----------------------------------------------------------------------------------------

def is_missing(value: Any) -> bool:
    """True for a value with no figure: None, NaN or pandas' NA."""
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def is_small(value: Any, measure: Measure, suppress_small_numbers: bool) -> bool:
    """True when this value must be shown as "fewer than 5"."""
    return bool(suppress_small_numbers and measure.suppressible and not is_missing(value)
                and float(value) < SMALL_NUMBER)


def format_value(value: Any, measure: Measure | str, *, missing: str = "", unit: bool = True,
                 suppress_small_numbers: bool = False) -> str:
    """One value as readers see it: "18.0%", "26.0 cases per FTE" (unit=True) / "26.0", FTE "281.0", "1,234", a missing
    reason in words, or "fewer than 5"."""
    m = MEASURES.get(measure, None) if isinstance(measure, str) else measure
    if m is None:
        m = measure_info(str(measure))
    if is_missing(value):
        return missing or "not available"
    if is_small(value, m, suppress_small_numbers):
        return SMALL_NUMBER_TEXT
    v = float(value)
    if m.kind in ("percent", "average") or m.unit == "FTE":  # FTE is fractional: 281.0 beside 290.5, not 281
        text = f"{v:,.1f}"
    else:
        text = f"{v:,.0f}" if v.is_integer() else f"{v:,.1f}"
    if m.kind == "percent":
        return text + "%"
    if unit and m.kind == "average" and m.unit:
        return f"{text} {m.unit}"
    return text


def format_target(value: float, measure: Measure) -> str:
    """A target as written in the params: "24", "15%", "20.5"."""
    v = float(value)
    text = f"{v:,.0f}" if v.is_integer() else f"{v:,.1f}".rstrip("0").rstrip(".")
    return text + ("%" if measure.kind == "percent" else "")


def format_change(value: Any, measure: Measure) -> str:
    """A signed difference: "+2.0", "-1.5", "+7" (whole counts); percentage points for rates."""
    if is_missing(value):
        return ""
    v = float(value)
    if abs(v) < 0.05 and measure.kind in ("percent", "average"):
        v = 0.0
    if measure.kind in ("percent", "average") or not v.is_integer():
        text = f"{v:+,.1f}"
    else:
        text = f"{v:+,.0f}"
    return text + (" percentage points" if measure.kind == "percent" else "")


def format_pct(value: Any) -> str:
    """A signed relative change: "+8.3%"."""
    if is_missing(value):
        return ""
    v = float(value)
    return f"{(0.0 if abs(v) < 0.05 else v):+,.1f}%"


def period_phrase(period: str) -> str:
    """"in 2024" / "in 2015-16" / "at 31 March 2016" (a date label)."""
    return f"at {period}" if re.match(r"^\d{1,2} [A-Z][a-z]+ \d{4}$", str(period)) else f"in {period}"


def possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


# --- derived measures ----------------------------------------------------------------------------------

DERIVED_COLUMNS = [
    "measure", "label", "unit", "team", "periods", "first_period", "first_value", "previous_period",
    "previous_value", "latest_period", "latest_value", "latest_missing", "latest_available_period",
    "latest_available_value", "change_first_abs", "change_first_pct", "change_prev_abs", "change_prev_pct",
    "target", "vs_target_abs", "vs_target_pct", "meets_target", "higher_is_better", "missing_periods",
]
GAP_COLUMNS = [
    "measure", "label", "unit", "team", "period", "period_order", "value", "missing", "comparator",
    "comparator_value", "comparator_missing", "gap_abs", "gap_pct",
]


def normalise_targets(targets: Mapping[str, float] | None, workforce: Workforce | None = None) -> dict[str, float]:
    """Target keys as canonical ids ("Average caseload" -> caseload_avg); unknown ids raise InputError."""
    out: dict[str, float] = {}
    problems: list[Problem] = []
    known = set(MEASURES) | set(workforce.measures if workforce is not None else ())
    for key, value in (targets or {}).items():
        mid = canonical_measure_id(key)
        if mid not in known:
            problems.append(Problem(None, f"targets: unknown measure '{key}' (known measures: "
                                          f"{', '.join(sorted(known))})"))
            continue
        try:
            out[mid] = float(value)
        except (TypeError, ValueError):
            problems.append(Problem(None, f"targets: the target for '{key}' must be a number", value=value))
    if problems:
        raise InputError(problems)
    return out


def _pct(change: float, base: float) -> float:
    if is_missing(change) or is_missing(base) or base == 0:
        return np.nan
    return change / abs(base) * 100.0


def derive_measures(workforce: Workforce, targets: Mapping[str, float] | None = None) -> pd.DataFrame:
    """One row per (measure, team) of the review authority ("" team = whole authority first).

    ``latest_*`` is the authority's last period for that measure and team (its value may be missing, with
    the reason in ``latest_missing``; ``latest_available_*`` is then the last period with a value);
    ``first_*`` / ``previous_*`` are the earliest / the most recent earlier periods with a value;
    changes are latest minus first / previous (absolute, and % of the earlier value); ``vs_target_*`` is
    latest minus target (and % of the target); ``meets_target`` uses the measure's direction (NA when
    unknown); ``missing_periods`` lists "period: reason" for every missing value.
    """
    goals = normalise_targets(targets, workforce)
    data = workforce.data[workforce.data["role"] == "authority"]
    teams = [""] + workforce.teams
    rows: list[dict[str, Any]] = []
    for mid in workforce.measures:
        info = measure_info(mid, workforce)
        for team in teams:
            series = data[(data["measure"] == mid) & (data["team"] == team)].sort_values("period_order")
            if series.empty:
                continue
            latest = series.iloc[-1]
            earlier = series.iloc[:-1]
            earlier_ok = earlier[earlier["value"].notna()]
            available = series[series["value"].notna()]
            first = earlier_ok.iloc[0] if len(earlier_ok) else None
            previous = earlier_ok.iloc[-1] if len(earlier_ok) else None
            lv = latest["value"]
            target = goals.get(mid, np.nan)
            vs = lv - target if not is_missing(target) else np.nan
            if is_missing(vs) or info.higher_is_better is None:
                meets = pd.NA
            else:
                meets = bool(lv >= target) if info.higher_is_better else bool(lv <= target)
            change_first = lv - first["value"] if first is not None else np.nan
            change_prev = lv - previous["value"] if previous is not None else np.nan
            rows.append({
                "measure": mid, "label": info.label, "unit": info.unit, "team": team,
                "periods": len(series),
                "first_period": first["period"] if first is not None else "",
                "first_value": first["value"] if first is not None else np.nan,
                "previous_period": previous["period"] if previous is not None else "",
                "previous_value": previous["value"] if previous is not None else np.nan,
                "latest_period": latest["period"], "latest_value": lv, "latest_missing": latest["missing"],
                "latest_available_period": available.iloc[-1]["period"] if len(available) else "",
                "latest_available_value": available.iloc[-1]["value"] if len(available) else np.nan,
                "change_first_abs": change_first,
                "change_first_pct": _pct(change_first, first["value"] if first is not None else np.nan),
                "change_prev_abs": change_prev,
                "change_prev_pct": _pct(change_prev, previous["value"] if previous is not None else np.nan),
                "target": target, "vs_target_abs": vs, "vs_target_pct": _pct(vs, target),
                "meets_target": meets, "higher_is_better": info.higher_is_better,
                "missing_periods": "; ".join(f"{p}: {r}" for p, r in zip(series["period"], series["missing"]) if r),
            })
    out = pd.DataFrame(rows, columns=DERIVED_COLUMNS)
    for col in ("first_value", "previous_value", "latest_value", "latest_available_value", "change_first_abs",
                "change_first_pct", "change_prev_abs", "change_prev_pct", "target", "vs_target_abs", "vs_target_pct"):
        out[col] = out[col].astype("float64")
    out["periods"] = out["periods"].astype("int64")
    out["meets_target"] = out["meets_target"].astype("boolean")
    return out


def comparator_gaps(workforce: Workforce) -> pd.DataFrame:
    """Authority minus each comparator, per (measure, team), for the authority's latest period of that
    measure and team. ``comparator_missing`` holds the reason when the comparator has no value then
    ("no figure for <period>" when it has no row for that period)."""
    data = workforce.data
    own = data[data["role"] == "authority"]
    others = data[(data["role"] == "comparator") & (data["team"] == "")]
    rows: list[dict[str, Any]] = []
    for mid in workforce.measures:
        info = measure_info(mid, workforce)
        mine = own[own["measure"] == mid]
        for team in [""] + workforce.teams:
            series = mine[mine["team"] == team]
            if series.empty:
                continue
            latest = series.sort_values("period_order").iloc[-1]
            for comparator in workforce.comparators:
                match = others[(others["measure"] == mid) & (others["authority"] == comparator)
                               & (others["period_order"] == latest["period_order"])]
                cv = match["value"].iloc[0] if len(match) else np.nan
                cm = match["missing"].iloc[0] if len(match) else f"no figure for {latest['period']}"
                gap = latest["value"] - cv
                rows.append({
                    "measure": mid, "label": info.label, "unit": info.unit, "team": team,
                    "period": latest["period"], "period_order": int(latest["period_order"]),
                    "value": latest["value"], "missing": latest["missing"], "comparator": comparator,
                    "comparator_value": cv, "comparator_missing": cm if is_missing(cv) else "",
                    "gap_abs": gap, "gap_pct": _pct(gap, cv),
                })
    out = pd.DataFrame(rows, columns=GAP_COLUMNS)
    for col in ("value", "comparator_value", "gap_abs", "gap_pct"):
        out[col] = out[col].astype("float64")
    out["period_order"] = out["period_order"].astype("int64")
    return out


# --- sentences -----------------------------------------------------------------------------------------

_MISSING_CLAUSE = {
    "suppressed": "is suppressed",
    "not available": "is not available",
    "not applicable": "does not apply",
    "low (rounds to 0)": "is low (rounds to 0)",
    "low reliability": "is not shown (low reliability)",
    "blank": "was left blank",
}


def missing_clause(reason: str, *, plural: bool = False) -> str:
    """A missing reason as a predicate: "is suppressed", "does not apply", "are not available" (plural)."""
    clause = _MISSING_CLAUSE.get(reason, f"is {reason or 'not available'}")
    if plural:
        clause = clause.replace("is ", "are ", 1).replace("does not", "do not").replace("was ", "were ", 1)
    return clause


def _subject(phrase: str, team: str) -> str:
    if team:
        article = "" if team.lower().startswith("the ") else "the "
        return f"In {article}{team}, {phrase}"
    return phrase[0].upper() + phrase[1:]


def describe_measure(row: Mapping[str, Any] | pd.Series, gaps: pd.DataFrame | None = None, *,
                     suppress_small_numbers: bool = False) -> str:
    """A plain-English sentence for one row of :func:`derive_measures`, e.g.

    "The average caseload was 26.0 cases per FTE in 2024 against a target of 24 (+2.0, +8.3%), up from
    22.5 in 2022; England: 17.8."

    ``gaps`` (from :func:`comparator_gaps`) adds each comparator's figure for the same period.
    """
    get = row.get if hasattr(row, "get") else (lambda k, d=None: row[k])
    mid = str(get("measure"))
    info = _row_measure(mid, get("label"))
    team = str(get("team", "") or "")
    subject = _subject(info.phrase, team)
    latest_period = str(get("latest_period", ""))
    lv = get("latest_value", np.nan)
    shown = functools.partial(format_value, measure=info, suppress_small_numbers=suppress_small_numbers)

    if is_missing(lv):
        sentence = f"{subject} for {latest_period} {missing_clause(str(get('latest_missing', '') or 'not available'))}"
        av, ap = get("latest_available_value", np.nan), str(get("latest_available_period", "") or "")
        if not is_missing(av) and ap:
            sentence += f"; the latest figure was {shown(av)} {period_phrase(ap)}"
    else:
        sentence = f"{subject} was {shown(lv)} {period_phrase(latest_period)}"
        target = get("target", np.nan)
        if not is_missing(target):
            sentence += _against_target(target, get("vs_target_abs"), get("vs_target_pct"), info,
                                        small=is_small(lv, info, suppress_small_numbers))
        fv, fp = get("first_value", np.nan), str(get("first_period", "") or "")
        if not is_missing(fv) and fp:
            small = is_small(lv, info, suppress_small_numbers) or is_small(fv, info, suppress_small_numbers)
            direction = "compared with" if small else _direction(float(get("change_first_abs", lv - fv)), info)
            sentence += f", {direction} {shown(fv, unit=False)} {period_phrase(fp)}"
    if gaps is not None and len(gaps) and comparable(info):
        sentence += _comparators_clause(gaps, mid, team, info, suppress_small_numbers)
    return sentence + "."


def _row_measure(measure_id: str, label: Any) -> Measure:
    """The catalogue's measure, or for an extra column a generic one worded from the row's label."""
    info = measure_info(measure_id)
    if not label or measure_id in MEASURES or measure_id in DFE_EXTRAS:
        return info
    label = str(label)
    return Measure(measure_id, label, info.unit, info.kind, info.higher_is_better,
                   "the figure for " + (label[0].lower() + label[1:] if not label[:2].isupper() else label))


def _against_target(target: Any, difference: Any, percent: Any, info: Measure, *, small: bool) -> str:
    """' against a target of 24 (+2.0, +8.3%)'; no difference is given beside a figure shown as "fewer than 5"."""
    clause = f" against a target of {format_target(target, info)}"
    if small:
        return clause
    diff = format_change(difference, info)
    return clause + (f" ({diff})" if info.kind == "percent" else f" ({diff}, {format_pct(percent)})")


def _direction(change: float, info: Measure) -> str:
    """'up from', 'down from' or 'unchanged from' (rates and averages within 0.05 are unchanged)."""
    if abs(change) < (0.05 if info.kind in ("percent", "average") else 1e-9):
        return "unchanged from"
    return "up from" if change > 0 else "down from"


def _comparators_clause(gaps: pd.DataFrame, measure_id: str, team: str, info: Measure,
                        suppress_small_numbers: bool) -> str:
    """'; England: 17.8; East Midlands: 18.2' for one measure and team; nothing when no comparator has a figure."""
    mine = gaps[(gaps["measure"] == measure_id) & (gaps["team"] == team)]
    if mine["comparator_value"].isna().all():
        return ""  # say nothing rather than "not available" n times
    return "".join(f"; {g.comparator}: " + format_value(g.comparator_value, info, unit=False, missing=g.comparator_missing,
                                                        suppress_small_numbers=suppress_small_numbers)
                   for g in mine.itertuples(index=False))


def measures_table(derived: pd.DataFrame, gaps: pd.DataFrame | None = None, *,
                   suppress_small_numbers: bool = False) -> pd.DataFrame:
    """The derived measures as a table of display strings (for HTML tables): one row per (measure, team)."""
    comparators = list(dict.fromkeys(gaps["comparator"])) if gaps is not None and len(gaps) else []
    rows = []
    for r in derived.itertuples(index=False):
        info = measure_info(r.measure)
        if r.measure not in MEASURES and r.measure not in DFE_EXTRAS:
            info = Measure(r.measure, r.label, r.unit, info.kind, info.higher_is_better, info.phrase)
        fmt = lambda v, missing="": format_value(v, info, missing=missing,  # noqa: E731
                                                 suppress_small_numbers=suppress_small_numbers)
        row = {
            "Measure": info.axis_title,
            "Team": r.team or "Whole authority",
            "Latest period": r.latest_period,
            "Latest": fmt(r.latest_value, r.latest_missing),
            "Earliest": f"{fmt(r.first_value)} ({r.first_period})" if r.first_period else "",
            "Target": format_target(r.target, info) if not is_missing(r.target) else "",
        }
        for c in comparators:
            g = gaps[(gaps["measure"] == r.measure) & (gaps["team"] == r.team) & (gaps["comparator"] == c)]
            row[c] = fmt(g["comparator_value"].iloc[0], g["comparator_missing"].iloc[0]) if len(g) else ""
        rows.append(row)
    return pd.DataFrame(rows, columns=["Measure", "Team", "Latest period", "Latest", "Earliest", "Target", *comparators])

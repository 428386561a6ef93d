"""Accessible workforce charts: Altair specs rendered to inline SVG with vl-convert, each wrapped in a
``<figure>`` with a caption, a headline description and the chart's data as a real table.

* Colour is never the only cue: series differ by Okabe-Ito colour, line dash and point shape, and every
  line carries a direct label; the target is a dashed, labelled rule.
* Text is at least 12px; line colours have at least 3:1 contrast on white, text colours at least 4.5:1.
* Rendering is offline and deterministic: the data are inline, vl-convert is given no base URL to load
  from, it measures text with its bundled Liberation Sans (metric-compatible with Arial, the first font
  the SVG asks the browser for) so no font is downloaded, and ids inside the SVG (``clip1`` …) are renamed
  ``<figure_id>-<n>`` in order, so several SVGs can share a page and the same input gives the same bytes.
* Comparators appear beside the authority only for rates and averages: a council's FTE is not comparable
  with England's.
* With ``suppress_small_numbers`` counts under 5 are left out of the chart and shown as "fewer than 5" in
  its table (see :mod:`scrutiny_kit.analysis.measures`).
"""
from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, Protocol

import altair as alt
import jinja2
import numpy as np
import pandas as pd
from markupsafe import Markup, escape

from ..resources import package_path
from .wording import join_words
from ..analysis.measures import (COMPARABLE_KINDS, Measure, format_target, format_value, is_small, measure_info, missing_clause,
                       possessive)
from ..sources.workforce import BLANK, Workforce
from .svg_render import Drawing, SvgRenderer, prefix_svg_ids, shared_renderer
from . import svg_render

# Okabe-Ito; the authority is always first (blue, solid line, circles).
LINE_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#000000"]
TEXT_COLOURS = ["#0072B2", "#A84A00", "#007A5A", "#9E4F7D", "#000000"]  # same hues, >= 4.5:1 on white
DASHES = [[1, 0], [7, 3], [2, 2], [9, 3, 2, 3], [4, 2, 1, 2]]
SHAPES = ["circle", "square", "triangle-up", "diamond", "cross"]
TARGET_COLOUR = "#333333"
FONT = "Arial, Liberation Sans, Helvetica, sans-serif"
WIDTH, HEIGHT = 520, 280
LABEL_GAP_PX = 15

_CONFIG: dict[str, Any] = {
    "font": FONT,
    "aria": False,  # the <svg> is one role="img" with a title and description; marks need no ARIA of their own
    "background": "#ffffff",
    "view": {"stroke": None},
    "title": {"fontSize": 16, "subtitleFontSize": 13, "anchor": "start", "color": "#1a1a1a",
              "subtitleColor": "#333333", "offset": 12},
    "axis": {"labelFontSize": 12, "titleFontSize": 13, "labelColor": "#1a1a1a", "titleColor": "#1a1a1a",
             "domainColor": "#595959", "tickColor": "#595959", "gridColor": "#e0e0e0", "titleFontWeight": "normal"},
    "legend": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": "#1a1a1a", "titleColor": "#1a1a1a",
               "labelLimit": 320},
    "text": {"fontSize": 12},
}

_TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(package_path("templates", "fragments")),
    autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    undefined=jinja2.StrictUndefined,
)
_FIGURE_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


class ChartData(Protocol):
    def __call__(self, workforce: Workforce, measure: str, *, suppress_small_numbers: bool = False) -> pd.DataFrame: ...


# --- data for charts ---------------------------------------------------------------------------------------

def _info(workforce: Workforce, measure: str) -> Measure:
    if measure not in workforce.measures:
        raise ValueError(f"measure '{measure}' is not in the workforce data (have: {', '.join(workforce.measures)})")
    return measure_info(measure, workforce)


def _with_comparators(info: Measure) -> bool:
    return info.kind in COMPARABLE_KINDS


def _per_measure(kind: str) -> Callable[[Callable[[Workforce, str, bool], pd.DataFrame]], ChartData]:
    """Compute a chart's data once per workforce, measure and suppression setting (a chart, its table and its
    headline all ask for it); an unknown measure is an error before anything is computed."""

    def wrap(build: Callable[[Workforce, str, bool], pd.DataFrame]) -> ChartData:
        @functools.wraps(build)
        def get(workforce: Workforce, measure: str, *, suppress_small_numbers: bool = False) -> pd.DataFrame:
            _info(workforce, measure)
            return workforce.cached((kind, measure, suppress_small_numbers),
                                    lambda: build(workforce, measure, suppress_small_numbers))
        return get

    return wrap


@_per_measure("trend")
def trend_data(workforce: Workforce, measure: str, suppress_small_numbers: bool) -> pd.DataFrame:
    """The whole-authority series and (for rates/averages) each comparator: ``series, period, period_order,
    value, missing, shown`` with ``value`` NaN where missing or suppressed and ``shown`` the text readers see."""
    info = _info(workforce, measure)
    data = workforce.data
    rows = data[(data["measure"] == measure) & (data["team"] == "")]
    if not _with_comparators(info):
        rows = rows[rows["role"] == "authority"]
    series = [workforce.authority] + (workforce.comparators if _with_comparators(info) else [])
    rows = rows[rows["authority"].isin(series)]
    out = pd.DataFrame({
        "series": rows["authority"].astype(str),
        "period": rows["period"].astype(str),
        "period_order": rows["period_order"].astype("int64"),
        "value": rows["value"].astype("float64"),
        "missing": rows["missing"].astype(str),
    })
    # A comparator with no figure and no stated reason in any period (the file has no national figure for this
    # measure) is left out, rather than drawn as nothing and tabled as "not available" all the way down.
    blank = out["value"].isna() & out["missing"].isin(["", BLANK])
    empty = {s for s, all_blank in blank.groupby(out["series"]).all().items() if all_blank and s != workforce.authority}
    out = out[~out["series"].isin(empty)]
    out["shown"] = [format_value(v, info, missing=m, unit=False, suppress_small_numbers=suppress_small_numbers)
                    for v, m in zip(out["value"], out["missing"])]
    small = [is_small(v, info, suppress_small_numbers) for v in out["value"]]
    out.loc[small, "value"] = np.nan
    rank = {s: i for i, s in enumerate(series)}
    out["_rank"] = out["series"].map(rank)
    return out.sort_values(["_rank", "period_order"]).drop(columns="_rank").reset_index(drop=True)


@_per_measure("teams")
def team_data(workforce: Workforce, measure: str, suppress_small_numbers: bool) -> pd.DataFrame:
    """Each team's value in the latest period that has team rows for this measure: ``team, period, value,
    missing, shown`` (sorted by value, highest first; missing last). Empty when there are no team rows."""
    info = _info(workforce, measure)
    data = workforce.data
    rows = data[(data["measure"] == measure) & (data["role"] == "authority") & (data["team"] != "")]
    if rows.empty:
        return pd.DataFrame(columns=["team", "period", "value", "missing", "shown"])
    latest = rows["period_order"].max()
    rows = rows[rows["period_order"] == latest]
    out = pd.DataFrame({"team": rows["team"].astype(str), "period": rows["period"].astype(str),
                        "value": rows["value"].astype("float64"), "missing": rows["missing"].astype(str)})
    out["shown"] = [format_value(v, info, missing=m, unit=False, suppress_small_numbers=suppress_small_numbers)
                    for v, m in zip(out["value"], out["missing"])]
    out.loc[[is_small(v, info, suppress_small_numbers) for v in out["value"]], "value"] = np.nan
    out = out.assign(_na=out["value"].isna()).sort_values(["_na", "value", "team"], ascending=[True, False, True])
    return out.drop(columns="_na").reset_index(drop=True)


def trend_table(workforce: Workforce, measure: str, *, suppress_small_numbers: bool = False) -> pd.DataFrame:
    """The trend chart's data as a table of display strings: a ``Period`` column then one per series."""
    d = trend_data(workforce, measure, suppress_small_numbers=suppress_small_numbers)
    periods = d[["period", "period_order"]].drop_duplicates().sort_values("period_order")["period"].tolist()
    series = list(dict.fromkeys(d["series"]))
    table = pd.DataFrame({"Period": periods})
    for s in series:
        shown = dict(zip(d.loc[d["series"] == s, "period"], d.loc[d["series"] == s, "shown"]))
        table[s] = [shown.get(p, "no figure") for p in periods]
    return table


def team_table(workforce: Workforce, measure: str, target: float | None = None, *,
               suppress_small_numbers: bool = False) -> pd.DataFrame:
    """The team chart's data as a table of display strings: ``Team``, the value and (with a target) the gap."""
    info = _info(workforce, measure)
    d = team_data(workforce, measure, suppress_small_numbers=suppress_small_numbers)
    period = d["period"].iloc[0] if len(d) else ""
    table = pd.DataFrame({"Team": d["team"], f"{info.axis_title}, {period}": d["shown"]})
    if target is not None and not _nan(target):
        table[f"Difference from target ({format_target(target, info)})"] = [
            "" if _nan(v) else _signed(v - target, info) for v in d["value"]]
    return table.reset_index(drop=True)


def _nan(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _signed(v: float, info: Measure) -> str:
    text = f"{v:+,.1f}" if info.kind in ("percent", "average") or not float(v).is_integer() else f"{v:+,.0f}"
    return text + (" points" if info.kind == "percent" else "")


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
    info = _info(workforce, measure)
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
        if target is not None and not _nan(target):
            comparisons.append((_direction(lv, target, info), f"the target of {format_target(target, info)}"))
        for name in (workforce.comparators if _with_comparators(info) else []):
            match = d[(d["series"] == name) & (d["period"] == last["period"])]
            if len(match) and not _nan(match["value"].iloc[0]):
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
    info = _info(workforce, measure)
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
    if target is not None and not _nan(target) and len(have):
        worse = have["value"] > target if info.higher_is_better is not True else have["value"] < target
        word = "above" if info.higher_is_better is not True else "below"
        sentence += f"; {int(worse.sum())} of {len(have)} teams were {word} the target of {format_target(target, info)}"
    sentence += "."
    missing = d[d["value"].isna()]
    if len(missing):
        sentence += " " + "; ".join(f"{t}: {s}" for t, s in zip(missing["team"], missing["shown"])) + "."
    return sentence


# --- charts --------------------------------------------------------------------------------------------------

def _nice_max(value: float) -> float:
    if value <= 0 or _nan(value):
        return 1.0
    exponent = math.floor(math.log10(value))
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        candidate = step * 10 ** exponent
        if candidate >= value:
            return float(candidate)
    return float(10 ** (exponent + 1))  # pragma: no cover


def _top(info: Measure, values: list[float], headroom: float) -> float:
    """The top of a zero-based value axis: a round number above every value (100 at most for percentages)."""
    top = _nice_max(max(values + [0.0]) * headroom)
    return min(top, 100.0) if info.kind == "percent" and max(values + [0.0]) <= 100 else top


def _charted_series(workforce: Workforce, d: pd.DataFrame) -> list[str]:
    """The authority, then each comparator that has at least one value to draw."""
    have = set(d.loc[d["value"].notna(), "series"])
    return [workforce.authority] + [s for s in dict.fromkeys(d["series"]) if s != workforce.authority and s in have]


def _spread(positions: list[float], gap: float, low: float, high: float) -> list[float]:
    """Move label positions (pixels, any order) apart by at least ``gap``, keeping them within [low, high]."""
    order = sorted(range(len(positions)), key=lambda i: positions[i])
    placed = [positions[i] for i in order]
    for i in range(1, len(placed)):
        placed[i] = max(placed[i], placed[i - 1] + gap)
    if placed and placed[-1] > high:
        placed[-1] = high
        for i in range(len(placed) - 2, -1, -1):
            placed[i] = min(placed[i], placed[i + 1] - gap)
    out = [0.0] * len(positions)
    for rank, i in enumerate(order):
        out[i] = max(low - gap, placed[rank])
    return out


def _period_axis(periods: list[str]) -> alt.Axis:
    longest = max((len(p) for p in periods), default=0)
    return alt.Axis(labelAngle=0 if longest * 7 * len(periods) < WIDTH else -35, labelLimit=160)


def trend_chart(workforce: Workforce, measure: str, target: float | None = None, *,
                suppress_small_numbers: bool = False) -> alt.LayerChart:
    """The authority's trend with each comparator (rates and averages only) as labelled series, and the target
    as a dashed labelled rule. The x axis is ordered by ``period_order``."""
    info = _info(workforce, measure)
    d = trend_data(workforce, measure, suppress_small_numbers=suppress_small_numbers)
    periods = workforce.periods
    periods = [p for p in periods if p in set(d["period"])]
    series = _charted_series(workforce, d)
    d = d[d["series"].isin(series)]
    n = len(series)
    colours = alt.Scale(domain=series, range=(LINE_COLOURS * 2)[:n])
    text_colours = alt.Scale(domain=series, range=(TEXT_COLOURS * 2)[:n])
    top = _top(info, [v for v in d["value"] if not _nan(v)] + ([target] if target is not None and not _nan(target)
                                                                 else []), 1.08)
    x = alt.X("period:O", sort=periods, title="Period", axis=_period_axis(periods), scale=alt.Scale(domain=periods))
    y = alt.Y("value:Q", title=info.axis_title, scale=alt.Scale(domain=[0, top], nice=False, zero=True))
    legend = alt.Legend(title=None, orient="top", symbolSize=100, symbolStrokeWidth=0, direction="horizontal",
                        labelFontSize=12, columnPadding=18)
    plot = d[["series", "period", "value"]]
    if n == 1:
        legend = None  # one series: its direct label says all a legend would
    lines = alt.Chart(plot).mark_line(strokeWidth=2.5).encode(
        x=x, y=y,
        color=alt.Color("series:N", scale=colours, legend=legend),
        strokeDash=alt.StrokeDash("series:N", scale=alt.Scale(domain=series, range=(DASHES * 2)[:n]), legend=legend),
    )
    points = alt.Chart(plot).mark_point(filled=True, size=70, opacity=1).encode(
        x=x, y=y,
        color=alt.Color("series:N", scale=colours, legend=None),
        shape=alt.Shape("series:N", scale=alt.Scale(domain=series, range=(SHAPES * 2)[:n]), legend=None),
    )
    # Direct labels at each series' last value, nudged apart so they never overlap.
    ends = plot[plot["value"].notna()].groupby("series", sort=False).tail(1).copy()
    ends["label_y"] = ends["value"]
    for _, group in ends.groupby("period"):
        px = [HEIGHT * (1 - v / top) for v in group["value"]]
        moved = _spread(px, LABEL_GAP_PX, 0, HEIGHT)
        ends.loc[group.index, "label_y"] = [(1 - p / HEIGHT) * top for p in moved]
    ends["text"] = [f"{s}: {format_value(v, info, unit=False)}" for s, v in zip(ends["series"], ends["value"])]
    labels = alt.Chart(ends[["series", "period", "label_y", "text"]]).mark_text(
        align="left", baseline="middle", dx=10, fontSize=12, fontWeight="bold").encode(
        x=x, y=alt.Y("label_y:Q", scale=alt.Scale(domain=[0, top], nice=False, zero=True)),
        text=alt.Text("text:N"), color=alt.Color("series:N", scale=text_colours, legend=None),
    )
    layers: list[alt.Chart] = [lines, points, labels]
    if target is not None and not _nan(target):
        rule_data = pd.DataFrame({"target": [float(target)], "text": [f"Target: {format_target(target, info)}"]})
        layers.insert(0, alt.Chart(rule_data).mark_rule(color=TARGET_COLOUR, strokeDash=[6, 4], strokeWidth=1.5)
                      .encode(y=alt.Y("target:Q", scale=alt.Scale(domain=[0, top], nice=False, zero=True))))
        layers.append(alt.Chart(rule_data).mark_text(align="left", baseline="bottom", dx=4, dy=-4, fontSize=12,
                                                     color=TARGET_COLOUR)
                      .encode(x=alt.XValue(0), y=alt.Y("target:Q", scale=alt.Scale(domain=[0, top], nice=False)),
                              text=alt.Text("text:N")))
    first, last = (periods[0], periods[-1]) if periods else ("", "")
    compared = f" compared with {join_words(series[1:])}" if len(series) > 1 else ""
    title = alt.TitleParams(text=f"{info.label}, {first} to {last}" if first != last else f"{info.label}, {last}",
                            subtitle=f"{workforce.authority}{compared}")
    return alt.layer(*layers).properties(
        width=WIDTH, height=HEIGHT, title=title,
        description=trend_description(workforce, measure, target, suppress_small_numbers=suppress_small_numbers),
    ).configure(**_CONFIG)


def team_chart(workforce: Workforce, measure: str, target: float | None = None, *,
               suppress_small_numbers: bool = False) -> alt.LayerChart | None:
    """Teams compared in the latest period with team rows: horizontal bars (highest first), value labels (the
    missing reason in words where there is no value) and the target as a dashed labelled rule. ``None`` when
    the data have no team rows for this measure."""
    info = _info(workforce, measure)
    d = team_data(workforce, measure, suppress_small_numbers=suppress_small_numbers)
    if d.empty:
        return None
    period = d["period"].iloc[0]
    teams = d["team"].tolist()
    top = _top(info, [v for v in d["value"] if not _nan(v)] + ([target] if target is not None and not _nan(target)
                                                                 else []), 1.15)
    width = WIDTH - 120
    # Values sit inside long bars (white on blue) and just beyond short ones, so the target line never
    # runs through them; a missing value shows its reason in words at zero.
    inside = [not _nan(v) and v / top * width > 48 for v in d["value"]]
    plot = d[["team", "value", "shown"]].assign(label_x=d["value"].fillna(0.0), inside=inside)
    y = alt.Y("team:N", sort=teams, title="Team", axis=alt.Axis(labelLimit=260))
    xs = alt.Scale(domain=[0, top], nice=False, zero=True)
    layers: list[alt.Chart] = []
    if target is not None and not _nan(target):
        rule_data = pd.DataFrame({"target": [float(target)], "text": [f"Target: {format_target(target, info)}"]})
        layers.append(alt.Chart(rule_data).mark_rule(color=TARGET_COLOUR, strokeDash=[6, 4], strokeWidth=2)
                      .encode(x=alt.X("target:Q", scale=xs)))
        layers.append(alt.Chart(rule_data).mark_text(align="center", baseline="bottom", dy=-6, fontSize=12,
                                                     color=TARGET_COLOUR)
                      .encode(x=alt.X("target:Q", scale=xs), y=alt.YValue(0), text=alt.Text("text:N")))
    bars = alt.Chart(plot[["team", "value"]]).mark_bar(color=LINE_COLOURS[0], height={"band": 0.7}).encode(
        y=y, x=alt.X("value:Q", title=info.axis_title, scale=xs, axis=alt.Axis(tickCount=6)))
    labels_in = alt.Chart(plot.loc[plot["inside"], ["team", "label_x", "shown"]]).mark_text(
        align="right", baseline="middle", dx=-6, fontSize=12, fontWeight="bold", color="#ffffff").encode(
        y=y, x=alt.X("label_x:Q", scale=xs), text=alt.Text("shown:N"))
    labels_out = alt.Chart(plot.loc[~plot["inside"], ["team", "label_x", "shown"]]).mark_text(
        align="left", baseline="middle", dx=5, fontSize=12, color="#1a1a1a").encode(
        y=y, x=alt.X("label_x:Q", scale=xs), text=alt.Text("shown:N"))
    layers += [bars, labels_in, labels_out]
    return alt.layer(*layers).properties(
        width=width, height=max(120, 38 * len(teams)),
        title=alt.TitleParams(text=f"{info.label} by team, {period}", subtitle=workforce.authority),
        description=team_description(workforce, measure, target, suppress_small_numbers=suppress_small_numbers),
    ).configure(**_CONFIG)


# --- SVG and figure HTML ---------------------------------------------------------------------------------------

def render_svg(chart: alt.TopLevelMixin | Mapping[str, Any]) -> str:
    """The chart as an SVG string, offline (no URL may be loaded). Schema validation is skipped here
    (our own specs, checked in tests) because it costs more than the rendering."""
    return svg_render.render_svg(chart.to_dict(validate=False) if hasattr(chart, "to_dict") else chart)


def _chart_title(spec: Mapping[str, Any]) -> str:
    title = spec.get("title")
    if isinstance(title, Mapping):
        text = title.get("text", "")
        text = " ".join(text) if isinstance(text, list) else str(text)
        sub = title.get("subtitle")
        sub = " ".join(sub) if isinstance(sub, list) else (sub or "")
        return f"{text}: {sub}" if sub else text
    return "" if title is None else (" ".join(title) if isinstance(title, list) else str(title))


_INNER_ARIA = re.compile(r'\s(?:role|aria-roledescription|aria-label|aria-hidden)="[^"]*"')


def _accessible_svg(svg: str, figure_id: str, title: str, describedby: str) -> str:
    """One ``role="img"`` named by its title and described by the headline; Vega's per-mark ARIA roles
    (graphics-symbol …) are removed, as the picture is read as a whole and the data are in the table."""
    svg = _INNER_ARIA.sub("", prefix_svg_ids(svg, figure_id))
    match = re.match(r"<svg\b([^>]*)>", svg)
    if not match:
        raise ValueError("vl-convert did not return an SVG")
    attrs = re.sub(r'\s(?:role|aria-[a-z]+|focusable)="[^"]*"', "", match[1])
    attrs = attrs.replace('class="marks"', 'class="marks sk-chart"')
    head = (f'<svg{attrs} role="img" focusable="false" aria-labelledby="{figure_id}-title" '
            f'aria-describedby="{describedby}"><title id="{figure_id}-title">{escape(title)}</title>')
    return head + svg[match.end():]


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "not available"
    return str(value)


def figure_html(chart: alt.TopLevelMixin | Mapping[str, Any], *, figure_id: str, caption: str, description: str,
                table: pd.DataFrame, svg: str | None = None) -> str:
    """A ``<figure>``: the chart as inline SVG (``role="img"``, labelled by its title and described by the
    visible headline ``description``), a ``<figcaption>``, and ``table`` as an accessible HTML table inside
    ``<details>`` (first column = row headers; missing cells read "not available" unless the table already
    holds the reason in words). All text is escaped; output is byte-identical for the same input.
    ``svg``: the chart already rendered by :func:`render_svg` (see :func:`draw_figures`)."""
    if not _FIGURE_ID.match(figure_id):
        raise ValueError(f"figure_id must start with a letter and hold only letters, digits, '-' and '_': {figure_id!r}")
    spec = chart.to_dict(validate=False) if hasattr(chart, "to_dict") else dict(chart)
    svg = _accessible_svg(svg if svg is not None else render_svg(spec), figure_id, _chart_title(spec) or caption,
                          f"{figure_id}-desc")
    columns = [str(c) for c in table.columns]
    rows = [[_cell(v) for v in row] for row in table.itertuples(index=False, name=None)]
    html = _TEMPLATES.get_template("figure.html.j2").render(
        figure_id=figure_id, caption=caption, description=description, svg=Markup(svg),
        columns=columns, rows=rows,
    )
    return html



def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "measure"


def measure_figures(workforce: Workforce, measure: str, targets: Mapping[str, float] | None = None, *,
                    suppress_small_numbers: bool = False, id_prefix: str = "fig") -> list[Figure]:
    """The figures for one measure, not yet drawn: the trend, plus the team comparison when there are team
    rows. Figure ids are ``<id_prefix>-<measure>-trend`` and ``<id_prefix>-<measure>-teams``."""
    info = _info(workforce, measure)
    target = (targets or {}).get(measure)
    figures = []
    base = f"{id_prefix}-{_slug(measure)}"
    charted = _charted_series(workforce, trend_data(workforce, measure, suppress_small_numbers=suppress_small_numbers))
    compared = [c for c in workforce.comparators if c in charted]
    trend = trend_chart(workforce, measure, target, suppress_small_numbers=suppress_small_numbers)
    periods = trend_table(workforce, measure, suppress_small_numbers=suppress_small_numbers)["Period"].tolist()
    span = f"{periods[0]} to {periods[-1]}" if len(periods) > 1 else (periods[0] if periods else "")
    caption = f"{info.axis_title}, {workforce.authority}" + (f" compared with {join_words(compared)}" if compared else "") + (
        f", {span}" if span else "")
    figures.append(Figure(
        trend, measure=measure, figure_id=f"{base}-trend", caption=caption,
        description=trend_description(workforce, measure, target, suppress_small_numbers=suppress_small_numbers),
        table=trend_table(workforce, measure, suppress_small_numbers=suppress_small_numbers)))
    teams = team_chart(workforce, measure, target, suppress_small_numbers=suppress_small_numbers)
    if teams is not None:
        period = team_data(workforce, measure)["period"].iloc[0]
        figures.append(Figure(
            teams, measure=measure, figure_id=f"{base}-teams", caption=f"{info.axis_title} by team, {workforce.authority}, {period}",
            description=team_description(workforce, measure, target, suppress_small_numbers=suppress_small_numbers),
            table=team_table(workforce, measure, target, suppress_small_numbers=suppress_small_numbers)))
    return figures


@dataclass(frozen=True)
class Figure:
    """A chart with its caption, headline and data table, ready to draw."""

    chart: alt.TopLevelMixin
    measure: str
    figure_id: str
    caption: str
    description: str
    table: pd.DataFrame


@dataclass(frozen=True)
class PendingFigure:
    """A figure whose chart is being drawn; :meth:`html` waits for the drawing."""

    figure: Figure
    spec: dict[str, Any]
    drawing: Drawing

    def html(self) -> str:
        f = self.figure
        return figure_html(self.spec, figure_id=f.figure_id, caption=f.caption, description=f.description,
                           table=f.table, svg=self.drawing.svg())


def draw_figures(figures: Iterable[Figure], *, renderer: SvgRenderer | None = None) -> list[PendingFigure]:
    """Start drawing each figure. A spec goes to the renderer as soon as it is built, so the helper process
    draws one chart while the next is built (pass a generator to overlap building the charts too); order and
    bytes do not depend on where the drawing happened."""
    renderer = renderer or shared_renderer()
    pending = []
    for figure in figures:
        spec = figure.chart.to_dict(validate=False)
        pending.append(PendingFigure(figure, spec, renderer.submit(spec)))
    return pending


def measure_charts(workforce: Workforce, measure: str, targets: Mapping[str, float] | None = None, *,
                   suppress_small_numbers: bool = False, id_prefix: str = "fig") -> list[str]:
    """Figure HTML for one measure (see :func:`measure_figures`)."""
    return [p.html() for p in draw_figures(measure_figures(
        workforce, measure, targets, suppress_small_numbers=suppress_small_numbers, id_prefix=id_prefix))]

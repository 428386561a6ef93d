"""Chart specs: the Vega-Lite (Altair) layers of the trend and team charts, with their colours, dashes, shapes,
direct labels and target rule, so colour is never the only cue."""
from __future__ import annotations

import math
from typing import Any

import altair as alt
import pandas as pd

from ..analysis.measures import Measure, format_target, format_value, is_missing
from ..sources.workforce import Workforce
from .chart_data import chart_measure, charted_series, team_data, trend_data
from .chart_descriptions import team_description, trend_description
from ..wording import join_words

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


def _nice_max(value: float) -> float:
    if value <= 0 or is_missing(value):
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


def _direct_labels(plot: pd.DataFrame, info: Measure, top: float) -> pd.DataFrame:
    """Direct labels at each series' last value (``label_y``, ``text``), nudged apart so they never overlap."""
    ends = plot[plot["value"].notna()].groupby("series", sort=False).tail(1).copy()
    ends["label_y"] = ends["value"]
    for _, group in ends.groupby("period"):
        px = [HEIGHT * (1 - v / top) for v in group["value"]]
        moved = _spread(px, LABEL_GAP_PX, 0, HEIGHT)
        ends.loc[group.index, "label_y"] = [(1 - p / HEIGHT) * top for p in moved]
    ends["text"] = [f"{s}: {format_value(v, info, unit=False)}" for s, v in zip(ends["series"], ends["value"])]
    return ends


def trend_chart(workforce: Workforce, measure: str, target: float | None = None, *,
                suppress_small_numbers: bool = False) -> alt.LayerChart:
    """The authority's trend with each comparator (rates and averages only) as labelled series, and the target
    as a dashed labelled rule. The x axis is ordered by ``period_order``."""
    info = chart_measure(workforce, measure)
    d = trend_data(workforce, measure, suppress_small_numbers=suppress_small_numbers)
    periods = workforce.periods
    periods = [p for p in periods if p in set(d["period"])]
    series = charted_series(workforce, d)
    d = d[d["series"].isin(series)]
    n = len(series)
    colours = alt.Scale(domain=series, range=(LINE_COLOURS * 2)[:n])
    text_colours = alt.Scale(domain=series, range=(TEXT_COLOURS * 2)[:n])
    top = _top(info, [v for v in d["value"] if not is_missing(v)] + ([target] if target is not None and not is_missing(target)
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
    ends = _direct_labels(plot, info, top)
    labels = alt.Chart(ends[["series", "period", "label_y", "text"]]).mark_text(
        align="left", baseline="middle", dx=10, fontSize=12, fontWeight="bold").encode(
        x=x, y=alt.Y("label_y:Q", scale=alt.Scale(domain=[0, top], nice=False, zero=True)),
        text=alt.Text("text:N"), color=alt.Color("series:N", scale=text_colours, legend=None),
    )
    layers: list[alt.Chart] = [lines, points, labels]
    if target is not None and not is_missing(target):
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
    info = chart_measure(workforce, measure)
    d = team_data(workforce, measure, suppress_small_numbers=suppress_small_numbers)
    if d.empty:
        return None
    period = d["period"].iloc[0]
    teams = d["team"].tolist()
    top = _top(info, [v for v in d["value"] if not is_missing(v)] + ([target] if target is not None and not is_missing(target)
                                                                 else []), 1.15)
    width = WIDTH - 120
    # Values sit inside long bars (white on blue) and just beyond short ones, so the target line never
    # runs through them; a missing value shows its reason in words at zero.
    inside = [not is_missing(v) and v / top * width > 48 for v in d["value"]]
    plot = d[["team", "value", "shown"]].assign(label_x=d["value"].fillna(0.0), inside=inside)
    y = alt.Y("team:N", sort=teams, title="Team", axis=alt.Axis(labelLimit=260))
    xs = alt.Scale(domain=[0, top], nice=False, zero=True)
    layers: list[alt.Chart] = []
    if target is not None and not is_missing(target):
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

"""Accessible workforce charts: Altair specs rendered to inline SVG with vl-convert, each wrapped in a
``<figure>`` with a caption, a headline description and the chart's data as a real table.
This module builds a measure's figures and draws them; the parts live beside it: :mod:`.chart_data` (data and
tables), :mod:`.chart_descriptions` (headlines), :mod:`.chart_specs` (Vega-Lite specs), :mod:`.chart_svg` (SVG,
ARIA rewriting, figure HTML).

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

import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

import altair as alt
import pandas as pd

from ..sources.workforce import Workforce
from .chart_data import (ChartData, chart_measure, charted_series, team_data, team_table, trend_data,  # noqa: F401
                         trend_table)
from .chart_descriptions import team_description, trend_description  # noqa: F401
from .chart_specs import (DASHES, FONT, HEIGHT, LABEL_GAP_PX, LINE_COLOURS, SHAPES, TARGET_COLOUR,  # noqa: F401
                          TEXT_COLOURS, WIDTH, team_chart, trend_chart)
from .chart_svg import figure_html, render_svg  # noqa: F401
from .svg_render import Drawing, SvgRenderer, prefix_svg_ids, shared_renderer  # noqa: F401
from ..wording import join_words


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "measure"


def measure_figures(workforce: Workforce, measure: str, targets: Mapping[str, float] | None = None, *,
                    suppress_small_numbers: bool = False, id_prefix: str = "fig") -> list[Figure]:
    """The figures for one measure, not yet drawn: the trend, plus the team comparison when there are team
    rows. Figure ids are ``<id_prefix>-<measure>-trend`` and ``<id_prefix>-<measure>-teams``."""
    info = chart_measure(workforce, measure)
    target = (targets or {}).get(measure)
    figures = []
    base = f"{id_prefix}-{_slug(measure)}"
    charted = charted_series(workforce, trend_data(workforce, measure, suppress_small_numbers=suppress_small_numbers))
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

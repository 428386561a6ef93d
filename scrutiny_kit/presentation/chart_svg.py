"""Figure HTML: a chart rendered to SVG, its ARIA rewritten so the picture is one image named by its title and
described by its headline, inside a ``<figure>`` with a caption and the data as an accessible table."""
from __future__ import annotations

import re
from typing import Any, Mapping

import altair as alt
import jinja2
import pandas as pd
from markupsafe import Markup, escape

from ..analysis.measures import is_missing
from ..resources import package_path
from . import svg_render
from .svg_render import prefix_svg_ids

_TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(package_path("templates", "fragments")),
    autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    undefined=jinja2.StrictUndefined,
)
_FIGURE_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


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
    if is_missing(value):
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

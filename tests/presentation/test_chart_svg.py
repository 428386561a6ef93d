"""A chart as figure HTML (scrutiny_kit/presentation/chart_svg.py): inline SVG with ids prefixed per figure,
user text escaped, and the data table's missing cells in words."""
from __future__ import annotations

import re

import altair as alt
import pandas as pd
import pytest

from scrutiny_kit.presentation.chart_specs import trend_chart
from scrutiny_kit.presentation.chart_svg import figure_html, render_svg
from scrutiny_kit.presentation.charts import measure_charts
from scrutiny_kit.presentation.svg_render import prefix_svg_ids
from scrutiny_kit.sources.workforce import Workforce

from workforce_tables import wf  # noqa: F401  (a fixture)


def test_figure_html_escapes_user_text(wf: Workforce) -> None:
    html = measure_charts(wf, "caseload_avg", {"caseload_avg": 24})[1]
    assert "<Team>" not in html.replace("&lt;Team&gt;", "")
    assert "Northgate &lt;Team&gt; &amp; Co" in html
    chart = trend_chart(wf, "caseload_avg")
    html = figure_html(chart, figure_id="f1", caption="<script>alert(1)</script>", description="a < b & c",
                       table=pd.DataFrame({"A": ["<b>x</b>"], "B": [None]}))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "a &lt; b &amp; c" in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert "<td>not available</td>" in html
    with pytest.raises(ValueError):
        figure_html(chart, figure_id="1 bad id", caption="c", description="d", table=pd.DataFrame({"A": [1]}))


def test_svg_ids_are_prefixed_and_unique_across_figures() -> None:
    df = pd.DataFrame({"x": ["a", "b"], "y": [1.0, 5.0]})
    chart = alt.Chart(df).mark_line(clip=True).encode(x="x:N", y=alt.Y("y:Q", scale=alt.Scale(domain=[0, 2])))
    raw = render_svg(chart)
    assert re.search(r'id="clip\d+"', raw), "vl-convert should emit clip paths for this chart"
    figures = [figure_html(chart, figure_id=f, caption="c", description="d", table=df) for f in ("fa", "fb")]
    page = "".join(figures)
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    for fid, html in zip(("fa", "fb"), figures):
        svg_part = html[html.index("<svg"):html.index("</svg>")]
        svg_ids = re.findall(r'\bid="([^"]+)"', svg_part)
        assert svg_ids and all(i.startswith(f"{fid}-") for i in svg_ids)
        refs = re.findall(r"url\(#([^)]+)\)", svg_part) + re.findall(r'href="#([^"]+)"', svg_part)
        assert refs and all(r in svg_ids for r in refs)
    assert prefix_svg_ids('<?xml version="1.0"?>\n<!DOCTYPE svg><svg id="a"><use href="#a"/></svg>', "p") == \
        '<svg id="p-1"><use href="#p-1"/></svg>'

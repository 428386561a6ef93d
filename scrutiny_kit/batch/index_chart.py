"""The index page's chart: a heatmap of reviews x themes (visits raising each theme), and its words.

Drawn from the data the index is built from (the manifests' summaries, as :class:`~.index_site.Site`): a
Vega-Lite spec written as plain data, rendered to inline SVG with vl-convert like the reports' charts. Starting
the renderer costs more than everything else in a no-change `run-all`, so the drawing of a spec is kept in the
user's cache folder (`$XDG_CACHE_HOME/scrutiny-kit/`, else `~/.cache/scrutiny-kit/`; nothing is added to
`outputs/`) as `index-chart-<key>.svg`, where the key hashes the spec and the renderer's version: the same data
gives the same bytes, and any change to the data is drawn afresh.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import RenderError
from ..wording import join_words

if TYPE_CHECKING:
    from .index_site import Entry, Site

KEEP_DRAWINGS = 16  # the newest drawings kept in the cache (one per output folder in use, roughly)
# The reports' own heat palette (report.css --heat-0 … --heat-4): one hue light to dark, colour-blind safe;
# cell counts are printed on the chart too, so colour is never the only cue.
HEAT = ("#ffffff", "#e8f1f8", "#c5dcec", "#7fb0d3", "#1d4f91")
INK, WHITE = "#1b1b1b", "#ffffff"


def bands(maximum: int) -> list[tuple[int, int]]:
    """Up to four equal-width count ranges above zero, covering 1..maximum (level 0 is 'not raised')."""
    if maximum <= 0:
        return []
    edges = sorted({0, *(round(maximum * k / 4) for k in range(1, 5))})
    return [(lo + 1, hi) for lo, hi in zip(edges, edges[1:])]


def band_label(lo: int, hi: int) -> str:
    return str(lo) if lo == hi else f"{lo}–{hi}"


def chart_data(site: Site) -> tuple[list[dict[str, Any]], list[str]]:
    """Heatmap cells (review x theme, visits raising the theme) and the legend's band labels in order."""
    ranges = bands(max((r["visits"] for r in site.theme_rows), default=0))
    legend = ["not raised", *(band_label(lo, hi) for lo, hi in ranges)]
    palette = HEAT if len(ranges) == 4 else HEAT[:1] + HEAT[len(HEAT) - len(ranges):]
    by_id = {e.review_id: e for e in site.entries}
    cells = []
    for row in site.theme_rows:
        level = next((i for i, (lo, hi) in enumerate(ranges, start=1) if lo <= row["visits"] <= hi), 0)
        cells.append({"review": by_id[row["review_id"]].chart_label, "theme": row["label"], "visits": row["visits"],
                      "band": legend[level], "ink": WHITE if palette[level] == HEAT[-1] else INK})
    return cells, legend


def chart_spec(site: Site) -> dict[str, Any]:
    """Vega-Lite heatmap: reviews down, themes across, cell shade = visits raising the theme (count printed)."""
    cells, legend = chart_data(site)
    ranges = len(legend) - 1
    palette = list(HEAT if ranges == 4 else HEAT[:1] + HEAT[len(HEAT) - ranges:])
    axis = {"labelFontSize": 12, "titleFontSize": 12, "labelColor": INK, "titleColor": INK, "domainColor": INK,
            "tickColor": INK}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": cells},
        "width": {"step": 30},
        "height": {"step": 24},
        "encoding": {
            "x": {"field": "theme", "type": "nominal", "sort": [label for _, label in site.themes], "title": None,
                  "axis": {"orient": "top", "labelAngle": -40, "labelLimit": 0}},
            "y": {"field": "review", "type": "nominal", "sort": [e.chart_label for e in site.entries],
                  "title": None, "axis": {"labelLimit": 0}},
        },
        "layer": [
            {"mark": {"type": "rect", "stroke": "#b1b4b6", "strokeWidth": 0.5},
             "encoding": {"color": {"field": "band", "type": "ordinal", "title": "Visits raising the theme",
                                    "scale": {"domain": legend, "range": palette[: len(legend)]},
                                    "legend": {"orient": "bottom", "symbolType": "square", "symbolSize": 200, "symbolStrokeColor": "#4a4a4a",
                                               "symbolStrokeWidth": 1}}}},
            {"transform": [{"filter": "datum.visits > 0"}],
             "mark": {"type": "text", "fontSize": 11},
             "encoding": {"text": {"field": "visits", "type": "quantitative"},
                          "color": {"field": "ink", "type": "nominal", "scale": None}}},
        ],
        "config": {"aria": False, "font": "Arial", "view": {"stroke": None}, "axis": axis,
                   "legend": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": INK, "titleColor": INK}},
    }


def chart_svg(spec: dict[str, Any]) -> str:
    """Inline SVG via vl-convert (in the helper process, so this process stays small), with element ids
    renamed to stable `themes-chart-N` ids."""
    from ..presentation.svg_render import prefix_svg_ids, shared_renderer

    try:
        svg = shared_renderer().submit(spec).svg()
    except Exception as exc:  # vl-convert raises ValueError with Vega's message
        raise RenderError(f"the index chart could not be drawn: {exc}") from None
    # The figure's wrapper (role="img", labelled and described) speaks for the chart; Vega's own mark roles
    # would only repeat it cell by cell, so the drawing itself is hidden from assistive technology.
    svg = svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
    return prefix_svg_ids(svg, "themes-chart")


def chart_description(site: Site) -> str:
    """The chart's headline in words (also its long description for screen readers)."""
    if not site.theme_rows:
        return "No themes were recorded in any review."
    totals: dict[str, list[int]] = {}
    for r in site.theme_rows:
        t = totals.setdefault(r["label"], [0, 0])
        t[0] += r["visits"]
        t[1] += r["visits"] > 0
    ranked = [label for _, label in site.themes]  # most visits first
    most = totals[ranked[0]][0]
    leaders = [label for label in ranked if totals[label][0] == most]
    if len(leaders) == 1:
        text = (f"Across {_n(len(site.entries), 'review')}, {leaders[0]} was raised on the most visits "
                f"({_n(most, 'visit')} in {_n(totals[leaders[0]][1], 'review')})")
    else:  # a tie is said as one: no theme is put ahead of another with the same count
        text = (f"Across {_n(len(site.entries), 'review')}, {join_words(leaders)} were raised on the most visits "
                f"({_n(most, 'visit')} each)")
    rest = ranked[len(leaders):]
    groups: list[list[str]] = []  # the next counts down, whole (a tie is never cut), until two themes are named
    while rest and sum(map(len, groups)) < 2:
        count = totals[rest[0]][0]
        groups.append([label for label in rest if totals[label][0] == count])
        rest = rest[len(groups[-1]):]
    if groups:
        text += ", followed by " + join_words([_tied(group, totals[group[0]][0]) for group in groups])
    most_cell = max(r["visits"] for r in site.theme_rows)
    top = [r for r in site.theme_rows if r["visits"] == most_cell] if most_cell else []
    if len(top) == 1:
        text += f". The highest single figure is {_where(site, top[0])}: {_amount(site, top[0])}"
    elif 1 < len(top) <= 3:
        text += ". The highest single figure is shared by " + join_words(
            [f"{_where(site, r)} ({_amount(site, r)})" for r in top])
    elif top:
        text += f". {len(top)} theme and review pairs share the highest single figure, {_n(most_cell, 'visit')}"
    return text + ". Darker cells mean more visits; each cell shows its number."


def _tied(labels: list[str], count: int) -> str:
    """'Offices (8 visits)', 'Offices and IT (8 visits each)', '6 themes (8 visits each)'."""
    if len(labels) == 1:
        return f"{labels[0]} ({_n(count, 'visit')})"
    named = join_words(labels) if len(labels) <= 4 else f"{len(labels)} themes"
    return f"{named} ({_n(count, 'visit')} each)"


def _where(site: Site, row: dict[str, Any]) -> str:
    return f"{row['label']} in {_entry(site, row['review_id']).chart_label}"


def _amount(site: Site, row: dict[str, Any]) -> str:
    """'16 of 20 visits' (or '16 visits' where the review's visit count is not recorded)."""
    visits = _entry(site, row["review_id"]).visits
    return f"{row['visits']} of {visits} visits" if visits else _n(row["visits"], "visit")


def _entry(site: Site, review_id: str) -> Entry:
    return next(e for e in site.entries if e.review_id == review_id)


def _n(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def chart_key(spec: dict[str, Any]) -> str:
    """What the chart's SVG depends on: its spec and the renderer's version."""
    from importlib.metadata import version  # not vl_convert.__version__: importing it would load the renderer

    blob = json.dumps(spec, sort_keys=True, ensure_ascii=False) + "|vl-convert " + version("vl-convert-python")
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]


def cache_dir() -> Path:
    """Where drawings of index charts are kept between runs."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "scrutiny-kit"


def drawn_chart(site: Site) -> tuple[str, str]:
    """The chart's key and SVG for `site`: drawn from its spec, or the drawing of the very same spec kept from
    an earlier run."""
    spec = chart_spec(site)
    key = chart_key(spec)
    kept = cache_dir() / f"index-chart-{key}.svg"
    try:
        return key, kept.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        pass
    svg = chart_svg(spec)
    _keep(kept, svg)
    return key, svg


def _keep(path: Path, svg: str) -> None:
    """Write a drawing atomically and drop the oldest beyond KEEP_DRAWINGS; a cache that cannot be written
    only costs the next run a drawing."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".index-chart-", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(svg)
        os.replace(tmp, path)
        tmp = None
        others = sorted((p for p in path.parent.glob("index-chart-*.svg") if p != path),
                        key=lambda p: p.stat().st_mtime, reverse=True)
        for old in others[KEEP_DRAWINGS - 1:]:
            old.unlink(missing_ok=True)
    except OSError:
        if tmp:
            Path(tmp).unlink(missing_ok=True)

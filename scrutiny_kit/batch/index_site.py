"""The landing page over every rendered review: `outputs/index.html` and `outputs/themes_by_review.csv`.

Built only from each `outputs/<review_id>/working/manifest.json` (its `summary`, written by the notebook; see
docs/architecture.md), so it is cheap: no pandas and no Altair (importing Altair alone takes longer than a
whole no-change `run-all` may). The chart is a Vega-Lite spec written as plain data and rendered to inline
SVG with vl-convert, like the reports' charts. Output is deterministic: sorted, no timestamps, stable ids.

The page is self-contained (inline CSS and a little inline JS, a Content-Security-Policy allowing nothing
else) and fully usable without JS: the table is already sorted (newest report first) and lists every
review; the script adds sort buttons to the column headers (with `aria-sort`) and a labelled filter box.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .. import __version__
from ..dates import format_date
from ..errors import RenderError
from ..resources import package_path
from ..presentation.wording import join_words

INDEX_NAME = "index.html"
THEMES_CSV = "themes_by_review.csv"
PACKAGE_DIR = package_path()
TEMPLATES_DIR = PACKAGE_DIR / "templates" / "index"
REPORT_CSS = PACKAGE_DIR / "templates" / "nbconvert" / "scrutiny" / "report.css"
RAG_ORDER = ("red", "amber", "green", "blue")
THEME_COLUMNS = ("review_id", "authority", "theme", "label", "points", "visits", "concern", "positive")
COUNTS = ("points", "visits", "concern", "positive")
# The reports' own heat palette (report.css --heat-0 … --heat-4): one hue light to dark, colour-blind safe;
# cell counts are printed on the chart too, so colour is never the only cue.
HEAT = ("#ffffff", "#e8f1f8", "#c5dcec", "#7fb0d3", "#1d4f91")
INK, WHITE = "#1b1b1b", "#ffffff"


@dataclass(frozen=True)
class Entry:
    """One rendered review as the index shows it."""

    review_id: str
    title: str
    authority: str
    committee: str
    report_date: dt.date | None
    visits: int | None
    points: int | None
    recommendations: int | None
    rag: dict[str, int]
    top_concerns: list[str]  # theme labels, most concern first
    themes: dict[str, dict[str, Any]]  # theme id -> {label, points, visits, concern, positive}
    href: str  # relative link to the report
    chart_label: str = ""  # the review's name on the chart's axis (authority, disambiguated)

    @property
    def report_date_label(self) -> str:
        return format_date(self.report_date) if self.report_date else "not recorded"

    @property
    def search_text(self) -> str:
        words = [self.title, self.authority, self.committee, self.review_id, self.report_date_label,
                 *self.top_concerns, *(t.get("label", "") for t in self.themes.values())]
        return " ".join(dict.fromkeys(w.lower() for w in words if w))


@dataclass
class Site:
    entries: list[Entry]
    theme_rows: list[dict[str, Any]]
    themes: list[tuple[str, str]] = field(default_factory=list)  # (id, label) in chart order


# --------------------------------------------------------------------------- reading manifests


def collect(output_root: Path) -> list[Entry]:
    """Every review folder under `output_root` with a report.html and a readable manifest.json, newest
    report first (then title, then id). Failed renders (`<id>.failed/`) and staging folders are skipped."""
    from ..report.manifest import manifest_path, read_manifest

    entries = []
    for folder in sorted(Path(output_root).glob("*/")):
        if folder.name.startswith(".") or folder.name.endswith(".failed"):
            continue
        manifest = read_manifest(manifest_path(folder))
        if manifest is None or not (folder / "report.html").is_file():
            continue
        entries.append(entry_from_manifest(folder.name, manifest))
    entries.sort(key=lambda e: (-(e.report_date.toordinal() if e.report_date else 0), e.title.lower(), e.review_id))
    return _label_for_chart(entries)


def entry_from_manifest(folder_name: str, manifest: dict[str, Any]) -> Entry:
    """Read a manifest's summary, falling back to its params for the title block when a summary is missing."""
    summary = manifest.get("summary") or {}
    params = manifest.get("params") or {}
    themes = {str(tid): _theme(tid, t) for tid, t in sorted((summary.get("themes") or {}).items())}
    rag_raw = summary.get("rag") or {}
    return Entry(
        review_id=folder_name,
        title=str(summary.get("title") or params.get("title") or folder_name),
        authority=str(summary.get("authority") or params.get("authority") or ""),
        committee=str(summary.get("committee") or params.get("committee") or ""),
        report_date=_date(summary.get("report_date") or params.get("report_date")),
        visits=_int(summary.get("visits")),
        points=_int(summary.get("points")),
        recommendations=_int(summary.get("recommendations")),
        rag={k: _int(rag_raw.get(k)) or 0 for k in RAG_ORDER},
        top_concerns=[themes.get(str(t), {}).get("label") or str(t) for t in summary.get("top_concerns") or []],
        themes=themes,
        href=f"{folder_name}/report.html",
    )


def _theme(theme_id: Any, data: Any) -> dict[str, Any]:
    data = data if isinstance(data, dict) else {}
    return {"label": str(data.get("label") or theme_id), **{k: _int(data.get(k)) or 0 for k in COUNTS}}


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except (TypeError, ValueError):
        return None


def _label_for_chart(entries: list[Entry]) -> list[Entry]:
    """The authority names a review on the chart; a repeated authority adds its report date, then its title
    (as the table shows it), and only if that is repeated too, its id."""
    authorities = [e.authority for e in entries]
    out = [replace(e, chart_label=(f"{e.authority}, {e.report_date_label}" if authorities.count(e.authority) > 1
                                   else e.authority or e.review_id)) for e in entries]
    for fallback in (lambda e: f"{e.title} ({e.chart_label})", lambda e: e.review_id):
        labels = [e.chart_label for e in out]
        out = [e if labels.count(e.chart_label) == 1 else replace(e, chart_label=fallback(e)) for e in out]
    return out


# --------------------------------------------------------------------------- the cross-review table


def theme_rows(entries: list[Entry]) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """One row per review x theme (every theme any review has, zeros filled in), reviews in index order and
    themes by total visits raising them (then label). Also returns the themes as (id, label) in that order."""
    labels: dict[str, str] = {}
    visits: dict[str, int] = {}
    for e in sorted(entries, key=lambda e: e.review_id):
        for tid, t in e.themes.items():
            labels.setdefault(tid, t["label"])
            visits[tid] = visits.get(tid, 0) + t["visits"]
    order = sorted(labels, key=lambda tid: (-visits[tid], labels[tid].lower(), tid))
    rows = []
    for e in entries:
        for tid in order:
            t = e.themes.get(tid, {})
            rows.append({"review_id": e.review_id, "authority": e.authority, "theme": tid, "label": labels[tid],
                         **{k: int(t.get(k, 0)) for k in COUNTS}})
    return rows, [(tid, labels[tid]) for tid in order]


def themes_csv(rows: list[dict[str, Any]]) -> str:
    """themes_by_review.csv as text (formula-like text neutralised: authority and theme names are user text)."""
    from ..spreadsheet_safety import rows_csv

    return rows_csv(rows, THEME_COLUMNS)


# --------------------------------------------------------------------------- the chart


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



# --------------------------------------------------------------------------- the page


def build(output_root: Path) -> Site:
    entries = collect(output_root)
    rows, themes = theme_rows(entries)
    return Site(entries, rows, themes)


def render_index(site: Site, *, svg: str | None, chart_key: str = "") -> str:
    """The page's HTML (Jinja2, autoescaped; only our own CSS, JS and the vl-convert SVG are marked safe)."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    from markupsafe import Markup

    env = Environment(loader=FileSystemLoader(str(TEMPLATES_DIR)), autoescape=select_autoescape(["html", "j2"]),
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    # Exactly the text between <script> and </script> is hashed for the CSP, so it is normalised first the
    # way _tidy normalises the whole page (no trailing spaces, no blank lines): _tidy cannot change it.
    script = _tidy((TEMPLATES_DIR / "index.js").read_text(encoding="utf-8")).rstrip("\n")
    css = REPORT_CSS.read_text(encoding="utf-8") + "\n" + (TEMPLATES_DIR / "index.css").read_text(encoding="utf-8")
    by_theme: dict[str, dict[str, int]] = {}
    for r in site.theme_rows:
        by_theme.setdefault(r["review_id"], {})[r["theme"]] = r["visits"]
    html = env.get_template("index.html.j2").render(
        site=site,
        entries=site.entries,
        themes=site.themes,
        visits_by_review=by_theme,
        authorities=len({e.authority for e in site.entries}),
        rag_order=RAG_ORDER,
        css=Markup(css),
        script=Markup(script),
        script_hash=_csp_hash(script),
        svg=Markup(svg) if svg else None,
        chart_key=chart_key,
        description=chart_description(site),
        themes_csv=THEMES_CSV,
        version=__version__,
    )
    return _tidy(html)


def _csp_hash(source: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii")


def _tidy(html: str) -> str:
    lines = [line.rstrip() for line in html.splitlines()]
    return "\n".join(line for line in lines if line) + "\n"


def write_index(output_root: Path) -> Path:
    """(Re)write `output_root/index.html` and `themes_by_review.csv` from every manifest; returns the page.
    Each file is replaced atomically, so an interrupted write leaves the previous one."""
    output_root = Path(output_root)
    output_root.mkdir(parents=True, exist_ok=True)
    site = build(output_root)
    page = output_root / INDEX_NAME
    chart = None
    if site.theme_rows:
        spec = chart_spec(site)
        key = chart_key(spec)
        chart = (key, previous_chart(page, key) or chart_svg(spec))
    _write_atomic(output_root / THEMES_CSV, themes_csv(site.theme_rows))
    _write_atomic(page, render_index(site, svg=chart[1] if chart else None, chart_key=chart[0] if chart else ""))
    return page


def chart_key(spec: dict[str, Any]) -> str:
    """What the chart's SVG depends on: its spec and the renderer's version."""
    from importlib.metadata import version  # not vl_convert.__version__: importing it would load the renderer

    blob = json.dumps(spec, sort_keys=True, ensure_ascii=False) + "|vl-convert " + version("vl-convert-python")
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]


_CHART = re.compile(r'<div class="chart-image"[^>]*\bdata-chart-key="(?P<key>[0-9a-f]+)"[^>]*>\n(?P<svg><svg\b.*?</svg>)\n</div>',
                    re.S)


def previous_chart(page: Path, key: str) -> str | None:
    """The SVG already in the page when it was drawn from the same spec: starting the renderer costs more
    than everything else in a no-change run-all, and the result would be byte-identical."""
    try:
        found = _CHART.search(page.read_text(encoding="utf-8"))
    except OSError:
        return None
    return found.group("svg") if found and found.group("key") == key else None


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the page is for publishing
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

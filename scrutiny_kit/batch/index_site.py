"""The landing page over every rendered review: `outputs/index.html` and `outputs/themes_by_review.csv`.

Built only from each `outputs/<review_id>/working/manifest.json` (its `summary`, written by the notebook; see
docs/architecture.md), so it is cheap: no pandas and no Altair (importing Altair alone takes longer than a
whole no-change `run-all` may). The chart is drawn from the same summaries (see `index_chart`). Output is
deterministic: sorted, no timestamps, stable ids.

The page is self-contained (inline CSS and a little inline JS, a Content-Security-Policy allowing nothing
else) and fully usable without JS: the table is already sorted (newest report first) and lists every
review; the script adds sort buttons to the column headers (with `aria-sort`) and a labelled filter box.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .. import __version__
from ..dates import format_date
from ..errors import RenderError
from ..resources import package_path
from .index_chart import chart_description, drawn_chart

INDEX_NAME = "index.html"
THEMES_CSV = "themes_by_review.csv"
PACKAGE_DIR = package_path()
TEMPLATES_DIR = PACKAGE_DIR / "templates" / "index"
REPORT_CSS = PACKAGE_DIR / "templates" / "nbconvert" / "scrutiny" / "report.css"
RAG_ORDER = ("red", "amber", "green", "blue")
THEME_COLUMNS = ("review_id", "authority", "theme", "label", "points", "visits", "concern", "positive")
COUNTS = ("points", "visits", "concern", "positive")


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
    chart = drawn_chart(site) if site.theme_rows else None
    _write_atomic(output_root / THEMES_CSV, themes_csv(site.theme_rows))
    _write_atomic(page, render_index(site, svg=chart[1] if chart else None, chart_key=chart[0] if chart else ""))
    return page


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

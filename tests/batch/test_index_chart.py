"""The index page's chart (scrutiny_kit/batch/index_chart.py): bands, and drawing from the manifests' data."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from scrutiny_kit.batch.index_chart import KEEP_DRAWINGS, bands, cache_dir
from scrutiny_kit.batch.index_site import write_index

from index_reviews import site, theme, write_review  # noqa: F401  (site: the three reviews' index)


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def test_bands_split_counts_into_up_to_four_ranges():
    assert bands(0) == []
    assert bands(1) == [(1, 1)]
    assert bands(16) == [(1, 4), (5, 8), (9, 12), (13, 16)]
    assert bands(3) == [(1, 1), (2, 2), (3, 3)]


def _chart(page: Path) -> str:
    return re.search(r"<svg.*?</svg>", page.read_text(encoding="utf-8"), re.S).group(0)


def test_an_unchanged_chart_is_reused_and_a_changed_one_redrawn(site, monkeypatch):
    from scrutiny_kit.presentation.svg_render import SvgRenderer

    before = (site / "index.html").read_bytes()
    drawn: list[dict] = []
    real = SvgRenderer.submit
    monkeypatch.setattr(SvgRenderer, "submit", lambda self, spec: drawn.append(spec) or real(self, spec))
    write_index(site)
    assert drawn == [] and (site / "index.html").read_bytes() == before  # same data: no renderer start-up
    write_review(site, "ashdene-2022", title="Another", authority="Ashdene District Council",
                 report_date="2022-01-10", visits=2, top_concerns=[], rag={},
                 themes={"it_systems": theme("IT systems", 1, 1, 1, 0)})
    write_index(site)
    assert len(drawn) == 1
    assert "Ashdene District Council" in _chart(site / "index.html")
    kept = sorted(p.name for p in cache_dir().iterdir())  # both drawings, no temporary files
    assert len(kept) == 2 and all(re.fullmatch(r"index-chart-[0-9a-f]{32}\.svg", name) for name in kept)


def test_the_chart_comes_from_the_data_not_from_the_previous_page(site):
    page = site / "index.html"
    chart = _chart(page)
    page.write_text(page.read_text(encoding="utf-8").replace("Westbrook City Council", "Tampered Council"),
                    encoding="utf-8")
    write_index(site)
    assert _chart(page) == chart and "Tampered Council" not in page.read_text(encoding="utf-8")
    page.unlink()
    write_index(site)
    assert _chart(page) == chart and "Westbrook City Council" in chart


def test_only_the_newest_drawings_are_kept(tmp_path):
    from scrutiny_kit.batch.index_chart import _keep

    for n in range(KEEP_DRAWINGS + 3):
        _keep(cache_dir() / f"index-chart-{n:032x}.svg", f"<svg>{n}</svg>")
    kept = sorted(p.name for p in cache_dir().iterdir())
    assert len(kept) == KEEP_DRAWINGS and f"index-chart-{KEEP_DRAWINGS + 2:032x}.svg" in kept

"""A measure's figures (scrutiny_kit/presentation/charts.py): the trend and team figures with their ids, headline
descriptions and accessible data tables; small numbers left out; byte-identical, offline, and clean in Chromium."""
from __future__ import annotations

import re
from pathlib import Path

from scrutiny_kit.presentation.chart_descriptions import trend_description
from scrutiny_kit.presentation.chart_specs import team_chart
from scrutiny_kit.presentation.charts import measure_charts
from scrutiny_kit.sources.workforce import Workforce, load_workforce

from workforce_tables import ECC, EXAMPLE, data_of, layers, parse, wf  # noqa: F401  (wf: a fixture)


def test_small_numbers_left_out_of_charts_and_tables_say_fewer_than_5(wf: Workforce) -> None:
    spec = team_chart(wf, "headcount", suppress_small_numbers=True).to_dict()
    bars = next(l for l in layers(spec) if l["mark"]["type"] == "bar")
    assert {r["team"]: r["value"] for r in data_of(spec, bars)}["Northgate <Team> & Co"] is None
    html = measure_charts(wf, "headcount", {}, suppress_small_numbers=True)[1]
    assert "<td>fewer than 5</td>" in html
    assert "<td>4</td>" not in html


def test_figure_html_structure_and_accessibility(wf: Workforce) -> None:
    trend, teams = measure_charts(wf, "caseload_avg", {"caseload_avg": 24})
    root = parse(trend)
    figure = root.find("figure")
    assert figure is not None and figure.get("id") == "fig-caseload-avg-trend"
    svg = figure.find(".//{http://www.w3.org/2000/svg}svg")
    assert svg is not None and svg.get("role") == "img"
    ids = {el.get("id"): el for el in root.iter() if el.get("id")}
    title = ids[svg.get("aria-labelledby")]
    assert title.text == "Average caseload, 2022 to 2024: Example County Council compared with England and East Midlands"
    desc = ids[svg.get("aria-describedby")]
    assert "".join(desc.itertext()) == trend_description(wf, "caseload_avg", 24)
    caption = figure.find("figcaption")
    assert "Average caseload (cases per FTE), Example County Council compared with England and East Midlands" in \
        "".join(caption.itertext())
    details = figure.find("details")
    summary = details.find("summary")
    assert summary.text == "Show the data"  # seen: short, the caption is just above
    hidden = summary.find("span")  # heard: which chart's data, out of context too
    assert hidden.get("class") == "visually-hidden" and hidden.text.startswith(": Average caseload (cases per FTE)")
    tbl = details.find("table")
    assert tbl.find("caption").text.startswith("Average caseload (cases per FTE)")
    assert [th.get("scope") for th in tbl.find("thead").iter("th")] == ["col"] * 4
    body_rows = tbl.find("tbody").findall("tr")
    assert [r.find("th").get("scope") for r in body_rows] == ["row"] * 3
    assert [td.text for td in body_rows[1].findall("td")] == ["suppressed", "17.4", "no figure"]
    assert parse(teams).find("figure").get("id") == "fig-caseload-avg-teams"


def test_figures_are_byte_identical_offline_and_render_text(wf: Workforce) -> None:
    first = measure_charts(wf, "caseload_avg", {"caseload_avg": 24})
    second = measure_charts(wf, "caseload_avg", {"caseload_avg": 24})
    assert first == second
    html = first[0]
    assert "<?xml" not in html and "<!DOCTYPE" not in html
    assert not re.search(r"https?://(?!www\.w3\.org/)", html)
    assert "<text" in html and "Average caseload, 2022 to 2024</text>" in html
    assert 'font-family="Arial' in html
    sizes = [float(s) for s in re.findall(r'font-size="([\d.]+)px"', html)]
    assert sizes and min(sizes) >= 12


def test_example_measure_charts() -> None:
    wf = load_workforce(EXAMPLE, authority=ECC, comparators=["England", "East Midlands"])
    figures = measure_charts(wf, "caseload_avg", {"caseload_avg": 20})
    assert len(figures) == 2
    assert ("Average caseload rose from 18.4 in 2021 to 22.8 in 2024, above the target of 20, England&#39;s 16.9 "
            "and East Midlands&#39; 17.9.") in figures[0]
    assert "3 of 5 teams were above the target of 20" in figures[1]


def test_figures_pass_axe_in_chromium(tmp_path: Path, open_page) -> None:
    """Both figures of the example on one page: axe (WCAG 2.2 AA) finds nothing, nothing is fetched."""
    from browser import assert_accessible, assert_clean

    wf = load_workforce(EXAMPLE, authority=ECC, comparators=["England", "East Midlands"])
    figures = measure_charts(wf, "caseload_avg", {"caseload_avg": 20}, suppress_small_numbers=True)
    figures += measure_charts(wf, "statutory_visits_on_time", {})
    page_html = ("<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Figures</title></head>"
                 "<body><main><h1>Figures</h1>" + "".join(figures) + "</main></body></html>")
    path = tmp_path / "figures.html"
    path.write_text(page_html, encoding="utf-8")
    with open_page(path) as page:
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        assert_accessible(page)
        assert_clean(page)
        assert page.locator("svg[role=img]").count() == 4

"""Charts: Altair specs with titles, unit axes, headline descriptions and non-colour cues; figure HTML with
inline, id-prefixed, deterministic SVG and an accessible data table."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import altair as alt
import pandas as pd
import pytest

from scrutiny_kit.presentation.charts import (
    DASHES,
    LINE_COLOURS,
    SHAPES,
    figure_html,
    measure_charts,
    prefix_svg_ids,
    render_svg,
    team_chart,
    team_data,
    team_description,
    trend_chart,
    trend_data,
    trend_description,
    trend_table,
)
from scrutiny_kit.sources.workforce import RawTable, Workforce, load_workforce, workforce_from_table

EXAMPLE = Path(__file__).parents[2] / "examples" / "frontline" / "workforce.csv"
ECC = "Example County Council"

# Periods deliberately out of order in the file: the axis must follow period_order, not file or text order.
DATA = """
period,authority,team,caseload_avg,headcount,vacancy_rate
2024,Example County Council,,26.0,95,18.0
2022,Example County Council,,22.5,105,15.0
2023,Example County Council,,c,97,16.0
2024,Example County Council,Northgate <Team> & Co,28.0,4,20.0
2024,Example County Council,Riverside Team,24.5,9,x
2024,Example County Council,Front Door / MASH,19.0,12,17.0
2022,England,,17.0,34000,16.5
2023,England,,17.4,34500,17.0
2024,England,,17.8,35000,18.1
2024,East Midlands,,18.2,2950,17.2
"""


def table(csv_text: str) -> RawTable:
    lines = [line.split(",") for line in csv_text.strip().splitlines()]
    return RawTable(pd.DataFrame(lines[1:], columns=lines[0], index=range(2, len(lines) + 1), dtype=object), "t.csv")


@pytest.fixture()
def wf() -> Workforce:
    return workforce_from_table(table(DATA), authority=ECC, comparators=["England", "East Midlands"])


def layers(spec: dict) -> list[dict]:
    return spec["layer"]


def data_of(spec: dict, layer: dict) -> list[dict]:
    return spec["datasets"][layer["data"]["name"]]


def parse(html: str) -> ET.Element:
    return ET.fromstring(f"<root>{html}</root>")


# --- trend chart ---------------------------------------------------------------------------------------------

def test_trend_chart_spec(wf: Workforce) -> None:
    chart = trend_chart(wf, "caseload_avg", target=24)
    spec = chart.to_dict()
    assert spec["title"]["text"] == "Average caseload, 2022 to 2024"
    assert spec["title"]["subtitle"] == "Example County Council compared with England and East Midlands"
    assert spec["description"] == ("Average caseload rose from 22.5 in 2022 to 26.0 in 2024, above the target of 24, "
                                   "England's 17.8 and East Midlands' 18.2. The figure for 2023 is suppressed.")
    line = next(l for l in layers(spec) if l["mark"]["type"] == "line")
    enc = line["encoding"]
    assert enc["x"]["title"] == "Period"
    assert enc["x"]["sort"] == ["2022", "2023", "2024"]
    assert enc["y"]["title"] == "Average caseload (cases per FTE)"
    assert enc["color"]["scale"]["domain"] == [ECC, "England", "East Midlands"]
    assert enc["color"]["scale"]["range"] == LINE_COLOURS[:3]
    assert enc["strokeDash"]["scale"]["range"] == DASHES[:3]
    assert enc["color"]["legend"]["title"] is None
    points = next(l for l in layers(spec) if l["mark"]["type"] == "point")
    assert points["encoding"]["shape"]["scale"]["range"] == SHAPES[:3]
    # only the columns the chart needs are embedded
    assert set(data_of(spec, line)[0]) == {"series", "period", "value"}
    values = {(r["series"], r["period"]): r["value"] for r in data_of(spec, line)}
    assert values[(ECC, "2024")] == 26.0 and values[(ECC, "2023")] is None and values[("England", "2022")] == 17.0
    # direct labels and a labelled dashed target rule
    texts = [t for l in layers(spec) if l["mark"]["type"] == "text" for t in (r.get("text") for r in data_of(spec, l))]
    assert "Example County Council: 26.0" in texts and "England: 17.8" in texts and "Target: 24" in texts
    rule = next(l for l in layers(spec) if l["mark"]["type"] == "rule")
    assert rule["mark"]["strokeDash"] and data_of(spec, rule)[0]["target"] == 24.0
    # fonts are at least 12px
    config = spec["config"]
    assert min(config["axis"]["labelFontSize"], config["axis"]["titleFontSize"], config["legend"]["labelFontSize"],
               config["title"]["fontSize"], config["text"]["fontSize"]) >= 12


def test_direct_labels_do_not_overlap(wf: Workforce) -> None:
    spec = trend_chart(wf, "vacancy_rate").to_dict()
    label_layer = next(l for l in layers(spec) if l["mark"]["type"] == "text")
    ys = sorted(r["label_y"] for r in data_of(spec, label_layer) if r["period"] == "2024")
    top = label_layer["encoding"]["y"]["scale"]["domain"][1]
    pixels = [280 * y / top for y in ys]
    assert all(b - a >= 14.9 for a, b in zip(pixels, pixels[1:]))


def test_counts_are_not_set_beside_comparators(wf: Workforce) -> None:
    spec = trend_chart(wf, "headcount").to_dict()
    line = next(l for l in layers(spec) if l["mark"]["type"] == "line")
    assert {r["series"] for r in data_of(spec, line)} == {ECC}
    assert spec["description"] == "Social worker headcount fell from 105 in 2022 to 95 in 2024."


def test_trend_description_directions() -> None:
    wf = workforce_from_table(table("period,authority,vacancy_rate\n2023,X,18.0\n2024,X,15.5\n2024,England,18.1\n"),
                              authority="X")
    assert trend_description(wf, "vacancy_rate", 16) == (
        "Vacancy rate fell from 18.0% in 2023 to 15.5% in 2024, below the target of 16% and England's 18.1%.")
    wf = workforce_from_table(table("period,authority,caseload_avg\n2024,X,20\n2024,England,20.0\n"), authority="X")
    assert trend_description(wf, "caseload_avg", 24) == (
        "Average caseload was 20.0 in 2024, below the target of 24 and level with England's 20.0.")
    wf = workforce_from_table(table("period,authority,turnover_rate\n2022,X,15\n2023,X,u\n2024,X,u\n"
                                    "2022,England,17.1\n2022,Wales,14\n2022,Scotland,12\n"),
                              authority="X", comparators=["England", "Wales", "Scotland"])
    assert trend_description(wf, "turnover_rate", 16) == (
        "Turnover rate was 15.0% in 2022, below the target of 16% and England's 17.1%, and above Wales' 14.0% and "
        "Scotland's 12.0%. The figures for 2023 and 2024 are not shown (low reliability).")


def test_trend_table_shows_missing_reasons(wf: Workforce) -> None:
    t = trend_table(wf, "caseload_avg")
    assert t.columns.tolist() == ["Period", ECC, "England", "East Midlands"]
    assert t.to_dict("records") == [
        {"Period": "2022", ECC: "22.5", "England": "17.0", "East Midlands": "no figure"},
        {"Period": "2023", ECC: "suppressed", "England": "17.4", "East Midlands": "no figure"},
        {"Period": "2024", ECC: "26.0", "England": "17.8", "East Midlands": "18.2"},
    ]


def test_a_comparator_without_any_figure_for_a_measure_is_left_out() -> None:
    data = DATA.replace("period,authority,team,caseload_avg,headcount,vacancy_rate",
                        "period,authority,team,caseload_avg,headcount,vacancy_rate,visits_on_time")
    data = "\n".join(line + ("" if not line or line.startswith("period") else
                             (",90.5" if line.startswith("2024,Example County Council,,") else
                              ",x" if line.startswith("2024,East Midlands") else ","))
                     for line in data.strip().splitlines())
    wf = workforce_from_table(table(data), authority=ECC, comparators=["England", "East Midlands"])
    t = trend_table(wf, "statutory_visits_on_time")
    # England has no figure at all: left out; East Midlands' "x" says why it has none, so it stays
    assert t.columns.tolist() == ["Period", ECC, "East Midlands"]
    assert t.loc[t["Period"] == "2024", "East Midlands"].tolist() == ["not available"]  # its own "x"


def test_chart_data_is_computed_once_and_callers_cannot_change_it(wf: Workforce) -> None:
    first = trend_data(wf, "caseload_avg")
    first.loc[0, "value"] = -1.0  # a caller scribbling on its copy
    first["extra"] = 1
    again = trend_data(wf, "caseload_avg")
    assert again.loc[0, "value"] == 22.5 and "extra" not in again.columns
    assert len(wf._cache) == 1  # the second call came from the cache
    assert trend_data(wf, "caseload_avg", suppress_small_numbers=True) is not None
    team_data(wf, "caseload_avg")
    assert len(wf._cache) == 3  # suppression and team data are cached separately


# --- team chart ---------------------------------------------------------------------------------------------------

def test_team_chart_spec(wf: Workforce) -> None:
    spec = team_chart(wf, "caseload_avg", target=24).to_dict()
    assert spec["title"]["text"] == "Average caseload by team, 2024"
    bars = next(l for l in layers(spec) if l["mark"]["type"] == "bar")
    assert bars["encoding"]["y"]["type"] == "nominal" and bars["encoding"]["x"]["type"] == "quantitative"
    assert bars["encoding"]["x"]["title"] == "Average caseload (cases per FTE)"
    assert bars["encoding"]["y"]["sort"] == ["Northgate <Team> & Co", "Riverside Team", "Front Door / MASH"]
    assert set(data_of(spec, bars)[0]) == {"team", "value"}
    assert any(l["mark"]["type"] == "rule" for l in layers(spec))
    assert spec["description"] == ("In 2024 the average caseload was highest in the Northgate <Team> & Co (28.0) and "
                                   "lowest in the Front Door / MASH (19.0); 2 of 3 teams were above the target of 24.")


def test_team_chart_missing_value_is_labelled_in_words(wf: Workforce) -> None:
    spec = team_chart(wf, "vacancy_rate").to_dict()
    texts = {r["team"]: r["shown"] for l in layers(spec) if l["mark"]["type"] == "text" for r in data_of(spec, l)}
    assert texts["Riverside Team"] == "not available"
    assert team_description(wf, "vacancy_rate").endswith("Riverside Team: not available.")


def test_no_team_chart_without_team_rows() -> None:
    wf = workforce_from_table(table("period,authority,caseload_avg\n2024,X,20\n"), authority="X")
    assert team_chart(wf, "caseload_avg") is None
    assert len(measure_charts(wf, "caseload_avg", {})) == 1


def test_small_numbers_left_out_of_charts_and_tables_say_fewer_than_5(wf: Workforce) -> None:
    spec = team_chart(wf, "headcount", suppress_small_numbers=True).to_dict()
    bars = next(l for l in layers(spec) if l["mark"]["type"] == "bar")
    assert {r["team"]: r["value"] for r in data_of(spec, bars)}["Northgate <Team> & Co"] is None
    html = measure_charts(wf, "headcount", {}, suppress_small_numbers=True)[1]
    assert "<td>fewer than 5</td>" in html
    assert "<td>4</td>" not in html


# --- SVG and figure HTML ------------------------------------------------------------------------------------------

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

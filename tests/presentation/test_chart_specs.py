"""Vega-Lite specs (scrutiny_kit/presentation/chart_specs.py): titles, unit axes, period order, non-colour cues,
direct labels that do not overlap, target rules, and team bars."""
from __future__ import annotations

from scrutiny_kit.presentation.chart_descriptions import team_description
from scrutiny_kit.presentation.chart_specs import DASHES, LINE_COLOURS, SHAPES, team_chart, trend_chart
from scrutiny_kit.presentation.charts import measure_charts
from scrutiny_kit.sources.workforce import Workforce, workforce_from_table

from workforce_tables import ECC, data_of, layers, table, wf  # noqa: F401  (wf: a fixture)


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

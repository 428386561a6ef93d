"""Findings data from hand-built coded points (tests/fixtures/findings): sentences, order, excerpts,
confidential exclusion, other issues, gap check and findings.csv."""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from fixtures.findings import sample
from scrutiny_kit.analysis.findings import (
    FINDINGS_COLUMNS, Findings, build_findings, choose_excerpts, date_range, findings_table, join_words, mark_main_themes,
    lead_sentence, plural, rec_anchors, slug, times, visits_phrase)
from scrutiny_kit.analysis.recommendations import rate


def build(**overrides) -> Findings:
    kwargs = dict(measures=sample.measures(), describe_measure=sample.describe,
                  recommendations=rate(sample.recommendations(), sample.REPORT_DATE),
                  commentary={"caseload_workload": "Officers agree."}, report_date=sample.REPORT_DATE,
                  title="Frontline social work", authority="Example County Council")
    kwargs.update(overrides)
    return build_findings(sample.coded(), sample.codebook(), **kwargs)


@pytest.fixture(scope="module")
def findings() -> Findings:
    return build()


# --- words ---------------------------------------------------------------------------------------------

def test_small_words() -> None:
    assert join_words([]) == "" and join_words(["North"]) == "North"
    assert join_words(["North", "East"]) == "North and East"
    assert join_words(["North", "East", "Ashfield"]) == "North, East and Ashfield"  # no Oxford comma
    assert [times(n) for n in (1, 2, 3, 11)] == ["once", "twice", "3 times", "11 times"]
    assert (plural(1, "visit"), plural(0, "visit"), plural(3, "visit")) == ("1 visit", "0 visits", "3 visits")
    assert visits_phrase(3, 5) == "in 3 of the 5 visits"
    assert visits_phrase(1, 5) == "in one of the 5 visits"
    assert visits_phrase(5, 5) == "in all 5 visits"
    assert visits_phrase(2, 2) == "in both visits"
    assert visits_phrase(1, 1) == "in the only visit"


def test_date_ranges() -> None:
    d = dt.date
    assert date_range(d(2025, 3, 5), d(2025, 3, 5)) == "on 5 March 2025"
    assert date_range(d(2025, 2, 10), d(2025, 2, 17)) == "between 10 and 17 February 2025"
    assert date_range(d(2025, 2, 3), d(2025, 3, 12)) == "between 3 February and 12 March 2025"
    assert date_range(d(2024, 12, 3), d(2025, 1, 9)) == "between 3 December 2024 and 9 January 2025"


@pytest.mark.parametrize("kwargs, sentence", [
    (dict(points=4, visits=3, total_visits=5, teams=["North", "East", "Ashfield"], concern=2, positive=0),
     "Caseloads came up 4 times in 3 of the 5 visits (North, East and Ashfield), twice as a concern."),
    (dict(points=1, visits=1, total_visits=5, teams=["East"], concern=1, positive=0),
     "Caseloads came up once in one of the 5 visits (East), as a concern."),
    (dict(points=1, visits=1, total_visits=5, teams=["East"], concern=0, positive=1),
     "Caseloads came up once in one of the 5 visits (East), positively."),
    (dict(points=5, visits=5, total_visits=5, teams=["A", "B"], concern=5, positive=0),
     "Caseloads came up 5 times in all 5 visits (A and B), each time as a concern."),
    (dict(points=3, visits=2, total_visits=2, teams=["A", "B"], concern=1, positive=1),
     "Caseloads came up 3 times in both visits (A and B), once as a concern and once positively."),
    (dict(points=2, visits=2, total_visits=4, teams=["A", "B"], concern=0, positive=0),
     "Caseloads came up twice in 2 of the 4 visits (A and B)."),
])
def test_lead_sentence_words_and_numbers(kwargs: dict, sentence: str) -> None:
    assert lead_sentence("Caseloads", **kwargs) == sentence


# --- sections ------------------------------------------------------------------------------------------

def test_sections_are_ordered_by_visits_then_points_then_concerns(findings: Findings) -> None:
    assert [(s.number, s.theme) for s in findings.sections] == [
        ("2.1", "caseload_workload"), ("2.2", "it_systems"), ("2.3", "agency_staff"), ("2.4", "supervision_training")]
    # agency_staff and supervision_training tie on visits (2) and points (2): concerns (2 v 0) decide


def test_ties_fall_back_to_theme_id() -> None:
    coded = sample.coded()
    coded = coded.loc[coded["theme"].isin(["supervision_training", "agency_staff"])].copy()
    coded["tone"] = "neutral"
    f = build_findings(coded, sample.codebook())
    assert [s.theme for s in f.sections] == ["agency_staff", "supervision_training"]


def test_generated_sentences(findings: Findings) -> None:
    caseload, it, agency, supervision = findings.sections
    assert caseload.lead == ("Caseloads and workload came up 4 times in 4 of the 5 visits (North Team, East Team, "
                             "Ashfield Team and West Team), 3 times as a concern and once positively.")
    assert caseload.period == "These visits took place between 3 February and 12 March 2025."
    assert it.lead == ("IT systems came up 3 times in 3 of the 5 visits (North Team, East Team and South Team), "
                       "twice as a concern.")
    assert agency.lead == ("Agency staff came up twice in 2 of the 5 visits (East Team and Ashfield Team), "
                           "each time as a concern.")
    assert agency.period == "These visits took place between 10 and 17 February 2025."
    assert supervision.lead.endswith("(North Team and South Team), once positively.")


def test_section_counts(findings: Findings) -> None:
    caseload = findings.sections[0]
    assert (caseload.points, caseload.visits, caseload.total_visits) == (4, 4, 5)
    assert (caseload.concern, caseload.positive, caseload.neutral, caseload.concern_visits) == (3, 1, 0, 3)
    assert caseload.teams == ("North Team", "East Team", "Ashfield Team", "West Team")
    assert (caseload.first_date, caseload.last_date) == (dt.date(2025, 2, 3), dt.date(2025, 3, 12))
    assert caseload.definition == "How many children each worker holds."


def test_excerpt_citations(findings: Findings) -> None:
    agency = findings.section("agency_staff")
    assert [e.citation for e in agency.excerpts] == [
        "East Team, 10 February 2025, visit 2, point 1",
        "Ashfield Team, 17 February 2025, visit 3, point 2",
    ]
    assert len(findings.section("caseload_workload").excerpts) == 4  # one per visit, at most 4


def _rows(*points: tuple[str, int, str, str]) -> pd.DataFrame:
    """Points as (source, point, tone, text), each source its own dated visit."""
    return pd.DataFrame([{
        "source": s, "point": p, "line": p, "date": dt.date(2025, 3, int(s[1:])), "team": f"Team {s}",
        "text": text, "tone": tone} for s, p, tone, text in points])


def test_excerpts_prefer_concerns_and_spread_across_visits() -> None:
    medium = "A point of ordinary length about the theme, long enough to quote."
    rows = _rows(("v1", 1, "concern", medium + " one"), ("v1", 2, "concern", medium + " two"),
                 ("v2", 1, "positive", medium), ("v3", 1, "neutral", medium), ("v4", 1, "concern", medium),
                 ("v5", 1, "concern", medium + " longer than the others"), ("v6", 1, "positive", medium + "!"))
    chosen = choose_excerpts(rows)
    assert [(e.source, e.point) for e in chosen] == [("v1", 1), ("v2", 1), ("v4", 1), ("v5", 1)]


def test_excerpts_prefer_points_that_speak_to_the_theme_most_directly() -> None:
    rows = _rows(("v1", 1, "concern", "Staff said the office move had been difficult for everyone."),
                 ("v1", 2, "concern", "Caseloads were between 22 and 27 children, above the target of 20, with duty weeks."),
                 ("v1", 3, "concern", "Recording was behind after a hard winter."))
    rows["matched"] = ["caseloads (heading)", "caseloads; duty week; target of 20", "recording; caseloads (heading)"]
    chosen = choose_excerpts(rows)
    # the longest point is chosen first: three of the theme's phrases in its own words against one and none
    assert [e.point for e in chosen] == [2, 3]


def test_points_mainly_about_another_theme_come_after_those_mainly_about_this_one() -> None:
    coded = pd.DataFrame([
        {"source": "v1", "point": 1, "theme": "caseload_workload", "matched": "stretched"},
        {"source": "v1", "point": 1, "theme": "business_admin", "matched": "administrator; admin support"},
        {"source": "v1", "point": 2, "theme": "caseload_workload", "matched": "caseloads; working late"},
        {"source": "v1", "point": 2, "theme": "morale", "matched": "morale; working late"},  # a tie: main for both
    ])
    assert mark_main_themes(coded)["main"].tolist() == [False, True, True, True]
    rows = _rows(("v1", 1, "concern", "The administrator was stretched across two teams."),
                 ("v1", 2, "concern", "Caseloads meant staff were working late on most evenings of the week."),
                 ("v1", 3, "concern", "Recording was behind after a long and hard winter for everyone."))
    rows["matched"] = ["stretched", "caseloads", "caseloads"]
    rows["main"] = [False, True, True]
    # the shortest point is mainly about admin support, so the two mainly about caseloads are quoted
    assert [e.point for e in choose_excerpts(rows)] == [2, 3]
    rows["tone"] = ["concern", "positive", "neutral"]  # even a concern waits behind points mainly on the theme
    assert [e.point for e in choose_excerpts(rows)] == [2, 3]


def test_a_point_mainly_about_another_theme_is_never_quoted_under_this_one() -> None:
    medium = "A point of ordinary length about the theme, long enough to quote."
    rows = _rows(("v1", 1, "concern", medium), ("v2", 1, "concern", medium), ("v3", 1, "concern", "Short aside."),
                 ("v4", 1, "concern", medium + " elsewhere"))
    rows["main"] = [True, True, True, False]
    assert [e.source for e in choose_excerpts(rows)] == ["v1", "v2", "v3"]  # three, not a fourth off the theme
    rows["main"] = [True, False, False, False]
    assert [e.source for e in choose_excerpts(rows)] == ["v1"]  # one quote, not a second off the theme
    rows = _rows(("v1", 1, "concern", medium), ("v1", 2, "concern", medium + " again"), ("v2", 1, "neutral", medium))
    rows["main"] = [True, True, False]
    assert [(e.source, e.point) for e in choose_excerpts(rows)] == [("v1", 1), ("v1", 2)]  # a visit's second point
    rows["main"] = [True, False, True]
    assert [(e.source, e.point) for e in choose_excerpts(rows)] == [("v1", 1), ("v2", 1)]  # one per visit first


def test_excerpts_top_up_from_one_visit_and_prefer_quotable_lengths() -> None:
    rows = _rows(("v1", 1, "concern", "Too short."), ("v1", 2, "concern", "x" * 60), ("v1", 3, "concern", "y" * 50),
                 ("v1", 4, "positive", "z" * 45))
    chosen = choose_excerpts(rows)
    assert [e.point for e in chosen] == [2, 3]  # 2 excerpts; quotable concerns before a fragment, shorter first


def test_measures_and_sentences(findings: Findings) -> None:
    [measure] = findings.section("caseload_workload").measures
    assert measure.measure == "caseload_avg" and measure.latest_value == 26.0  # authority row, not a team's
    assert measure.sentences == ("The average caseload was 26 against a target of 24 in 2024.",)
    assert findings.section("it_systems").measures == ()


def test_a_measure_linked_to_two_themes_has_its_chart_once() -> None:
    book = sample.codebook()
    themes = [dataclasses.replace(t, measures=["caseload_avg"]) if t.id == "it_systems" else t for t in book.themes]
    f = build(commentary={})
    f2 = build_findings(sample.coded(), sample.Codebook(themes), measures=sample.measures(),
                        describe_measure=sample.describe)
    assert f.section("caseload_workload").measures[0].chart_in is None
    assert f2.section("it_systems").measures[0].chart_in == "2.1"


def test_recommendations_linked_to_sections(findings: Findings) -> None:
    assert [r.id for r in findings.section("caseload_workload").recommendations] == ["R1", "R2"]
    assert [r.anchor for r in findings.section("agency_staff").recommendations] == ["rec-r2"]
    assert findings.section("it_systems").recommendations == ()
    assert findings.section("caseload_workload").commentary == "Officers agree."


# --- confidential notes --------------------------------------------------------------------------------

def test_confidential_notes_are_never_in_the_findings(findings: Findings) -> None:
    assert findings.exempt_notes == 1
    assert findings.visits == 5 and findings.points == 12
    assert "f-north-2025-03-14.md" not in repr(findings) and "SECRET" not in repr(findings)
    assert findings.last_date == dt.date(2025, 3, 12)
    caseload = findings.section("caseload_workload")
    assert caseload.points == 4 and caseload.visits == 4 and caseload.last_date == dt.date(2025, 3, 12)
    north = findings.overview.teams.index("North Team")
    assert findings.overview.rows[0].cells[north].points == 1
    assert "SECRET" not in findings_table(findings).to_csv()


# --- other issues --------------------------------------------------------------------------------------

def test_other_issues_lists_every_published_point_with_no_theme(findings: Findings) -> None:
    coded = sample.coded()
    expected = {(r.source, r.point) for r in coded.itertuples() if r.theme == "" and not r.confidential}
    assert {(e.source, e.point) for e in findings.other_issues} == expected == {
        ("a-north-2025-02-03.md", 4), ("b-east-2025-02-10.md", 3)}
    assert findings.other_issues[0].citation == "North Team, 3 February 2025, visit 1, point 4"
    assert findings.coded_points == 10


def test_every_published_point_is_shown_somewhere_or_counted(findings: Findings) -> None:
    coded = sample.coded()
    published = {(r.source, r.point) for r in coded.itertuples() if not r.confidential}
    coded_points = {(r.source, r.point) for r in coded.itertuples() if r.theme and not r.confidential}
    assert coded_points | {(e.source, e.point) for e in findings.other_issues} == published


# --- gap check -----------------------------------------------------------------------------------------

def test_gap_check_both_directions(findings: Findings) -> None:
    gaps = findings.gaps
    assert [(g.theme, g.concern_visits) for g in gaps.unaddressed] == [("it_systems", 2)]
    unsupported = {link.id: why for link, why in gaps.unsupported}
    assert unsupported == {"R3": "no visit raised Pay and conditions (pay_conditions)",
                           "R5": "no themes given, so it is not linked to any evidence"}
    assert not gaps.none


def test_a_concern_in_one_visit_is_not_a_gap_and_no_gaps_when_all_covered() -> None:
    recs = sample.recommendations()
    recs = recs.loc[recs["id"].isin(["R1", "R2", "R4"])].reset_index(drop=True)
    extra = recs.iloc[[0]].assign(id="R9", themes=[["it_systems"]])
    f = build(recommendations=rate(pd.concat([recs, extra], ignore_index=True), sample.REPORT_DATE))
    assert f.gaps.none
    coded = sample.coded()
    coded = coded.loc[~((coded["theme"] == "it_systems") & (coded["source"] == "d-south-2025-03-03.md"))]
    f = build_findings(coded, sample.codebook())
    assert f.section("it_systems").concern_visits == 1
    assert "it_systems" not in {g.theme for g in f.gaps.unaddressed}
    assert {g.theme for g in f.gaps.unaddressed} == {"caseload_workload", "agency_staff"}  # no tracker given


# --- findings.csv --------------------------------------------------------------------------------------

def test_findings_table(findings: Findings) -> None:
    table = findings_table(findings)
    assert list(table.columns) == FINDINGS_COLUMNS == [
        "theme", "label", "points", "visits", "teams", "concern", "positive", "neutral", "mixed", "first_date",
        "last_date", "measures", "excerpts", "recommendations", "section"]
    assert list(table["theme"]) == ["caseload_workload", "it_systems", "agency_staff", "supervision_training",
                                    "recruitment_retention", "pay_conditions"]
    row = table.iloc[0].to_dict()
    assert row == {
        "theme": "caseload_workload", "label": "Caseloads and workload", "points": 4, "visits": 4,
        "teams": "North Team, East Team, Ashfield Team, West Team", "concern": 3, "positive": 1, "neutral": 0,
        "mixed": 0, "first_date": "2025-02-03", "last_date": "2025-03-12", "measures": "caseload_avg=26.0",
        "excerpts": ";".join([
            "North Team, 3 February 2025, visit 1, point 1 (a-north-2025-02-03.md)",
            "East Team, 10 February 2025, visit 2, point 1 (b-east-2025-02-10.md)",
            "Ashfield Team, 17 February 2025, visit 3, point 1 (c-ashfield-2025-02-17.md)",
            "West Team, 12 March 2025, visit 5, point 1 (e-west-2025-03-12.md)"]),
        "recommendations": "R1;R2", "section": "2.1"}
    assert table.iloc[2]["measures"] == "agency_rate=18.5"
    pay = table.set_index("theme").loc["pay_conditions"]
    assert (pay["points"], pay["visits"], pay["first_date"], pay["recommendations"]) == (0, 0, "", "R3")
    assert pay["measures"] == "caseload_avg=26.0"


# --- anchors -------------------------------------------------------------------------------------------

def test_anchor_ids_are_safe_and_unique() -> None:
    assert slug("R 3.1") == "r-3-1" and slug("caseload_workload") == "caseload_workload"
    assert slug('"><script>') == "script" and slug("") == "x"
    assert rec_anchors(["1.2", "1-2", "2a", "R3"]) == {"1.2": "rec-1-2", "1-2": "rec-1-2-2", "2a": "rec-2a",
                                                       "R3": "rec-r3"}


def test_no_evidence_at_all() -> None:
    f = build_findings(sample.coded().iloc[0:0], sample.codebook())
    assert f.sections == () and f.visits == 0 and f.other_issues == () and f.first_date is None
    assert len(findings_table(f)) == len(sample.codebook().themes)


# --- with the real workforce and measures modules ------------------------------------------------------

def test_real_derived_measures_and_describe_measure() -> None:
    from scrutiny_kit.analysis.measures import comparator_gaps, derive_measures
    from scrutiny_kit.sources.workforce import load_workforce

    csv = Path(__file__).resolve().parents[2] / "examples" / "frontline" / "workforce.csv"
    wf = load_workforce(csv, authority="Example County Council", comparators=["England", "East Midlands"])
    f = build_findings(sample.coded(), sample.codebook(), measures=derive_measures(wf, {"caseload_avg": 20}),
                       comparator_gaps=comparator_gaps(wf))  # describe_measure defaults to the real one
    [measure] = f.section("caseload_workload").measures
    assert measure.latest_value == 22.8  # the authority's figure, not a team's
    [sentence] = measure.sentences
    assert sentence.startswith("The average caseload was 22.8") and "against a target of 20" in sentence
    assert "England: 16.9" in sentence
    assert findings_table(f).set_index("theme").loc["agency_staff", "measures"] == "agency_rate=19.8"


# --- the example review, end to end with the real loaders and coder --------------------------------------

def test_example_review_end_to_end() -> None:
    from scrutiny_kit.coding.codebook import load_codebook
    from scrutiny_kit.coding import code_points
    from scrutiny_kit.params import note_files
    from scrutiny_kit.sources.commentary import load_commentary
    from scrutiny_kit.sources.recommendations import load_recommendations
    from scrutiny_kit.sources.visit_notes import load_visit_notes

    example = Path(__file__).resolve().parents[2] / "examples" / "frontline"
    codebook = load_codebook("default")
    notes = load_visit_notes(note_files(example / "visits"), default_authority="Example County Council")
    coded = code_points(notes, codebook)
    recs = rate(load_recommendations(example / "recommendations.csv", theme_ids=set(codebook.ids)),
                sample.REPORT_DATE)
    commentary = load_commentary(example / "commentary.md", theme_ids=set(codebook.ids))
    f = build_findings(coded, codebook, recommendations=recs, commentary=commentary,
                       report_date=sample.REPORT_DATE, describe_measure=lambda *a, **k: "")

    exempt = set(notes.loc[notes["confidential"], "source"])
    assert f.exempt_notes == len(exempt) >= 1
    cited = {e.source for s in f.sections for e in s.excerpts} | {e.source for e in f.other_issues}
    assert cited and not cited & exempt
    assert f.visits == notes.loc[~notes["confidential"], "source"].nunique()
    assert all(1 <= len(s.excerpts) <= 4 for s in f.sections)
    keys = [(-s.visits, -s.points, -s.concern, s.theme) for s in f.sections]
    assert keys == sorted(keys)
    public = notes.loc[~notes["confidential"]]
    uncoded = set(map(tuple, coded.loc[(coded["theme"] == "") & ~coded["confidential"], ["source", "point"]].values))
    assert {(e.source, e.point) for e in f.other_issues} == uncoded
    assert f.points == len(public)
    assert "voice_of_child" in {g.theme for g in f.gaps.unaddressed}  # the example's deliberate gap
    assert "14" in {link.id for link, _ in f.gaps.unsupported}  # the recommendation with no theme
    assert set(commentary) == {"introduction", "caseload_workload", "recruitment_retention",
                               "accommodation_premises", "voice_of_child", "conclusion"}
    assert len(findings_table(f)) == len(codebook.themes)


def test_a_theme_no_point_is_mainly_about_is_mentioned_without_a_section() -> None:
    """Admin support comes up only inside points mainly about caseloads: it is counted, not given a section."""
    from scrutiny_kit.coding.codebook import load_codebook
    from scrutiny_kit.coding import code_points
    from scrutiny_kit.presentation.present import findings_html

    codebook = load_codebook("default")
    texts = ["Caseloads were above the caseload target and the backlog grew, so admin tasks slipped.",
             "Staff said their caseloads had risen to 28 each and the allocation meeting was weekly."]
    notes = pd.DataFrame([{"source": f"v{i}.md", "point": 1, "line": 1, "date": dt.date(2025, 3, i), "team": f"Team {i}",
                           "authority": "A", "visitors": "", "confidential": False, "heading": "", "text": t}
                          for i, t in enumerate(texts, start=1)])
    coded = code_points(notes, codebook)
    assert set(coded["theme"]) == {"caseload_workload", "admin_support"}
    result = build_findings(coded, codebook, report_date="2025-03-31", title="T", authority="A")
    assert [s.theme for s in result.sections] == ["caseload_workload"]
    assert [(m.theme, m.points, m.visits) for m in result.mentioned] == [("admin_support", 1, 1)]
    table = findings_table(result).set_index("theme")
    assert (table.loc["admin_support", "points"], table.loc["admin_support", "section"]) == (1, "")
    html = str(findings_html(result))
    assert "Other themes mentioned" in html and "Business and admin support (1 point in 1 visit)" in html

"""Findings (scrutiny_kit/analysis/findings.py) from hand-built coded points (tests/fixtures/findings): sections and
their order, sentences, counts, citations, confidential exclusion, other issues, and the example end to end (the
sentences, excerpts, gap check, findings.csv and anchors have their own test modules beside this one)."""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pandas as pd

from fixtures.findings import sample
from scrutiny_kit.analysis.findings import Findings, build_findings, findings_table
from scrutiny_kit.analysis.recommendations import rate


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


def test_measures_and_sentences(findings: Findings) -> None:
    [measure] = findings.section("caseload_workload").measures
    assert measure.measure == "caseload_avg" and measure.latest_value == 26.0  # authority row, not a team's
    assert measure.sentences == ("The average caseload was 26 against a target of 24 in 2024.",)
    assert findings.section("it_systems").measures == ()


def test_a_measure_linked_to_two_themes_has_its_chart_once() -> None:
    book = sample.codebook()
    themes = [dataclasses.replace(t, measures=["caseload_avg"]) if t.id == "it_systems" else t for t in book.themes]
    f = sample.findings(commentary={})
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

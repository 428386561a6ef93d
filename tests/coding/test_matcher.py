"""Phrases found in a point's words (scrutiny_kit/coding/matcher.py), as `matched` shows them: inflections and
spellings, acronyms in capitals only, `re:` entries, punctuation, and the longer of two overlapping phrases."""
from __future__ import annotations

from scrutiny_kit.coding import code_points
from scrutiny_kit.coding.codebook import load_codebook

from coded_notes import codebook, coded_one, notes_of  # noqa: F401  (codebook: a fixture)


def test_matched_shows_phrases_as_found_inflections_spellings_and_hyphens(codebook):
    found = coded_one(codebook, "Recruiting and retaining staff in the organisation is hard; the re-organization "
                                "and hot-desking at the Civic Centre, and the children’s views matter.")
    assert found["recruitment_retention"] == "recruiting; retaining"
    assert found["organisational_change"] == "re-organization"
    assert found["accommodation_premises"] == "hot-desking; civic centre"
    assert found["voice_of_child"] == "children’s views"


def test_acronyms_match_only_in_capitals(codebook):
    assert coded_one(codebook, "It was noted that it would be reviewed.") == {"": ""}
    assert coded_one(codebook, "The IT helpdesk closes at five.") == {"it_systems": "IT; helpdesk"}
    assert "partnership" not in coded_one(codebook, "Members asked for a mash-up of the figures.")


def test_regex_entries_and_partner_agencies_are_not_agency_staff(codebook):
    assert "agency_staff" in coded_one(codebook, "Reliance on agency social workers has fallen.")
    assert "agency_staff" not in coded_one(codebook, "Multi-agency meetings with partner agencies are well attended.")
    assert coded_one(codebook, "Most contacts are screened within 24 hours.")["performance_quality"] == "within 24 hours"


def test_phrases_end_before_punctuation_and_never_run_across_points(codebook):
    assert coded_one(codebook, "The I.T. helpdesk, and (MASH).") == {
        "it_systems": "I.T; helpdesk", "partnership": "MASH"}
    assert coded_one(codebook, "Caseloads,workload; the MASH's front door.") == {
        "caseload_workload": "caseloads; workload", "partnership": "MASH's; front door"}
    coded = code_points(notes_of("Staff said the voice of", "the child was heard."), codebook)
    assert coded["theme"].tolist() == ["", ""]


def test_matched_shows_the_themes_own_phrase_where_phrases_overlap(codebook):
    found = coded_one(codebook, "A retention payment is made after two years.")
    assert found["recruitment_retention"] == "retention payment"
    assert found["pay_conditions"] == "retention payment"
    # a longer phrase of one theme hides a shorter one of another inside it: "agency social workers" is not
    # also partnership's "agencies", "pay and display" is not pay
    assert set(coded_one(codebook, "Agency social workers cover two teams.")) == {"agency_staff"}


def test_a_codebook_of_regular_expressions_only(tmp_path):
    path = tmp_path / "re.yaml"
    path.write_text('themes:\n  - {id: youth, label: Y, definition: d, phrases: ["re: youth (justice|offending)"]}\n')
    coded = code_points(notes_of("The youth justice team.", "Nothing."), load_codebook(path))
    assert coded[["theme", "matched", "tone"]].values.tolist() == [["youth", "youth justice", "neutral"],
                                                                  ["", "", "neutral"]]

"""Which themes a point is given (scrutiny_kit/coding/themes.py): the evidence rule (a heading corroborates but
never decides, ambiguous phrases need a second cue), several themes at once, exclusions and parents."""
from __future__ import annotations

from scrutiny_kit.coding import code_points
from scrutiny_kit.coding.codebook import load_codebook

from coded_notes import codebook, coded_one, notes_of  # noqa: F401  (codebook: a fixture)


def test_a_heading_corroborates_but_never_decides(codebook):
    assert coded_one(codebook, ("Caseloads", "Caseloads are 24 each.")) == {
        "caseload_workload": "caseloads; caseloads (heading)"}
    assert coded_one(codebook, ("Business support and IT", "Cover is patchy.")) == {"": ""}
    # an ambiguous phrase needs corroboration: the heading agreeing gives it
    assert coded_one(codebook, "The establishment is 40.") == {"": ""}
    assert coded_one(codebook, ("Vacancies", "The establishment is 40.")) == {
        "recruitment_retention": "establishment; vacancies (heading)"}


def test_ambiguous_phrases_need_a_second_cue_of_their_theme(codebook):
    assert coded_one(codebook, "The work was in train and senior managers were told.") == {"": ""}
    assert coded_one(codebook, "Two posts are held open.") == {"": ""}  # "posts" alone
    assert coded_one(codebook, "Two posts were advertised twice.") == {
        "recruitment_retention": "posts; advertised"}  # two different ambiguous phrases
    assert coded_one(codebook, "Two posts are vacant.")["recruitment_retention"] == "posts; vacant"
    assert coded_one(codebook, "The post and the posts.") == {"": ""}  # one word twice is one piece of evidence
    assert coded_one(codebook, "Members met staff at County Hall via MS Teams.") == {"": ""}
    assert coded_one(codebook, "Staff training was cancelled.") == {"supervision_training": "training"}


def test_a_point_can_raise_three_themes(codebook):
    found = coded_one(codebook, "Because of the vacancies, agency staff cover cases and the ASYE induction was cut short.")
    assert set(found) == {"recruitment_retention", "agency_staff", "supervision_training"}
    assert found["supervision_training"] == "ASYE; induction"


def test_user_codebook_theme_exclude_parent_and_cues_take_effect(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("""extends: default
themes:
  - id: parking
    label: Parking
    definition: Where staff park.
    phrases: [parking permit, "re: pay (and|&) display"]
    parent: accommodation_premises
  - id: holidays
    label: Holidays
    definition: School holidays.
    phrases: [summer holiday]
    exclude: [holiday club]
tone:
  positive: [splendid]
""", encoding="utf-8")
    mine = load_codebook(path)
    coded = code_points(notes_of("Parking permits are splendid.", "The pay and display machine is broken.",
                                 "Summer holidays are very busy.", "The summer holiday club is full."), mine)
    assert coded[["point", "theme", "matched", "tone"]].values.tolist() == [
        [1, "accommodation_premises", "parking permits", "positive"],
        [1, "parking", "parking permits", "positive"],
        [2, "accommodation_premises", "pay and display", "concern"],
        [2, "parking", "pay and display", "concern"],  # not pay: "pay" is inside the longer phrase
        [3, "caseload_workload", "very busy", "neutral"],
        [3, "holidays", "summer holidays", "neutral"],
        [4, "", "", "neutral"],  # "holiday club" hides "holiday": a different sense
    ]


def test_an_analyst_marks_a_phrase_ambiguous_in_their_own_codebook(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("extends: default\nthemes:\n  - id: caseload_workload\n    ambiguous: [workload]\n"
                    "  - id: youth\n    label: Youth justice\n    definition: d\n    phrases: [youth justice]\n"
                    "    ambiguous: [YOT, court]\n", encoding="utf-8")
    mine = load_codebook(path)
    assert "workload" in mine.theme("caseload_workload").ambiguous
    assert "workload" not in mine.theme("caseload_workload").phrases
    coded = code_points(notes_of("The workload is fine.", "The workload and the caseload are fine.",
                                 "The YOT met.", "The YOT court list."), mine)
    assert coded[["point", "theme", "matched"]].values.tolist() == [
        [1, "", ""], [2, "caseload_workload", "workload; caseload"], [3, "", ""], [4, "partnership", "court"],
        [4, "youth", "YOT; court"]]

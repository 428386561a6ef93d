"""Theme coding and tone: the coded-frame contract, why each theme matched, the tone rule, the
summary and CSV, and accuracy on the hand-labelled evaluation sets."""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pandas as pd
import pytest
import yaml

from scrutiny_kit.codebook import load_codebook
from scrutiny_kit.coding import CODED_COLUMNS, SUMMARY_COLUMNS, code_files, code_points, coded_points_csv, theme_summary
from scrutiny_kit.errors import InputError
from scrutiny_kit.sources.visit_notes import NOTE_COLUMNS, load_visit_notes

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = Path(__file__).parents[1] / "examples" / "frontline" / "visits"


@pytest.fixture(scope="module")
def codebook():
    return load_codebook("default")


def notes_of(*points: str | tuple[str, str], team: str = "Northgate Locality Team", source: str = "visit.md",
             date: dt.date = dt.date(2025, 3, 4)) -> pd.DataFrame:
    """A notes frame for some points; a point is text or (heading, text)."""
    rows = []
    for number, point in enumerate(points, start=1):
        heading, text = point if isinstance(point, tuple) else ("", point)
        rows.append({"source": source, "point": number, "line": number, "date": date, "team": team,
                     "authority": "Example County Council", "visitors": "", "confidential": False,
                     "heading": heading, "text": text})
    return pd.DataFrame(rows, columns=NOTE_COLUMNS)


def coded_one(codebook, point: str | tuple[str, str]) -> dict[str, str]:
    """theme -> matched for a single point."""
    coded = code_points(notes_of(point), codebook)
    return dict(zip(coded["theme"], coded["matched"]))


def tone_of(codebook, point: str | tuple[str, str]) -> str:
    return code_points(notes_of(point), codebook)["tone"].iloc[0]


# --------------------------------------------------------------------------- the coded frame


def test_coded_frame_contract_one_row_per_point_and_theme(codebook):
    notes = notes_of(
        "Caseloads were too high and two agency workers covered vacancies.",
        "The visit lasted two hours.",
        ("Car parking", "This is a particular issue at Meadow House."),
    )
    coded = code_points(notes, codebook)
    assert list(coded.columns) == CODED_COLUMNS
    assert CODED_COLUMNS[:8] == ["source", "point", "date", "team", "theme", "matched", "tone", "text"]
    assert coded[["point", "theme", "matched", "tone"]].values.tolist() == [
        [1, "caseload_workload", "caseloads", "concern"],
        [1, "recruitment_retention", "vacancies", "concern"],
        [1, "agency_staff", "agency", "concern"],
        [2, "", "", "neutral"],
        [3, "accommodation_premises", "car parking (heading)", "concern"],
    ]
    assert coded["text"].iloc[3] == "The visit lasted two hours."
    assert coded["date"].iloc[0] == dt.date(2025, 3, 4)
    assert coded["heading"].iloc[4] == "Car parking"


def test_matched_shows_phrases_as_found_inflections_spellings_and_hyphens(codebook):
    found = coded_one(codebook, "Recruiting and retaining staff in the organisation is hard; the re-organization "
                                "and hot-desking at the Civic Centre, and the children’s views matter.")
    assert found["recruitment_retention"] == "recruiting; retaining"
    assert found["organisational_change"] == "re-organization"
    assert found["accommodation_premises"] == "hot-desking; civic centre"
    assert found["voice_of_child"] == "children’s views"


def test_heading_carries_the_topic_and_text_phrases_come_first(codebook):
    assert coded_one(codebook, ("Caseloads", "Caseloads are 24 each.")) == {
        "caseload_workload": "caseloads; caseloads (heading)"}
    assert coded_one(codebook, ("Business support and IT", "Cover is patchy.")) == {
        "admin_support": "business support (heading)", "it_systems": "IT (heading)"}


def test_negated_mentions_still_count_and_tone_gives_the_direction(codebook):
    coded = code_points(notes_of("No concerns were raised about supervision.",
                                 "Staff did not think caseloads were manageable."), codebook)
    assert coded[["theme", "matched", "tone"]].values.tolist() == [
        ["supervision_training", "supervision", "positive"],
        ["caseload_workload", "caseloads", "concern"],
    ]


def test_a_point_can_raise_three_themes(codebook):
    found = coded_one(codebook, "Because of the vacancies, agency staff cover cases and the ASYE induction was cut short.")
    assert set(found) == {"recruitment_retention", "agency_staff", "supervision_training"}
    assert found["supervision_training"] == "ASYE; induction"


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
        "it_systems": "I.T.; helpdesk", "partnership": "MASH"}
    assert coded_one(codebook, "Caseloads,workload; the MASH's front door.") == {
        "caseload_workload": "caseloads", "partnership": "MASH's; front door"}
    coded = code_points(notes_of("Staff said the voice of", "the child was heard."), codebook)
    assert coded["theme"].tolist() == ["", ""]


def test_matched_shows_the_themes_own_phrase_where_phrases_overlap(codebook):
    found = coded_one(codebook, "A retention payment is made after two years.")
    assert found["recruitment_retention"] == "retention"
    assert found["pay_conditions"] == "retention payment"


def test_a_codebook_of_regular_expressions_only(tmp_path):
    path = tmp_path / "re.yaml"
    path.write_text('themes:\n  - {id: youth, label: Y, definition: d, phrases: ["re: youth (justice|offending)"]}\n')
    coded = code_points(notes_of("The youth justice team.", "Nothing."), load_codebook(path))
    assert coded[["theme", "matched", "tone"]].values.tolist() == [["youth", "youth justice", "neutral"],
                                                                  ["", "", "neutral"]]


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
        [2, "pay_conditions", "pay", "concern"],
        [2, "parking", "pay and display", "concern"],
        [3, "caseload_workload", "very busy", "neutral"],
        [3, "holidays", "summer holidays", "neutral"],
        [4, "", "", "neutral"],  # "holiday club" vetoes the theme for this point
    ]


# --------------------------------------------------------------------------- tone


@pytest.mark.parametrize(("point", "tone"), [
    ("Concerns were raised about caseloads.", "concern"),
    ("Staff are struggling and there are not enough desks.", "concern"),
    ("There are delays in assessments.", "concern"),
    ("Members were well informed and the manager was praised.", "positive"),
    ("Caseloads had fallen to a manageable level.", "positive"),
    ("Caseloads are not manageable.", "concern"),
    ("There is a lack of admin support.", "concern"),
    ("There were no concerns about the office.", "positive"),
    ("Staff felt well informed and valued.", "positive"),
    ("The laptops have improved but the wifi is still difficult.", "concern"),
    ("Recruitment was difficult last year but has improved.", "positive"),
    ("Areas for improvement include recording.", "concern"),
    ("Supervision is rarely cancelled.", "positive"),
    ("Staff are struggling, and, frankly, good managers cannot fix that.", "concern"),
    ("The visit lasted two hours.", "neutral"),
    (("What is working well", "The duty rota."), "positive"),
    (("Concerns", "The duty rota is good."), "positive"),
    ("Referrals to the front door have risen by a fifth.", "concern"),
    ("Referrals have not risen this year.", "positive"),
    ("Reliance on agency managers has reduced.", "positive"),  # the longer `re:` cue absorbs "reliance on"
    ("RESOLVED that the report be noted.", "neutral"),
    ("It was explained that the figures would be circulated.", "neutral"),
    ("Caseloads have fallen to 18 since the spring.", "positive"),  # trends: worse when rising, falling
    ("Permanent staff numbers have dropped.", "concern"),  # better when rising, falling
    ("Pay for senior practitioners is below that of neighbouring councils.", "concern"),
    ("CP plans per 10,000 children remain above the national rate.", "concern"),  # "10,000" is no clause break
])
def test_tone_rule(codebook, point, tone):
    assert tone_of(codebook, point) == tone


# --------------------------------------------------------------------------- summary, CSV, files


def test_theme_summary_counts_points_visits_teams_tones_and_dates(codebook):
    notes = pd.concat([
        notes_of("Caseloads are too high.", "Caseloads and workload are fine, staff said it was good.", source="a.md"),
        notes_of("Caseloads are 20.", team="Riverside Locality Team", source="b.md", date=dt.date(2025, 5, 1)),
    ], ignore_index=True)
    summary = theme_summary(code_points(notes, codebook), codebook)
    assert list(summary.columns) == SUMMARY_COLUMNS
    assert len(summary) == 14
    top = summary.iloc[0].to_dict()
    assert top == {"theme": "caseload_workload", "label": "Caseloads and workload", "points": 3, "visits": 2,
                   "teams": "Northgate Locality Team, Riverside Locality Team", "concern": 1, "positive": 1,
                   "neutral": 1, "concern_visits": 1, "first_date": dt.date(2025, 3, 4),
                   "last_date": dt.date(2025, 5, 1)}
    assert summary["points"].iloc[1:].eq(0).all()
    assert summary["theme"].iloc[1:].tolist() == [t for t in codebook.ids if t != "caseload_workload"]


def test_coded_points_csv_columns_and_iso_dates(codebook):
    csv = coded_points_csv(code_points(notes_of("Caseloads are 20.", "Nothing to note."), codebook))
    frame = pd.read_csv(io.StringIO(csv), keep_default_na=False)
    assert list(frame.columns) == CODED_COLUMNS
    assert frame[["date", "theme", "matched", "tone"]].values.tolist() == [
        ["2025-03-04", "caseload_workload", "caseloads", "neutral"], ["2025-03-04", "", "", "neutral"]]
    assert csv.splitlines()[0] == ",".join(CODED_COLUMNS)


def test_code_files_reads_folders_and_a_codebook_file(tmp_path):
    (tmp_path / "a.md").write_text("---\ndate: 2025-01-15\nteam: T\n---\n## Car parking\n- Awful.\n", encoding="utf-8")
    (tmp_path / "cb.yaml").write_text("themes:\n  - {id: awful, label: A, definition: d, phrases: [awful]}\n")
    default = code_files([tmp_path / "a.md"], None)
    assert default[["theme", "matched"]].values.tolist() == [["accommodation_premises", "car parking (heading)"]]
    mine = code_files([str(tmp_path / "*.md")], str(tmp_path / "cb.yaml"), default_authority="Example County Council")
    assert mine[["theme", "matched", "authority"]].values.tolist() == [["awful", "awful", "Example County Council"]]
    with pytest.raises(InputError, match="codebook file not found"):
        code_files([tmp_path / "a.md"], str(tmp_path / "missing.yaml"))


def test_empty_notes_and_texts_that_are_not_strings(codebook):
    empty = code_points(notes_of(), codebook)
    assert list(empty.columns) == CODED_COLUMNS and len(empty) == 0
    notes = notes_of("Caseloads.", "x")
    notes.loc[1, "text"] = None
    assert code_points(notes, codebook)["theme"].tolist() == ["caseload_workload", ""]


def test_example_review_covers_every_theme_and_both_tones(codebook):
    notes = load_visit_notes([EXAMPLES], default_authority="Example County Council")
    coded = code_points(notes, codebook)
    assert set(coded["theme"]) - {""} == set(codebook.ids)
    assert coded.drop_duplicates(["source", "point"])["tone"].value_counts().to_dict().keys() >= {"concern", "positive"}
    parking = coded[(coded["source"] == "2024-10-08-northgate-locality.md") & (coded["point"] == 6)]
    assert parking[["theme", "matched", "tone"]].values.tolist() == [
        ["accommodation_premises", "car parking (heading)", "concern"]]


# --------------------------------------------------------------------------- accuracy on labelled points


def score(codebook, path: Path) -> dict[str, float]:
    """Micro precision and recall of themes, and tone accuracy, over a labelled set."""
    points = yaml.safe_load(path.read_text(encoding="utf-8"))["points"]
    coded = code_points(notes_of(*[(p.get("heading", ""), p["text"]) for p in points]), codebook)
    got = coded[coded["theme"] != ""].groupby("point")["theme"].apply(set).to_dict()
    tones = coded.drop_duplicates("point").set_index("point")["tone"].to_dict()
    tp = fp = fn = tone_hits = 0
    for number, point in enumerate(points, start=1):
        want, found = set(point["themes"]), got.get(number, set())
        tp, fp, fn = tp + len(want & found), fp + len(found - want), fn + len(want - found)
        tone_hits += tones[number] == point["tone"]
    return {"points": len(points), "labels": tp + fn, "precision": tp / (tp + fp), "recall": tp / (tp + fn),
            "tone": tone_hits / len(points)}


# Each set: (what it is, recall floor, precision floor, tone floor). The first three were looked
# at while the phrase lists were tuned, so they must meet the targets (recall >= 0.85, precision
# >= 0.80). The untouched set was never looked at point by point while tuning: its floors are
# what the codebook honestly achieved there (precision 0.903, recall 0.903, tone 0.72; before
# broadening 0.915 / 0.750 / 0.54) less a small margin, so they guard against regressions.
LABELLED_SETS = {
    "labelled_points.yaml": ("tuning set", 0.85, 0.80, 0.85),
    "labelled_points_holdout.yaml": ("first held-out set, used for tuning in the second round", 0.85, 0.80, 0.68),
    "labelled_points_fresh.yaml": ("fresh set by another author, used for tuning in the second round", 0.85, 0.80, 0.80),
    "labelled_points_untouched.yaml": ("untouched set: the honest estimate", 0.87, 0.87, 0.66),
}


def _points(name: str) -> list[dict]:
    return yaml.safe_load((FIXTURES / name).read_text(encoding="utf-8"))["points"]


def test_labelled_sets_are_big_and_spread_across_all_themes(codebook):
    points, holdout, fresh, untouched = (_points(name) for name in LABELLED_SETS)
    assert len(points) >= 60 and len(holdout) >= 30 and len(fresh) >= 80 and len(untouched) >= 30
    for theme in codebook.ids:
        assert sum(theme in p["themes"] for p in points) >= 3, theme
        assert sum(theme in p["themes"] for p in fresh) >= 4, theme
    for labelled in (points, fresh):
        assert {len(p["themes"]) for p in labelled} >= {0, 1, 2, 3}
    assert sum(len(p["themes"]) >= 3 for p in points) >= 2
    for p in points + holdout + fresh + untouched:
        assert p["tone"] in ("concern", "positive", "neutral") and set(p["themes"]) <= set(codebook.ids), p


@pytest.mark.parametrize("name", list(LABELLED_SETS))
def test_accuracy_on_labelled_points(codebook, name):
    role, recall, precision, tone = LABELLED_SETS[name]
    result = score(codebook, FIXTURES / name)
    print(f"\n{name} ({role}): {result['points']} points, {result['labels']} labels: precision "
          f"{result['precision']:.3f}, recall {result['recall']:.3f}, tone accuracy {result['tone']:.3f}")
    assert result["recall"] >= recall
    assert result["precision"] >= precision
    assert result["tone"] >= tone


def test_phrase_count_reads_matched_as_coded_points_csv_records_it() -> None:
    from scrutiny_kit.coding import phrase_count

    matched = "caseloads; duty week; Caseloads; caseloads (heading)"
    assert phrase_count(matched) == 2  # distinct, own words only
    assert phrase_count(matched, with_heading=True) == 3
    assert phrase_count("") == 0 and phrase_count(float("nan")) == 0

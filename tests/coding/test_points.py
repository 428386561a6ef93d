"""Theme coding and tone: the coded-frame contract, why each theme matched, the tone rule, the
summary and CSV, and accuracy on the hand-labelled evaluation sets."""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pandas as pd
import pytest
import yaml

from scrutiny_kit.coding.codebook import load_codebook
from scrutiny_kit.coding import CODED_COLUMNS, SUMMARY_COLUMNS, code_files, code_points, coded_points_csv, theme_summary
from scrutiny_kit.errors import InputError
from scrutiny_kit.sources.visit_notes import NOTE_COLUMNS, load_visit_notes

FIXTURES = Path(__file__).parents[1] / "fixtures"
EXAMPLES = Path(__file__).parents[2] / "examples" / "frontline" / "visits"


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
        ("Car parking", "The car park is full by nine."),
    )
    coded = code_points(notes, codebook)
    assert list(coded.columns) == CODED_COLUMNS
    assert CODED_COLUMNS[:8] == ["source", "point", "date", "team", "theme", "matched", "tone", "text"]
    assert coded[["point", "theme", "matched", "tone"]].values.tolist() == [
        [1, "caseload_workload", "caseloads", "concern"],
        [1, "recruitment_retention", "vacancies", "concern"],
        [1, "agency_staff", "agency", "concern"],
        [2, "", "", "neutral"],
        [3, "", "", "concern"],  # the heading alone never gives a theme; its tone still counts
        [4, "accommodation_premises", "car park; car parking (heading)", "neutral"],
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
    # from the issue: comparison, shortfall, names and contrast decide, not a positive word about something else
    ("Staff left for better-paying jobs elsewhere.", "concern"),
    ("There is a significant shortage of social workers.", "concern"),
    ("Only 41 per cent of supervision sessions are on time.", "concern"),
    ("The Improvement Board met in May.", "neutral"),
    ("Agency staff cost more than a permanent worker.", "concern"),
    ("Morale is good, but caseloads are too high.", "concern"),
    ("Although caseloads are high, morale is good.", "positive"),
    ("Staff praised their managers and said the wifi is poor.", "mixed"),
    ("The number of children at risk of exploitation has fallen from 42 to 25.", "positive"),
    ("Turnover remained high.", "concern"),
    ("Audit scores fell from 6.2 to 5.5.", "concern"),
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
                   "mixed": 0, "neutral": 1, "concern_visits": 1, "first_date": dt.date(2025, 3, 4),
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
    (tmp_path / "a.md").write_text("---\ndate: 2025-01-15\nteam: T\n---\n## Car parking\n- Awful parking.\n",
                                   encoding="utf-8")
    (tmp_path / "cb.yaml").write_text("themes:\n  - {id: awful, label: A, definition: d, phrases: [awful]}\n")
    default = code_files([tmp_path / "a.md"], None)
    assert default[["theme", "matched"]].values.tolist() == [["accommodation_premises",
                                                              "parking; car parking (heading)"]]
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
        ["accommodation_premises", "parking; car parking (heading)", "concern"]]


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
    "labelled_points_untouched.yaml": ("untouched set: the honest estimate", 0.85, 0.85, 0.66),
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


# --------------------------------------------------------------------------- accuracy on real council text

REAL_POINTS = Path(__file__).parents[3] / "shared" / "reference" / "real-points"
# Real committee minutes, news reports of scrutiny meetings and staff-survey findings from 17 councils, labelled by
# hand (../shared/reference/real-points/README.md), read in place: they are other people's words, not ours to ship.
# The measure that counts. Floors sit just under what the default codebook reaches (0.876 / 0.866 / 0.804).
REAL_FLOORS = {"precision": 0.86, "recall": 0.85, "tone": 0.80}


def test_accuracy_on_real_council_text(codebook):
    assert (REAL_POINTS / "labels.yaml").is_file(), f"the real labelled points are missing: {REAL_POINTS}"
    labels = yaml.safe_load((REAL_POINTS / "labels.yaml").read_text(encoding="utf-8"))
    coded = code_files([REAL_POINTS / "visits"], None)
    got = coded[coded["theme"] != ""].groupby(["source", "point"])["theme"].apply(set).to_dict()
    tones = coded.drop_duplicates(["source", "point"]).set_index(["source", "point"])["tone"].to_dict()
    tp = fp = fn = tone_hits = 0
    for label in labels:
        key = (label["file"], label["point"])
        assert key in tones, f"point {key} is missing from the coded points"
        want, found = set(label["themes"] or []), got.get(key, set())
        tp, fp, fn = tp + len(want & found), fp + len(found - want), fn + len(want - found)
        tone_hits += tones[key] in ({"mixed", "concern", "positive"} if label["tone"] == "mixed" else {label["tone"]})
    result = {"precision": tp / (tp + fp), "recall": tp / (tp + fn), "tone": tone_hits / len(labels)}
    print(f"\nreal-points ({len(labels)} points from 17 councils): precision {result['precision']:.3f}, "
          f"recall {result['recall']:.3f}, tone accuracy {result['tone']:.3f}")
    for measure, floor in REAL_FLOORS.items():
        assert result[measure] >= floor, f"{measure} {result[measure]:.3f} fell below {floor}"

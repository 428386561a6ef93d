"""The coded points (scrutiny_kit/coding/points.py): the coded-frame contract, the summary and CSV, coding files,
and accuracy on the hand-labelled evaluation sets and on real council text (matching, themes and tone have their
own test modules beside this one)."""
from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

import pandas as pd
import pytest
import yaml

from scrutiny_kit.coding import CODED_COLUMNS, SUMMARY_COLUMNS, code_files, code_points, coded_points_csv, theme_summary
from scrutiny_kit.errors import InputError
from scrutiny_kit.sources.visit_notes import load_visit_notes

from coded_notes import codebook, notes_of  # noqa: F401  (codebook: a fixture)

FIXTURES = Path(__file__).parents[1] / "fixtures"
EXAMPLES = Path(__file__).parents[2] / "examples" / "frontline" / "visits"


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

# Beside the checkout (../shared/reference/real-points), or wherever SCRUTINY_KIT_REAL_POINTS names.
REAL_POINTS = Path(os.environ.get("SCRUTINY_KIT_REAL_POINTS")
                   or Path(__file__).parents[3] / "shared" / "reference" / "real-points")
# Real committee minutes, news reports of scrutiny meetings and staff-survey findings from 17 councils, labelled by
# hand (../shared/reference/real-points/README.md), read in place: they are other people's words, not ours to ship.
# The measure that counts. Floors sit just under what the default codebook reaches (0.876 / 0.866 / 0.811).
REAL_FLOORS = {"precision": 0.86, "recall": 0.85, "tone": 0.80}


def test_accuracy_on_real_council_text(codebook):
    assert (REAL_POINTS / "labels.yaml").is_file(), (
        f"the real labelled points are missing: {REAL_POINTS} (clone beside ../shared, or set SCRUTINY_KIT_REAL_POINTS)")
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

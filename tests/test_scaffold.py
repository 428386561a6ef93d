"""`new_review`: the folder it writes validates as it stands, marks its example content, and never overwrites."""
from __future__ import annotations

import datetime as dt
import errno
import re
from pathlib import Path

import openpyxl
import pytest
import yaml

from scrutiny_kit import scaffold
from scrutiny_kit.coding.codebook import load_codebook
from scrutiny_kit.errors import InputError, ParamsError
from scrutiny_kit.params import ReviewParams, load_params
from scrutiny_kit.review import load_inputs, publish_check
from scrutiny_kit.sources.commentary import split_sections
from scrutiny_kit.sources.recommendations import load_recommendations
from scrutiny_kit.sources.visit_notes import load_visit_notes

ROOT = Path(__file__).resolve().parent.parent
DFE = ROOT / "tests" / "fixtures" / "workforce" / "dfe_new_layout.csv"
TODAY = dt.date(2026, 3, 9)
_KEY_COMMENT = re.compile(r"^#?\s*([a-z_]+):.*?\s# (.+)$")


def _new(folder: Path, **options: object) -> scaffold.Scaffold:
    return scaffold.new_review(folder, today=TODAY, **options)


def _comments(text: str) -> dict[str, str]:
    """key -> its comment, for 'key: value   # comment' lines (commented-out keys too)."""
    return {m[1]: m[2].strip() for line in text.splitlines() if (m := _KEY_COMMENT.match(line))}


def test_a_fresh_scaffold_validates_with_every_input_loaded(tmp_path: Path) -> None:
    done = _new(tmp_path / "reviews" / "Frontline Review 2026", authority="North Tyneside")
    assert done.review_id == "frontline-review-2026"
    params = load_params(done.params)
    assert (params.review_id, params.title, params.authority) == (
        "frontline-review-2026", "Frontline review 2026", "North Tyneside")
    assert params.report_date == TODAY and params.committee == "Example Scrutiny Committee"
    inputs = load_inputs(params)
    publish_check(inputs, apply_redaction=False)  # what `validate` runs: nothing personal in the examples
    notes = inputs.notes
    assert sorted(notes["source"].unique()) == ["example-visit.docx", "example-visit.md"]
    assert len(notes) == 7 and not notes["confidential"].any()
    assert set(notes["date"]) == {dt.date(2026, 2, 23), dt.date(2026, 3, 2)}  # before the report date
    assert inputs.workforce.authority == "North Tyneside"
    assert inputs.workforce.periods == ["2023", "2024", "2025"]
    latest = inputs.workforce.data.query("measure == 'vacancy_rate' and period == '2025'")["value"].tolist()
    assert latest == [19.5]
    assert inputs.recommendations["id"].tolist() == ["1"]
    assert list(inputs.commentary) == ["introduction"]  # the theme headings are empty until an officer writes


def test_example_content_says_it_is_an_example(tmp_path: Path) -> None:
    done = _new(tmp_path / "r1")
    inputs = load_inputs(load_params(done.params))
    assert all(text.startswith("Example point:") for text in inputs.notes["text"])
    assert inputs.recommendations["recommendation"].iloc[0].startswith("EXAMPLE:")
    assert "rendered from EXAMPLE content" in inputs.commentary["introduction"]
    workforce = (tmp_path / "r1" / "workforce-example.csv").read_text().splitlines()
    assert all(line.endswith(scaffold.EXAMPLE_NOTE) for line in workforce[1:])
    assert {p.name for p in done.written if p.parent.name == "visits"} == {"example-visit.md", "example-visit.docx"}
    assert load_params(done.params).authority == "Example Council"
    assert scaffold.example_content(inputs) == [
        "visit note example-visit.docx", "visit note example-visit.md", "recommendation 1",
        "workforce figures (workforce-example.csv)", "the commentary's introduction"]


def test_a_finished_review_has_no_example_content() -> None:
    inputs = load_inputs(load_params(ROOT / "params" / "example.yaml"))
    assert scaffold.example_content(inputs) == []


def test_params_file_comments_every_key_as_the_readme_does(tmp_path: Path) -> None:
    text = _new(tmp_path / "r2").params.read_text()
    comments = _comments(text)
    keys = [k for k in ReviewParams.model_fields if k != "params_file"]
    assert not set(keys) - set(comments), "every params key is in the scaffold, with a comment"
    readme = (ROOT / "README.md").read_text().split("## The params file", 1)[1]
    documented = _comments(readme.split("```yaml", 1)[1].split("```", 1)[0])
    assert set(keys) <= set(documented)
    differ = {k: (comments[k], documented[k]) for k in documented if k in comments and comments[k] != documented[k]}
    assert not differ, f"the scaffold's comments differ from the README's: {differ}"
    assert "report_date: 2026-03-09 " in text and "review_id: r2 " in text


def test_values_are_quoted_where_yaml_needs_it(tmp_path: Path) -> None:
    done = _new(tmp_path / "r3", title="Frontline work: #1 review", committee="Children's Scrutiny Panel",
                authority="  Yes  ")
    raw = yaml.safe_load(done.params.read_text())
    assert raw["title"] == "Frontline work: #1 review"
    assert raw["committee"] == "Children's Scrutiny Panel"
    assert raw["authority"] == "Yes"  # a string, not YAML's boolean


def test_tracker_has_the_columns_drop_downs_and_one_example_row(tmp_path: Path) -> None:
    _new(tmp_path / "r4")
    path = tmp_path / "r4" / "recommendations.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["recommendations"]
    assert book.sheetnames[0] == "recommendations"
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == ["id", "recommendation", "themes", "owner", "response", "action", "due", "status",
                             "update", "updated"]
    assert len(rows) == 2
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert lists["E2:E500"] == '"Accepted,Partially accepted,Noted,Not accepted,Awaiting response"'
    assert lists["H2:H500"] == '"Not started,In progress,Complete,Superseded"'
    recs = load_recommendations(path, theme_ids=set(load_codebook("default").ids))
    row = recs.iloc[0]
    assert (row["response"], row["status"], row["themes"]) == ("Accepted", "In progress", ["caseload_workload"])
    assert (row["response_category"], row["status_category"]) == ("accepted", "in progress")
    assert row["due"] == dt.date(2026, 9, 7) and row["updated"] == TODAY
    guide = [r[0] for r in book["how to fill in"].iter_rows(values_only=True)]
    assert set(load_codebook("default").ids) <= set(guide)


def test_word_note_is_read_like_an_officers(tmp_path: Path) -> None:
    _new(tmp_path / "r5")
    notes = load_visit_notes([tmp_path / "r5" / "visits" / "example-visit.docx"], default_authority="X")
    assert set(notes["team"]) == {"Example children in care team"}
    assert set(notes["date"]) == {dt.date(2026, 3, 2)}
    assert notes["heading"].tolist() == ["Recruitment and retention", "Offices and IT", "What children told us"]
    assert notes["text"].iloc[1].startswith("Example point: staff said the new laptops work well")


def test_commentary_has_a_heading_per_theme_of_the_codebook(tmp_path: Path) -> None:
    _new(tmp_path / "r6")
    sections, before = split_sections((tmp_path / "r6" / "commentary.md").read_text())
    assert before == []
    assert [title for _, title, _ in sections] == ["Introduction", *load_codebook("default").ids, "Conclusion"]


def test_never_overwrites_and_adds_no_examples_beside_real_notes(tmp_path: Path) -> None:
    folder = tmp_path / "r7"
    (folder / "visits").mkdir(parents=True)
    (folder / "params.yaml").write_text("mine\n")
    (folder / "visits" / "2026-01-05-front-door.md").write_text("---\ndate: 2026-01-05\nteam: Front door\n---\n- a\n")
    done = _new(folder)
    assert (folder / "params.yaml").read_text() == "mine\n"
    assert folder / "params.yaml" in done.kept and folder / "visits" in done.kept
    assert sorted(p.name for p in (folder / "visits").iterdir()) == ["2026-01-05-front-door.md"]
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    again = scaffold.new_review(folder, today=TODAY + dt.timedelta(days=3), authority="Other")
    assert again.written == []
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def test_workforce_file_is_checked_and_copied(tmp_path: Path) -> None:
    done = _new(tmp_path / "dfe", authority="e06000010", workforce=DFE)
    copy = tmp_path / "dfe" / DFE.name
    assert copy.read_bytes() == DFE.read_bytes()
    params = load_params(done.params)
    assert params.authority == "Kingston upon Hull, City of"  # as the file names it, found by its code
    assert params.workforce == copy
    assert not (tmp_path / "dfe" / "workforce-example.csv").exists()
    inputs = load_inputs(params)
    assert inputs.workforce.comparators == ["England"]


def test_an_authority_missing_from_the_workforce_file_names_the_closest_and_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        _new(tmp_path / "bad", authority="Kingston upon Hul", workforce=DFE)
    message = caught.value.describe()
    assert "'Kingston upon Hull, City of'" in message and "give --authority the name used in the file" in message
    assert not (tmp_path / "bad").exists()


def test_workforce_needs_an_authority_and_an_existing_file(tmp_path: Path) -> None:
    with pytest.raises(ParamsError, match="--workforce needs --authority"):
        _new(tmp_path / "a", workforce=DFE)
    with pytest.raises(ParamsError, match="--workforce: file not found"):
        _new(tmp_path / "a", authority="X", workforce=tmp_path / "missing.csv")
    assert not (tmp_path / "a").exists()


def test_workforce_already_in_the_folder_is_used_in_place(tmp_path: Path) -> None:
    folder = tmp_path / "inplace"
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "dfe.csv").write_bytes(DFE.read_bytes())
    done = _new(folder, authority="East Riding of Yorkshire", workforce=folder / "data" / "dfe.csv")
    assert yaml.safe_load(done.params.read_text())["workforce"] == "data/dfe.csv"
    assert not (folder / "dfe.csv").exists()


def test_a_different_file_of_the_same_name_stops_before_anything_is_written(tmp_path: Path) -> None:
    folder = tmp_path / "clash"
    folder.mkdir()
    (folder / DFE.name).write_text("someone else's file\n")
    with pytest.raises(ParamsError, match="already exists and is not a copy"):
        _new(folder, authority="East Riding of Yorkshire", workforce=DFE)
    assert sorted(p.name for p in folder.iterdir()) == [DFE.name]


@pytest.mark.parametrize(("name", "expected"), [("Frontline Review 2026", "frontline-review-2026"),
                                                ("2026_Q1 (draft)", "2026-q1-draft"), ("Révision", "revision")])
def test_review_id_comes_from_the_folder_name(name: str, expected: str) -> None:
    assert scaffold.review_id_for(Path(name)) == expected


def test_a_folder_name_with_no_letters_or_digits_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ParamsError, match="gives no review id"):
        _new(tmp_path / "---")
    (tmp_path / "file").write_text("x")
    with pytest.raises(ParamsError, match="is a file, not a folder"):
        _new(tmp_path / "file")
    (tmp_path / "r" ).mkdir()
    (tmp_path / "r" / "visits").write_text("x")
    with pytest.raises(ParamsError, match="visits: is a file, not a folder"):
        _new(tmp_path / "r")
    assert sorted(p.name for p in (tmp_path / "r").iterdir()) == ["visits"]


def test_a_file_that_cannot_be_written_is_a_message_naming_it(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    real = scaffold._write_new

    def disk_full_at_commentary(path: Path, content: object) -> bool:
        if path.name == "commentary.md":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(path, content)

    monkeypatch.setattr(scaffold, "_write_new", disk_full_at_commentary)
    with pytest.raises(ParamsError) as caught:
        _new(tmp_path / "full")
    message = caught.value.describe()
    assert f"{tmp_path / 'full' / 'commentary.md'}: cannot be written (No space left on device)" in message
    assert f"wrote {tmp_path / 'full' / 'params.yaml'}" in message

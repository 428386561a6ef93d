"""Visit notes as a whole: every file's problems at once, paths and globs, links, limits, characters, the
example review and the notes DataFrame's columns."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from scrutiny_kit.errors import InputError
from scrutiny_kit.sources.visit_notes import NOTE_COLUMNS, expand_note_paths, load_visit_notes, read_note
from visit_note_files import AUTHORITY, EXAMPLES, NOTE, load, problems_of, refused, write


def test_every_bad_file_is_reported_at_once_with_its_own_message(tmp_path):
    good = write(tmp_path, "a-good.md", "---\ndate: 2025-01-15\nteam: T\n---\n- fine\n")
    no_date = write(tmp_path, "b-no-date.md", "---\nteam: T\n---\n- a point\n")
    bad_date = write(tmp_path, "c-bad-date.md", "---\ndate: 31/02/2025\nteam: T\n---\n- a point\n")
    no_team = write(tmp_path, "d-no-team.txt", "Date: 2025-01-15\n\n- a point\n")
    empty = write(tmp_path, "e-empty.md", "")
    no_points = write(tmp_path, "f-no-points.md", "---\ndate: 2025-01-15\nteam: T\n---\n## Only a heading\n")
    pdf = write(tmp_path, "g-note.pdf", "%PDF")
    broken = write(tmp_path, "h-broken.docx", "this is not a Word file")
    with pytest.raises(InputError) as excinfo:
        load_visit_notes(expand_note_paths([tmp_path]), default_authority=AUTHORITY)
    assert problems_of(excinfo) == [
        f"{no_date}, 'date': missing date: add 'date: DD/MM/YYYY' to the front matter",
        f"{bad_date}, line 2, 'date': date is not a date we can read: '31/02/2025' is not a real date "
        "(day is out of range for month)",
        f"{no_team}, 'team': missing team: add 'team: the team's name' in the block of 'Key: value' lines "
        "at the top of the file",
        f"{empty}: the file is empty: a visit note needs a date, a team and at least one point",
        f"{no_points}: no points found: write each point as a bullet or a paragraph under the metadata",
        f"{pdf}: unsupported file type '.pdf': visit notes must be Markdown (.md), Word (.docx) or plain text (.txt)",
        f"{broken}: could not be opened as a Word document: it is not a .docx file (an old .doc renamed, a damaged "
        "file or a password-protected one?); save it from Word as .docx",
    ]
    assert str(good) not in str(excinfo.value)
    assert excinfo.value.exit_code == 2
    assert str(excinfo.value).startswith("Input files have problems:\n  - ")


def test_expand_note_paths_folders_globs_and_hidden_files(tmp_path):
    (tmp_path / "sub").mkdir()
    a = write(tmp_path, "b.md", "x")
    b = write(tmp_path, "a.txt", "x")
    write(tmp_path, ".hidden.md", "x")
    write(tmp_path, "~$lock.docx", "x")
    c = write(tmp_path / "sub", "c.md", "x")
    assert expand_note_paths([tmp_path]) == [b, a]
    assert expand_note_paths([str(tmp_path / "**" / "*.md")]) == [a, c]
    assert expand_note_paths([tmp_path / "nothing-*.md"]) == [tmp_path / "nothing-*.md"]


def test_empty_list_gives_an_empty_frame_with_the_contract_columns():
    notes = load_visit_notes([], default_authority=AUTHORITY)
    assert list(notes.columns) == NOTE_COLUMNS and len(notes) == 0


def test_example_review_visit_notes(tmp_path):
    notes = load_visit_notes(expand_note_paths([EXAMPLES]), default_authority=AUTHORITY)
    per_note = notes.groupby("source")["point"].max()
    assert len(per_note) >= 7
    assert per_note.between(6, 15).all(), per_note.to_dict()
    assert notes["team"].nunique() >= 4
    assert {Path(s).suffix for s in per_note.index} >= {".md", ".docx", ".txt"}
    assert notes.groupby("source")["confidential"].first().sum() == 1
    assert all(dt.date(2024, 1, 1) <= d <= dt.date(2025, 12, 31) for d in notes["date"])
    assert (notes["authority"] == AUTHORITY).all()
    # the committed .docx is what make_docx_note.py produces
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_docx_note", EXAMPLES.parent / "make_docx_note.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    fresh = module.build(tmp_path / "fresh.docx")
    shutil.copy(EXAMPLES / "2025-03-04-leaving-care.docx", tmp_path / "committed.docx")
    assert read_note(fresh, AUTHORITY) == read_note(tmp_path / "committed.docx", AUTHORITY)


def test_a_note_linking_outside_the_notes_folder_is_refused_naming_link_and_target(tmp_path):
    folder = tmp_path / "visits"
    folder.mkdir()
    write(folder, "riverside.md", NOTE)
    elsewhere = write(tmp_path, "other-review-confidential.md", NOTE.replace("27", "99 (confidential)"))
    (folder / "leak.md").symlink_to(elsewhere)
    (folder / "same.md").symlink_to(folder / "riverside.md")  # a link that stays inside is fine
    with pytest.raises(InputError) as exc:
        load_visit_notes(expand_note_paths([folder]), default_authority=AUTHORITY, folder=folder)
    assert problems_of(exc) == [
        f"{folder / 'leak.md'}: this note is a link to {elsewhere}, outside the review's visit notes folder "
        f"({folder}): copy the file into the folder instead of linking to it"]
    (folder / "leak.md").unlink()
    notes = load_visit_notes(expand_note_paths([folder]), default_authority=AUTHORITY, folder=folder)
    assert notes["source"].tolist() == ["riverside.md", "same.md"]


def test_a_note_over_the_size_limit_is_refused_with_the_limit(tmp_path, monkeypatch):
    path = write(tmp_path, "big.md", NOTE + "".join(f"- Point {i} about caseloads.\n" for i in range(200)))
    monkeypatch.setenv("SCRUTINY_KIT_MAX_NOTE_BYTES", "2000")
    assert refused(path) == [
        f"{path}: this note cannot be read: {path.stat().st_size:,} bytes is over the limit of 2,000 bytes in one "
        "visit note (characters of text for a Word note); if the file is genuine, set SCRUTINY_KIT_MAX_NOTE_BYTES to "
        "a larger number for this run; or split it into one file per visit"]
    monkeypatch.setenv("SCRUTINY_KIT_MAX_NOTE_BYTES", str(path.stat().st_size))
    assert len(load(path)) == 201


def test_a_note_of_more_points_than_the_limit_is_refused(tmp_path, monkeypatch):
    path = write(tmp_path, "many.txt", "Date: 03/02/2025\nTeam: Riverside\n\n" + "".join(f"- x {i}\n" for i in range(30)))
    monkeypatch.setenv("SCRUTINY_KIT_MAX_NOTE_POINTS", "25")
    assert refused(path) == [
        f"{path}: this note cannot be read: 30 points is over the limit of 25 points in one visit note; if the file "
        "is genuine, set SCRUTINY_KIT_MAX_NOTE_POINTS to a larger number for this run; or split it into one file per "
        "visit"]
    monkeypatch.setenv("SCRUTINY_KIT_MAX_NOTE_POINTS", "30")
    assert load(path)["text"].tolist()[-1] == "x 29"


def test_control_and_format_characters_never_reach_the_points(tmp_path):
    text = ('---\ndate: 2025-02-03\nteam: "Riverside\\e]0;pwned\\a Team"\nvisitors: "Cllr A\\u202eB"\n---\n'
            "- Staff said\x1b[2J caseloads\x08 were high\u200b.\n- Rota\u0085 was\tfine.\n")
    notes = load(write(tmp_path, "v.md", text))
    assert notes["team"].tolist() == ["Riverside]0;pwned Team"] * 2
    assert notes["visitors"].tolist() == ["Cllr AB"] * 2
    assert notes["text"].tolist() == ["Staff said[2J caseloads were high.", "Rota was fine."]


def test_visit_dates_after_the_report_are_errors_and_very_old_ones_warnings(tmp_path):
    from scrutiny_kit.sources.visit_notes import visit_date_problems

    files = [write(tmp_path, f"{name}.md", NOTE.replace("2025-02-03", date))
             for name, date in (("future", "2026-01-05"), ("old", "1900-01-01"), ("fine", "2016-01-01"))]
    notes = load(*files)
    errors, warnings = visit_date_problems(notes, dt.date(2025, 3, 31), files)
    assert [str(p) for p in errors] == [
        f"{files[0]}, 'date': the visit date 5 January 2026 is after the report date 31 March 2025: check the date "
        "(or the params' report_date)"]
    assert [str(p) for p in warnings] == [
        f"{files[1]}, 'date': the visit date 1 January 1900 is more than 10 years before the report date 31 March "
        "2025: check it is not a typing slip"]

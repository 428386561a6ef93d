"""A visit note's metadata: keys and aliases, UK dates, visitors, the confidential flag, and the hint for a key written too low."""
from __future__ import annotations

import datetime as dt

import pytest

from scrutiny_kit.errors import InputError
from scrutiny_kit.sources.visit_notes import load_visit_notes, read_note
from visit_note_files import AUTHORITY, FIXTURES, problems_of, write


def test_markdown_uk_date_string_visitors_authority_and_confidential(tmp_path):
    path = write(tmp_path, "v.md", "---\nDate: 04/03/2025\nTeam: Riverside Locality Team\n"
                 "Authority: Other Council\nVisitors: Cllr C Evans, Cllr D Hughes\nconfidential: yes\n---\n- One point\n")
    meta, points = read_note(path, AUTHORITY)
    assert meta.date == dt.date(2025, 3, 4)
    assert meta.team == "Riverside Locality Team"
    assert meta.authority == "Other Council"
    assert meta.visitors == ("Cllr C Evans", "Cllr D Hughes")
    assert meta.confidential is True
    assert [p.text for p in points] == ["One point"]


def test_missing_key_hint_points_at_a_key_written_below_the_block(tmp_path):
    path = write(tmp_path, "v.txt", "Team: T\n\n- a point\nDate: 2025-01-15\n")
    with pytest.raises(InputError) as excinfo:
        read_note(path, AUTHORITY)
    assert problems_of(excinfo) == [
        f"{path}, 'date': missing date: add 'date: DD/MM/YYYY' in the block of 'Key: value' lines at the top of the "
        "file (line 4 has 'Date:' but it is not in the metadata block at the top)"]


def test_visit_metadata_is_required_for_a_review_but_not_to_code_any_text():
    briefing = FIXTURES / "committee_briefing.txt"
    with pytest.raises(InputError) as excinfo:
        load_visit_notes([briefing], default_authority="Example County Council")
    assert {p.field for p in excinfo.value.problems} == {"date", "team"}
    notes = load_visit_notes([briefing], default_authority="Example County Council", visit_metadata=False)
    assert len(notes) == 10 and notes["date"].isna().all() and set(notes["team"]) == {""}
    assert notes["text"].iloc[-1].startswith("Team managers said reflective supervision")

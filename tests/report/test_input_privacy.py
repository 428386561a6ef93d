"""The publish check over a review's inputs (scrutiny_kit/report/input_privacy.py): every hit named by file, point
and field (text, visitors, headings, file names, the title, workforce team names), or redacted everywhere it was
found and counted."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import write_review
from personal_data import NOTE
from scrutiny_kit.errors import PublishCheckError
from scrutiny_kit.inputs import load_inputs
from scrutiny_kit.report.input_privacy import publish_check


def test_publish_check_lists_each_hit_with_its_file_and_point(tmp_path: Path) -> None:
    from scrutiny_kit.params import load_params

    params = load_params(write_review(tmp_path, {"riverside.md": NOTE}, redact=["Jo Bloggs"]))
    with pytest.raises(PublishCheckError) as exc:
        publish_check(load_inputs(params), apply_redaction=False)
    found = [str(p) for p in exc.value.problems]
    assert "visit note riverside.md, point 2 (text): phone number found: '07700 900123'" in found
    assert any("email address found: 'duty.team@example.gov.uk'" in p and "point 2" in p for p in found)
    assert any("'Jo Bloggs'" in p and "point 2" in p for p in found)
    assert exc.value.exit_code == 3


def test_redaction_replaces_hits_and_counts_them(tmp_path: Path) -> None:
    from scrutiny_kit.params import load_params

    params = load_params(write_review(tmp_path, {"riverside.md": NOTE}, redact=["Jo Bloggs"]))
    checked, counts = publish_check(load_inputs(params), apply_redaction=True)
    text = checked.notes.loc[checked.notes["point"] == 2, "text"].iloc[0]
    assert text == "Staff said [redacted]'s team could be reached on [redacted] or at [redacted]."
    assert counts == {"name": 1, "phone": 1, "email": 1}


HIDDEN_NAME_NOTE = """---
date: 2025-02-03
team: Riverside Locality Team
visitors: [Cllr A Patel, Jo Bloggs]
---
- Caseloads had risen to 27 children each.

## Notes taken by J\u200bo Bloggs

- Staff said agency workers covered two posts.
"""


def test_names_in_visitors_file_names_headings_and_the_title_are_found_and_named_by_file(tmp_path: Path) -> None:
    from scrutiny_kit.params import load_params

    params = load_params(write_review(tmp_path, {"visit-jo_bloggs.md": HIDDEN_NAME_NOTE.replace("J\u200bo", "Jo")},
                                      redact=["Jo Bloggs"], title="Review led by Jo Bloggs"))
    with pytest.raises(PublishCheckError) as exc:
        publish_check(load_inputs(params), apply_redaction=False)
    assert [str(p) for p in exc.value.problems] == [
        "visit note visit-jo_bloggs.md (file name): name found: 'jo_bloggs'",
        "visit note visit-jo_bloggs.md (visitors): name found: 'Jo Bloggs'",
        "visit note visit-jo_bloggs.md, point 2 (heading): name found: 'Jo Bloggs'",
        "review.yaml, key title: name found: 'Jo Bloggs'",
    ]


def test_redaction_reaches_every_field_a_name_was_found_in(tmp_path: Path) -> None:
    from scrutiny_kit.params import load_params

    params = load_params(write_review(tmp_path, {"jo-bloggs.md": HIDDEN_NAME_NOTE}, redact=["Jo Bloggs"],
                                      title="Review led by Jo Bloggs"))
    checked, counts = publish_check(load_inputs(params), apply_redaction=True)
    row = checked.notes.iloc[1]
    assert (row["source"], row["visitors"], row["heading"]) == ("[redacted].md", "Cllr A Patel; [redacted]",
                                                                "Notes taken by [redacted]")
    assert checked.params.title == "Review led by [redacted]" and checked.params.params_file == params.params_file
    assert counts == {"name": 4}


def test_workforce_team_names_are_checked_and_redacted(tmp_path: Path) -> None:
    from scrutiny_kit.params import load_params

    (tmp_path / "w.csv").write_text("period,authority,team,caseload_avg\n2024,Example County Council,,20\n"
                                    "2024,Example County Council,Jo Bloggs's team,22\n")
    params = load_params(write_review(tmp_path, {"a.md": NOTE.replace("Jo Bloggs's team", "the duty team")
                                                 .replace(" on 07700 900123 or at duty.team@example.gov.uk", "")},
                                      redact=["Jo Bloggs"], workforce=str(tmp_path / "w.csv"), comparators=[]))
    with pytest.raises(PublishCheckError, match=r"w.csv, authority or team 'Jo Bloggs's team': name found"):
        publish_check(load_inputs(params), apply_redaction=False)
    checked, _ = publish_check(load_inputs(params), apply_redaction=True)
    assert checked.workforce.teams == ["[redacted]'s team"]

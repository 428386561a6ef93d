"""Params validation: every problem reported at once, naming the key and the file."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from scrutiny_kit.errors import ParamsError
from scrutiny_kit.params import load_params

GOOD = """\
review_id: test-review-2025
title: Frontline social work
authority: Example County Council
committee: Children and Young People Scrutiny Committee
report_date: {date}
visit_notes: inputs/visits/
workforce: inputs/workforce.csv
recommendations: inputs/recs.csv
codebook: default
targets: {{caseload_avg: 20}}
"""


@pytest.fixture()
def review_dir(tmp_path: Path) -> Path:
    (tmp_path / "inputs" / "visits").mkdir(parents=True)
    (tmp_path / "inputs" / "visits" / "a.md").write_text("---\ndate: 2025-01-01\nteam: A\n---\n- point\n")
    (tmp_path / "inputs" / "workforce.csv").write_text("period,authority,caseload_avg\n2024,X,20\n")
    (tmp_path / "inputs" / "recs.csv").write_text("id,recommendation\n1,Do it\n")
    (tmp_path / "params").mkdir()
    return tmp_path


def write(review_dir: Path, text: str) -> Path:
    path = review_dir / "params" / "review.yaml"
    path.write_text(text.replace("inputs/", "../inputs/"))
    return path


def messages(exc: pytest.ExceptionInfo[ParamsError]) -> list[str]:
    return [str(p) for p in exc.value.problems]


def test_paths_resolve_relative_to_the_params_file(review_dir: Path) -> None:
    params = load_params(write(review_dir, GOOD.format(date="2025-03-31")))
    assert params.workforce == review_dir / "inputs" / "workforce.csv"  # normalised, no "params/.." in messages
    assert params.workforce.is_file()
    assert params.report_date == dt.date(2025, 3, 31)
    assert params.targets == {"caseload_avg": 20.0}
    assert params.codebook == "default"


def test_uk_dates_are_accepted(review_dir: Path) -> None:
    params = load_params(write(review_dir, GOOD.format(date="'31/03/2025'")))
    assert params.report_date == dt.date(2025, 3, 31)


def test_an_impossible_unquoted_iso_date_is_a_message_not_a_crash(review_dir: Path) -> None:
    with pytest.raises(ParamsError) as exc:
        load_params(write(review_dir, GOOD.format(date="2025-02-30")))  # YAML itself would raise ValueError
    assert messages(exc) == [f"{review_dir / 'params' / 'review.yaml'}, line 5: key 'report_date': '2025-02-30' is "
                             "not a real date (day is out of range for month) (value '2025-02-30')"]


def test_every_problem_is_reported_at_once(review_dir: Path) -> None:
    text = GOOD.format(date="'31/13/2025'").replace("title: Frontline social work\n", "") + "colour: blue\n"
    with pytest.raises(ParamsError) as exc:
        load_params(write(review_dir, text))
    found = messages(exc)
    assert any("missing required key 'title'" in m for m in found)
    assert any("unknown key 'colour'" in m and "allowed keys" in m for m in found)
    assert any("report_date" in m and "not a real date" in m for m in found)
    assert all("review.yaml" in m for m in found)
    assert exc.value.exit_code == 2


def test_missing_files_are_named(review_dir: Path) -> None:
    text = GOOD.format(date="2025-03-31").replace("workforce.csv", "nope.csv").replace("visits/", "empty/")
    with pytest.raises(ParamsError) as exc:
        load_params(write(review_dir, text))
    params_file = review_dir / "params" / "review.yaml"
    assert messages(exc) == [
        f"{params_file}, line 6: key 'visit_notes': no visit note files (.md, .markdown, .docx, .txt) found there "
        f"(value '{review_dir / 'inputs' / 'empty'}')",
        f"{params_file}, line 7: key 'workforce': file not found (value '{review_dir / 'inputs' / 'nope.csv'}')",
    ]


def test_unknown_keys_bad_values_and_missing_files_are_all_reported_in_one_go(review_dir: Path) -> None:
    text = (GOOD.format(date="2025-03-31").replace("recs.csv", "gone.csv").replace("{caseload_avg: 20}", "{caseload_avg: lots}")
            + "comparator: [England]\nredact:\n  - Ann Example\n  - [not, a, name]\n")
    with pytest.raises(ParamsError) as exc:
        load_params(write(review_dir, text))
    found = messages(exc)
    assert len(found) == 4
    assert any(m.endswith("line 11: unknown key 'comparator' (did you mean 'comparators'? allowed keys: review_id, "
                          "title, authority, committee, report_date, visit_notes, workforce, recommendations, codebook, "
                          "targets, comparators, commentary, redact, suppress_small_numbers, coding_check, personal_data)") for m in found)
    assert any("line 8: key 'recommendations': file not found" in m and "gone.csv" in m for m in found)
    assert any("line 10: key 'targets.caseload_avg'" in m and "(value 'lots')" in m for m in found)
    assert any("line 14: key 'redact.1'" in m for m in found)


def test_wrong_types_and_bad_slug(review_dir: Path) -> None:
    text = GOOD.format(date="2025-03-31").replace("review_id: test-review-2025", "review_id: Test Review!")
    text = text.replace("{caseload_avg: 20}", "{caseload_avg: lots}")
    with pytest.raises(ParamsError) as exc:
        load_params(write(review_dir, text))
    found = messages(exc)
    assert any("review_id" in m and "slug" in m for m in found)
    assert any("targets.caseload_avg" in m for m in found)


def test_yaml_syntax_error_names_the_line(review_dir: Path) -> None:
    path = write(review_dir, GOOD.format(date="2025-03-31") + "targets: [unclosed\n")
    with pytest.raises(ParamsError) as exc:
        load_params(path)
    assert "line" in messages(exc)[0] and "not valid YAML" in messages(exc)[0]


def test_missing_params_file() -> None:
    with pytest.raises(ParamsError, match="params file not found"):
        load_params(Path("/nonexistent/params.yaml"))


def test_a_misspelt_key_gets_a_suggestion(review_dir: Path) -> None:
    text = GOOD.format(date="2025-03-31") + "comparator: [England]\n"
    with pytest.raises(ParamsError) as exc:
        load_params(write(review_dir, text))
    assert "unknown key 'comparator' (did you mean 'comparators'?" in messages(exc)[0]


def test_params_file_is_not_a_params_key(review_dir: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text("review_id: someone-else\n")
    path = write(review_dir, GOOD.format(date="2025-03-31") + f"params_file: {other}\n")
    with pytest.raises(ParamsError) as exc:
        load_params(path)
    assert messages(exc) == [f"{path}, line 11: unknown key 'params_file': it is not a params key (the notebook is "
                             "given the file being run; one params file cannot name another)"]
    params = load_params(write(review_dir, GOOD.format(date="2025-03-31")))
    assert params.params_file == path and "params_file" not in params.model_dump()


def test_personal_data_is_refuse_by_default_and_redact_overrides_nothing_else(review_dir: Path) -> None:
    from scrutiny_kit.params import redacts

    params = load_params(write(review_dir, GOOD.format(date="2025-03-31")))
    assert params.personal_data == "refuse"
    assert redacts(params) is False and redacts(params, True) is True  # --redact overrides the key
    params = load_params(write(review_dir, GOOD.format(date="2025-03-31") + "personal_data: redact\n"))
    assert params.personal_data == "redact" and redacts(params) is True


def test_a_bad_personal_data_value_names_its_line_and_the_choices(review_dir: Path) -> None:
    with pytest.raises(ParamsError) as exc:
        load_params(write(review_dir, GOOD.format(date="2025-03-31") + "personal_data: hide\n"))
    [message] = messages(exc)
    assert "line 11" in message and "personal_data" in message
    assert "'refuse'" in message and "'redact'" in message

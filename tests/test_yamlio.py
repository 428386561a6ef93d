"""yamlio: the C parser is used when present, and syntax errors name the line."""
from pathlib import Path

import yaml

from scrutiny_kit import yamlio


def test_uses_libyaml_when_pyyaml_has_it():
    assert yamlio.SafeLoader is (yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader)


def test_load_is_safe_and_dump_round_trips():
    data = {"themes": [{"id": "caseload", "label": "Caseloads – ‘high’", "phrases": ["caseload", "cases"]}]}
    text = yamlio.dump(data)
    assert text.index("themes") < text.index("label")  # order kept, not sorted
    assert "‘high’" in text  # non-ASCII kept readable
    assert yamlio.load(text) == data
    try:
        yamlio.load("!!python/object/apply:os.system ['echo hi']")
    except yaml.YAMLError as exc:
        assert "python/object" in str(exc)
    else:
        raise AssertionError("an unsafe tag was accepted")


def test_syntax_problem_names_the_line():
    path = Path("review.yaml")
    try:
        yamlio.load("title: ok\nvisit_notes: [a,\n")
    except yaml.YAMLError as exc:
        problem = yamlio.syntax_problem(path, exc, "the params file")
    assert problem.file == path
    assert problem.line == 3
    assert problem.message.startswith("the params file is not valid YAML: ")


def test_key_lines_name_the_line_of_every_key_and_list_item() -> None:
    text = "title: A\ntargets:\n  caseload_avg: 20\n\nredact:\n  - Ann\n  - Bob\nnested: {a: {b: 1}}\n"
    assert yamlio.key_lines(text) == {"title": 1, "targets": 2, "targets.caseload_avg": 3, "redact": 5,
                                      "redact.0": 6, "redact.1": 7, "nested": 8, "nested.a": 8, "nested.a.b": 8}
    assert yamlio.key_lines("title: [unclosed\n") == {}

"""yamlio: the C parser is used when present, and syntax errors name the line."""
from pathlib import Path

import yaml

from scrutiny_kit import yamlio
from scrutiny_kit.errors import InputError


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


def test_read_file_gives_data_and_key_lines_and_names_the_file_when_it_cannot(tmp_path: Path) -> None:
    good = tmp_path / "review.yaml"
    good.write_bytes("\ufefftitle: Caseloads – a review\nvisit_notes: visits/\n".encode("utf-8"))  # Notepad's BOM
    assert yamlio.read_file(good, "the params file") == (
        {"title": "Caseloads – a review", "visit_notes": "visits/"}, {"title": 1, "visit_notes": 2})
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("title: Children’s services\n".encode("cp1252"))
    broken = tmp_path / "broken.yaml"
    broken.write_text("themes:\n  - id: a\n   label: b\n", encoding="utf-8")
    found = []
    for path in (latin, broken):
        try:
            yamlio.read_file(path, "codebook")
        except InputError as exc:
            found += [str(p) for p in exc.problems]
    assert found[0] == f"{latin}: codebook is not UTF-8 text: save it as UTF-8 in your editor"
    assert found[1].startswith(f"{broken}, line 3: codebook is not valid YAML: ")

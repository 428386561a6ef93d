"""Codebook files (scrutiny_kit/coding/codebook_yaml.py): user codebooks with `extends`, the merged codebook
written back, and every problem named by file, theme and line."""
from __future__ import annotations

from pathlib import Path

import pytest

from scrutiny_kit.coding.codebook_yaml import load_codebook
from scrutiny_kit.errors import InputError


def write(folder: Path, text: str, name: str = "codebook.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(excinfo: pytest.ExceptionInfo[InputError]) -> list[str]:
    return [str(p) for p in excinfo.value.problems]


def test_user_codebook_adds_a_theme_with_no_code_change(tmp_path):
    path = write(tmp_path, """
themes:
  - id: youth_justice
    label: Youth justice
    definition: Work with the youth justice service.
    phrases: [youth justice, YOT, "re: youth offending (team|service)"]
    exclude: [youth justice board]
""")
    codebook = load_codebook(str(path))
    assert codebook.ids == ["youth_justice"]
    assert codebook.source == str(path)
    theme = codebook.theme("youth_justice")
    assert theme.phrases == ["youth justice", "YOT", "re: youth offending (team|service)"]
    assert theme.regexes == ["youth offending (team|service)"]
    assert theme.exclude == ["youth justice board"]


def test_extends_default_adds_phrases_themes_and_cues(tmp_path):
    path = write(tmp_path, """
extends: default
themes:
  - id: caseload_workload
    phrases: [duty pressures]
    measures: [cases_per_worker]
  - id: parking
    label: Parking
    definition: Where staff can park.
    phrases: [parking permit]
    parent: accommodation_premises
tone:
  concern: [grim]
""")
    codebook = load_codebook(path)
    base = load_codebook("default")
    assert codebook.ids == base.ids + ["parking"]  # the default's themes, then the new one
    caseload = codebook.theme("caseload_workload")
    assert caseload.phrases == base.theme("caseload_workload").phrases + ["duty pressures"]
    assert caseload.measures == ["caseload_avg", "cases_per_worker"]
    assert caseload.label == base.theme("caseload_workload").label
    assert codebook.ancestors("parking") == ["accommodation_premises"]
    assert codebook.tone.concern == base.tone.concern + ["grim"]


def test_trend_lists_extend_and_take_plain_phrases_only(tmp_path):
    base = load_codebook("default")
    assert {"referral", "caseload", "vacancy"} <= set(base.tone.worse_when_rising)
    assert {"risen", "increase"} <= set(base.tone.rising) and "fallen" in base.tone.falling
    mine = load_codebook(write(tmp_path, "extends: default\ntone:\n  worse_when_rising: [complaints about staff]\n"))
    assert mine.tone.worse_when_rising == base.tone.worse_when_rising + ["complaints about staff"]
    with pytest.raises(InputError) as excinfo:
        load_codebook(write(tmp_path, "extends: default\ntone:\n  rising: ['re: up+']\n", "bad.yaml"))
    assert any("trend lists take plain phrases only" in p for p in problems_of(excinfo))


def test_to_yaml_writes_the_merged_codebook_and_loads_back(tmp_path):
    mine = write(tmp_path, "extends: default\nthemes:\n  - {id: caseload_workload, phrases: [duty pressures]}\n")
    merged = load_codebook(mine)
    copy = write(tmp_path, merged.to_yaml(), "published.yaml")
    again = load_codebook(copy)
    assert again.themes == merged.themes and again.tone == merged.tone
    assert "duty pressures" in again.theme("caseload_workload").phrases
    assert copy.read_text(encoding="utf-8").startswith("# Codebook as used: codebook.yaml merged")


def test_extends_a_relative_path(tmp_path):
    write(tmp_path, "themes:\n  - {id: base_theme, label: Base, definition: d, phrases: [alpha]}\n", "base.yaml")
    (tmp_path / "sub").mkdir()
    path = write(tmp_path / "sub", "extends: ../base.yaml\nthemes:\n  - {id: base_theme, phrases: [beta]}\n")
    assert load_codebook(path).theme("base_theme").phrases == ["alpha", "beta"]


def test_every_problem_in_a_codebook_is_reported_with_file_theme_and_line(tmp_path):
    path = write(tmp_path, """themes:
  - id: caseloads
    label: Caseloads
    definition: Work.
    phrases: [caseload]
  - id: caseloads
    label: Again
    definition: Twice.
    phrases: [workload]
  - id: no_label
    definition: Missing its label.
    phrases: [x]
  - id: Bad-Id
    label: Bad
    definition: Bad id.
    phrases: [x]
  - id: empty
    label: Empty
    definition: No phrases.
    phrases: []
  - id: typo
    label: Typo
    definition: Unknown key.
    phrase: [x]
  - id: flags
    label: Flags
    definition: Unquoted no.
    phrases: [no]
""")
    with pytest.raises(InputError) as excinfo:
        load_codebook(path)
    assert problems_of(excinfo) == [
        f"{path}, line 2, 'id': theme 'caseloads': the id is used twice in this file",
        f"{path}, line 10, 'label': theme 'no_label': missing 'label'",
        f"{path}, line 13, 'id': theme 'Bad-Id': 'id' must be lower-case letters, digits and underscores, "
        "starting with a letter",
        f"{path}, line 17, 'phrases': theme 'empty': has no phrases, so it can never match",
        f"{path}, line 21, 'phrase': theme 'typo': unknown key 'phrase' (allowed: id, label, definition, phrases, "
        "ambiguous, exclude, parent, measures)",
        f"{path}, line 25, 'phrases': theme 'flags': 'phrases' a phrase must be text, not False: put words such as "
        "no, yes, on and off in quotes",
    ]
    assert excinfo.value.exit_code == 2


def test_unknown_parent_loop_and_bad_regex(tmp_path):
    path = write(tmp_path, """themes:
  - {id: a, label: A, definition: d, phrases: [x], parent: b}
  - {id: b, label: B, definition: d, phrases: [y], parent: a}
  - {id: c, label: C, definition: d, phrases: [z], parent: nowhere}
  - {id: d, label: D, definition: d, phrases: ["re: (unclosed"]}
  - {id: e, label: E, definition: d, phrases: ["re: x*"]}
""")
    with pytest.raises(InputError) as excinfo:
        load_codebook(path)
    assert problems_of(excinfo) == [
        f"{path}, line 2, 'parent': theme 'a': parents go round in a circle",
        f"{path}, line 3, 'parent': theme 'b': parents go round in a circle",
        f"{path}, line 4, 'parent': theme 'c': unknown parent 'nowhere' (themes: a, b, c, d, e)",
        f"{path}, line 5: theme 'd': bad regular expression '(unclosed': missing ), unterminated subpattern at position 0",
        f"{path}, line 6: theme 'e': regular expression 'x*' matches empty text",
    ]


@pytest.mark.parametrize(("text", "message"), [
    ("themes: [unclosed", "codebook is not valid YAML: did not find expected ',' or ']'"),
    ("- just a list", "a codebook must be a mapping with a 'themes:' list"),
    ("themes: {}\ncolour: blue", "unknown key(s) colour (allowed: description, extends, name, themes, tone, version)"),
    ("name: nothing", "the codebook has no 'themes:' list"),
    ("themes: 5", "'themes' must be a list of themes (each starting '- id: ...')"),
    ("extends: [default]", "'extends' must be 'default' or the path of another codebook"),
])
def test_file_level_errors(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(InputError) as excinfo:
        load_codebook(path)
    assert [p.message for p in excinfo.value.problems] == [message]
    assert excinfo.value.problems[0].file == path


def test_missing_file_and_extends_loops(tmp_path):
    with pytest.raises(InputError, match="codebook file not found; use 'default' for the built-in codebook"):
        load_codebook(tmp_path / "nope.yaml")
    a = write(tmp_path, "extends: b.yaml\nthemes: []\n", "a.yaml")
    write(tmp_path, "extends: a.yaml\nthemes: []\n", "b.yaml")
    with pytest.raises(InputError, match="'extends' goes round in a circle back to"):
        load_codebook(a)
    c = write(tmp_path, "extends: missing.yaml\n", "c.yaml")
    with pytest.raises(InputError, match=r"codebook file not found \(named by 'extends' in .*c.yaml\)"):
        load_codebook(c)

"""The codebook model (scrutiny_kit/coding/codebook_model.py): the rules each field keeps, and the lookups the
coder uses, on codebooks built in the test."""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from scrutiny_kit.coding.codebook_model import Codebook, Theme, ToneCues


def test_theme_model_validates_measures():
    with pytest.raises(ValueError, match="measure ids are snake_case"):
        Theme(id="t", label="T", definition="d", phrases=["x"], measures=["Caseload Avg"])


def test_phrase_entries_become_text_and_ambiguous_wins_over_a_strong_phrase():
    theme = Theme(id="youth", label="  Youth\n justice ", definition="d",
                  phrases=["youth justice", {"re": " youth offending (team|service) "}, "YOT", 2025],
                  ambiguous="YOT")
    assert theme.label == "Youth justice"
    assert theme.phrases == ["youth justice", "re: youth offending (team|service)", "2025"]  # YOT is ambiguous only
    assert theme.ambiguous == ["YOT"] and theme.regexes == ["youth offending (team|service)"]


@pytest.mark.parametrize(("field", "value", "message"), [
    ("id", "Youth Justice", "lower-case letters, digits and underscores"),
    ("label", "  ", "must not be blank"),
    ("phrases", [True], "put words such as no, yes, on and off in quotes"),
    ("phrases", [{"regex": "x"}], "a phrase must be text or 're: <regular expression>'"),
    ("phrases", ["  "], "phrases must not be blank"),
])
def test_theme_fields_refuse_what_the_coder_could_not_use(field, value, message):
    fields = {"id": "youth", "label": "Youth", "definition": "d", "phrases": ["youth"], field: value}
    with pytest.raises(ValidationError, match=message):
        Theme(**fields)


def test_trend_cue_lists_take_plain_phrases_only():
    assert ToneCues(rising=["risen", "gone up"]).rising == ["risen", "gone up"]
    with pytest.raises(ValidationError, match="trend lists take plain phrases only"):
        ToneCues(rising=[{"re": "ris(en|ing)"}])


def test_a_theme_by_id_its_ancestors_and_a_memo_of_what_is_built_from_it():
    codebook = Codebook(themes=[Theme(id="a", label="A", definition="d", phrases=["x"]),
                                Theme(id="b", label="B", definition="d", phrases=["y"], parent="a"),
                                Theme(id="c", label="C", definition="d", phrases=["z"], parent="b")], source="mine.yaml")
    assert codebook.ids == ["a", "b", "c"] and codebook.label("b") == "B"
    assert codebook.ancestors("c") == ["b", "a"] and codebook.ancestors("a") == []
    with pytest.raises(KeyError, match=r"no theme 'd' in codebook mine.yaml \(themes: a, b, c\)"):
        codebook.theme("d")
    built = []
    assert codebook.cached("coder", lambda: built.append(1) or "compiled") == "compiled"
    assert codebook.cached("coder", lambda: built.append(2) or "again") == "compiled" and built == [1]

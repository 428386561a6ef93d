"""A phrase's forms (scrutiny_kit/coding/phrases.py): inflections, spellings, possessives, and acronyms."""
from __future__ import annotations

import pytest

from scrutiny_kit.coding.phrases import is_acronym, phrase_forms, word_forms


@pytest.mark.parametrize(("phrase", "expected"), [
    ("caseload", {"caseload", "caseloads", "caseload's", "caseloads'"}),
    ("recruit", {"recruit", "recruits", "recruited", "recruiting", "recruitment", "recruitments"}),
    ("vacancy", {"vacancy", "vacancies"}),
    ("organisation", {"organisation", "organisations", "organization", "organizations"}),
    ("behaviour", {"behaviour", "behavior", "behaviours", "behaviors"}),
    ("centre", {"centre", "center", "centres", "centers"}),
    ("programme", {"programme", "program"}),
    ("manage", {"manage", "managed", "managing", "management"}),
    ("plan", {"plan", "plans", "planned", "planning"}),
    ("leavers", {"leavers", "leavers'"}),
])
def test_word_forms(phrase, expected):
    assert expected <= word_forms(phrase)


def test_phrase_forms_inflect_the_last_word_and_pluralise_earlier_ones():
    forms = phrase_forms("Social worker leave")
    assert {"social worker leave", "social workers leave", "social worker leaving", "social workers left"} - forms == {
        "social workers left"}  # irregular forms need their own entry
    assert phrase_forms("voice of the child") >= {"voice of the child", "voice of the child's"}
    voice = phrase_forms("voice of the child")
    assert "voices of the child" in voice
    assert not any(" ofs " in f or " thes " in f for f in voice)  # short words stay as written
    assert phrase_forms("hot-desking") >= {"hot desking"}
    assert phrase_forms("IT") == {"IT", "ITs", "IT's"}
    assert is_acronym("MASH") and is_acronym("I.T.") and not is_acronym("Mosaic") and not is_acronym("MoU")

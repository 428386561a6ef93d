"""The codebook as the rest of the package imports it (scrutiny_kit/coding/codebook.py): the default codebook
that ships, its themes, measures and tone cues, and the file format its YAML documents."""
from __future__ import annotations

import pytest

from scrutiny_kit.coding.codebook import DEFAULT_CODEBOOK, Codebook, load_codebook

DEFAULT_IDS = [
    "caseload_workload", "recruitment_retention", "agency_staff", "admin_support", "it_systems",
    "accommodation_premises", "supervision_training", "partnership", "morale_leadership", "demand_complexity",
    "organisational_change", "pay_conditions", "performance_quality", "voice_of_child",
]


def test_default_codebook_themes_measures_and_tone():
    codebook = load_codebook("default")
    assert isinstance(codebook, Codebook)
    assert codebook.ids == DEFAULT_IDS
    assert codebook.source == str(DEFAULT_CODEBOOK)
    assert codebook.theme("caseload_workload").measures == ["caseload_avg"]
    assert codebook.theme("agency_staff").measures == ["agency_rate"]
    assert codebook.theme("recruitment_retention").measures == ["fte_social_workers", "vacancy_rate", "turnover_rate"]
    assert codebook.theme("morale_leadership").measures == ["absence_rate"]
    assert codebook.theme("performance_quality").measures == ["statutory_visits_on_time"]
    for theme in codebook.themes:
        assert theme.label and theme.definition and len(theme.phrases) >= 20, theme.id
        assert theme.parent is None
    assert "not" in codebook.tone.negators and "no" in codebook.tone.negators
    assert {"unmanageable", "lack of", "delays"} <= set(codebook.tone.concern)
    assert {"valued", "improved", "praised"} <= set(codebook.tone.positive)
    with pytest.raises(KeyError, match="no theme 'nope'"):
        codebook.theme("nope")


def test_default_yaml_documents_extends_and_tone_rule():
    top = DEFAULT_CODEBOOK.read_text(encoding="utf-8").split("\nname:")[0]
    assert "extends: default" in top and "TONE" in top and "(heading)" in top



"""The limits on one input: defaults, raised or lowered for a run through the environment, and their message."""
from __future__ import annotations

import pytest

from scrutiny_kit.limits import LIMITS, limit, over_limit


def test_limits_default_and_follow_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert limit("note_bytes") == LIMITS["note_bytes"].default == 1_000_000
    monkeypatch.setenv("SCRUTINY_KIT_MAX_NOTE_BYTES", "5_000_000")
    assert limit("note_bytes") == 5_000_000
    monkeypatch.setenv("SCRUTINY_KIT_MAX_NOTE_BYTES", "lots")  # not a number: the default stands
    assert limit("note_bytes") == 1_000_000


def test_over_limit_says_what_the_limit_is_and_how_to_raise_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCRUTINY_KIT_MAX_DOCX_PARAGRAPHS", "100")
    assert over_limit("docx_paragraphs", "more than 100 paragraphs") == (
        "more than 100 paragraphs is over the limit of 100 paragraphs and table rows in a Word visit note; if the "
        "file is genuine, set SCRUTINY_KIT_MAX_DOCX_PARAGRAPHS to a larger number for this run")

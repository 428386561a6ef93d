"""The method section's account of the officers' check (scrutiny_kit/coding/check_summary.py), in words and
numbers."""
from __future__ import annotations

from scrutiny_kit.coding.check_summary import CheckSummary, method_sentence


def summary(**kw) -> CheckSummary:
    base = dict(sheet="coding-check.xlsx", sha256="0" * 64, points=60, checked=60, themes_changed=9, tone_changed=4,
                excluded=1, exclude_reasons=("a note about the visit's arrangements",), quote_yes=0, quote_no=0,
                new=0, stale=0, pending=0)
    return CheckSummary(**{**base, **kw})


def test_the_method_sentence_says_what_the_officers_did_in_words_and_numbers() -> None:
    assert method_sentence(summary()).startswith(
        "All 60 points were coded automatically and then checked by officers, who changed the themes of 9 points "
        "and the tone of 4, and excluded 1 (a note about the visit's arrangements).")
    assert method_sentence(summary(themes_changed=0, excluded=0, exclude_reasons=())) == (
        "All 60 points were coded automatically and then checked by officers, who changed the tone of 4 points.")
    assert method_sentence(summary(themes_changed=0, tone_changed=0, excluded=0)) == (
        "All 60 points were coded automatically and then checked by officers, who agreed with the coding of every "
        "one of them.")
    partial = method_sentence(summary(checked=45, new=12, stale=3, excluded=0, quote_yes=2, quote_no=1))
    assert partial == ("All 60 points were coded automatically; officers then checked 45 of them and changed the "
                       "themes of 9 points and the tone of 4. The other 15 points (12 added to the notes since the "
                       "check and 3 changed since the check) were not checked and are as coded automatically. "
                       "Officers also marked 2 points to be quoted and 1 point not to be quoted, and the excerpts "
                       "follow that.")
    assert "The other 3 points (added to the notes since the check) were not checked" in method_sentence(
        summary(checked=57, new=3))
    assert method_sentence(None).startswith("The coding was not checked by an officer")

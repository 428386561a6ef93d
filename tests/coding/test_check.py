"""The officer's check applied: matching a sheet to the notes, the decisions in place of the coder's, the report."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from checking import DECISIONS, NORTH, NOTES, edit, small_review
from scrutiny_kit.coding.codebook import load_codebook
from scrutiny_kit.coding.check import (CheckSummary, Sheet, SheetRow, apply_check, check_warnings, method_sentence,
                                       reconcile, text_hash, update_rows)
from scrutiny_kit.presentation.present import gaps_html, method_html
from scrutiny_kit.params import load_params
from scrutiny_kit.review import build_review, load_inputs


def open_review(params: Path):
    """The review as the notebook gets it, without drawing charts (not needed here)."""
    return build_review(load_inputs(load_params(params)))

THEMES = ["caseload_workload", "recruitment_retention", "voice_of_child"]


def notes_frame(*points: tuple[str, int, str], confidential: bool = False) -> pd.DataFrame:
    return pd.DataFrame({"source": [p[0] for p in points], "point": [p[1] for p in points],
                         "text": [p[2] for p in points], "confidential": confidential})


def row(source: str, point: int, text: str, themes: set[str], **kw) -> SheetRow:
    return SheetRow(point_id=f"{source}#{point}", source=source, point=point, text=text, text_hash=text_hash(text),
                    themes=frozenset(themes), proposed_tone=kw.pop("proposed_tone", "neutral"), **kw)


def coded_frame(*rows: tuple[str, int, str, str, str]) -> pd.DataFrame:
    """(source, point, theme, matched, tone) rows, as coding.code_points returns them (columns that matter here)."""
    frame = pd.DataFrame(rows, columns=["source", "point", "theme", "matched", "tone"])
    return frame.assign(text="t", heading="", date="2025-01-10", team="T", confidential=False)


# --- matching --------------------------------------------------------------------------------------------

def test_rows_are_matched_by_id_and_text_and_follow_a_point_renumbered_by_an_insert() -> None:
    sheet = Sheet("r", tuple(THEMES), (
        row("a.md", 1, "First point.", {"caseload_workload"}, row=2),
        row("a.md", 2, "Second point.", set(), row=3),
        row("a.md", 3, "Third point, since reworded.", set(), row=4),
        row("a.md", 4, "A point since deleted.", set(), row=5),
        row("b.md", 1, "Waiting for a check.", set(), status="new: not checked yet", row=6),
    ))
    notes = notes_frame(("a.md", 1, "First point."), ("a.md", 2, "An inserted point."), ("a.md", 3, "Second point."),
                        ("a.md", 4, "Third point, reworded again."), ("b.md", 1, "Waiting for a check."),
                        ("c.md", 1, "A new note."))
    rec = reconcile(sheet, notes, THEMES + ["pay_conditions"])
    assert set(rec.decisions) == {("a.md", 1), ("a.md", 3)}
    assert rec.decisions[("a.md", 3)].text == "Second point."  # followed its text from point 2 to point 3
    assert [(r.point_id, key) for r, key in rec.moved] == [("a.md#2", ("a.md", 3))]
    assert set(rec.pending) == {("b.md", 1)}
    assert rec.new == (("a.md", 2), ("c.md", 1))
    assert [r.point_id for r in rec.removed] == ["a.md#4"]
    assert [(s.row.point_id, s.new_text) for s in rec.stale] == [("a.md#3", "Third point, reworded again.")]
    assert rec.missing_themes == ("pay_conditions",)
    warnings = [str(w) for w in check_warnings(rec, "sheet.xlsx")]
    assert any("point 2 of a.md is not in the sheet" in w for w in warnings)
    assert any("point 1 of c.md is not in the sheet" in w for w in warnings)
    assert any("row 4: point a.md#3 has changed since the sheet was written: it was \u201cThird point, since "
               "reworded.\u201d and is now \u201cThird point, reworded again.\u201d" in w for w in warnings)
    assert any("row 5: point a.md#4 is no longer in the visit notes" in w for w in warnings)
    assert any("1 row still marked new or stale in the 'status' column (rows 6)" in w for w in warnings)
    assert any("no column for the theme(s) pay_conditions" in w for w in warnings)


def test_decisions_replace_the_coders_and_every_point_stays() -> None:
    coded = coded_frame(("a.md", 1, "caseload_workload", "caseloads", "concern"),
                        ("a.md", 1, "recruitment_retention", "vacancies", "concern"),
                        ("a.md", 2, "", "", "neutral"),
                        ("a.md", 3, "caseload_workload", "caseloads", "positive"),
                        ("a.md", 4, "voice_of_child", "child said", "neutral"))
    notes = notes_frame(("a.md", 1, "p1"), ("a.md", 2, "p2"), ("a.md", 3, "p3"), ("a.md", 4, "p4"))
    sheet = Sheet("r", tuple(THEMES), (
        row("a.md", 1, "p1", {"caseload_workload"}, proposed_tone="concern"),  # cleared recruitment
        row("a.md", 2, "p2", {"voice_of_child"}, tone="mixed", quote="yes"),  # ticked a theme the coder missed
        row("a.md", 3, "p3", {"caseload_workload"}, proposed_tone="positive", tone="concern", exclude=True,
            exclude_reason="duplicate of point 1"),
    ))  # a.md#4 is not in the sheet: new, unchecked
    out = apply_check(coded, reconcile(sheet, notes, THEMES), THEMES)
    got = list(zip(out["point"], out["theme"], out["tone"], out["checked"], out["coder_themes"], out["coder_tone"]))
    assert got == [(1, "caseload_workload", "concern", True, "caseload_workload; recruitment_retention", "concern"),
                   (2, "voice_of_child", "mixed", True, "", "neutral"),
                   (3, "caseload_workload", "concern", True, "caseload_workload", "positive"),
                   (4, "voice_of_child", "neutral", False, "voice_of_child", "neutral")]
    assert list(out["matched"]) == ["caseloads", "", "caseloads", "child said"]  # the coder's phrases kept
    assert list(out["excluded"]) == [False, False, True, False]
    assert out.loc[2, "exclude_reason"] == "duplicate of point 1" and out.loc[1, "quote"] == "yes"
    unchecked = apply_check(coded, None, THEMES)
    assert not unchecked["checked"].any() and list(unchecked["theme"]) == list(coded["theme"])


# --- the method section ----------------------------------------------------------------------------------

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


# --- refreshing a sheet ----------------------------------------------------------------------------------

def test_update_keeps_decisions_adds_new_marks_stale_and_returns_removed_rows() -> None:
    old = Sheet("r", ("caseload_workload", "old_theme"), (
        row("a.md", 1, "Kept.", {"caseload_workload"}, tone="concern", note="agreed"),
        row("a.md", 2, "Reworded.", {"old_theme"}, tone="positive", quote="no"),
        row("a.md", 3, "Gone.", {"caseload_workload"}),
    ))
    fresh = [row("a.md", 1, "Kept.", {"caseload_workload"}, proposed_tone="neutral"),
             row("a.md", 2, "Reworded since.", {"voice_of_child"}, proposed_tone="concern"),
             row("a.md", 4, "Brand new.", {"caseload_workload"})]
    upd = update_rows(old, fresh, ["caseload_workload", "voice_of_child"])
    kept, stale, new = upd.rows
    assert kept.tone == "concern" and kept.note == "agreed" and kept.status == ""
    assert stale.text == "Reworded since." and stale.quote == "no" and stale.tone == "positive"
    assert stale.status.startswith("stale: the text changed since it was checked; it was \u201cReworded.\u201d; "
                                   "the coder now proposes voice_of_child, tone concern")
    assert stale.text_hash == text_hash("Reworded since.")
    assert new.status == "new: not checked yet" and new.themes == {"caseload_workload"}
    assert [r.point_id for r in upd.removed] == ["a.md#3"]
    assert (upd.kept, upd.new, upd.stale) == (1, 1, 1)
    assert upd.dropped_columns == {"old_theme": 1}


# --- the review, from real files -------------------------------------------------------------------------

@pytest.fixture
def checked_review(tmp_path: Path):
    """The small review with a coding sheet written by `scrutiny-kit check` and edited by an officer."""
    from scrutiny_kit.cli import main

    params = small_review(tmp_path)
    before = open_review(params)
    assert main(["check", str(params)]) == 0
    sheet = tmp_path / "coding-check.xlsx"
    edit(sheet, DECISIONS, theme_ids=load_codebook("default").ids)
    params.write_text(params.read_text() + "coding_check: coding-check.xlsx\n")
    return before, open_review(params), params


def test_the_officers_decisions_change_counts_excerpts_gap_check_and_method(checked_review) -> None:
    before, after, _ = checked_review
    f = after.findings
    caseload = f.section("caseload_workload")
    assert (caseload.points, caseload.visits, caseload.concern) == (3, 2, 3)  # confidential east.md not counted
    assert [(e.source, e.point) for e in caseload.excerpts] == [("north.md", 1), ("south.md", 1)]  # #4: quote no
    voice = f.section("voice_of_child")
    assert (voice.points, voice.visits, voice.concern_visits) == (2, 2, 2)
    assert [s.theme for s in f.sections] == ["caseload_workload", "voice_of_child", "recruitment_retention",
                                             "supervision_training"]
    assert [g.theme for g in f.gaps.unaddressed] == ["voice_of_child"]  # no recommendation covers it
    assert ('<li><a href="#theme-voice_of_child">Voice of the child</a>: raised as a concern in 2 visits, with no '
            'recommendation.</li>') in str(gaps_html(f))
    assert f.points == 6 and not f.other_issues  # north.md#2 excluded: in no count or list
    method = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", str(method_html(f)))).replace("&#39;", "'")
    assert "The notes contain 7 points." in method
    assert "All 6 points counted matched at least one theme." in method
    changed_themes = sum(
        set(before.coded.loc[(before.coded["source"] == s) & (before.coded["point"] == p), "theme"]) - {""}
        != DECISIONS[f"{s}#{p}"]["themes"] for s, p in {("north.md", n) for n in range(1, 5)}
        | {("south.md", n) for n in range(1, 4)})
    assert after.check.themes_changed == changed_themes
    assert "All 7 points were coded automatically and then checked by officers, who changed" in method
    assert "excluded 1 (about the visit's arrangements)" in method
    assert "Officers also marked 1 point to be quoted and 1 point not to be quoted" in method
    assert "not checked by an officer" in re.sub(r"<[^>]+>", "", str(method_html(before.findings)))
    coded = after.coded
    assert coded[["source", "point"]].drop_duplicates().shape[0] == 8  # every point, the excluded one too
    assert coded["checked"].all()
    east = coded.loc[coded["source"] == "east.md"].iloc[0]
    assert east["theme"] == "caseload_workload" and east["tone"] == "neutral"


def test_a_tone_change_alone_can_close_a_gap(checked_review, tmp_path: Path) -> None:
    _, _, params = checked_review
    edit(tmp_path / "coding-check.xlsx", {"south.md#2": {"tone": "positive"}},
         theme_ids=load_codebook("default").ids)
    review = open_review(params)
    assert review.findings.section("voice_of_child").concern_visits == 1
    assert not review.findings.gaps.unaddressed


def test_new_stale_and_removed_points_are_reported_and_coded_automatically(checked_review, tmp_path: Path) -> None:
    from scrutiny_kit.review import coding_warnings

    _, _, params = checked_review
    north = NORTH.replace("three different social workers", "four different social workers")
    north = north.replace("- Staff said caseloads were so high that recording fell behind every week.\n", "")
    visits = tmp_path / "visits"
    (visits / "north.md").write_text(north)
    (visits / "west.md").write_text(NOTES["south.md"].replace("South Team", "West Team"))
    inputs = load_inputs(load_params(params))
    warnings = [str(w) for w in coding_warnings(inputs)]
    assert any("points 1, 2 and 3 of west.md are not in the sheet" in w for w in warnings)
    assert any("point north.md#3 has changed since the sheet was written: it was \u201cYoung people said they had "
               "three different" in w and "is now \u201cYoung people said they had four different" in w
               for w in warnings)
    assert any("point north.md#4 is no longer in the visit notes" in w for w in warnings)
    review = open_review(params)
    assert review.check.new == 3 and review.check.stale == 1 and review.check.checked == 5
    stale = review.coded.loc[(review.coded["source"] == "north.md") & (review.coded["point"] == 3)]
    assert not stale["checked"].any()
    assert "officers then checked 5 of them" in method_sentence(review.check)


def test_exclusion_reasons_are_published_so_they_pass_the_publish_check(checked_review, tmp_path: Path) -> None:
    from scrutiny_kit.errors import PublishCheckError

    _, _, params = checked_review
    edit(tmp_path / "coding-check.xlsx", {"north.md#2": {"exclude": "ask duty.team@example.gov.uk"}},
         theme_ids=load_codebook("default").ids)
    with pytest.raises(PublishCheckError) as exc:
        open_review(params)
    assert "coding-check.xlsx, point north.md#2 (exclude): email address found: 'duty.team@example.gov.uk'" in str(
        exc.value)
    redacted = build_review(load_inputs(load_params(params)), apply_redaction=True)
    assert redacted.check.exclude_reasons == ("ask [redacted]",) and redacted.redactions["email"] == 1

"""The officer's check applied (scrutiny_kit/coding/check.py): the decisions in place of the coder's, and the report
they change (matching, the method sentence and --update have their own test modules beside this one)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from checking import DECISIONS, NORTH, NOTES, THEMES, coded_frame, edit, notes_frame, row, small_review
from scrutiny_kit.coding.codebook import load_codebook
from scrutiny_kit.coding.check import Sheet, apply_check, method_sentence, reconcile
from scrutiny_kit.presentation.present import gaps_html, method_html
from scrutiny_kit.params import load_params
from scrutiny_kit.review import build_review, load_inputs


def open_review(params: Path):
    """The review as the notebook gets it, without drawing charts (not needed here)."""
    return build_review(load_inputs(load_params(params)))


# --- the decisions applied --------------------------------------------------------------------------------

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

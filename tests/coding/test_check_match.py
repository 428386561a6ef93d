"""A coding sheet matched to the visit notes as they are now (scrutiny_kit/coding/check_match.py): by point id and
text, following a renumbered point, and a warning for each new, stale, removed or pending row."""
from __future__ import annotations

from checking import THEMES, notes_frame, row
from scrutiny_kit.coding.check_match import check_warnings, reconcile
from scrutiny_kit.coding.check_rows import Sheet


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

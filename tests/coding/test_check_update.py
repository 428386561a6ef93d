"""A coding sheet refreshed for `check --update` (scrutiny_kit/coding/check_update.py): decisions kept, new points
added, changed points marked stale, removed rows returned, columns of themes no longer in the codebook dropped."""
from __future__ import annotations

from checking import row
from scrutiny_kit.coding.check_rows import Sheet, text_hash
from scrutiny_kit.coding.check_update import update_rows


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

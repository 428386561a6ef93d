"""Generate the example review's coding sheet, checked by an officer for the first six visits (run once; both this
script and coding-check.xlsx are committed).

    .venv/bin/python examples/frontline/make_coding_check.py

It does what an officer does: `scrutiny-kit check` wrote the sheet when six notes were in (the Leaving Care and
Northgate follow-up notes came later, so `make demo` reports them as not checked), then the officer read every
row and set the theme cells, tone, quote and exclude columns in Excel (here with openpyxl). The decisions below
are the officer's whole coding of each point, not edits of the coder's proposal, so the sheet can be written again
(e.g. after a codebook change) and say the same.
"""
from __future__ import annotations

import sys
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from scrutiny_kit.coding.codebook import load_codebook  # noqa: E402
from scrutiny_kit.coding import code_points  # noqa: E402
from scrutiny_kit.coding.check import proposal_rows  # noqa: E402
from scrutiny_kit.coding.sheet import write_sheet  # noqa: E402
from scrutiny_kit.params import load_params, note_files  # noqa: E402
from scrutiny_kit.sources.visit_notes import load_visit_notes  # noqa: E402

OUT = HERE / "coding-check.xlsx"
LATER = ("2025-03-04-leaving-care.docx", "2025-03-11-northgate-follow-up.md")  # added after the sheet was written

NORTHGATE, RIVERSIDE, DISABLED = ("2024-10-08-northgate-locality.md", "2024-11-19-riverside-locality.md",
                                  "2024-12-03-disabled-childrens-team.md")
MASH, IN_CARE, ASSESSMENT = ("2025-01-14-front-door-mash.md", "2025-02-11-children-in-care.txt",
                             "2025-02-25-assessment-team.md")
# point -> (themes, tone, extra officer columns)
DECISIONS: dict[tuple[str, int], tuple[set[str], str, dict[str, str]]] = {
    (NORTHGATE, 1): (set(), "neutral", {"exclude": "a note about the visit's arrangements"}),
    (NORTHGATE, 2): ({"caseload_workload"}, "concern", {}),
    (NORTHGATE, 3): ({"caseload_workload", "supervision_training"}, "positive", {}),
    (NORTHGATE, 4): ({"caseload_workload"}, "concern", {"quote": "yes"}),
    (NORTHGATE, 5): ({"agency_staff", "recruitment_retention"}, "concern",
                     {"note": "families noticing changes of worker is a concern, not neutral"}),
    (NORTHGATE, 6): ({"accommodation_premises"}, "concern", {}),
    (NORTHGATE, 7): ({"accommodation_premises"}, "concern", {}),
    (NORTHGATE, 8): ({"supervision_training"}, "positive", {}),
    (NORTHGATE, 9): ({"morale_leadership"}, "positive", {}),
    (NORTHGATE, 10): ({"it_systems"}, "concern", {"note": "about phones, not the office"}),
    (RIVERSIDE, 1): ({"recruitment_retention"}, "concern", {}),
    (RIVERSIDE, 2): ({"recruitment_retention", "pay_conditions"}, "concern", {}),
    (RIVERSIDE, 3): ({"agency_staff", "pay_conditions", "recruitment_retention"}, "positive", {}),
    (RIVERSIDE, 4): ({"admin_support"}, "concern", {"note": "about business support, not rooms or recruitment"}),
    (RIVERSIDE, 5): ({"admin_support"}, "concern", {"quote": "no", "note": "identifies one administrator"}),
    (RIVERSIDE, 6): ({"it_systems"}, "concern", {}),
    (RIVERSIDE, 7): ({"it_systems"}, "positive", {}),
    (RIVERSIDE, 8): ({"pay_conditions"}, "concern", {}),
    (RIVERSIDE, 9): ({"pay_conditions"}, "positive", {}),
    (DISABLED, 1): ({"organisational_change"}, "neutral", {}),
    (DISABLED, 2): ({"organisational_change", "caseload_workload", "morale_leadership"}, "concern", {}),
    (DISABLED, 3): ({"supervision_training"}, "neutral", {"note": "a training request"}),
    (DISABLED, 4): ({"supervision_training"}, "neutral", {}),
    (DISABLED, 5): ({"morale_leadership"}, "positive", {}),
    (DISABLED, 6): ({"morale_leadership"}, "positive", {}),
    (DISABLED, 7): ({"accommodation_premises"}, "concern", {}),
    (DISABLED, 8): ({"accommodation_premises"}, "concern", {}),
    (MASH, 1): ({"demand_complexity"}, "concern", {}),
    (MASH, 2): ({"demand_complexity"}, "concern", {}),
    (MASH, 3): ({"demand_complexity", "partnership"}, "neutral", {}),
    (MASH, 4): ({"partnership"}, "neutral", {}),
    (MASH, 5): ({"partnership"}, "positive", {}),
    (MASH, 6): ({"partnership"}, "concern", {}),
    (MASH, 7): ({"performance_quality"}, "positive", {"note": "above target"}),
    (MASH, 8): ({"performance_quality"}, "neutral", {}),
    (MASH, 9): ({"it_systems"}, "positive", {}),
    (IN_CARE, 1): ({"voice_of_child", "recruitment_retention"}, "neutral", {}),
    (IN_CARE, 2): ({"voice_of_child", "recruitment_retention"}, "concern", {}),
    (IN_CARE, 3): ({"caseload_workload", "voice_of_child"}, "concern", {}),
    (IN_CARE, 4): ({"performance_quality"}, "concern", {"note": "down from 95%"}),
    (IN_CARE, 5): ({"performance_quality"}, "concern", {}),
    (IN_CARE, 6): ({"morale_leadership"}, "positive", {}),
    (IN_CARE, 7): ({"voice_of_child"}, "positive", {}),
    (IN_CARE, 8): ({"accommodation_premises"}, "concern", {}),
    (ASSESSMENT, 1): ({"performance_quality", "supervision_training"}, "positive", {}),
    (ASSESSMENT, 2): ({"performance_quality"}, "positive", {}),
    (ASSESSMENT, 3): ({"supervision_training"}, "concern", {}),
    (ASSESSMENT, 4): ({"supervision_training"}, "positive", {}),
    (ASSESSMENT, 5): ({"caseload_workload"}, "concern", {}),
    (ASSESSMENT, 6): ({"admin_support", "caseload_workload"}, "concern", {}),
    (ASSESSMENT, 7): ({"pay_conditions"}, "concern", {}),
    (ASSESSMENT, 8): ({"pay_conditions"}, "concern", {}),
}


def main() -> None:
    params = load_params(ROOT / "params" / "example.yaml")
    codebook = load_codebook(params.codebook)
    notes = load_visit_notes(note_files(params.visit_notes), default_authority=params.authority)
    notes = notes.loc[~notes["source"].isin(LATER)].reset_index(drop=True)
    rows = proposal_rows(notes, code_points(notes, codebook))
    missing = {key for key in ((r.source, r.point) for r in rows)} ^ set(DECISIONS)
    if missing:
        raise SystemExit(f"the decisions do not cover the notes' points exactly: {sorted(missing)}")
    write_sheet(OUT, rows, codebook=codebook, review=params)
    book = openpyxl.load_workbook(OUT)
    sheet = book["points"]
    column = {c.value: c.column for c in sheet[1]}
    proposed = {r.point_id: r.proposed_tone for r in rows}
    for r in range(2, sheet.max_row + 1):
        pid = sheet.cell(r, column["point id"]).value
        source, _, number = pid.rpartition("#")
        themes, tone, extra = DECISIONS[(source, int(number))]
        for theme in codebook.ids:
            sheet.cell(r, column[theme]).value = "x" if theme in themes else None
        if tone != proposed[pid]:
            sheet.cell(r, column["tone"]).value = tone
        for key, value in extra.items():
            sheet.cell(r, column[key]).value = value
    book.save(OUT)
    print(f"{OUT.relative_to(ROOT)}: {len(rows)} points checked")


if __name__ == "__main__":
    main()

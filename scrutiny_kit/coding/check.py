"""The officer's check of the automatic coding: match a coding sheet to the notes, apply its decisions, count them.

Why: no automatic coder is right on every point, and a committee report carries the council's name. The officer
reads every point in the coding sheet (coding_sheet.py writes and reads the Excel file) and their decisions replace
the coder's. This module is pure: it works on the notes, the coded DataFrame that `coding.code_points` returns and
the sheet's rows, so the coder's internals can change underneath it.

Matching a sheet row to a point (`reconcile`): a row whose point id and text hash both match is that point; a row
whose text is found again under another number of the same note (a point was inserted above it) follows its text;
a row whose id still exists but whose text changed is *stale*; a row whose point is gone is *removed*; a point no
row matches is *new*. Rows marked with a status (by `check --update`: new or stale points not checked yet) are
not checked either. Stale, new, removed and pending points are warnings (errors under `run --strict`), and
points that are not checked keep the automatic coding.

This module applies the decisions; its parts: check_rows.py (the rows as plain data), check_match.py
(`reconcile`), check_summary.py (the method sentence), check_update.py (`check --update`).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from .check_match import Reconciliation, Stale, check_warnings, reconcile  # noqa: F401  (re-exported)
from .check_rows import (HASH_CHARACTERS, OFFICER_TONES, THEME_SEPARATOR, Sheet, SheetRow, coder_view,  # noqa: F401
                         point_id, proposal_rows, split_point_id, split_themes, text_hash)
from .check_summary import CheckSummary, method_sentence, summarise  # noqa: F401
from .check_update import Update, update_rows  # noqa: F401

# Columns the check adds to the coded DataFrame (and so to coded_points.csv): the decision is in `theme` and
# `tone`, the coder's proposal beside it, so an analyst can measure agreement.
CHECK_COLUMNS = ["checked", "coder_themes", "coder_tone", "quote", "excluded", "exclude_reason", "officer_note"]


def apply_check(coded: pd.DataFrame, rec: Reconciliation | None, theme_ids: Sequence[str]) -> pd.DataFrame:
    """The coded DataFrame with the officer's decisions in place of the coder's for checked points, plus the
    CHECK_COLUMNS (every point keeps at least one row; `theme_ids` is the codebook's order). Without a sheet
    (`rec` None) every point is unchecked and the coding is the coder's."""
    view = coder_view(coded)
    keys = list(zip(coded["source"].astype(str), coded["point"].astype(int)))
    out = coded.copy()
    out["checked"] = False
    out["coder_themes"] = [THEME_SEPARATOR.join(view[k][0]) for k in keys]
    out["coder_tone"] = out["tone"]
    out["quote"] = ""
    out["excluded"] = False
    out["exclude_reason"] = ""
    out["officer_note"] = ""
    decisions = rec.decisions if rec is not None else {}
    if not decisions:
        return out.reset_index(drop=True)
    sheet_themes = set(theme_ids) - set(rec.missing_themes) if rec is not None else set()
    order = {t: i for i, t in enumerate(theme_ids)}
    first = out.drop_duplicates(["source", "point"]).set_index(keys=["source", "point"], drop=False)
    rank = {k: i for i, k in enumerate(dict.fromkeys(keys))}
    new_rows: list[dict[str, Any]] = []
    for key, row in decisions.items():
        if key not in rank:
            continue
        coder_themes, phrases, coder_tone = view[key]
        themes = set(row.themes) | {t for t in coder_themes if t not in sheet_themes}
        base = first.loc[key].to_dict()
        base.update(checked=True, tone=row.decided_tone or coder_tone, quote=row.quote, excluded=row.exclude,
                    exclude_reason=row.exclude_reason, officer_note=row.note)
        for theme in sorted(themes, key=lambda t: order.get(t, len(order))) or [""]:
            new_rows.append({**base, "theme": theme, "matched": phrases.get(theme, "")})
    kept = out[[k not in decisions for k in keys]]
    merged = pd.concat([kept, pd.DataFrame(new_rows, columns=out.columns)], ignore_index=True)
    merged = merged.astype({c: out[c].dtype for c in out.columns if str(out[c].dtype) in ("bool", "str")})
    sort_point = [rank[(s, int(p))] for s, p in zip(merged["source"], merged["point"])]
    sort_theme = [order.get(t, len(order)) if t else len(order) + 1 for t in merged["theme"]]
    merged = merged.assign(_p=sort_point, _t=sort_theme).sort_values(["_p", "_t"], kind="stable")
    return merged.drop(columns=["_p", "_t"]).reset_index(drop=True)


def counted_points(checked: pd.DataFrame) -> pd.DataFrame:
    """The coded rows that count in the report: points an officer excluded are left out."""
    if "excluded" not in checked:
        return checked
    return checked.loc[~checked["excluded"].astype(bool)].reset_index(drop=True)

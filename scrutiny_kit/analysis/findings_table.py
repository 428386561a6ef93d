"""findings.csv: one row per codebook theme with its counts, teams, dates, measures, excerpt citations and
recommendations."""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .finding_types import Findings, MeasureEvidence

FINDINGS_COLUMNS = ["theme", "label", "points", "visits", "teams", "concern", "positive", "neutral", "mixed",
                    "first_date", "last_date", "measures", "excerpts", "recommendations", "section"]


def findings_table(findings: Findings) -> pd.DataFrame:
    """One row per codebook theme (themes with a section first, in section order; then themes only mentioned;
    then the rest, in codebook order, with zero counts): counts (`points` and `visits` also for themes only
    mentioned), teams, dates, linked measures' latest values ('caseload_avg=26.0; ...'), excerpt citations
    (';'-joined), recommendation ids (';'-joined) and `section` (its number, "" without one)."""
    rec_themes = _rec_themes(findings)
    mentioned = {m.theme: m for m in findings.mentioned}
    shown = [s.theme for s in findings.sections] + list(mentioned)
    order = shown + [t for t in findings.themes if t not in shown]
    rows = []
    for theme in order:
        sec = findings.section(theme)
        counted = sec or mentioned.get(theme)
        rows.append({
            "theme": theme, "label": sec.label if sec else findings.themes[theme],
            "points": counted.points if counted else 0, "visits": counted.visits if counted else 0,
            "teams": ", ".join(sec.teams) if sec else "",
            "concern": sec.concern if sec else 0, "positive": sec.positive if sec else 0,
            "neutral": sec.neutral if sec else 0, "mixed": sec.mixed if sec else 0,
            "first_date": sec.first_date.isoformat() if sec else "",
            "last_date": sec.last_date.isoformat() if sec else "",
            "measures": _measure_values(findings.theme_measures.get(theme, ())),
            "excerpts": ";".join(f"{e.citation} ({e.source})" for e in sec.excerpts) if sec else "",
            "recommendations": ";".join(r for r, themes in rec_themes.items() if theme in themes),
            "section": sec.number if sec else "",
        })
    return pd.DataFrame(rows, columns=FINDINGS_COLUMNS)


def _measure_values(measures: Sequence[MeasureEvidence]) -> str:
    """'caseload_avg=26.0; vacancy_rate=18.5' (n/a when the latest value is missing)."""
    return "; ".join(f"{m.measure}={_fmt_value(m.latest_value)}" for m in measures)


def _rec_themes(findings: Findings) -> dict[str, tuple[str, ...]]:
    recs = findings.recommendations
    if recs is None or recs.empty:
        return {}
    return {str(i): tuple(t) for i, t in zip(recs["id"], recs["themes"])}


def _fmt_value(value: float | None) -> str:
    return "n/a" if value is None else str(round(float(value), 3))

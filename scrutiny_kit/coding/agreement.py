"""How well the automatic coding agrees with the officer's check: precision, recall and tone accuracy per theme.

The measure an analyst needs to improve a codebook. Only points the officer checked and did not exclude count.
For each theme: precision = points both gave it / points the coder gave it; recall = points both gave it / points
the officer gave it; tone accuracy = points of the theme (as the officer coded it) whose coder tone the officer
kept. As in the project's labelled sets, an officer's `mixed` accepts the coder's mixed, concern or positive.
"""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .check import split_themes

AGREEMENT_COLUMNS = ["theme", "officer", "coder", "both", "precision", "recall", "tone_points", "tone_agree",
                     "tone_accuracy"]
ALL = "all themes"


def tone_agrees(officer: str, coder: str) -> bool:
    """The coder's tone is right when it is the officer's, or the officer said mixed and the coder heard one side."""
    return officer == coder or (officer == "mixed" and coder in ("concern", "positive"))


def agreement_table(checked: pd.DataFrame, theme_ids: Sequence[str]) -> pd.DataFrame:
    """One row per codebook theme plus a last row over all themes (micro-averaged), from the coded points with
    the officer's decisions applied (coding_check.apply_check): `theme`, `coder_themes`, `tone`, `coder_tone`."""
    done = checked.loc[checked["checked"].astype(bool) & ~checked["excluded"].astype(bool)]
    points = done.groupby(["source", "point"], sort=False).agg(
        officer=("theme", lambda s: frozenset(t for t in s if t)), coder=("coder_themes", "first"),
        tone=("tone", "first"), coder_tone=("coder_tone", "first"))
    coder = points["coder"].map(split_themes)
    agrees = [tone_agrees(str(o), str(c)) for o, c in zip(points["tone"], points["coder_tone"])]
    rows = []
    for theme in [*theme_ids, ALL]:
        if theme == ALL:
            officer_n = int(points["officer"].map(len).sum())
            coder_n = int(coder.map(len).sum())
            both = int(sum(len(o & c) for o, c in zip(points["officer"], coder)))
            tone = [a for o, a in zip(points["officer"], agrees) if o]
        else:
            has_o = points["officer"].map(lambda s: theme in s)
            has_c = coder.map(lambda s: theme in s)
            officer_n, coder_n, both = int(has_o.sum()), int(has_c.sum()), int((has_o & has_c).sum())
            tone = [a for h, a in zip(has_o, agrees) if h]
        rows.append({"theme": theme, "officer": officer_n, "coder": coder_n, "both": both,
                     "precision": both / coder_n if coder_n else float("nan"),
                     "recall": both / officer_n if officer_n else float("nan"),
                     "tone_points": len(tone), "tone_agree": sum(tone),
                     "tone_accuracy": sum(tone) / len(tone) if tone else float("nan")})
    return pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)


def format_agreement(table: pd.DataFrame, *, sheet: str) -> list[str]:
    """The table as aligned text lines for the terminal ('-' where a measure has no points to count)."""
    def ratio(value: float) -> str:
        return "-" if pd.isna(value) else f"{value:.2f}"

    checked = table.iloc[-1]
    lines = [f"Agreement of the automatic coding with the officer's check in {sheet} "
             f"({int(checked['tone_points'])} checked points with a theme; excluded points left out):",
             f"{'theme':<34} {'officer':>7} {'coder':>6} {'both':>5} {'precision':>9} {'recall':>7} "
             f"{'tone accuracy':>13}"]
    for r in table.itertuples(index=False):
        if r.theme != ALL and not (r.officer or r.coder):
            continue
        lines.append(f"{r.theme:<34} {r.officer:>7} {r.coder:>6} {r.both:>5} {ratio(r.precision):>9} "
                     f"{ratio(r.recall):>7} {ratio(r.tone_accuracy):>13}")
    lines.append("precision: of the points the coder gave a theme, the share the officer kept; recall: of the points "
                 "the officer gave a theme, the share the coder found; tone accuracy: of the officer's points of the "
                 "theme, the share whose tone the coder got right (the officer's 'mixed' accepts concern or positive)")
    return lines

"""What the officer's check did, for the method section (`method_sentence`) and the manifest (CheckSummary)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..errors import Problem
from ..wording import join_words, plural
from .check_match import Reconciliation
from .check_rows import Sheet, split_themes


@dataclass(frozen=True)
class CheckSummary:
    """What the officer's check did to the points it covers (published points only, unless said otherwise)."""

    sheet: str  # the sheet's file name
    sha256: str
    points: int  # every point, excluded ones included
    checked: int
    themes_changed: int
    tone_changed: int
    excluded: int
    exclude_reasons: tuple[str, ...]
    quote_yes: int
    quote_no: int
    new: int  # not checked: not in the sheet
    stale: int  # not checked: text changed since
    pending: int  # not checked: still marked new or stale in the sheet
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def unchecked(self) -> int:
        return self.points - self.checked

    def record(self) -> dict[str, Any]:
        """For manifest.json."""
        return {"sheet": self.sheet, "sha256": self.sha256, "points": self.points, "checked": self.checked,
                "themes_changed": self.themes_changed, "tone_changed": self.tone_changed,
                "excluded": self.excluded, "exclude_reasons": list(self.exclude_reasons),
                "quote_yes": self.quote_yes, "quote_no": self.quote_no, "unchecked": self.unchecked,
                "new": self.new, "stale": self.stale, "pending": self.pending, "warnings": list(self.warnings)}


def summarise(checked: pd.DataFrame, rec: Reconciliation, sheet: Sheet, *, published_only: bool = True,
              warnings: Sequence[Problem | str] = ()) -> CheckSummary:
    """Count the officer's changes against the coder's proposal; by default only points that may be published
    (confidential notes never reach the report, not even as a count)."""
    frame = checked.loc[~checked["confidential"].astype(bool)] if published_only else checked
    points = frame.groupby(["source", "point"], sort=False).agg(
        checked=("checked", "first"), themes=("theme", lambda s: frozenset(t for t in s if t)),
        coder=("coder_themes", "first"), tone=("tone", "first"), coder_tone=("coder_tone", "first"),
        quote=("quote", "first"), excluded=("excluded", "first"), reason=("exclude_reason", "first"))
    done = points.loc[points["checked"].astype(bool)]
    coder = done["coder"].map(split_themes)
    keys = set(points.index)
    reasons = tuple(dict.fromkeys(str(r).strip() for r in done.loc[done["excluded"].astype(bool), "reason"]
                                  if str(r).strip()))
    return CheckSummary(
        sheet=sheet.path.rsplit("/", 1)[-1], sha256=sheet.sha256, points=len(points), checked=len(done),
        themes_changed=int((done["themes"] != coder).sum()),
        tone_changed=int((done["tone"] != done["coder_tone"]).sum()),
        excluded=int(done["excluded"].astype(bool).sum()), exclude_reasons=reasons,
        quote_yes=int((done["quote"] == "yes").sum()), quote_no=int((done["quote"] == "no").sum()),
        new=sum(1 for k in rec.new if k in keys), stale=sum(1 for s in rec.stale if s.point in keys),
        pending=sum(1 for k in rec.pending if k in keys), warnings=tuple(str(w) for w in warnings))


def method_sentence(summary: CheckSummary | None) -> str:
    """The method section's account of the check, in words and numbers; without a sheet, that there was none."""
    if summary is None:
        return ("The coding was not checked by an officer: every theme and tone in this report is as the "
                "automatic coding gave it.")
    s = summary
    if s.points == 0:
        return ""
    if s.checked == 0:
        return (f"The {plural(s.points, 'point')} {'was' if s.points == 1 else 'were'} coded automatically; an "
                "officers' check of the coding was started, but none of these points has been checked yet.")
    actions = _actions(s)
    if s.checked == s.points:
        every = "The only point was" if s.points == 1 else f"All {s.points} points were"
        text = f"{every} coded automatically and then checked by officers, who {actions}."
    else:
        text = (f"All {s.points} points were coded automatically; officers then checked {s.checked} of them "
                f"and {actions}. The other {plural(s.unchecked, 'point')} ({_why_unchecked(s)}) "
                f"{'was' if s.unchecked == 1 else 'were'} not checked and {'is' if s.unchecked == 1 else 'are'} "
                "as coded automatically.")
    if s.excluded:
        text += (" Excluded points are left out of every count, excerpt and list in this report.")
    if s.quote_yes or s.quote_no:
        marks = [f"{plural(s.quote_yes, 'point')} to be quoted" if s.quote_yes else "",
                 f"{plural(s.quote_no, 'point')} not to be quoted" if s.quote_no else ""]
        text += f" Officers also marked {join_words([m for m in marks if m])}, and the excerpts follow that."
    return text


def _actions(s: CheckSummary) -> str:
    """'changed the themes of 9 points and the tone of 4, and excluded 1 (a note about the visit's arrangements)'."""
    changes = []
    if s.themes_changed:
        changes.append(f"the themes of {plural(s.themes_changed, 'point')}")
    if s.tone_changed:
        changes.append(f"the tone of {s.tone_changed}" if changes else f"the tone of {plural(s.tone_changed, 'point')}")
    parts = [f"changed {join_words(changes)}"] if changes else []
    if s.excluded:
        reasons = f" ({'; '.join(s.exclude_reasons)})" if s.exclude_reasons else ""
        parts.append(f"excluded {s.excluded}{reasons}")
    if not parts:
        return "agreed with the coding of every one of them" if s.checked > 1 else "agreed with its coding"
    return ", and ".join(parts) if len(parts) == 2 and changes and len(changes) == 2 else " and ".join(parts)


def _why_unchecked(s: CheckSummary) -> str:
    """'12 added to the notes since the check and 3 changed since', or without numbers when one reason covers all."""
    reasons = [(n, text) for n, text in ((s.new, "added to the notes since the check"),
                                         (s.stale, "changed since the check"),
                                         (s.pending, "waiting for an officer")) if n]
    if len(reasons) == 1 and reasons[0][0] == s.unchecked:
        return reasons[0][1]
    return join_words([f"{n} {text}" for n, text in reasons]) or "not in the coding sheet"

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
"""
from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from ..errors import Problem
from ..presentation.wording import join_words, plural

OFFICER_TONES = ("concern", "positive", "mixed", "neutral")
HASH_CHARACTERS = 10
REWORDED = 0.5  # a changed point shares at least this share of its words (difflib ratio) with what was checked
# Columns the check adds to the coded DataFrame (and so to coded_points.csv): the decision is in `theme` and
# `tone`, the coder's proposal beside it, so an analyst can measure agreement.
CHECK_COLUMNS = ["checked", "coder_themes", "coder_tone", "quote", "excluded", "exclude_reason", "officer_note"]
THEME_SEPARATOR = "; "
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


def point_id(source: str, point: int) -> str:
    """The stable id of a point in a coding sheet: '2024-10-08-northgate-locality.md#4'."""
    return f"{source}#{int(point)}"


def split_point_id(value: str) -> tuple[str, int] | None:
    """('file.md', 4) from 'file.md#4', or None when it is not a point id."""
    source, sep, number = str(value).strip().rpartition("#")
    return (source, int(number)) if sep and source and number.isdigit() else None


def split_themes(value: Any) -> frozenset[str]:
    """The theme ids of a `coder_themes` value ('a; b')."""
    return frozenset(t.strip() for t in str(value or "").split(THEME_SEPARATOR.strip()) if t.strip())


def text_hash(text: str) -> str:
    """A short hash of a point's text (spaces normalised), kept per row to notice a point whose text changed."""
    normal = _SPACE.sub(" ", str(text or "")).strip()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:HASH_CHARACTERS]


# --- the sheet's rows, as plain data ----------------------------------------------------------------------

@dataclass(frozen=True)
class SheetRow:
    """One row of the coding sheet: the point as written, the coder's proposal and the officer's decisions."""

    point_id: str
    source: str
    point: int
    text: str
    text_hash: str
    themes: frozenset[str]  # the ticked theme columns: the coder's proposal until the officer edits them
    date: Any = None
    team: str = ""
    confidential: bool = False
    heading: str = ""
    matched: str = ""
    proposed_tone: str = ""
    tone: str = ""  # the officer's tone, "" = agrees with the proposed tone
    quote: str = ""  # "yes" (prefer as an excerpt), "no" (never quote) or ""
    exclude: bool = False
    exclude_reason: str = ""
    note: str = ""
    status: str = ""  # "" = checked; "new ..." / "stale ..." written by `check --update` until the officer clears it
    row: int = 0  # the Excel row it was read from (0 for rows not read from a file)

    @property
    def decided_tone(self) -> str:
        """The tone the officer settled on: their own, else the proposed tone they saw and left."""
        return self.tone or self.proposed_tone


@dataclass(frozen=True)
class Sheet:
    """A coding sheet as read: who it belongs to, its theme columns, its rows and its archive of removed rows."""

    review_id: str
    theme_columns: tuple[str, ...]
    rows: tuple[SheetRow, ...]
    removed: tuple[tuple[Any, ...], ...] = ()  # the 'removed' sheet's rows, kept as they are
    removed_header: tuple[str, ...] = ()
    path: str = ""
    sha256: str = ""


def proposal_rows(notes: pd.DataFrame, coded: pd.DataFrame) -> list[SheetRow]:
    """One sheet row per point of the notes, with the coder's themes, phrases and tone, and no decision yet."""
    by_point = _coder_view(coded)
    rows = []
    for rec in notes.to_dict("records"):
        key = (str(rec["source"]), int(rec["point"]))
        themes, matched, tone = by_point.get(key, ((), {}, "neutral"))
        rows.append(SheetRow(
            point_id=point_id(*key), source=key[0], point=key[1], text=str(rec["text"]),
            text_hash=text_hash(rec["text"]), themes=frozenset(themes), date=rec.get("date"),
            team=str(rec.get("team", "") or ""), confidential=bool(rec.get("confidential", False)),
            heading=str(rec.get("heading", "") or ""),
            matched="\n".join(f"{t}: {matched[t]}" for t in themes if matched.get(t)),
            proposed_tone=tone))
    return rows


def _coder_view(coded: pd.DataFrame) -> dict[tuple[str, int], tuple[tuple[str, ...], dict[str, str], str]]:
    """Per point: the coder's themes (in its order), the phrases per theme, and its tone."""
    out: dict[tuple[str, int], tuple[list[str], dict[str, str], str]] = {}
    for source, point, theme, matched, tone in zip(coded["source"], coded["point"], coded["theme"],
                                                    coded["matched"], coded["tone"]):
        themes, phrases, _ = out.setdefault((str(source), int(point)), ([], {}, str(tone)))
        if theme:
            themes.append(str(theme))
            phrases[str(theme)] = "" if pd.isna(matched) else str(matched)
    return {k: (tuple(t), p, tone) for k, (t, p, tone) in out.items()}


# --- matching the sheet to the notes ----------------------------------------------------------------------

@dataclass(frozen=True)
class Stale:
    """A sheet row whose point's text changed since the sheet was written."""

    row: SheetRow
    new_text: str
    point: tuple[str, int] = ("", 0)  # the point it stands for now (source, number)


@dataclass(frozen=True)
class Reconciliation:
    """How a sheet's rows meet the notes' points."""

    decisions: dict[tuple[str, int], SheetRow]  # checked points -> their row (rows with a status are not here)
    pending: dict[tuple[str, int], SheetRow]  # rows the officer has not cleared yet (status new/stale)
    moved: tuple[tuple[SheetRow, tuple[str, int]], ...]  # rows found again under another point number
    stale: tuple[Stale, ...]
    new: tuple[tuple[str, int], ...]  # points no row matches
    removed: tuple[SheetRow, ...]  # rows whose point no longer exists
    missing_themes: tuple[str, ...] = ()  # codebook themes the sheet has no column for


def reconcile(sheet: Sheet, notes: pd.DataFrame, theme_ids: Sequence[str] = ()) -> Reconciliation:
    """Match every sheet row to a point of the notes (see the module docstring). `notes` must be the notes as
    read (before any redaction), so that the text hashes compare like with like.

    Per note file, the rows' text hashes (in point order) are aligned with the points' (difflib): runs of equal
    text match whatever their numbers now are; where texts differ, rows and points pair up in order as stale,
    and what is left over is removed (rows) or new (points)."""
    points: dict[str, list[tuple[int, str, str]]] = {}
    for source, point, text in zip(notes["source"], notes["point"], notes["text"]):
        points.setdefault(str(source), []).append((int(point), text_hash(text), str(text)))
    rows: dict[str, list[SheetRow]] = {}
    for row in sorted(sheet.rows, key=lambda r: (r.source, r.point)):
        rows.setdefault(row.source, []).append(row)
    matched: dict[tuple[str, int], SheetRow] = {}
    moved: list[tuple[SheetRow, tuple[str, int]]] = []
    stale: list[Stale] = []
    new: list[tuple[str, int]] = []
    removed = [r for source, rs in rows.items() if source not in points for r in rs]
    for source, now in points.items():
        old = rows.get(source, [])
        blocks = difflib.SequenceMatcher(None, [r.text_hash for r in old], [h for _, h, _ in now], autojunk=False)
        for op, i1, i2, j1, j2 in blocks.get_opcodes():
            if op == "equal":
                for r, (number, _, _) in zip(old[i1:i2], now[j1:j2]):
                    key = (source, number)
                    matched[key] = r if r.point == number else replace(r, point_id=point_id(*key), point=number)
                    if r.point != number:
                        moved.append((r, key))
                continue
            pairs = _reworded(old[i1:i2], now[j1:j2])
            stale += [Stale(r, text, (source, number)) for r, (number, _, text) in pairs]
            paired_rows, paired_points = {id(r) for r, _ in pairs}, {p[0] for _, p in pairs}
            removed += [r for r in old[i1:i2] if id(r) not in paired_rows]
            new += [(source, number) for number, _, _ in now[j1:j2] if number not in paired_points]
    decisions = {k: r for k, r in matched.items() if not r.status}
    pending = {k: r for k, r in matched.items() if r.status}
    missing = tuple(t for t in theme_ids if t not in sheet.theme_columns)
    order = {(str(s), int(p)): i for i, (s, p) in enumerate(zip(notes["source"], notes["point"]))}
    return Reconciliation(decisions, pending, tuple(moved), tuple(stale), tuple(sorted(new, key=order.__getitem__)),
                          tuple(sorted(removed, key=lambda r: r.row)), missing)


def _reworded(rows: Sequence[SheetRow], points: Sequence[tuple[int, str, str]]) -> list[tuple[SheetRow, Any]]:
    """Where rows and points differ, pair each row in order with the next point whose words are mostly the same
    (a reworded point is stale); a row with no such point was removed, a point with no such row is new."""
    pairs, start = [], 0
    for r in rows:
        for k in range(start, len(points)):
            if difflib.SequenceMatcher(None, _WORD.findall(r.text.lower()),
                                       _WORD.findall(points[k][2].lower())).ratio() >= REWORDED:
                pairs.append((r, points[k]))
                start = k + 1
                break
    return pairs


def check_warnings(rec: Reconciliation, sheet_name: str) -> list[Problem]:
    """What an officer should know before publishing: points not checked (new, stale, pending), rows for points
    that no longer exist and theme columns missing. Warnings by default; `run --strict` makes them errors."""
    out: list[Problem] = []
    for source, numbers in _by_source(rec.new).items():
        out.append(Problem(sheet_name, f"{_points_of(source, numbers)} not in the sheet (added since it was "
                                       "written): coded automatically, not checked; run `scrutiny-kit check "
                                       "PARAMS --update` to add them"))
    for s in rec.stale:
        out.append(Problem(sheet_name, f"point {s.row.point_id} has changed since the sheet was written: it was "
                                       f"\u201c{s.row.text}\u201d and is now \u201c{s.new_text}\u201d; coded "
                                       "automatically until it is checked again (`scrutiny-kit check PARAMS "
                                       "--update` marks it stale in the sheet)",
                           line=s.row.row or None, line_label="row"))
    pending = sorted(rec.pending.values(), key=lambda r: r.row)
    if pending:
        rows = join_words([str(r.row) for r in pending][:20]) + (" ..." if len(pending) > 20 else "")
        out.append(Problem(sheet_name, f"{plural(len(pending), 'row')} still marked new or stale in the 'status' "
                                       f"column (rows {rows}): coded automatically until an officer checks "
                                       "them and clears the status"))
    for row in rec.removed:
        out.append(Problem(sheet_name, f"point {row.point_id} is no longer in the visit notes; its row is not used "
                                       "(`scrutiny-kit check PARAMS --update` moves it to the 'removed' sheet)",
                           line=row.row or None, line_label="row"))
    if rec.missing_themes:
        out.append(Problem(sheet_name, f"no column for the theme(s) {', '.join(rec.missing_themes)} (added to the "
                                       "codebook since the sheet was written): the coder's coding is used for "
                                       "them; `scrutiny-kit check PARAMS --update` adds the columns"))
    return out


def _by_source(keys: Iterable[tuple[str, int]]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for source, point in keys:
        out.setdefault(source, []).append(point)
    return out


def _points_of(source: str, numbers: Sequence[int]) -> str:
    if len(numbers) == 1:
        return f"point {numbers[0]} of {source} is"
    return f"points {join_words([str(n) for n in numbers])} of {source} are"


# --- applying the decisions -------------------------------------------------------------------------------

def apply_check(coded: pd.DataFrame, rec: Reconciliation | None, theme_ids: Sequence[str]) -> pd.DataFrame:
    """The coded DataFrame with the officer's decisions in place of the coder's for checked points, plus the
    CHECK_COLUMNS (every point keeps at least one row; `theme_ids` is the codebook's order). Without a sheet
    (`rec` None) every point is unchecked and the coding is the coder's."""
    view = _coder_view(coded)
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


# --- what the check did, for the method section and the manifest ------------------------------------------

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


# --- refreshing a sheet after the notes change (check --update) -------------------------------------------

@dataclass(frozen=True)
class Update:
    """A refreshed sheet's rows and what changed."""

    rows: tuple[SheetRow, ...]
    removed: tuple[SheetRow, ...]  # rows to move to the 'removed' sheet
    kept: int
    new: int
    stale: int
    moved: int
    dropped_columns: Mapping[str, int]  # theme columns no longer in the codebook -> rows that had them ticked


def update_rows(sheet: Sheet, fresh: Sequence[SheetRow], theme_ids: Sequence[str]) -> Update:
    """The rows of a refreshed sheet, in note order: every decision on an unchanged point kept as it was, new
    points added with status 'new', changed points keep the officer's old decisions but are marked stale (with
    the old text and the coder's new proposal), rows for removed points returned to be archived. Nothing is
    dropped silently: a theme column no longer in the codebook is reported with how many rows had it ticked."""
    notes = pd.DataFrame({"source": [r.source for r in fresh], "point": [r.point for r in fresh],
                          "text": [r.text for r in fresh]})
    rec = reconcile(sheet, notes, theme_ids)
    known = set(theme_ids)
    added_themes = set(rec.missing_themes)
    stale = {s.point: s.row for s in rec.stale}
    old = {**rec.decisions, **rec.pending}
    rows = []
    for f in fresh:
        key = (f.source, f.point)
        meta = {"point_id": f.point_id, "point": f.point, "date": f.date, "team": f.team,
                "confidential": f.confidential, "heading": f.heading}
        if key in old:
            r = old[key]
            themes = (set(r.themes) & known) | (set(f.themes) & added_themes)
            status = r.status
            if not status and set(f.themes) & added_themes:
                status = f"new theme(s) {', '.join(sorted(set(f.themes) & added_themes))}: check them"
            rows.append(replace(r, **meta, themes=frozenset(themes), status=status, row=0))
        elif key in stale:
            r = stale[key]
            proposal = ", ".join(sorted(f.themes)) or "no theme"
            status = (f"stale: the text changed since it was checked; it was \u201c{r.text}\u201d; the coder now "
                      f"proposes {proposal}, tone {f.proposed_tone}")
            rows.append(replace(r, **meta, text=f.text, text_hash=f.text_hash, matched=f.matched,
                                proposed_tone=f.proposed_tone, themes=frozenset(set(r.themes) & known),
                                status=status, row=0))
        else:
            rows.append(replace(f, status="new: not checked yet"))
    dropped = {t: sum(1 for r in sheet.rows if t in r.themes) for t in sheet.theme_columns if t not in known}
    return Update(tuple(rows), rec.removed, kept=len(old), new=len(rec.new), stale=len(rec.stale),
                  moved=len(rec.moved), dropped_columns=dropped)

"""The publish check over a review's inputs: every text that will be written (note points, headings, teams,
visitors and file names, the tracker, commentary, the params' title block, the workforce file's names, the
officer's exclusion reasons) checked for personal data, or redacted where it is (see report/privacy.py)."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from ..inputs import Inputs


_VISIT_FIELDS = ("team", "authority", "visitors")  # the same for every point of a note: checked once per file
_REC_FIELDS = ("id", "recommendation", "owner", "response", "action", "status", "update")
_PARAMS_FIELDS = ("title", "authority", "committee")
_FILE_NAME_SEPARATORS = re.compile(r"[_.\-]")


@dataclass
class _Texts:
    """The texts the publish check reads, in order, and how to put each one's redacted text back."""

    items: list[tuple[str, str, str]] = field(default_factory=list)  # (where, text, text as scanned)
    writes: list[Callable[[str], None]] = field(default_factory=list)  # puts each item's redacted text back

    def add(self, where: str, text: str, write: Callable[[str], None], scanned: str | None = None) -> None:
        self.items.append((where, text, text if scanned is None else scanned))
        self.writes.append(write)


def _add_notes(texts: _Texts, notes: pd.DataFrame) -> None:
    """Each published note's file name, visit fields, headings and point texts (written back into `notes`)."""

    def set_notes(mask: Any, col: str) -> Callable[[str], None]:
        return lambda text: notes.__setitem__(col, notes[col].where(~mask, text))

    public = notes[~notes["confidential"]]
    for source, rows in public.groupby("source", sort=False):
        in_file = notes["source"] == source
        first = rows.iloc[0]
        # a file name is read with its separators as spaces ("jo-bloggs.md" names Jo Bloggs); same length
        texts.add(f"visit note {source} (file name)", str(source), set_notes(in_file, "source"),
                  _FILE_NAME_SEPARATORS.sub(" ", str(source)))
        for col in _VISIT_FIELDS:
            texts.add(f"visit note {source} ({col})", str(first[col]), set_notes(in_file, col))
        for heading, point in rows.drop_duplicates("heading")[["heading", "point"]].itertuples(index=False):
            texts.add(f"visit note {source}, point {point} (heading)", str(heading),
                      set_notes(in_file & (notes["heading"] == heading), "heading"))
        for idx, row in rows.iterrows():
            texts.add(f"visit note {source}, point {row['point']} (text)", str(row["text"]),
                      lambda text, idx=idx: _set(notes, idx, "text", text))


def _add_workforce_names(texts: _Texts, workforce: Any, file_name: str) -> dict[str, str]:
    """The workforce file's authority and team names; the returned mapping fills with their redacted forms."""
    names: dict[str, str] = {}
    if workforce is not None:
        for name in dict.fromkeys([*workforce.data["authority"], *workforce.data["team"]]):
            if name:
                texts.add(f"{file_name}, authority or team '{name}'", str(name),
                          lambda text, name=name: names.__setitem__(name, text))
    return names


def publish_check(inputs: Inputs, *, apply_redaction: bool) -> tuple[Inputs, Counter[str]]:
    """Scan every text that will be written (not confidential notes, which are never published) for personal
    data: note points, headings, teams, visitors and file names, the tracker, commentary, the params' title
    block and the workforce file's authority and team names. Refuse with PublishCheckError listing each hit
    and the file it is in, or with `apply_redaction` replace hits with [redacted] (everywhere they are)."""
    from .privacy import check_or_redact

    params = inputs.params
    notes = inputs.notes.copy()
    recs = inputs.recommendations.copy()
    commentary = dict(inputs.commentary)
    texts = _Texts()
    _add_notes(texts, notes)
    for idx, row in recs.iterrows():
        for col in _REC_FIELDS:
            texts.add(f"{params.recommendations.name}, recommendation {row['id']} ({col})", str(row[col] or ""),
                      lambda text, idx=idx, col=col: _set(recs, idx, col, text))
    for key, text in commentary.items():
        texts.add(f"{params.commentary.name if params.commentary else 'commentary'}, section {key}", text,
                  lambda new, key=key: commentary.__setitem__(key, new))
    redacted_params: dict[str, str] = {}
    for col in _PARAMS_FIELDS:
        texts.add(f"{Path(str(params.params_file)).name}, key {col}", getattr(params, col),
                  lambda text, col=col: redacted_params.__setitem__(col, text))
    wf = inputs.workforce
    workforce_names = _add_workforce_names(texts, wf, Path(str(params.workforce)).name)

    checked, counts = check_or_redact(texts.items, names=params.redact, apply_redaction=apply_redaction)
    if not counts:
        return inputs, counts
    for write, (_, text), (_, original, _) in zip(texts.writes, checked, texts.items):
        if text != original:
            write(text)
    if redacted_params:
        params = params.model_copy(update=redacted_params)
    workforce = _renamed_workforce(wf, workforce_names) if workforce_names else wf
    return replace(inputs, params=params, notes=notes, workforce=workforce, recommendations=recs,
                   commentary=commentary), counts


def _set(frame: pd.DataFrame, idx: Any, col: str, text: str) -> None:
    frame.at[idx, col] = text


def _renamed_workforce(workforce: Any, names: dict[str, str]) -> Any:
    """The workforce figures with redacted authority and team names."""
    data = workforce.data.copy()
    data["authority"] = data["authority"].replace(names)
    data["team"] = data["team"].replace(names)
    return replace(workforce, data=data, authority=names.get(workforce.authority, workforce.authority),
                   comparators=[names.get(c, c) for c in workforce.comparators], _cache={})


def check_reasons(checked: pd.DataFrame, sheet: str, names: list[str], apply_redaction: bool,
                   redactions: Counter[str] | None) -> pd.DataFrame:
    """Run the publish check on the exclusion reasons of published points (the method section quotes them)."""
    from .privacy import check_or_redact

    shown = checked.loc[~checked["confidential"].astype(bool) & (checked["exclude_reason"] != "")]
    items = [(f"{Path(sheet).name}, point {s}#{p} (exclude)", r) for s, p, r in
             zip(shown["source"], shown["point"], shown["exclude_reason"])]
    if not items:
        return checked
    cleaned, counts = check_or_redact(items, names=names, apply_redaction=apply_redaction)
    if counts and redactions is not None:
        redactions.update(counts)
    out = checked.copy()
    out.loc[shown.index, "exclude_reason"] = [text for _, text in cleaned]
    return out

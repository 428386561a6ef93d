"""How much one input file may hold: a broken or hostile file is refused with a message before it eats the machine.

Each limit can be raised (or lowered) for one run with an environment variable, e.g.
``SCRUTINY_KIT_MAX_NOTE_BYTES=5000000 scrutiny-kit run params/x.yaml``; the README lists them.
"""
from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    """One bound: its default and what it bounds, in words for messages."""

    default: int
    what: str

    def env(self, name: str) -> str:
        return f"SCRUTINY_KIT_MAX_{name.upper()}"


LIMITS: dict[str, Limit] = {
    "office_bytes": Limit(200_000_000, "bytes once unzipped (a .docx or .xlsx file is a zip of XML files)"),
    "office_entries": Limit(10_000, "files inside the .docx or .xlsx zip"),
    "docx_paragraphs": Limit(20_000, "paragraphs and table rows in a Word visit note"),
    "sheet_cells": Limit(5_000_000, "cells in the area a worksheet's data covers (rows x columns)"),
    "note_bytes": Limit(1_000_000, "bytes in one visit note (characters of text for a Word note)"),
    "note_points": Limit(2_000, "points in one visit note"),
}


def limit(name: str) -> int:
    """The limit in force: the environment variable if it is set to a whole number, else the default."""
    spec = LIMITS[name]
    raw = os.environ.get(spec.env(name), "").strip().replace("_", "")
    return int(raw) if raw.isdigit() else spec.default


def over_limit(name: str, found: int | str) -> str:
    """The sentence for an input over a limit: what was found, the limit and how to raise it."""
    spec = LIMITS[name]
    return (f"{found} is over the limit of {limit(name):,} {spec.what}; if the file is genuine, "
            f"set {spec.env(name)} to a larger number for this run")

"""Visit-note points built in a test and coded with the default codebook: the coding tests' shared helpers."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from scrutiny_kit.coding import code_points
from scrutiny_kit.coding.codebook import load_codebook
from scrutiny_kit.sources.visit_notes import NOTE_COLUMNS


@pytest.fixture(scope="module")
def codebook():
    return load_codebook("default")


def notes_of(*points: str | tuple[str, str], team: str = "Northgate Locality Team", source: str = "visit.md",
             date: dt.date = dt.date(2025, 3, 4)) -> pd.DataFrame:
    """A notes frame for some points; a point is text or (heading, text)."""
    rows = []
    for number, point in enumerate(points, start=1):
        heading, text = point if isinstance(point, tuple) else ("", point)
        rows.append({"source": source, "point": number, "line": number, "date": date, "team": team,
                     "authority": "Example County Council", "visitors": "", "confidential": False,
                     "heading": heading, "text": text})
    return pd.DataFrame(rows, columns=NOTE_COLUMNS)


def coded_one(codebook, point: str | tuple[str, str]) -> dict[str, str]:
    """theme -> matched for a single point."""
    coded = code_points(notes_of(point), codebook)
    return dict(zip(coded["theme"], coded["matched"]))


def tone_of(codebook, point: str | tuple[str, str]) -> str:
    return code_points(notes_of(point), codebook)["tone"].iloc[0]

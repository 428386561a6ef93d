"""Workforce data written as CSV text inside a test (no files), and the small workforce the chart tests share."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest

from scrutiny_kit.sources.workforce import RawTable, Workforce, workforce_from_table

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "frontline" / "workforce.csv"
ECC = "Example County Council"

# Periods deliberately out of order in the file: the axis must follow period_order, not file or text order.
DATA = """
period,authority,team,caseload_avg,headcount,vacancy_rate
2024,Example County Council,,26.0,95,18.0
2022,Example County Council,,22.5,105,15.0
2023,Example County Council,,c,97,16.0
2024,Example County Council,Northgate <Team> & Co,28.0,4,20.0
2024,Example County Council,Riverside Team,24.5,9,x
2024,Example County Council,Front Door / MASH,19.0,12,17.0
2022,England,,17.0,34000,16.5
2023,England,,17.4,34500,17.0
2024,England,,17.8,35000,18.1
2024,East Midlands,,18.2,2950,17.2
"""


def table(csv_text: str) -> RawTable:
    """A RawTable straight from text, so the tests using it stay pure (no files)."""
    lines = [line.split(",") for line in csv_text.strip().splitlines()]
    frame = pd.DataFrame(lines[1:], columns=lines[0], index=range(2, len(lines) + 1), dtype=object)
    return RawTable(frame, "test.csv")


@pytest.fixture()
def wf() -> Workforce:
    """DATA for Example County Council beside England and East Midlands."""
    return workforce_from_table(table(DATA), authority=ECC, comparators=["England", "East Midlands"])


def layers(spec: dict) -> list[dict]:
    return spec["layer"]


def data_of(spec: dict, layer: dict) -> list[dict]:
    return spec["datasets"][layer["data"]["name"]]


def parse(html: str) -> ET.Element:
    return ET.fromstring(f"<root>{html}</root>")

"""The one catalogue of workforce measures (scrutiny_kit/catalogue.py): ids, aliases, kinds, bounds, wording."""
from __future__ import annotations

import pytest

from scrutiny_kit.catalogue import (CANONICAL_MEASURES, DFE_EXTRAS, MEASURE_ALIASES, MEASURES, canonical_measure_id,
                                    describe_measure_id)


def test_every_header_name_belongs_to_one_measure() -> None:
    names = [name for m in MEASURES.values() for name in (m.id, *m.aliases)]
    assert len(names) == len(set(names)) == len(MEASURE_ALIASES)
    assert CANONICAL_MEASURES == tuple(MEASURES)
    assert not set(MEASURE_ALIASES) & set(DFE_EXTRAS)


def test_headers_as_officers_write_them_find_their_measure() -> None:
    assert canonical_measure_id("Vacancy rate (%)") == "vacancy_rate"
    assert canonical_measure_id("Average caseload") == "caseload_avg"
    assert canonical_measure_id("FTE social workers") == "fte_social_workers"
    assert canonical_measure_id("Newly qualified workers") == "newly_qualified_workers"


def test_bounds_follow_the_kind() -> None:
    assert MEASURES["vacancy_rate"].bounds == (0.0, 100.0)
    assert MEASURES["statutory_visits_on_time"].bounds == (0.0, 100.0)
    assert MEASURES["caseload_avg"].bounds == (0.0, None)
    assert MEASURES["headcount"].bounds == (0.0, None)
    assert describe_measure_id("working_days_lost_fte").bounds is None  # kind "number": no known bounds


def test_an_extra_column_is_worded_from_its_header() -> None:
    extra = describe_measure_id("newly_qualified_fte", "Newly qualified (FTE)")
    assert (extra.label, extra.kind, extra.unit) == ("Newly qualified (FTE)", "count", "")
    assert describe_measure_id("starters_fte") is DFE_EXTRAS["starters_fte"]


@pytest.mark.parametrize("header, canonical", [
    ("Vacancy rate (%)", "vacancy_rate"), ("Average caseload", "caseload_avg"),
    ("FTE social workers", "fte_social_workers"), ("inpost_fte", "fte_social_workers"),
    ("social_worker_fte", "fte_social_workers"), ("inpost_headcount", "headcount"),
    ("social_worker_headcount", "headcount"), ("vacancy_rate_fte", "vacancy_rate"),
    ("vacancy_rate_fte_%", "vacancy_rate"), ("agency_rate_fte", "agency_rate"),
    ("agency_worker_rate_fte_%", "agency_rate"), ("turnover_rate_fte_%", "turnover_rate"),
    ("absence_rate_fte", "absence_rate"), ("absence_rate_fte_%", "absence_rate"), ("caseload_fte", "caseload_avg"),
    ("\ufeffAgency Rate [%]", "agency_rate"), ("Starters FTE", "starters_fte"),
])
def test_canonical_measure_ids(header: str, canonical: str) -> None:
    assert canonical_measure_id(header) == canonical

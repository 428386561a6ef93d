"""Periods as officers and the DfE write them (scrutiny_kit/sources/periods.py): one label and one sortable
order for years, financial years, quarters, months and dates."""
from __future__ import annotations

import datetime as dt

import pytest

from scrutiny_kit.sources.periods import parse_period


@pytest.mark.parametrize("raw, label, order", [
    ("2016-03-31", "31 March 2016", 20160331),
    ("31/03/2016", "31 March 2016", 20160331),
    (dt.datetime(2016, 3, 31), "31 March 2016", 20160331),
    ("2015", "2015", 20151231),
    (2015, "2015", 20151231),
    ("2015-16", "2015-16", 20160331),
    ("2015/16", "2015-16", 20160331),
    ("201516", "2015-16", 20160331),
    ("2015 Q3", "2015 Q3", 20150930),
    ("Q1 2016", "2016 Q1", 20160331),
    ("2015-16 Q4", "2015-16 Q4", 20160331),
    ("March 2016", "March 2016", 20160331),
    ("Sept 2016", "September 2016", 20160930),
])
def test_parse_period(raw: object, label: str, order: int) -> None:
    assert parse_period(raw) == (label, order)


def test_dfe_year_is_the_30_september_snapshot() -> None:
    assert parse_period("2023", dfe=True) == ("2023", 20230930)
    with pytest.raises(ValueError):
        parse_period("Spring")

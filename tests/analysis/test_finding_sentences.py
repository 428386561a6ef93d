"""The sentences a finding is told in (scrutiny_kit/analysis/finding_sentences.py): visits and dates in words, and
a theme's lead sentence with its numbers (join_words, times and plural: tests/test_wording.py)."""
from __future__ import annotations

import datetime as dt

import pytest

from scrutiny_kit.analysis.finding_sentences import date_range, lead_sentence, visits_phrase


def test_visits_in_words() -> None:
    assert visits_phrase(3, 5) == "in 3 of the 5 visits"
    assert visits_phrase(1, 5) == "in one of the 5 visits"
    assert visits_phrase(5, 5) == "in all 5 visits"
    assert visits_phrase(2, 2) == "in both visits"
    assert visits_phrase(1, 1) == "in the only visit"


def test_date_ranges() -> None:
    d = dt.date
    assert date_range(d(2025, 3, 5), d(2025, 3, 5)) == "on 5 March 2025"
    assert date_range(d(2025, 2, 10), d(2025, 2, 17)) == "between 10 and 17 February 2025"
    assert date_range(d(2025, 2, 3), d(2025, 3, 12)) == "between 3 February and 12 March 2025"
    assert date_range(d(2024, 12, 3), d(2025, 1, 9)) == "between 3 December 2024 and 9 January 2025"


@pytest.mark.parametrize("kwargs, sentence", [
    (dict(points=4, visits=3, total_visits=5, teams=["North", "East", "Ashfield"], concern=2, positive=0),
     "Caseloads came up 4 times in 3 of the 5 visits (North, East and Ashfield), twice as a concern."),
    (dict(points=1, visits=1, total_visits=5, teams=["East"], concern=1, positive=0),
     "Caseloads came up once in one of the 5 visits (East), as a concern."),
    (dict(points=1, visits=1, total_visits=5, teams=["East"], concern=0, positive=1),
     "Caseloads came up once in one of the 5 visits (East), positively."),
    (dict(points=5, visits=5, total_visits=5, teams=["A", "B"], concern=5, positive=0),
     "Caseloads came up 5 times in all 5 visits (A and B), each time as a concern."),
    (dict(points=3, visits=2, total_visits=2, teams=["A", "B"], concern=1, positive=1),
     "Caseloads came up 3 times in both visits (A and B), once as a concern and once positively."),
    (dict(points=2, visits=2, total_visits=4, teams=["A", "B"], concern=0, positive=0),
     "Caseloads came up twice in 2 of the 4 visits (A and B)."),
])
def test_lead_sentence_words_and_numbers(kwargs: dict, sentence: str) -> None:
    assert lead_sentence("Caseloads", **kwargs) == sentence

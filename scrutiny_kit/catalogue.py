"""The workforce measures the toolkit knows: their ids and the names they arrive under in a file's header.

Shared by `sources` (which maps a header to a measure id) and `analysis` (which words and formats each
measure), so it sits beside them at the package root and imports neither.
"""
from __future__ import annotations

import re

CANONICAL_MEASURES: tuple[str, ...] = (
    "fte_social_workers",
    "headcount",
    "vacancy_rate",
    "agency_rate",
    "turnover_rate",
    "absence_rate",
    "caseload_avg",
    "statutory_visits_on_time",
)
RATE_MEASURES = frozenset({"vacancy_rate", "agency_rate", "turnover_rate", "absence_rate", "statutory_visits_on_time"})
COUNT_MEASURES = frozenset({"fte_social_workers", "headcount"})
NON_NEGATIVE_MEASURES = COUNT_MEASURES | {"caseload_avg"}

# Normalised header (see normalise_name) -> canonical measure id.
MEASURE_ALIASES: dict[str, str] = {}
for _id, _names in {
    "fte_social_workers": [
        "fte_social_workers", "social_workers_fte", "social_worker_fte", "inpost_fte", "in_post_fte",
        "fte", "fte_in_post", "social_workers", "fte_children_s_social_workers", "children_s_social_workers_fte",
        "number_of_social_workers_fte", "social_workers_in_post_fte", "fte_social_worker",
    ],
    "headcount": [
        "headcount", "head_count", "social_worker_headcount", "social_workers_headcount", "inpost_headcount",
        "in_post_headcount", "headcount_social_workers",
    ],
    "vacancy_rate": ["vacancy_rate", "vacancy_rate_fte", "vacancies_rate", "vacancy", "vacancies", "vacancy_rate_pct"],
    "agency_rate": [
        "agency_rate", "agency_rate_fte", "agency_worker_rate", "agency_worker_rate_fte", "agency_workers_rate",
        "agency_staff_rate", "agency", "agency_rate_pct",
    ],
    "turnover_rate": ["turnover_rate", "turnover_rate_fte", "turnover", "turnover_rate_pct", "staff_turnover"],
    "absence_rate": [
        "absence_rate", "absence_rate_fte", "sickness_absence_rate", "sickness_absence", "absence",
        "sickness_rate", "absence_rate_pct",
    ],
    "caseload_avg": [
        "caseload_avg", "average_caseload", "avg_caseload", "caseload_average", "caseload", "caseload_fte",
        "average_caseload_per_fte", "caseload_per_fte", "cases_per_fte", "mean_caseload", "average_caseload_fte",
    ],
    "statutory_visits_on_time": [
        "statutory_visits_on_time", "statutory_visits_in_time", "statutory_visits_within_timescale",
        "statutory_visits_in_timescale", "visits_on_time", "statutory_visits_on_time_pct", "statutory_visits",
    ],
}.items():
    for _name in _names:
        MEASURE_ALIASES[_name] = _id


def normalise_name(name: object) -> str:
    """A header as a forgiving key: lower case, ``%`` and brackets dropped, anything else non-alphanumeric -> ``_``."""
    text = str(name).replace("\ufeff", "").strip().lower()
    text = text.replace("%", " ").replace("percentage", " ").replace("percent", " ")
    text = re.sub(r"[()\[\]{}]", " ", text)
    text = re.sub(r"[^a-z0-9]+", "_", text)
    return text.strip("_")


def canonical_measure_id(name: object) -> str:
    """The canonical id for a measure header or target key; other names become their snake_case form."""
    key = normalise_name(name)
    return MEASURE_ALIASES.get(key, key)

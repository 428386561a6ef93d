"""The one catalogue of workforce measures: ids, the headers they arrive under, kinds, bounds and wording.

Shared by `sources` (which maps a file's header to a measure id and checks each value against the measure's
bounds) and `analysis` (which words and formats each measure), so it sits beside them at the package root and
imports neither. A measure's kind decides its bounds: a percentage lies between 0 and 100, a count or an
average is not negative.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Measure:
    """One workforce measure as readers see it."""

    id: str
    label: str  # "Vacancy rate"
    unit: str  # "%", "cases per FTE", "FTE", "people", ""
    kind: str  # "percent" | "average" | "count" | "number"
    higher_is_better: bool | None
    phrase: str  # a noun phrase for sentences: "the vacancy rate"
    aliases: tuple[str, ...] = ()  # other headers it arrives under, as normalise_name writes them

    @property
    def axis_title(self) -> str:
        """Label with its unit for axes and table headers: "Vacancy rate (%)"."""
        if not self.unit or self.unit.lower() in self.label.lower():
            return self.label
        return f"{self.label} ({self.unit})"

    @property
    def suppressible(self) -> bool:
        """Counts under 5 are shown as "fewer than 5"."""
        return self.kind == "count"

    @property
    def bounds(self) -> tuple[float, float | None] | None:
        """The values it may take (low, high or None): a percentage 0-100, a count or average not negative."""
        if self.kind == "percent":
            return 0.0, 100.0
        if self.kind in ("count", "average"):
            return 0.0, None
        return None


MEASURES: dict[str, Measure] = {m.id: m for m in (
    Measure("fte_social_workers", "FTE social workers", "FTE", "count", True, "the number of FTE social workers", (
        "social_workers_fte", "social_worker_fte", "inpost_fte", "in_post_fte", "fte", "fte_in_post",
        "social_workers", "fte_children_s_social_workers", "children_s_social_workers_fte",
        "number_of_social_workers_fte", "social_workers_in_post_fte", "fte_social_worker")),
    Measure("headcount", "Social worker headcount", "people", "count", True, "the social worker headcount", (
        "head_count", "social_worker_headcount", "social_workers_headcount", "inpost_headcount",
        "in_post_headcount", "headcount_social_workers")),
    Measure("vacancy_rate", "Vacancy rate", "%", "percent", False, "the vacancy rate", (
        "vacancy_rate_fte", "vacancies_rate", "vacancy", "vacancies", "vacancy_rate_pct")),
    Measure("agency_rate", "Agency worker rate", "%", "percent", False, "the agency worker rate", (
        "agency_rate_fte", "agency_worker_rate", "agency_worker_rate_fte", "agency_workers_rate",
        "agency_staff_rate", "agency", "agency_rate_pct")),
    Measure("turnover_rate", "Turnover rate", "%", "percent", False, "the turnover rate", (
        "turnover_rate_fte", "turnover", "turnover_rate_pct", "staff_turnover")),
    Measure("absence_rate", "Sickness absence rate", "%", "percent", False, "the sickness absence rate", (
        "absence_rate_fte", "sickness_absence_rate", "sickness_absence", "absence", "sickness_rate",
        "absence_rate_pct")),
    Measure("caseload_avg", "Average caseload", "cases per FTE", "average", False, "the average caseload", (
        "average_caseload", "avg_caseload", "caseload_average", "caseload", "caseload_fte",
        "average_caseload_per_fte", "caseload_per_fte", "cases_per_fte", "mean_caseload", "average_caseload_fte")),
    Measure("statutory_visits_on_time", "Statutory visits on time", "%", "percent", True,
            "the share of statutory visits made on time", (
                "statutory_visits_in_time", "statutory_visits_within_timescale", "statutory_visits_in_timescale",
                "visits_on_time", "statutory_visits_on_time_pct", "statutory_visits")),
)}
CANONICAL_MEASURES: tuple[str, ...] = tuple(MEASURES)

# Normalised header (see normalise_name) -> canonical measure id.
MEASURE_ALIASES: dict[str, str] = {name: m.id for m in MEASURES.values() for name in (m.id, *m.aliases)}


# Other numeric columns of the DfE open data, kept generically but labelled readably.
DFE_EXTRAS: dict[str, Measure] = {m.id: m for m in (
    Measure("starters_fte", "Starters (FTE)", "FTE", "count", None, "the number of starters (FTE)"),
    Measure("leavers_fte", "Leavers (FTE)", "FTE", "count", None, "the number of leavers (FTE)"),
    Measure("leaver_fte", "Leavers (FTE)", "FTE", "count", None, "the number of leavers (FTE)"),
    Measure("agency_fte", "Agency workers (FTE)", "FTE", "count", None, "the number of agency workers (FTE)"),
    Measure("agency_cover_fte", "Agency workers covering vacancies (FTE)", "FTE", "count", None,
            "the number of agency workers covering vacancies (FTE)"),
    Measure("agency_cover_rate_fte", "Agency cover rate", "%", "percent", None,
            "the share of vacancies covered by agency workers"),
    Measure("vacancy_fte", "Vacancies (FTE)", "FTE", "count", None, "the number of vacancies (FTE)"),
    Measure("case_holders_fte", "Case holders (FTE)", "FTE", "count", None, "the number of case holders (FTE)"),
    Measure("cases", "Cases held", "cases", "number", None, "the number of cases held"),
    Measure("working_days_lost_fte", "Working days lost to sickness (FTE)", "days", "number", None,
            "the number of working days lost to sickness"),
)}


def describe_measure_id(measure_id: str, header: str = "") -> Measure:
    """The catalogue entry, or a generic one for an extra numeric column (labelled from its header as written)."""
    if measure_id in MEASURES:
        return MEASURES[measure_id]
    if measure_id in DFE_EXTRAS:
        return DFE_EXTRAS[measure_id]
    words = measure_id.split("_")
    is_count = words[-1] in ("fte", "headcount") or words[0] in ("number", "count") or measure_id == "cases"
    is_rate = "rate" in words or "%" in header
    if header and not re.fullmatch(r"[a-z0-9_%]+", header):
        label = re.sub(r"\s+", " ", header).strip()
        label = label[0].upper() + label[1:]
    else:
        tail = [w for w in words if w not in ("fte", "headcount")]
        label = " ".join(tail).capitalize() or measure_id
        if words[-1] == "fte":
            label += " (FTE)"
        elif words[-1] == "headcount":
            label += " (headcount)"
    unit = "%" if is_rate and "%" not in label else ""
    kind = "percent" if is_rate else ("count" if is_count else "number")
    return Measure(measure_id, label, unit, kind, None, "the figure for " + (
        label[0].lower() + label[1:] if not label[:2].isupper() else label))


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

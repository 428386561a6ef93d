"""Workforce figures as they were at the report date: periods that end after it are left out.

A review dated 14 June 2022 must not quote 2023 figures from a newer DfE release, nor 2022 ones (a DfE
reporting year is the 30 September snapshot, so 2022 ends after 14 June 2022). Each period's end date is its
`period_order` (YYYYMMDD, see sources/workforce.py); a period ending on the report date is kept. Re-rendering
an old review with a newer release then reproduces what was known at the time, revised values aside (the
manifest's input hash records which file was used).
"""
from __future__ import annotations

import dataclasses
import datetime as dt

from ..dates import format_date
from ..errors import InputError, Problem
from ..sources.workforce import Workforce
from ..wording import join_words


def date_order(when: dt.date) -> int:
    """A date as the YYYYMMDD number periods are ordered by."""
    return when.year * 10000 + when.month * 100 + when.day


def as_at(workforce: Workforce, report_date: dt.date) -> Workforce:
    """The workforce figures without the periods that end after `report_date`; `left_out` names them.
    InputError when none of the authority's periods is left."""
    data = workforce.data
    late = data["period_order"] > date_order(report_date)
    if not late.any():
        return workforce
    left_out = tuple(data.loc[late, ["period", "period_order"]].drop_duplicates()
                     .sort_values(["period_order", "period"])["period"])
    kept = data.loc[~late].reset_index(drop=True)
    if not (kept["role"] == "authority").any():
        raise InputError(Problem(workforce.source, (
            f"every period for {workforce.authority} ends after the report date ({format_date(report_date)}): "
            f"{join_words(list(left_out))}; use a workforce file with figures from before the report, or check "
            "`report_date` in the params file")))
    return dataclasses.replace(workforce, data=kept, left_out=left_out, _cache={})


def left_out_sentence(workforce: Workforce, report_date: dt.date) -> str:
    """The method's sentence saying which periods were left out and why ('' when none were)."""
    periods = list(workforce.left_out)
    if not periods:
        return ""
    what = "period" if len(periods) == 1 else "periods"
    these = "it ends" if len(periods) == 1 else "they end"
    when = format_date(report_date)
    dfe = (" A DfE reporting year is the position on 30 September of that year, so a year counts as after the "
           "report date when its 30 September is.") if workforce.layout == "dfe" else ""
    return (f"Workforce figures are shown as they were at the report date, {when}: the workforce data also has "
            f"figures for the {what} {join_words(periods)}, which are left out of every sentence, table and chart "
            f"because {these} after {when}.{dfe} Rendering this review again with a newer release therefore gives "
            "the figures known at the time, apart from any values the publisher has since revised.")

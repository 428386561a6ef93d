"""Chart data: each workforce measure's trend and team comparison as DataFrames (computed once per workforce,
measure and suppression setting), and the same data as tables of display strings for a figure's ``<details>``."""
from __future__ import annotations

import functools
from typing import Callable, Protocol

import numpy as np
import pandas as pd

from ..analysis.measures import Measure, comparable, format_target, format_value, is_missing, is_small, measure_info
from ..sources.workforce import BLANK, Workforce

class ChartData(Protocol):
    def __call__(self, workforce: Workforce, measure: str, *, suppress_small_numbers: bool = False) -> pd.DataFrame: ...


# --- data for charts ---------------------------------------------------------------------------------------

def chart_measure(workforce: Workforce, measure: str) -> Measure:
    """The measure's catalogue entry; a measure the workforce data does not hold is an error before any chart."""
    if measure not in workforce.measures:
        raise ValueError(f"measure '{measure}' is not in the workforce data (have: {', '.join(workforce.measures)})")
    return measure_info(measure, workforce)


def _per_measure(kind: str) -> Callable[[Callable[[Workforce, str, bool], pd.DataFrame]], ChartData]:
    """Compute a chart's data once per workforce, measure and suppression setting (a chart, its table and its
    headline all ask for it); an unknown measure is an error before anything is computed."""

    def wrap(build: Callable[[Workforce, str, bool], pd.DataFrame]) -> ChartData:
        @functools.wraps(build)
        def get(workforce: Workforce, measure: str, *, suppress_small_numbers: bool = False) -> pd.DataFrame:
            chart_measure(workforce, measure)
            return workforce.cached((kind, measure, suppress_small_numbers),
                                    lambda: build(workforce, measure, suppress_small_numbers))
        return get

    return wrap


@_per_measure("trend")
def trend_data(workforce: Workforce, measure: str, suppress_small_numbers: bool) -> pd.DataFrame:
    """The whole-authority series and (for rates/averages) each comparator: ``series, period, period_order,
    value, missing, shown`` with ``value`` NaN where missing or suppressed and ``shown`` the text readers see."""
    info = chart_measure(workforce, measure)
    data = workforce.data
    rows = data[(data["measure"] == measure) & (data["team"] == "")]
    if not comparable(info):
        rows = rows[rows["role"] == "authority"]
    series = [workforce.authority] + (workforce.comparators if comparable(info) else [])
    rows = rows[rows["authority"].isin(series)]
    out = pd.DataFrame({
        "series": rows["authority"].astype(str),
        "period": rows["period"].astype(str),
        "period_order": rows["period_order"].astype("int64"),
        "value": rows["value"].astype("float64"),
        "missing": rows["missing"].astype(str),
    })
    # A comparator with no figure and no stated reason in any period (the file has no national figure for this
    # measure) is left out, rather than drawn as nothing and tabled as "not available" all the way down.
    blank = out["value"].isna() & out["missing"].isin(["", BLANK])
    empty = {s for s, all_blank in blank.groupby(out["series"]).all().items() if all_blank and s != workforce.authority}
    out = out[~out["series"].isin(empty)]
    out["shown"] = [format_value(v, info, missing=m, unit=False, suppress_small_numbers=suppress_small_numbers)
                    for v, m in zip(out["value"], out["missing"])]
    small = [is_small(v, info, suppress_small_numbers) for v in out["value"]]
    out.loc[small, "value"] = np.nan
    rank = {s: i for i, s in enumerate(series)}
    out["_rank"] = out["series"].map(rank)
    return out.sort_values(["_rank", "period_order"]).drop(columns="_rank").reset_index(drop=True)


@_per_measure("teams")
def team_data(workforce: Workforce, measure: str, suppress_small_numbers: bool) -> pd.DataFrame:
    """Each team's value in the latest period that has team rows for this measure: ``team, period, value,
    missing, shown`` (sorted by value, highest first; missing last). Empty when there are no team rows."""
    info = chart_measure(workforce, measure)
    data = workforce.data
    rows = data[(data["measure"] == measure) & (data["role"] == "authority") & (data["team"] != "")]
    if rows.empty:
        return pd.DataFrame(columns=["team", "period", "value", "missing", "shown"])
    latest = rows["period_order"].max()
    rows = rows[rows["period_order"] == latest]
    out = pd.DataFrame({"team": rows["team"].astype(str), "period": rows["period"].astype(str),
                        "value": rows["value"].astype("float64"), "missing": rows["missing"].astype(str)})
    out["shown"] = [format_value(v, info, missing=m, unit=False, suppress_small_numbers=suppress_small_numbers)
                    for v, m in zip(out["value"], out["missing"])]
    out.loc[[is_small(v, info, suppress_small_numbers) for v in out["value"]], "value"] = np.nan
    out = out.assign(_na=out["value"].isna()).sort_values(["_na", "value", "team"], ascending=[True, False, True])
    return out.drop(columns="_na").reset_index(drop=True)


def trend_table(workforce: Workforce, measure: str, *, suppress_small_numbers: bool = False) -> pd.DataFrame:
    """The trend chart's data as a table of display strings: a ``Period`` column then one per series."""
    d = trend_data(workforce, measure, suppress_small_numbers=suppress_small_numbers)
    periods = d[["period", "period_order"]].drop_duplicates().sort_values("period_order")["period"].tolist()
    series = list(dict.fromkeys(d["series"]))
    table = pd.DataFrame({"Period": periods})
    for s in series:
        shown = dict(zip(d.loc[d["series"] == s, "period"], d.loc[d["series"] == s, "shown"]))
        table[s] = [shown.get(p, "no figure") for p in periods]
    return table


def team_table(workforce: Workforce, measure: str, target: float | None = None, *,
               suppress_small_numbers: bool = False) -> pd.DataFrame:
    """The team chart's data as a table of display strings: ``Team``, the value and (with a target) the gap."""
    info = chart_measure(workforce, measure)
    d = team_data(workforce, measure, suppress_small_numbers=suppress_small_numbers)
    period = d["period"].iloc[0] if len(d) else ""
    table = pd.DataFrame({"Team": d["team"], f"{info.axis_title}, {period}": d["shown"]})
    if target is not None and not is_missing(target):
        table[f"Difference from target ({format_target(target, info)})"] = [
            "" if is_missing(v) else _signed(v - target, info) for v in d["value"]]
    return table.reset_index(drop=True)


def _signed(v: float, info: Measure) -> str:
    text = f"{v:+,.1f}" if info.kind in ("percent", "average") or not float(v).is_integer() else f"{v:+,.0f}"
    return text + (" points" if info.kind == "percent" else "")


def charted_series(workforce: Workforce, d: pd.DataFrame) -> list[str]:
    """The authority, then each comparator that has at least one value to draw."""
    have = set(d.loc[d["value"].notna(), "series"])
    return [workforce.authority] + [s for s in dict.fromkeys(d["series"]) if s != workforce.authority and s in have]

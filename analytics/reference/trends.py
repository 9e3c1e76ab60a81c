"""The pandas references of :mod:`analytics.analyses.trends`."""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics.errors import InvalidFilterError
from analytics.filters import Filters
from analytics.reference.common import (
    FREQ_PRECISIONS,
    apply_filters,
    complete_grid,
    divide,
    filtered,
    load,
    load_ratings,
    sequenced_ratings,
    small,
    with_points,
)
from analytics.reference.league import league_table


def _precisions(freq: str) -> tuple[str, ...]:
    if freq not in FREQ_PRECISIONS:
        raise InvalidFilterError(f"unknown freq '{freq}' (allowed: {', '.join(FREQ_PRECISIONS)})")
    return FREQ_PRECISIONS[freq]


def rating_trend(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, freq: str = "year"
) -> pd.DataFrame:
    """See :func:`analytics.analyses.trends.rating_trend`."""
    precisions = _precisions(freq)
    ratings = load_ratings(con)
    f = filtered(con, filters)
    placed = with_points(f[f["published_precision"].isin(precisions)], ratings, "overall_rating")
    year = placed["published_date"].dt.year
    if freq == "year":
        period = year.astype(str)
        start_month = pd.Series(1, index=placed.index)
    else:
        quarter = (placed["published_date"].dt.month - 1) // 3 + 1
        period = year.astype(str) + "-Q" + quarter.astype(str)
        start_month = 3 * (quarter - 1) + 1
    start = pd.to_datetime(pd.DataFrame({"year": year, "month": start_month, "day": 1}))
    frame = pd.DataFrame(
        {
            "period": period,
            "period_start": start,
            "rating": placed["overall_rating"],
            "points": placed["points"],
        }
    )
    periods = (
        frame.groupby(["period", "period_start"])["points"]
        .agg(inspections="size", mean_points="mean")
        .reset_index()
    )
    counts = frame.groupby(["period", "rating"]).size()
    grid = complete_grid(periods, ["period"], counts, ratings)
    grid["share"] = divide(grid["n"], grid["inspections"])
    grid["small_count"] = small(grid["inspections"])
    grid = grid.sort_values(["period_start", "rating_order"], kind="stable").reset_index(drop=True)
    return grid[
        [
            "period",
            "period_start",
            "rating",
            "n",
            "share",
            "inspections",
            "mean_points",
            "small_count",
        ]
    ]


def trend_excluded(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, freq: str = "year"
) -> pd.DataFrame:
    """See :func:`analytics.analyses.trends.trend_excluded`."""
    precisions = _precisions(freq)
    f = filtered(con, filters)
    excluded = f[~f["published_precision"].isin(precisions)]
    out = excluded.groupby("published_precision").size().rename("n").reset_index()
    return out.sort_values("published_precision", kind="stable").reset_index(drop=True)


def rating_changes(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """See :func:`analytics.analyses.trends.rating_changes`."""
    ratings = load_ratings(con)
    sequenced = apply_filters(sequenced_ratings(con, ratings), filters)
    transitions = sequenced[sequenced["previous_rating"].notna()]
    counts = transitions.groupby(["previous_rating", "overall_rating"]).size()
    counts.index = counts.index.set_names(["from_rating", "to_rating"])
    pairs = ratings.rename(columns={"rating": "from_rating", "rating_order": "from_order"})[
        ["from_rating", "from_order"]
    ].merge(
        ratings.rename(columns={"rating": "to_rating", "rating_order": "to_order"})[
            ["to_rating", "to_order"]
        ],
        how="cross",
    )
    pairs = pairs.merge(
        counts.rename("n").reset_index(), on=["from_rating", "to_rating"], how="left"
    )
    pairs["n"] = pairs["n"].fillna(0).astype("int64")
    pairs = pairs.sort_values(["from_order", "to_order"], kind="stable").reset_index(drop=True)
    return pairs[["from_rating", "to_rating", "n"]]


def event_list(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """See :func:`analytics.analyses.trends.event_list`."""
    events = load(con, "events")
    keep = pd.Series(True, index=events.index)
    if filters.date_from is not None:
        keep &= events["event_date"] >= pd.Timestamp(filters.date_from)
    if filters.date_to is not None:
        keep &= events["event_date"] <= pd.Timestamp(filters.date_to)
    out = events[keep].sort_values(["event_date", "event"], kind="stable")
    return out[["event_date", "date_text", "date_precision", "event", "source_url"]].reset_index(
        drop=True
    )


def rating_change_counts(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """See :func:`analytics.analyses.trends.rating_change_counts`."""
    changes = league_table(con, filters)["change"]
    kinds = ["improved", "unchanged", "declined", "first inspection"]
    counts = [int((changes == kind).sum()) for kind in kinds]
    return pd.DataFrame({"change": kinds, "units": pd.Series(counts, dtype="int64")})

"""Loading whole tables and filtering them in pandas: what every reference analysis shares."""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics.filter_fields import APPROXIMATE, INSPECTION_CHOICES, PERIOD
from analytics.filters import Filters
from analytics.pipeline.db import cursor
from analytics.vocab import APPROXIMATE_DATE_BASES, SMALL_COUNT

TABLES: frozenset[str] = frozenset(
    {
        "ratings",
        "unit_types",
        "standards",
        "regions",
        "units",
        "inspections",
        "standard_ratings",
        "events",
        "figures",
        "report_figures",
    }
)
DISTRIBUTION_GROUPS: tuple[str, ...] = ("region", "unit_type", "year")
# freq -> precisions fine enough to place an inspection in a period of that length
FREQ_PRECISIONS: dict[str, tuple[str, ...]] = {
    "year": ("day", "month", "year"),
    "quarter": ("day", "month"),
}


# Loading and filtering


def load(con: duckdb.DuckDBPyConnection, table: str) -> pd.DataFrame:
    """The whole of one table as a DataFrame (``select *``: the only SQL in this module)."""
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}")
    cur = cursor(con)
    try:
        return cur.execute(f"select * from {table}").df()  # noqa: S608 -- table from TABLES
    finally:
        cur.close()


def load_ratings(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """rating, points, sort_order (as rating_order), best first."""
    ratings = load(con, "ratings").sort_values("sort_order", kind="stable")
    return ratings.rename(columns={"sort_order": "rating_order"})[
        ["rating", "points", "rating_order"]
    ].reset_index(drop=True)


def load_standards(con: duckdb.DuckDBPyConnection, filters: Filters | None = None) -> pd.DataFrame:
    """standard, domain, sort_order of the chosen standards (all if none chosen), in HMIP order."""
    standards = load(con, "standards")
    if filters is not None and filters.standards:
        standards = standards[standards["standard"].isin(filters.standards)]
    return standards.sort_values("sort_order", kind="stable").reset_index(drop=True)


def apply_filters(inspections: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The inspections ``filters`` selects (``filters.standards`` does not apply here)."""
    keep = pd.Series(True, index=inspections.index)
    for choice in INSPECTION_CHOICES:
        values = getattr(filters, choice.field)
        if values:
            keep &= inspections[choice.column].isin(values)
    dates = inspections[PERIOD.column]
    if filters.date_from is not None:
        keep &= dates >= pd.Timestamp(filters.date_from)
    if filters.date_to is not None:
        keep &= dates <= pd.Timestamp(filters.date_to)
    if not filters.include_approximate:
        keep &= ~inspections[APPROXIMATE.column].isin(APPROXIMATE_DATE_BASES)
    return inspections[keep]


def filtered(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """The inspections selected by ``filters``, with every column."""
    return apply_filters(load(con, "inspections"), filters)


def with_points(frame: pd.DataFrame, ratings: pd.DataFrame, column: str) -> pd.DataFrame:
    """``frame`` with ``points`` of the rating in ``column``."""
    codes = pd.Categorical(frame[column], categories=ratings["rating"]).codes
    if (codes < 0).any():
        raise ValueError(f"{column} holds a value that is not a rating")
    return frame.assign(points=ratings["points"].to_numpy(dtype="int64")[codes])


def divide(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """Numerator / denominator, NaN where the denominator is 0 (SQL's ``nullif(d, 0)``)."""
    return numerator.astype("float64") / denominator.where(denominator != 0).astype("float64")


def small(count: pd.Series) -> pd.Series:
    """Whether each count is 1 to ``SMALL_COUNT - 1``: a share or mean resting on few."""
    return ((count > 0) & (count < SMALL_COUNT)).astype("bool")


def complete_grid(
    groups: pd.DataFrame, keys: list[str], counts: pd.Series, ratings: pd.DataFrame
) -> pd.DataFrame:
    """Every row of ``groups`` with every rating, and ``n`` from ``counts`` (0 where absent)."""
    grid = groups.merge(ratings, how="cross")
    counted = counts.rename("n").reset_index()
    grid = grid.merge(counted, on=[*keys, "rating"], how="left")
    grid["n"] = grid["n"].fillna(0).astype("int64")
    return grid


def sequenced_ratings(con: duckdb.DuckDBPyConnection, ratings: pd.DataFrame) -> pd.DataFrame:
    """Every inspection with its unit's previous inspection (in the whole dataset)."""
    inspections = with_points(load(con, "inspections"), ratings, "overall_rating")
    ordered = inspections.sort_values(
        ["unit_type", "unit_name", "published_date", "published"], kind="stable"
    )
    previous = ordered.groupby(["unit_type", "unit_name"], sort=False)[
        ["overall_rating", "published", "points"]
    ].shift(1)
    return ordered.assign(
        previous_rating=previous["overall_rating"],
        previous_published=previous["published"],
        previous_points=previous["points"],
    )

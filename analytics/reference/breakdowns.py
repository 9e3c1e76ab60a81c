"""The pandas references of :mod:`analytics.analyses.breakdowns`."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from analytics.errors import InvalidFilterError
from analytics.filters import Filters
from analytics.reference.common import (
    DISTRIBUTION_GROUPS,
    complete_grid,
    divide,
    filtered,
    load,
    load_ratings,
    load_standards,
    small,
    with_points,
)
from analytics.vocab import APPROXIMATE_DATE_BASES


def kpis(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """See :func:`analytics.analyses.breakdowns.kpis`."""
    ratings = load_ratings(con)
    f = with_points(filtered(con, filters), ratings, "overall_rating")
    n = len(f)

    def share(count: int) -> float:
        return count / n if n else np.nan

    counts = {
        name: int((f["overall_rating"] == rating).sum())
        for name, rating in (
            ("outstanding", "Outstanding"),
            ("good", "Good"),
            ("requires_improvement", "Requires improvement"),
            ("inadequate", "Inadequate"),
        )
    }
    good_or_better = int((f["points"] >= 2).sum())
    row = {
        "inspections": n,
        "units": len(f[["unit_type", "unit_name"]].drop_duplicates()),
        **counts,
        "good_or_better": good_or_better,
        **{f"share_{name}": share(count) for name, count in counts.items()},
        "share_good_or_better": share(good_or_better),
        "mean_points": f["points"].mean() if n else np.nan,
        "approximate_dates": int(f["date_basis"].isin(APPROXIMATE_DATE_BASES).sum()),
        "without_source": int(f["source_url"].isna().sum()),
        "with_standards": int(
            f["inspection_id"].isin(load(con, "standard_ratings")["inspection_id"]).sum()
        ),
        "first_published": f["published_date"].min(),
        "latest_published": f["published_date"].max(),
        "small_count": bool(small(pd.Series([n])).iloc[0]),
    }
    return pd.DataFrame([row])


def rating_distribution(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, by: str | None = None
) -> pd.DataFrame:
    """See :func:`analytics.analyses.breakdowns.rating_distribution`."""
    if by is not None and by not in DISTRIBUTION_GROUPS:
        raise InvalidFilterError(
            f"unknown grouping '{by}' (allowed: {', '.join(DISTRIBUTION_GROUPS)})"
        )
    ratings = load_ratings(con)
    f = filtered(con, filters)
    if by is None:
        key = pd.Series("All", index=f.index)
        order = pd.Series(0, index=f.index)
    elif by == "region":
        key = f["region"]
        order = f["region"]
    elif by == "unit_type":
        key = f["unit_type"]
        types = load(con, "unit_types")
        order = f["unit_type"].map(dict(zip(types["unit_type"], types["sort_order"], strict=True)))
    else:
        key = f["published_date"].dt.year.astype("int64")
        order = key
    frame = pd.DataFrame({"grp": key, "grp_order": order, "rating": f["overall_rating"]})
    counts = frame.groupby(["grp", "rating"], dropna=False).size()
    groups = frame[["grp", "grp_order"]].drop_duplicates("grp").reset_index(drop=True)
    grid = complete_grid(groups, ["grp"], counts, ratings)
    grid["inspections"] = grid.groupby("grp", dropna=False)["n"].transform("sum").astype("int64")
    grid["share"] = divide(grid["n"], grid["inspections"])
    grid["small_count"] = small(grid["inspections"])
    grid = grid.sort_values(
        ["grp_order", "grp", "rating_order"], na_position="last", kind="stable"
    ).reset_index(drop=True)
    if by is None:
        return grid[["rating", "n", "share", "inspections", "small_count"]]
    out = grid.rename(columns={"grp": by})[
        [by, "rating", "n", "share", "inspections", "small_count"]
    ]
    if by == "year":
        out[by] = out[by].astype("int64")
    return out


def standard_breakdown(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """See :func:`analytics.analyses.breakdowns.standard_breakdown`."""
    ratings = load_ratings(con)
    f = filtered(con, filters)
    std = load(con, "standard_ratings")
    known = std[std["inspection_id"].isin(f["inspection_id"])]
    counts = known.groupby(["standard", "rating"]).size()
    chosen = load_standards(con, filters)[["domain", "standard", "sort_order"]]
    grid = complete_grid(chosen, ["standard"], counts, ratings)
    by_standard = grid.groupby("standard")
    grid["known"] = by_standard["n"].transform("sum").astype("int64")
    good = grid["n"].where(grid["points"] >= 2, 0)
    good_or_better = good.groupby(grid["standard"]).transform("sum")
    inspections = len(f)
    grid["share"] = divide(grid["n"], grid["known"])
    grid["share_good_or_better"] = divide(good_or_better, grid["known"])
    grid["inspections"] = inspections
    grid["coverage"] = divide(grid["known"], pd.Series(inspections, index=grid.index))
    grid["small_count"] = small(grid["known"])
    grid = grid.sort_values(["sort_order", "rating_order"], kind="stable").reset_index(drop=True)
    return grid[
        [
            "domain",
            "standard",
            "rating",
            "n",
            "share",
            "known",
            "share_good_or_better",
            "inspections",
            "coverage",
            "small_count",
        ]
    ]


def region_standard_matrix(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """See :func:`analytics.analyses.breakdowns.region_standard_matrix`."""
    ratings = load_ratings(con)
    f = filtered(con, filters)
    f = f[f["region"].notna()]
    std = load(con, "standard_ratings")
    known = std.merge(f[["inspection_id", "region"]], on="inspection_id")
    known = with_points(known, ratings, "rating")
    stats = (
        known.groupby(["region", "standard"])["points"]
        .agg(n="count", mean_points="mean")
        .reset_index()
    )
    regions = load(con, "regions")[["region"]]
    if filters.regions:
        regions = regions[regions["region"].isin(filters.regions)]
    chosen = load_standards(con, filters)[["domain", "standard", "sort_order"]]
    grid = regions.merge(chosen, how="cross").merge(stats, on=["region", "standard"], how="left")
    grid["n"] = grid["n"].fillna(0).astype("int64")
    grid["mean_points"] = grid["mean_points"].astype("float64")
    grid["small_count"] = small(grid["n"])
    grid = grid.sort_values(["region", "sort_order"], kind="stable").reset_index(drop=True)
    return grid[["region", "domain", "standard", "n", "mean_points", "small_count"]]


def coverage(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """See :func:`analytics.analyses.breakdowns.coverage`."""
    f = filtered(con, filters)
    std = load(con, "standard_ratings")
    per_inspection = std.groupby("inspection_id").size()
    standards = f["inspection_id"].map(per_inspection).fillna(0).astype("int64")
    frame = pd.DataFrame(
        {
            "unit_type": f["unit_type"],
            "standards": standards,
            "with_standards": (standards > 0).astype("int64"),
            "approximate": f["date_basis"].isin(APPROXIMATE_DATE_BASES).astype("int64"),
        }
    )
    out = (
        frame.groupby("unit_type")
        .agg(
            inspections=("standards", "size"),
            with_standards=("with_standards", "sum"),
            standard_ratings=("standards", "sum"),
            approximate_dates=("approximate", "sum"),
        )
        .reset_index()
    )
    types = load(con, "unit_types")[["unit_type", "sort_order"]]
    out = out.merge(types, on="unit_type").sort_values("sort_order", kind="stable")
    return out[
        ["unit_type", "inspections", "with_standards", "standard_ratings", "approximate_dates"]
    ].reset_index(drop=True)


def region_summary(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """See :func:`analytics.analyses.breakdowns.region_summary`."""
    ratings = load_ratings(con)
    f = with_points(filtered(con, filters), ratings, "overall_rating")
    f = f[f["region"].notna()]
    stats = (
        f.assign(
            inadequate=(f["points"] == 0).astype("int64"),
            good_or_better=(f["points"] >= 2).astype("int64"),
        )
        .groupby("region")
        .agg(
            inspections=("points", "size"),
            mean_points=("points", "mean"),
            inadequate=("inadequate", "sum"),
            good_or_better=("good_or_better", "sum"),
        )
        .reset_index()
    )
    regions = load(con, "regions")[["region", "tile_row", "tile_col"]]
    out = regions.merge(stats, on="region", how="left")
    out["inspections"] = out["inspections"].fillna(0).astype("int64")
    out["mean_points"] = out["mean_points"].astype("float64")
    out["share_inadequate"] = divide(out["inadequate"].fillna(0), out["inspections"])
    out["share_good_or_better"] = divide(out["good_or_better"].fillna(0), out["inspections"])
    out["small_count"] = small(out["inspections"])
    out = out.sort_values(["tile_row", "tile_col"], kind="stable").reset_index(drop=True)
    return out[
        [
            "region",
            "tile_row",
            "tile_col",
            "inspections",
            "mean_points",
            "share_inadequate",
            "share_good_or_better",
            "small_count",
        ]
    ]

"""The pandas references of :mod:`analytics.analyses.units`."""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics.errors import UnknownUnitError
from analytics.filters import Filters
from analytics.reference.common import (
    complete_grid,
    divide,
    filtered,
    load,
    load_ratings,
    load_standards,
    small,
    with_points,
)


def period_only(filters: Filters) -> Filters:
    """Keep only the period of ``filters``: dates and whether approximate dates count."""
    return Filters(
        date_from=filters.date_from,
        date_to=filters.date_to,
        include_approximate=filters.include_approximate,
    )


def _check_unit(con: duckdb.DuckDBPyConnection, unit_type: str, unit_name: str) -> None:
    units = load(con, "units")
    if not ((units["unit_type"] == unit_type) & (units["unit_name"] == unit_name)).any():
        raise UnknownUnitError(f"no unit {unit_type} '{unit_name}' in the database")


def _items(
    con: duckdb.DuckDBPyConnection, inspections: pd.DataFrame, ratings: pd.DataFrame
) -> pd.DataFrame:
    """Overall and every known standard rating of ``inspections``, one row per item.

    Columns inspection_id, item, domain, rating, item_order (-1 for Overall, else HMIP's order).
    """
    overall = pd.DataFrame(
        {
            "inspection_id": inspections["inspection_id"],
            "item": "Overall",
            "domain": None,
            "rating": inspections["overall_rating"],
            "item_order": -1,
        }
    )
    std = load(con, "standard_ratings")
    std = std[std["inspection_id"].isin(inspections["inspection_id"])]
    std = std.merge(load_standards(con), on="standard").rename(
        columns={"standard": "item", "sort_order": "item_order"}
    )
    items = pd.concat(
        [overall, std[["inspection_id", "item", "domain", "rating", "item_order"]]],
        ignore_index=True,
    )
    return with_points(items, ratings, "rating")


def unit_history(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, unit_type: str, unit_name: str
) -> pd.DataFrame:
    """See :func:`analytics.analyses.units.unit_history`."""
    _check_unit(con, unit_type, unit_name)
    ratings = load_ratings(con)
    f = filtered(con, period_only(filters))
    f = f[(f["unit_type"] == unit_type) & (f["unit_name"] == unit_name)]
    items = _items(con, f, ratings)
    out = items.merge(
        f[
            [
                "inspection_id",
                "published",
                "published_date",
                "published_precision",
                "date_basis",
                "score",
                "score_max",
                "source_url",
            ]
        ],
        on="inspection_id",
    )
    out = out.sort_values(["published_date", "published", "item_order"], kind="stable")
    return out[
        [
            "inspection_id",
            "published",
            "published_date",
            "published_precision",
            "date_basis",
            "item",
            "domain",
            "rating",
            "points",
            "score",
            "score_max",
            "source_url",
        ]
    ].reset_index(drop=True)


def report_figures(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, unit_type: str, unit_name: str
) -> pd.DataFrame:
    """See :func:`analytics.analyses.units.report_figures`."""
    _check_unit(con, unit_type, unit_name)
    f = filtered(con, period_only(filters))
    f = f[(f["unit_type"] == unit_type) & (f["unit_name"] == unit_name)]
    figures = load(con, "figures")
    out = (
        load(con, "report_figures")
        .merge(f[["inspection_id", "published", "published_date", "date_basis"]])
        .merge(figures, on="figure")
        .sort_values(["published_date", "published", "sort_order"], kind="stable")
    )
    return out[
        ["inspection_id", "published", "date_basis", "figure", "percent", "value", "source_url"]
    ].reset_index(drop=True)


BENCHMARK_COLUMNS = [
    "scope",
    "scope_name",
    "item",
    "rating",
    "n",
    "share",
    "mean_points",
    "ratings",
    "small_count",
]


def unit_benchmark(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, unit_type: str, unit_name: str
) -> pd.DataFrame:
    """See :func:`analytics.analyses.units.unit_benchmark`."""
    _check_unit(con, unit_type, unit_name)
    ratings = load_ratings(con)
    period = filtered(con, period_only(filters))
    period = period[period["unit_type"] == unit_type]
    own = period[period["unit_name"] == unit_name]
    if own.empty:
        return pd.DataFrame(columns=BENCHMARK_COLUMNS)
    latest = own.sort_values(["published_date", "published"], kind="stable").iloc[-1]

    peer = _items(con, period, ratings).merge(
        period[["inspection_id", "region"]], on="inspection_id"
    )
    own_items = peer[peer["inspection_id"] == latest["inspection_id"]]
    unit_items = own_items[["item", "item_order"]]
    # (order, scope, name, that scope's ratings); a unit without a region has no region scope
    scopes = [(1, "unit", unit_name, own_items)]
    if pd.notna(latest["region"]):
        scopes.append((2, "region", latest["region"], peer[peer["region"] == latest["region"]]))
    scopes.append((3, "national", "England and Wales", peer))
    frames = []
    for order, scope, name, rows in scopes:
        counts = rows.groupby(["item", "rating"]).size()
        grid = complete_grid(unit_items, ["item"], counts, ratings)
        total = grid.groupby("item")["n"].transform("sum")
        weighted = (grid["n"] * grid["points"]).groupby(grid["item"]).transform("sum")
        frames.append(
            grid.assign(
                scope_order=order,
                scope=scope,
                scope_name=name,
                share=divide(grid["n"], total),
                mean_points=divide(weighted, total),
                ratings=total.astype("int64"),
                # the unit's own row is its rating, not a sample
                small_count=small(total) & (scope != "unit"),
            )
        )
    grid = pd.concat(frames, ignore_index=True).sort_values(
        ["item_order", "scope_order", "rating_order"], kind="stable"
    )
    return grid[BENCHMARK_COLUMNS].reset_index(drop=True)


def unit_list(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """See :func:`analytics.analyses.units.unit_list`."""
    f = filtered(con, filters)
    counts = f.groupby(["unit_type", "unit_name"]).size().rename("inspections").reset_index()
    out = counts.merge(load(con, "units")[["unit_type", "unit_name", "region"]], how="left")
    types = load(con, "unit_types")
    out["type_order"] = out["unit_type"].map(
        dict(zip(types["unit_type"], types["sort_order"], strict=True))
    )
    out = out.sort_values(["type_order", "unit_name"], kind="stable")
    return out[["unit_type", "unit_name", "region", "inspections"]].reset_index(drop=True)


def inspections(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """See :func:`analytics.analyses.units.inspections`."""
    ratings = load_ratings(con)
    f = with_points(filtered(con, filters), ratings, "overall_rating")
    std = load(con, "standard_ratings")
    known = std.groupby("inspection_id").size()
    f = f.assign(standards_known=f["inspection_id"].map(known).fillna(0).astype("int64"))
    f = f.sort_values(
        ["published_date", "published", "unit_type", "unit_name"],
        ascending=[False, False, True, True],
        kind="stable",
    )
    return f.rename(columns={"overall_rating": "rating"})[
        [
            "inspection_id",
            "published",
            "published_date",
            "published_precision",
            "date_basis",
            "unit_type",
            "unit_name",
            "region",
            "rating",
            "points",
            "score",
            "score_max",
            "fieldwork",
            "standards_known",
            "source_url",
        ]
    ].reset_index(drop=True)

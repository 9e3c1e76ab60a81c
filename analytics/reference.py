"""Every analysis again, in plain pandas: the oracle the SQL analyses are tested against.

Each function has the signature, output columns, sort order and meaning of its namesake in
:mod:`analytics.breakdowns`, :mod:`analytics.trends` or :mod:`analytics.units`; their docstrings
are the specification (inspection-level analyses ignore ``filters.standards``, as theirs do).
The only SQL here is ``select * from <table>``: filtering, joining and aggregating all happen in
pandas, so a benchmark comparing the two measures DuckDB against an honest, vectorised pandas
implementation.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from analytics.db import cursor
from analytics.errors import InvalidFilterError, UnknownUnitError
from analytics.filters import Filters
from analytics.vocab import APPROXIMATE_DATE_BASES

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


def _ratings(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """rating, points, sort_order (as rating_order), best first."""
    ratings = load(con, "ratings").sort_values("sort_order", kind="stable")
    return ratings.rename(columns={"sort_order": "rating_order"})[
        ["rating", "points", "rating_order"]
    ].reset_index(drop=True)


def _standards(con: duckdb.DuckDBPyConnection, filters: Filters | None = None) -> pd.DataFrame:
    """standard, domain, sort_order of the chosen standards (all if none chosen), in HMIP order."""
    standards = load(con, "standards")
    if filters is not None and filters.standards:
        standards = standards[standards["standard"].isin(filters.standards)]
    return standards.sort_values("sort_order", kind="stable").reset_index(drop=True)


def apply_filters(inspections: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The inspections ``filters`` selects (``filters.standards`` does not apply here)."""
    keep = pd.Series(True, index=inspections.index)
    for column, values in (
        ("region", filters.regions),
        ("unit_type", filters.unit_types),
        ("overall_rating", filters.ratings),
        ("unit_name", filters.units),
    ):
        if values:
            keep &= inspections[column].isin(values)
    if filters.date_from is not None:
        keep &= inspections["published_date"] >= pd.Timestamp(filters.date_from)
    if filters.date_to is not None:
        keep &= inspections["published_date"] <= pd.Timestamp(filters.date_to)
    if not filters.include_approximate:
        keep &= ~inspections["date_basis"].isin(APPROXIMATE_DATE_BASES)
    return inspections[keep]


def _filtered(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    return apply_filters(load(con, "inspections"), filters)


def _with_points(frame: pd.DataFrame, ratings: pd.DataFrame, column: str) -> pd.DataFrame:
    """``frame`` with ``points`` of the rating in ``column``."""
    codes = pd.Categorical(frame[column], categories=ratings["rating"]).codes
    if (codes < 0).any():
        raise ValueError(f"{column} holds a value that is not a rating")
    return frame.assign(points=ratings["points"].to_numpy(dtype="int64")[codes])


def _divide(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator, NaN where the denominator is 0 (SQL's ``nullif(d, 0)``)."""
    return numerator.astype("float64") / denominator.where(denominator != 0).astype("float64")


def _complete_grid(
    groups: pd.DataFrame, keys: list[str], counts: pd.Series, ratings: pd.DataFrame
) -> pd.DataFrame:
    """Every row of ``groups`` with every rating, and ``n`` from ``counts`` (0 where absent)."""
    grid = groups.merge(ratings, how="cross")
    counted = counts.rename("n").reset_index()
    grid = grid.merge(counted, on=[*keys, "rating"], how="left")
    grid["n"] = grid["n"].fillna(0).astype("int64")
    return grid


# breakdowns


def kpis(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """See :func:`analytics.breakdowns.kpis`."""
    ratings = _ratings(con)
    f = _with_points(_filtered(con, filters), ratings, "overall_rating")
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
        "first_published": f["published_date"].min(),
        "latest_published": f["published_date"].max(),
    }
    return pd.DataFrame([row])


def rating_distribution(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, by: str | None = None
) -> pd.DataFrame:
    """See :func:`analytics.breakdowns.rating_distribution`."""
    if by is not None and by not in DISTRIBUTION_GROUPS:
        raise InvalidFilterError(
            f"unknown grouping '{by}' (allowed: {', '.join(DISTRIBUTION_GROUPS)})"
        )
    ratings = _ratings(con)
    f = _filtered(con, filters)
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
    grid = _complete_grid(groups, ["grp"], counts, ratings)
    grid["share"] = _divide(grid["n"], grid.groupby("grp", dropna=False)["n"].transform("sum"))
    grid = grid.sort_values(
        ["grp_order", "grp", "rating_order"], na_position="last", kind="stable"
    ).reset_index(drop=True)
    if by is None:
        return grid[["rating", "n", "share"]]
    out = grid.rename(columns={"grp": by})[[by, "rating", "n", "share"]]
    if by == "year":
        out[by] = out[by].astype("int64")
    return out


def standard_breakdown(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """See :func:`analytics.breakdowns.standard_breakdown`."""
    ratings = _ratings(con)
    f = _filtered(con, filters)
    std = load(con, "standard_ratings")
    known = std[std["inspection_id"].isin(f["inspection_id"])]
    counts = known.groupby(["standard", "rating"]).size()
    chosen = _standards(con, filters)[["domain", "standard", "sort_order"]]
    grid = _complete_grid(chosen, ["standard"], counts, ratings)
    by_standard = grid.groupby("standard")
    grid["known"] = by_standard["n"].transform("sum").astype("int64")
    good = grid["n"].where(grid["points"] >= 2, 0)
    good_or_better = good.groupby(grid["standard"]).transform("sum")
    inspections = len(f)
    grid["share"] = _divide(grid["n"], grid["known"])
    grid["share_good_or_better"] = _divide(good_or_better, grid["known"])
    grid["inspections"] = inspections
    grid["coverage"] = _divide(grid["known"], pd.Series(inspections, index=grid.index))
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
        ]
    ]


def region_standard_matrix(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """See :func:`analytics.breakdowns.region_standard_matrix`."""
    ratings = _ratings(con)
    f = _filtered(con, filters)
    f = f[f["region"].notna()]
    std = load(con, "standard_ratings")
    known = std.merge(f[["inspection_id", "region"]], on="inspection_id")
    known = _with_points(known, ratings, "rating")
    stats = (
        known.groupby(["region", "standard"])["points"]
        .agg(n="count", mean_points="mean")
        .reset_index()
    )
    regions = load(con, "regions")[["region"]]
    if filters.regions:
        regions = regions[regions["region"].isin(filters.regions)]
    chosen = _standards(con, filters)[["domain", "standard", "sort_order"]]
    grid = regions.merge(chosen, how="cross").merge(stats, on=["region", "standard"], how="left")
    grid["n"] = grid["n"].fillna(0).astype("int64")
    grid["mean_points"] = grid["mean_points"].astype("float64")
    grid = grid.sort_values(["region", "sort_order"], kind="stable").reset_index(drop=True)
    return grid[["region", "domain", "standard", "n", "mean_points"]]


def coverage(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """See :func:`analytics.breakdowns.coverage`."""
    f = _filtered(con, filters)
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
    """See :func:`analytics.breakdowns.region_summary`."""
    ratings = _ratings(con)
    f = _with_points(_filtered(con, filters), ratings, "overall_rating")
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
    out["share_inadequate"] = _divide(out["inadequate"].fillna(0), out["inspections"])
    out["share_good_or_better"] = _divide(out["good_or_better"].fillna(0), out["inspections"])
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
        ]
    ]


# trends


def _precisions(freq: str) -> tuple[str, ...]:
    if freq not in FREQ_PRECISIONS:
        raise InvalidFilterError(f"unknown freq '{freq}' (allowed: {', '.join(FREQ_PRECISIONS)})")
    return FREQ_PRECISIONS[freq]


def rating_trend(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, freq: str = "year"
) -> pd.DataFrame:
    """See :func:`analytics.trends.rating_trend`."""
    precisions = _precisions(freq)
    ratings = _ratings(con)
    f = _filtered(con, filters)
    placed = _with_points(f[f["published_precision"].isin(precisions)], ratings, "overall_rating")
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
    grid = _complete_grid(periods, ["period"], counts, ratings)
    grid["share"] = _divide(grid["n"], grid["inspections"])
    grid = grid.sort_values(["period_start", "rating_order"], kind="stable").reset_index(drop=True)
    return grid[["period", "period_start", "rating", "n", "share", "inspections", "mean_points"]]


def trend_excluded(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, freq: str = "year"
) -> pd.DataFrame:
    """See :func:`analytics.trends.trend_excluded`."""
    precisions = _precisions(freq)
    f = _filtered(con, filters)
    excluded = f[~f["published_precision"].isin(precisions)]
    out = excluded.groupby("published_precision").size().rename("n").reset_index()
    return out.sort_values("published_precision", kind="stable").reset_index(drop=True)


def _sequenced(con: duckdb.DuckDBPyConnection, ratings: pd.DataFrame) -> pd.DataFrame:
    """Every inspection with its unit's previous inspection (in the whole dataset)."""
    inspections = _with_points(load(con, "inspections"), ratings, "overall_rating")
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


def rating_changes(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """See :func:`analytics.trends.rating_changes`."""
    ratings = _ratings(con)
    sequenced = apply_filters(_sequenced(con, ratings), filters)
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
    """See :func:`analytics.trends.event_list`."""
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


# units


def league_table(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """See :func:`analytics.units.league_table`."""
    ratings = _ratings(con)
    selected = apply_filters(_sequenced(con, ratings), filters)
    latest = selected.groupby(["unit_type", "unit_name"], sort=False).tail(1).copy()
    latest["change"] = np.select(
        [
            latest["previous_rating"].isna(),
            latest["points"] > latest["previous_points"],
            latest["points"] < latest["previous_points"],
        ],
        ["first inspection", "improved", "declined"],
        default="unchanged",
    )
    latest["rank"] = latest["points"].rank(method="min", ascending=False).astype("int64")
    types = load(con, "unit_types")
    latest["type_order"] = latest["unit_type"].map(
        dict(zip(types["unit_type"], types["sort_order"], strict=True))
    )
    latest = latest.sort_values(["rank", "type_order", "unit_name"], kind="stable")
    out = latest.rename(columns={"overall_rating": "rating"})[
        [
            "unit_type",
            "unit_name",
            "region",
            "published",
            "published_precision",
            "date_basis",
            "rating",
            "points",
            "previous_rating",
            "previous_published",
            "change",
            "rank",
            "source_url",
        ]
    ]
    return out.reset_index(drop=True)


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
    std = std.merge(_standards(con), on="standard").rename(
        columns={"standard": "item", "sort_order": "item_order"}
    )
    items = pd.concat(
        [overall, std[["inspection_id", "item", "domain", "rating", "item_order"]]],
        ignore_index=True,
    )
    return _with_points(items, ratings, "rating")


def unit_history(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, unit_type: str, unit_name: str
) -> pd.DataFrame:
    """See :func:`analytics.units.unit_history`."""
    _check_unit(con, unit_type, unit_name)
    ratings = _ratings(con)
    f = _filtered(con, period_only(filters))
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


BENCHMARK_COLUMNS = ["scope", "scope_name", "item", "rating", "n", "share", "mean_points"]


def unit_benchmark(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, unit_type: str, unit_name: str
) -> pd.DataFrame:
    """See :func:`analytics.units.unit_benchmark`."""
    _check_unit(con, unit_type, unit_name)
    ratings = _ratings(con)
    period = _filtered(con, period_only(filters))
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
        grid = _complete_grid(unit_items, ["item"], counts, ratings)
        total = grid.groupby("item")["n"].transform("sum")
        weighted = (grid["n"] * grid["points"]).groupby(grid["item"]).transform("sum")
        frames.append(
            grid.assign(
                scope_order=order,
                scope=scope,
                scope_name=name,
                share=_divide(grid["n"], total),
                mean_points=_divide(weighted, total),
            )
        )
    grid = pd.concat(frames, ignore_index=True).sort_values(
        ["item_order", "scope_order", "rating_order"], kind="stable"
    )
    return grid[BENCHMARK_COLUMNS].reset_index(drop=True)


def unit_list(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """See :func:`analytics.units.unit_list`."""
    f = _filtered(con, filters)
    counts = f.groupby(["unit_type", "unit_name"]).size().rename("inspections").reset_index()
    out = counts.merge(load(con, "units")[["unit_type", "unit_name", "region"]], how="left")
    types = load(con, "unit_types")
    out["type_order"] = out["unit_type"].map(
        dict(zip(types["unit_type"], types["sort_order"], strict=True))
    )
    out = out.sort_values(["type_order", "unit_name"], kind="stable")
    return out[["unit_type", "unit_name", "region", "inspections"]].reset_index(drop=True)


def inspection_list(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """See :func:`analytics.units.inspection_list`."""
    ratings = _ratings(con)
    f = _with_points(_filtered(con, filters), ratings, "overall_rating")
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


__all__ = [
    "apply_filters",
    "coverage",
    "event_list",
    "inspection_list",
    "kpis",
    "league_table",
    "load",
    "rating_changes",
    "rating_distribution",
    "rating_trend",
    "region_standard_matrix",
    "region_summary",
    "standard_breakdown",
    "trend_excluded",
    "unit_benchmark",
    "unit_history",
]

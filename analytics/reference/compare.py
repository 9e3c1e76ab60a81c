"""The pandas references of :mod:`analytics.analyses.compare`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb
import numpy as np
import pandas as pd

from analytics.errors import InvalidFilterError, UnknownUnitError
from analytics.filters import Filters
from analytics.reference.common import (
    apply_filters,
    divide,
    load,
    load_ratings,
    load_standards,
    sequenced_ratings,
    small,
    with_points,
)
from analytics.reference.league import change, freshness_columns
from analytics.reference.units import period_only


def _picked(con: duckdb.DuckDBPyConnection, units: Sequence[Sequence[str]]) -> pd.DataFrame:
    """The compared units with their position and region, checked as in the SQL version."""
    pairs = [tuple(u) for u in units]
    if not 2 <= len(pairs) <= 6:
        raise InvalidFilterError(f"compare needs 2 to 6 units, not {len(pairs)}")
    if len(set(pairs)) != len(pairs):
        t, n = next(p for i, p in enumerate(pairs) if p in pairs[:i])
        raise InvalidFilterError(f"'{n} ({t})' is named twice")
    picked = pd.DataFrame(pairs, columns=["unit_type", "unit_name"])
    picked["position"] = np.arange(1, len(picked) + 1)
    known = load(con, "units")[["unit_type", "unit_name", "region"]]
    picked = picked.merge(known, on=["unit_type", "unit_name"], how="left", indicator=True)
    missing = picked[picked["_merge"] == "left_only"]
    if len(missing):
        first = missing.iloc[0]
        raise UnknownUnitError(f"no unit {first.unit_name} ({first.unit_type}) in the database")
    return picked.drop(columns="_merge").sort_values("position").reset_index(drop=True)


def _selected(con, filters: Filters, picked: pd.DataFrame) -> pd.DataFrame:
    ratings = load_ratings(con)
    every = sequenced_ratings(con, ratings)
    selected = apply_filters(every, period_only(filters))
    return selected.merge(
        picked[["unit_type", "unit_name", "position"]], on=["unit_type", "unit_name"]
    )


def compare_history(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, units: Sequence[Sequence[str]]
) -> pd.DataFrame:
    """See :func:`analytics.analyses.compare.compare_history`."""
    picked = _picked(con, units)
    selected = _selected(con, filters, picked)
    selected = selected.sort_values(["position", "published_date", "published"], kind="stable")
    out = selected.rename(columns={"overall_rating": "rating"})[
        [
            "position",
            "unit_type",
            "unit_name",
            "region",
            "inspection_id",
            "published",
            "published_date",
            "published_precision",
            "date_basis",
            "rating",
            "points",
        ]
    ]
    return out.reset_index(drop=True)


TABLE_COLUMNS = [
    "position",
    "unit_type",
    "unit_name",
    "region",
    "inspections",
    "rating",
    "points",
    "published",
    "published_precision",
    "date_basis",
    "previous_rating",
    "previous_published",
    "change",
    "months_since_latest",
    "months_approximate",
    "freshness",
    "standards_known",
    "source_url",
]


def compare_table(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    *,
    units: Sequence[Sequence[str]],
    as_of: dt.date | None = None,
) -> pd.DataFrame:
    """See :func:`analytics.analyses.compare.compare_table`."""
    picked = _picked(con, units)
    selected = _selected(con, filters, picked).sort_values(
        ["unit_type", "unit_name", "published_date", "published"], kind="stable"
    )
    keys = ["unit_type", "unit_name"]
    counts = selected.groupby(keys).size().rename("inspections").reset_index()
    latest = selected.groupby(keys, sort=False).tail(1).copy()
    latest["change"] = change(latest)
    latest = freshness_columns(latest, as_of)
    known = load(con, "standard_ratings").groupby("inspection_id").size().rename("standards_known")
    latest["standards_known"] = latest["inspection_id"].map(known).fillna(0).astype("int64")
    latest = latest.rename(columns={"overall_rating": "rating"}).drop(
        columns=["position", "region", "inspections"], errors="ignore"
    )
    out = picked.merge(counts, on=keys, how="left").merge(latest, on=keys, how="left")
    out["inspections"] = out["inspections"].fillna(0).astype("int64")
    out["months_approximate"] = out["months_approximate"].astype("boolean")
    return out.sort_values("position")[TABLE_COLUMNS].reset_index(drop=True)


def compare_standards(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, units: Sequence[Sequence[str]]
) -> pd.DataFrame:
    """See :func:`analytics.analyses.compare.compare_standards`."""
    picked = _picked(con, units)
    keys = ["unit_type", "unit_name"]
    selected = _selected(con, filters, picked)
    newest = selected.groupby(keys)["published_date"].max().rename("latest_date").reset_index()
    inspections = apply_filters(load(con, "inspections"), period_only(filters))
    std = load(con, "standard_ratings").merge(
        inspections[["inspection_id", *keys, "published", "published_date", "date_basis"]],
        on="inspection_id",
    )
    std = std.merge(picked[keys], on=keys)
    std = with_points(std, load_ratings(con), "rating")
    std = std.sort_values(["published_date", "published"], ascending=False, kind="stable")
    latest = std.drop_duplicates([*keys, "standard"])
    standards = load_standards(con)[["standard", "domain", "sort_order"]]
    grid = picked[["position", *keys]].merge(standards, how="cross")
    out = grid.merge(
        latest[
            [*keys, "standard", "rating", "points", "published", "published_date", "date_basis"]
        ],
        on=[*keys, "standard"],
        how="left",
    ).merge(newest, on=keys, how="left")
    out["from_latest"] = (
        (out["published_date"] == out["latest_date"])
        .astype("boolean")
        .where(out["rating"].notna() & out["latest_date"].notna())
    )
    out = out.sort_values(["position", "sort_order"], kind="stable")
    return out[
        [
            "position",
            *keys,
            "standard",
            "domain",
            "rating",
            "points",
            "published",
            "date_basis",
            "from_latest",
        ]
    ].reset_index(drop=True)


def compare_peers(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, units: Sequence[Sequence[str]]
) -> pd.DataFrame:
    """See :func:`analytics.analyses.compare.compare_peers`."""
    picked = _picked(con, units)
    ratings = load_ratings(con)
    inspections = apply_filters(load(con, "inspections"), period_only(filters))
    peers = inspections[inspections["unit_type"].isin(picked["unit_type"])]
    regions = picked.dropna(subset=["region"]).drop_duplicates("region")["region"].tolist()
    scopes = [("region", r, peers[peers["region"] == r]) for r in regions]
    scopes.append(("national", "England and Wales", peers))
    rows = []
    for scope, name, part in scopes:
        counts = part["overall_rating"].value_counts()
        for rating in ratings["rating"]:
            rows.append((scope, name, rating, int(counts.get(rating, 0)), len(part)))
    out = pd.DataFrame(rows, columns=["scope", "scope_name", "rating", "n", "inspections"])
    out["share"] = divide(out["n"], out["inspections"])
    out["small_count"] = small(out["inspections"])
    return out[["scope", "scope_name", "rating", "n", "share", "inspections", "small_count"]]

"""Plain-pandas reference of :mod:`analytics.analyses.league` (the tests' oracle)."""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pandas as pd

from analytics.analyses.freshness import as_of_date, check_older_than
from analytics.filters import Filters
from analytics.reference.common import apply_filters, load, load_ratings, sequenced_ratings
from analytics.vocab import APPROXIMATE_DATE_BASES, FRESHNESS_BANDS


def months_since(published: pd.Series, as_of: dt.date) -> pd.Series:
    """Whole months from each date to ``as_of`` (0 for a later date), by calendar arithmetic."""
    dates = pd.to_datetime(published)
    months = (
        (as_of.year - dates.dt.year) * 12
        + (as_of.month - dates.dt.month)
        - (as_of.day < dates.dt.day).astype("int64")
    )
    return months.clip(lower=0).astype("int64")


def freshness_columns(latest: pd.DataFrame, as_of: dt.date | None) -> pd.DataFrame:
    """The league's and the comparison's ``months_since_latest``, ``months_approximate``, band."""
    latest = latest.copy()
    months = months_since(latest["published_date"], as_of_date(as_of))
    latest["months_since_latest"] = months
    latest["months_approximate"] = (latest["published_precision"] != "day") | latest[
        "date_basis"
    ].isin(APPROXIMATE_DATE_BASES)
    bands = [name for name, _, _ in FRESHNESS_BANDS]
    tops = [top for _, top, _ in FRESHNESS_BANDS if top is not None]
    latest["freshness"] = np.select(
        [months <= top for top in tops], bands[: len(tops)], default=bands[-1]
    )
    return latest


def change(latest: pd.DataFrame) -> np.ndarray:
    """How each row's rating moved from the unit's previous one (the league's ``change``)."""
    return np.select(
        [
            latest["previous_rating"].isna(),
            latest["points"] > latest["previous_points"],
            latest["points"] < latest["previous_points"],
        ],
        ["first inspection", "improved", "declined"],
        default="unchanged",
    )


def league_table(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    *,
    as_of: dt.date | None = None,
    older_than_years: int | None = None,
) -> pd.DataFrame:
    """See :func:`analytics.analyses.league.league_table`."""
    older = check_older_than(older_than_years)
    ratings = load_ratings(con)
    selected = apply_filters(sequenced_ratings(con, ratings), filters)
    latest = selected.groupby(["unit_type", "unit_name"], sort=False).tail(1).copy()
    latest["change"] = change(latest)
    latest["rank"] = latest["points"].rank(method="min", ascending=False).astype("int64")
    latest = freshness_columns(latest, as_of)
    latest = latest[latest["months_since_latest"] >= 12 * (older or 0)]
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
            "months_since_latest",
            "months_approximate",
            "freshness",
            "source_url",
        ]
    ]
    return out.reset_index(drop=True)

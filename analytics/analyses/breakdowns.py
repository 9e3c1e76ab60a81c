"""Group-bys over the selected inspections: KPIs, rating distributions, standards, coverage."""

from __future__ import annotations

from typing import NamedTuple

import duckdb
import pandas as pd

from analytics.analyses.sql import fetch_df, filtered_sql
from analytics.errors import InvalidFilterError
from analytics.filters import Filters

KPIS_SQL = """
with filtered as (
    select i.* from inspection_facts i where {where}
)
select
    count(*)                                                    as inspections,
    count(distinct unit_id)                                     as units,
    count(*) filter (where points = $points_outstanding)        as outstanding,
    count(*) filter (where points = $points_good)               as good,
    count(*) filter (where points = $points_requires_improvement) as requires_improvement,
    count(*) filter (where points = $points_inadequate)         as inadequate,
    count(*) filter (where points >= $points_good_or_better)    as good_or_better,
    outstanding          / nullif(inspections, 0)               as share_outstanding,
    good                 / nullif(inspections, 0)               as share_good,
    requires_improvement / nullif(inspections, 0)               as share_requires_improvement,
    inadequate           / nullif(inspections, 0)               as share_inadequate,
    good_or_better       / nullif(inspections, 0)               as share_good_or_better,
    avg(points)                                                 as mean_points,
    count(*) filter (where list_contains($approximate_bases, date_basis)) as approximate_dates,
    count(*) filter (where source_url is null)                  as without_source,
    count(*) filter (where standards_known > 0)                 as with_standards,
    min(published_date)                                         as first_published,
    max(published_date)                                         as latest_published,
    inspections > 0 and inspections < $small_count              as small_count
from filtered
"""


def kpis(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Headline figures of the selected inspections.

    Parameters
    ----------
    con
        An open ratings database.
    filters
        The selection.

    Returns
    -------
    pandas.DataFrame
        One row: ``inspections``, ``units`` (distinct units inspected), counts ``outstanding``,
        ``good``, ``requires_improvement``, ``inadequate``, ``good_or_better``, the matching
        ``share_*`` of inspections (NaN when there are none), ``mean_points`` (3 = Outstanding ..
        0 = Inadequate), ``approximate_dates`` (date_basis url or derived), ``without_source``
        (no source page recorded), ``with_standards`` (inspections with a standard rating known),
        ``first_published``, ``latest_published`` (first day of the
        published period) and ``small_count`` (the shares rest on 1 to 4 inspections).
    """
    sql, params = filtered_sql(KPIS_SQL, filters)
    return fetch_df(con, sql, params)


# by -> (group expression on a filtered inspection, sort expression). An allow-list: the user picks
# a key, never SQL.
_GROUPS: dict[str | None, tuple[str, str]] = {
    None: ("'All'", "0"),
    "region": ("f.region", "f.region"),
    "unit_type": (
        "f.unit_type",
        "(select t.sort_order from unit_types t where t.unit_type = f.unit_type)",
    ),
    "year": ("year(f.published_date)", "year(f.published_date)"),
}
DISTRIBUTION_GROUPS: tuple[str, ...] = ("region", "unit_type", "year")

DISTRIBUTION_SQL = """
with filtered as (
    select i.* from inspection_facts i where {where}
),
grouped as (
    select {group} as grp, {group_order} as grp_order, f.overall_rating as rating, count(*) as n
    from filtered f
    group by all
),
groups as (
    select distinct grp, grp_order from grouped
),
grid as (
    select g.grp, g.grp_order, r.rating, r.sort_order
    from groups g cross join ratings r
),
counted as (
    select grid.grp, grid.grp_order, grid.rating, grid.sort_order, coalesce(grouped.n, 0) as n
    from grid
    left join grouped
        on grouped.grp is not distinct from grid.grp and grouped.rating = grid.rating
)
select
    grp as "group",
    rating,
    n,
    n / sum(n) over (partition by grp) as share,
    sum(n) over (partition by grp)::bigint as inspections,
    inspections < $small_count as small_count
from counted
order by grp_order nulls last, grp nulls last, sort_order
"""


def rating_distribution(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, by: str | None = None
) -> pd.DataFrame:
    """Count and share of each overall rating, optionally per group.

    Parameters
    ----------
    by
        None (all selected inspections together), ``"region"``, ``"unit_type"`` or ``"year"``
        (year of publication).

    Returns
    -------
    pandas.DataFrame
        Columns ``<by>`` (absent when ``by`` is None; region is missing for CRCs, NPS divisions and
        national inspections), ``rating``, ``n``, ``share`` (of the group's inspections),
        ``inspections`` (the group's) and ``small_count`` (the share rests on fewer than 5
        inspections). Every group present in the selection has all four ratings, zero counts
        included. Sorted by group (unit types in their listed order, regions alphabetically, years
        ascending, missing last), then rating from Outstanding to Inadequate.
    """
    if by not in _GROUPS:
        raise InvalidFilterError(
            f"unknown grouping '{by}' (allowed: {', '.join(DISTRIBUTION_GROUPS)})"
        )
    group, group_order = _GROUPS[by]
    sql, params = filtered_sql(
        DISTRIBUTION_SQL, filters, fragments={"group": group, "group_order": group_order}
    )
    df = fetch_df(con, sql, params)
    if by is None:
        return df.drop(columns="group")
    df = df.rename(columns={"group": by})
    if by == "year":
        df[by] = df[by].astype("int64")
    return df


STANDARD_BREAKDOWN_SQL = """
with known as (
    select s.standard_order, s.points, count(*) as n
    from standard_facts s
    where {where_s} and {standards_where}
    group by all
),
chosen as (
    select s.standard, s.domain, s.sort_order from standards s where {standards_where}
),
grid as (
    select c.domain, c.standard, c.sort_order, r.rating, r.sort_order as rating_order, r.points
    from chosen c cross join ratings r
),
counted as (
    select g.*, coalesce(k.n, 0) as n
    from grid g
    left join known k on k.standard_order = g.sort_order and k.points = g.points
),
totals as (
    select *,
           cast(sum(n) over (partition by standard) as bigint)          as known,
           cast(
               sum(n) filter (where points >= $points_good_or_better) over (partition by standard)
               as bigint
           )                                                            as good_or_better
    from counted
),
selected as (
    select count(*) as inspections from inspection_facts i where {where}
)
select
    domain,
    standard,
    rating,
    n,
    n / nullif(known, 0)                          as share,
    known,
    good_or_better / nullif(known, 0)             as share_good_or_better,
    selected.inspections,
    known / nullif(selected.inspections, 0)       as coverage,
    known > 0 and known < $small_count            as small_count
from totals, selected
order by sort_order, rating_order
"""


def standard_breakdown(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Ratings of each standard across the selected inspections, with how often each is known.

    Standard ratings are known for only some inspections (the rest are blank, never "not rated"),
    so every share is of the inspections where that standard is known.

    Returns
    -------
    pandas.DataFrame
        Columns ``domain``, ``standard``, ``rating``, ``n``, ``share`` (of ``known``), ``known``
        (selected inspections with this standard's rating known), ``share_good_or_better`` (of
        ``known``), ``inspections`` (selected inspections), ``coverage`` (known / inspections) and
        ``small_count`` (the shares rest on 1 to 4 known ratings).
        One row per standard (``filters.standards`` or all twelve) and rating, zero counts
        included; shares are NaN where nothing is known. Sorted in HMIP's standard order, then
        rating from Outstanding to Inadequate.
    """
    sql, params = filtered_sql(STANDARD_BREAKDOWN_SQL, filters)
    return fetch_df(con, sql, params)


REGION_STANDARD_MATRIX_SQL = """
with known as (
    select s.region_id, s.standard_order, count(*) as n, avg(s.points) as mean_points
    from standard_facts s
    where {where_s} and s.region_id is not null
    group by all
),
grid as (
    select g.region, g.region_id, s.domain, s.standard, s.sort_order
    from region_ids g cross join standards s
    where {standards_where} and ($all_regions or list_contains($grid_regions, g.region))
)
select
    grid.region,
    grid.domain,
    grid.standard,
    coalesce(k.n, 0) as n,
    k.mean_points,
    coalesce(k.n, 0) > 0 and coalesce(k.n, 0) < $small_count as small_count
from grid
left join known k on k.region_id = grid.region_id and k.standard_order = grid.sort_order
order by grid.region, grid.sort_order
"""


def region_standard_matrix(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Mean points of each standard in each region (3 = Outstanding .. 0 = Inadequate).

    Returns
    -------
    pandas.DataFrame
        Columns ``region``, ``domain``, ``standard``, ``n`` (ratings known), ``mean_points``
        (NaN where ``n`` is 0: unknown, not zero) and ``small_count`` (``n`` is 1 to 4). A full
        grid of the selected regions (or all twelve) by the selected standards (or all twelve);
        sorted by region, then standard order. Units without a region (CRCs, NPS divisions,
        national) are not in any region.
    """
    sql, params = filtered_sql(
        REGION_STANDARD_MATRIX_SQL,
        filters,
        all_regions=not filters.regions,
        grid_regions=list(filters.regions) or [""],
    )
    return fetch_df(con, sql, params)


COVERAGE_SQL = """
with filtered as (
    select i.* from inspection_facts i where {where}
)
select
    f.unit_type,
    count(*)                                  as inspections,
    count(*) filter (where f.standards_known > 0)   as with_standards,
    sum(f.standards_known)::bigint                  as standard_ratings,
    count(*) filter (where list_contains($approximate_bases, f.date_basis)) as approximate_dates
from filtered f
join unit_types t using (unit_type)
group by f.unit_type, t.sort_order
order by t.sort_order
"""


def coverage(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """How complete the selected inspections' data is, per unit type.

    Returns
    -------
    pandas.DataFrame
        Columns ``unit_type``, ``inspections``, ``with_standards`` (inspections with at least one
        standard rating known), ``standard_ratings`` (standard ratings known) and
        ``approximate_dates`` (date_basis url or derived). One row per unit type present in the
        selection, in the listed unit-type order.
    """
    sql, params = filtered_sql(COVERAGE_SQL, filters)
    return fetch_df(con, sql, params)


REGION_SUMMARY_SQL = """
with scored as (
    select i.region, i.points from inspection_facts i where {where} and i.region is not null
)
select
    g.region,
    g.tile_row,
    g.tile_col,
    count(s.points)                                       as inspections,
    avg(s.points)                                         as mean_points,
    count(s.points) filter (where s.points = $points_inadequate)
        / nullif(count(s.points), 0)                         as share_inadequate,
    count(s.points) filter (where s.points >= $points_good_or_better)
        / nullif(count(s.points), 0)                         as share_good_or_better,
    count(s.points) > 0 and count(s.points) < $small_count  as small_count
from regions g
left join scored s on s.region = g.region
group by g.region, g.tile_row, g.tile_col
order by g.tile_row, g.tile_col
"""


class Measure(NamedTuple):
    """A region measure's name: on a control or legend, and in a sentence."""

    label: str
    words: str


REGION_MEASURES: dict[str, Measure] = {
    "mean_points": Measure("Mean points (0-3)", "mean points (0 to 3)"),
    "share_inadequate": Measure("Share Inadequate", "share rated Inadequate"),
    "share_good_or_better": Measure("Share Good or better", "share rated Good or better"),
}


def region_summary(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Overall-rating measures of every probation region, with its tile-map position.

    Returns
    -------
    pandas.DataFrame
        Columns ``region``, ``tile_row``, ``tile_col``, ``inspections`` (selected inspections of
        units in the region), ``mean_points``, ``share_inadequate`` and ``share_good_or_better``
        (NaN where the region has no selected inspection), ``small_count`` (1 to 4 inspections).
        All twelve regions, sorted by tile row
        then column.
    """
    sql, params = filtered_sql(REGION_SUMMARY_SQL, filters)
    return fetch_df(con, sql, params)

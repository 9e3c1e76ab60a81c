"""Units side by side: their ratings over time, their latest ratings, and their peers' shares.

The units are named explicitly (2 to 6, any type, in the order given), so only the period of the
filters applies, as for one unit's history (:func:`analytics.analyses.units.unit_history`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb
import pandas as pd

from analytics.analyses.freshness import as_of_date
from analytics.analyses.picked_units import Units, check_units
from analytics.analyses.sql import fetch_df, filtered_sql
from analytics.filters import Filters, period_only


def _sql(template: str, filters: Filters, units: Units, as_of: dt.date | None = None):
    return filtered_sql(
        template,
        period_only(filters),
        c_types=[t for t, _ in units],
        c_names=[n for _, n in units],
        as_of=as_of_date(as_of),
    )


COMPARE_HISTORY_SQL = """
select
    p.position,
    i.unit_type,
    i.unit_name,
    i.region,
    i.inspection_id,
    i.published,
    i.published_date,
    i.published_precision,
    i.date_basis,
    i.overall_rating as rating,
    i.points
from inspection_facts i
join picked_units($c_types, $c_names) p using (unit_id)
where {where}
order by p.position, i.published_date, i.published
"""


def compare_history(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, units: Sequence[Sequence[str]]
) -> pd.DataFrame:
    """Every overall rating of each compared unit in the period, for one shared time axis.

    Parameters
    ----------
    units
        2 to 6 ``(unit_type, unit_name)`` pairs, in the order they are compared.

    Returns
    -------
    pandas.DataFrame
        Columns ``position`` (1 = first unit named), ``unit_type``, ``unit_name``, ``region``,
        ``inspection_id``, ``published``, ``published_date``, ``published_precision``,
        ``date_basis``, ``rating`` and ``points``. Sorted by position, then publication.

    Raises
    ------
    InvalidFilterError, UnknownUnitError
        See :func:`check_units`.
    """
    picked = check_units(con, units)
    sql, params = _sql(COMPARE_HISTORY_SQL, filters, picked)
    return fetch_df(con, sql, params)


COMPARE_TABLE_SQL = """
with
picked as (
    select * from picked_units($c_types, $c_names)
),
selected as (
    select i.* from inspection_facts i join picked p using (unit_id)
    where {where}
),
latest as (
    select unit_id, max(seq) as seq, count(*) as inspections from selected group by unit_id
),
aged as (
    select k.*, l.inspections, whole_months(k.published_date, $as_of) as months_since_latest,
           age_approximate(k.published_precision, k.date_basis, $approximate_bases)
               as months_approximate,
           freshness_band(months_since_latest, $freshness_0_max, $freshness_1_max,
                          $freshness_0, $freshness_1, $freshness_2) as freshness
    from selected k join latest l using (unit_id, seq)
)
select
    p.position,
    p.unit_type,
    p.unit_name,
    u.region,
    coalesce(a.inspections, 0)::bigint as inspections,
    a.overall_rating as rating,
    a.points,
    a.published,
    a.published_precision,
    a.date_basis,
    a.previous_rating,
    a.previous_published,
    a.change,
    a.months_since_latest,
    a.months_approximate,
    a.freshness,
    a.standards_known,
    a.source_url
from picked p
join units u using (unit_type, unit_name)
left join aged a using (unit_id)
order by p.position
"""


def compare_table(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    *,
    units: Sequence[Sequence[str]],
    as_of: dt.date | None = None,
) -> pd.DataFrame:
    """Each compared unit's latest overall rating in the period, the one before it, and its age.

    Parameters
    ----------
    units
        2 to 6 ``(unit_type, unit_name)`` pairs, in the order they are compared.
    as_of
        The date months since the latest inspection are counted to (default: today).

    Returns
    -------
    pandas.DataFrame
        One row per unit, in the order given: ``position``, ``unit_type``, ``unit_name``,
        ``region``, ``inspections`` (in the period), ``rating``, ``points``, ``published``,
        ``published_precision``, ``date_basis``, ``previous_rating`` and ``previous_published``
        (its inspection before that one in the whole dataset), ``change``,
        ``months_since_latest``, ``months_approximate``, ``freshness`` (as in the league table),
        ``standards_known`` and ``source_url``. A unit without an inspection in the period has
        0 inspections and every other column missing.

    Raises
    ------
    InvalidFilterError, UnknownUnitError
        See :func:`check_units`.
    """
    picked = check_units(con, units)
    sql, params = _sql(COMPARE_TABLE_SQL, filters, picked, as_of)
    return fetch_df(con, sql, params)


COMPARE_STANDARDS_SQL = """
with
picked as (
    select * from picked_units($c_types, $c_names)
),
inspected as (
    -- their inspections in the period (the standard ratings are found by these ids)
    select i.unit_id, i.inspection_id, i.published_date
    from inspection_facts i
    -- a semi-join: with a period filter, a join let DuckDB hash the period's 800,000
    -- inspections instead of the six units (60 -> 36 ms at 1M)
    where i.unit_id in (select unit_id from picked) and {where}
),
rated as (
    -- each standard's latest known rating of the unit in the period, from whichever inspection
    select i.unit_id, s.standard, s.rating, s.points, s.published, s.published_date,
           s.date_basis,
           row_number() over (partition by i.unit_id, s.standard
                              order by s.published_date desc, s.published desc) as recency
    from standard_facts s
    join inspected i using (inspection_id)
),
newest as (
    select unit_id, max(published_date) as latest_date from inspected group by unit_id
)
select
    p.position,
    p.unit_type,
    p.unit_name,
    st.standard,
    st.domain,
    r.rating,
    r.points,
    r.published,
    r.date_basis,
    -- whether it comes from the unit's latest inspection in the period (else an earlier one)
    r.published_date = n.latest_date as from_latest
from picked p
cross join standards st
left join rated r on r.unit_id = p.unit_id and r.standard = st.standard and r.recency = 1
left join newest n on n.unit_id = p.unit_id
order by p.position, st.sort_order
"""


def compare_standards(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, units: Sequence[Sequence[str]]
) -> pd.DataFrame:
    """Each standard's latest known rating of each compared unit in the period.

    Parameters
    ----------
    units
        2 to 6 ``(unit_type, unit_name)`` pairs, in the order they are compared.

    Returns
    -------
    pandas.DataFrame
        One row per unit and standard (every standard of HMIP's list): ``position``,
        ``unit_type``, ``unit_name``, ``standard``, ``domain``, ``rating``, ``points``,
        ``published`` and ``date_basis`` of the inspection that gave it, and ``from_latest``
        (it is from the unit's latest inspection in the period). ``rating`` is missing where no
        rating of that standard is known: a blank is unknown, never a rating. Sorted by
        position, then HMIP's standard order.

    Raises
    ------
    InvalidFilterError, UnknownUnitError
        See :func:`check_units`.
    """
    picked = check_units(con, units)
    sql, params = _sql(COMPARE_STANDARDS_SQL, filters, picked)
    return fetch_df(con, sql, params)


COMPARE_PEERS_SQL = """
with
picked as (
    select * from picked_units($c_types, $c_names)
),
scopes as (
    -- the compared units' regions in the order the units are named, then the country
    select min(p.position) as scope_order, 'region' as scope, u.region as scope_name
    from picked p join units u using (unit_type, unit_name)
    where u.region is not null
    group by u.region
    union all
    select 99, 'national', 'England and Wales'
),
peers as (
    -- inspections of the compared units' types in the period
    select i.region, i.overall_rating as rating, count(*) as n
    from inspection_facts i
    where {where} and i.unit_type in (select unit_type from picked)
    group by all
),
counted as (
    select s.scope_order, s.scope, s.scope_name, r.rating, r.sort_order as rating_order,
           coalesce(sum(p.n), 0)::bigint as n
    from scopes s
    cross join ratings r
    left join peers p
        on p.rating = r.rating and (s.scope = 'national' or p.region = s.scope_name)
    group by all
)
select
    scope,
    scope_name,
    rating,
    n,
    n / nullif(sum(n) over w, 0) as share,
    (sum(n) over w)::bigint as inspections,
    inspections > 0 and inspections < $small_count as small_count
from counted
window w as (partition by scope_order)
order by scope_order, rating_order
"""


def compare_peers(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, units: Sequence[Sequence[str]]
) -> pd.DataFrame:
    """Overall rating shares in the compared units' regions and nationally, for the same period.

    Peers are the inspections of the compared units' types published in the period.

    Parameters
    ----------
    units
        2 to 6 ``(unit_type, unit_name)`` pairs, in the order they are compared.

    Returns
    -------
    pandas.DataFrame
        Columns ``scope`` (``region`` or ``national``), ``scope_name``, ``rating``, ``n``,
        ``share``, ``inspections`` (of the scope) and ``small_count`` (1 to 4 inspections).
        All four ratings per scope; regions in the order of the first unit in each, then
        England and Wales.

    Raises
    ------
    InvalidFilterError, UnknownUnitError
        See :func:`check_units`.
    """
    picked = check_units(con, units)
    sql, params = _sql(COMPARE_PEERS_SQL, filters, picked)
    return fetch_df(con, sql, params)

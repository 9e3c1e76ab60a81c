"""Unit-level tables: one unit's history and its benchmark, the units and inspections listed.

The league of every unit's latest rating is in :mod:`analytics.analyses.league`.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics.analyses.sql import fetch_df, filtered_sql
from analytics.errors import UnknownUnitError
from analytics.filters import Filters, period_only
from analytics.pipeline.db import cursor


def _check_unit(con: duckdb.DuckDBPyConnection, unit_type: str, unit_name: str) -> str | None:
    """The unit's region; raise UnknownUnitError if there is no such unit."""
    row = (
        cursor(con)
        .execute(
            "select region from units where unit_type = $t and unit_name = $n",
            {"t": unit_type, "n": unit_name},
        )
        .fetchone()
    )
    if row is None:
        raise UnknownUnitError(f"no unit {unit_type} '{unit_name}' in the database")
    return row[0]


def _of_one_unit(
    con: duckdb.DuckDBPyConnection, sql: str, filters: Filters, unit_type: str, unit_name: str
) -> pd.DataFrame:
    """Run a one-unit query: the unit checked, only the period of ``filters`` applied (the unit
    is named explicitly, so region, type and rating filters would only hide its own rows).
    """
    _check_unit(con, unit_type, unit_name)
    query, params = filtered_sql(
        sql, period_only(filters), unit_type=unit_type, unit_name=unit_name
    )
    return fetch_df(con, query, params)


UNIT_HISTORY_SQL = """
with filtered as (
    select i.* from inspection_facts i
    where {where} and i.unit_type = $unit_type and i.unit_name = $unit_name
),
items as (
    select f.inspection_id, 'Overall' as item, null as domain, f.overall_rating as rating,
           f.points, -1 as item_order
    from filtered f
    union all
    select s.inspection_id, s.standard, s.domain, s.rating, s.points, s.standard_order
    from standard_facts s
    where s.unit_type = $unit_type and s.unit_name = $unit_name
      and s.inspection_id in (select inspection_id from filtered)
)
select
    f.inspection_id,
    f.published,
    f.published_date,
    f.published_precision,
    f.date_basis,
    it.item,
    it.domain,
    it.rating,
    it.points,
    f.score,
    f.score_max,
    f.source_url
from items it
join filtered f using (inspection_id)
order by f.published_date, f.published, it.item_order
"""


def unit_history(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, unit_type: str, unit_name: str
) -> pd.DataFrame:
    """Every inspection of one unit and every rating it was given, over time.

    Only the period of ``filters`` (dates and whether approximate dates count) applies: the unit
    is named explicitly, so region, type and rating filters would only hide its own history.

    Returns
    -------
    pandas.DataFrame
        Columns ``inspection_id``, ``published``, ``published_date``, ``published_precision``,
        ``date_basis``, ``item`` (``"Overall"`` or a standard), ``domain`` (missing for Overall),
        ``rating``, ``points``, ``score``, ``score_max`` and ``source_url``. One row per inspection
        and known rating; sorted by publication, then Overall first and standards in HMIP's order.

    Raises
    ------
    UnknownUnitError
        If there is no such unit.
    """
    return _of_one_unit(con, UNIT_HISTORY_SQL, filters, unit_type, unit_name)


REPORT_FIGURES_SQL = """
with filtered as (
    select i.inspection_id, i.published, i.published_date, i.date_basis
    from inspection_facts i
    where {where} and i.unit_type = $unit_type and i.unit_name = $unit_name
)
select f.inspection_id, f.published, f.date_basis, r.figure, g.percent, r.value, r.source_url
from report_figures r
join filtered f using (inspection_id)
join figures g using (figure)
order by f.published_date, f.published, g.sort_order
"""


def report_figures(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, unit_type: str, unit_name: str
) -> pd.DataFrame:
    """The numbers sources state about one unit's inspection reports (recommendations made,
    shares of cases judged sufficient), over time.

    Only the period of ``filters`` applies, as in :func:`unit_history`. Most inspections have
    none: only figures a source states in text are in the data.

    Returns
    -------
    pandas.DataFrame
        Columns ``inspection_id``, ``published``, ``date_basis``, ``figure`` (a name of
        :data:`analytics.vocab.REPORT_FIGURES`), ``percent`` (whether ``value`` is a share of the
        inspected cases in whole per cent; otherwise a count), ``value`` and ``source_url`` (the
        page stating the figure, often not the report itself). Sorted by publication, then
        figure in the vocabulary's order.

    Raises
    ------
    UnknownUnitError
        If there is no such unit.
    """
    return _of_one_unit(con, REPORT_FIGURES_SQL, filters, unit_type, unit_name)


UNIT_BENCHMARK_SQL = """
with latest as (
    select i.* from inspection_facts i
    where {where} and i.unit_type = $unit_type and i.unit_name = $unit_name
    order by i.published_date desc, i.published desc
    limit 1
),
unit_items as (
    select 'Overall' as item, -1 as item_order, l.overall_rating as rating from latest l
    union all
    select s.standard, s.standard_order, s.rating
    from standard_facts s
    where s.inspection_id = (select inspection_id from latest)
),
standard_peers as (
    -- From counts per day made at build time (only the period filters apply to peers, and
    -- standard_counts has their columns); grouped on small integers, named afterwards. Every
    -- standard is summed and the unit's picked from the groups: cheaper than testing each row.
    select s.region_id, s.standard_order, s.points, sum(s.n)::bigint as n
    from standard_counts s
    where {where_s} and s.unit_type = $unit_type
    group by all
),
peer_counts as (
    -- counts per region first: the region and national scopes are sums of these
    select i.region, 'Overall' as item, i.overall_rating as rating, count(*) as n
    from inspection_facts i
    where {where} and i.unit_type = $unit_type and exists (select 1 from latest)
    group by all
    union all
    select g.region, st.standard, r.rating, sp.n
    from standard_peers sp
    left join region_ids g on g.region_id = sp.region_id
    join standards st on st.sort_order = sp.standard_order
    join ratings r on r.points = sp.points
    where sp.standard_order in (select item_order from unit_items)
),
scoped as (
    select 1 as scope_order, 'unit' as scope, (select unit_name from latest) as scope_name,
           u.item, u.rating, 1 as n
    from unit_items u
    union all
    select 2, 'region', any_value(p.region), p.item, p.rating, sum(p.n)
    from peer_counts p
    where p.region is not null and p.region = (select region from latest)
    group by p.item, p.rating
    union all
    select 3, 'national', 'England and Wales', p.item, p.rating, sum(p.n)
    from peer_counts p
    group by p.item, p.rating
),
scopes as (
    select distinct scope_order, scope, scope_name from scoped
),
grid as (
    select s.*, u.item, u.item_order, r.rating, r.sort_order as rating_order, r.points
    from scopes s cross join unit_items u cross join ratings r
),
counted as (
    select g.*, coalesce(sc.n, 0)::bigint as n
    from grid g
    left join scoped sc
        on sc.scope = g.scope and sc.item = g.item and sc.rating = g.rating
)
select
    scope,
    scope_name,
    item,
    rating,
    n,
    n / nullif(sum(n) over w, 0)                 as share,
    sum(n * points) over w / nullif(sum(n) over w, 0) as mean_points,
    (sum(n) over w)::bigint                      as ratings,
    -- the unit's own row is its rating, not a sample: only its peers' shares can rest on few
    scope <> 'unit' and ratings > 0 and ratings < $small_count as small_count
from counted
window w as (partition by scope, item)
order by item_order, scope_order, rating_order
"""


def unit_benchmark(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, unit_type: str, unit_name: str
) -> pd.DataFrame:
    """A unit's latest ratings beside the same ratings of its peers in its region and nationally.

    Peers are inspections of the same unit type published in the period of ``filters`` (only the
    period applies, as in :func:`unit_history`); the unit's own latest inspection in that period
    is the one benchmarked. Items are Overall and each standard rated in that inspection.

    Returns
    -------
    pandas.DataFrame
        Columns ``scope`` (``unit``, ``region``, ``national``), ``scope_name``, ``item``,
        ``rating``, ``n``, ``share`` (of the scope's ratings of that item), ``mean_points``,
        ``ratings`` (the scope's ratings of that item) and ``small_count`` (a region or national
        share resting on 1 to 4 ratings; the unit's own row is its rating, never marked).
        All four ratings per scope and item, zero counts included; no ``region`` rows for units
        without a region; empty if the unit has no inspection in the period. Sorted by item
        (Overall first, then HMIP's standard order), scope (unit, region, national), rating.

    Raises
    ------
    UnknownUnitError
        If there is no such unit.
    """
    return _of_one_unit(con, UNIT_BENCHMARK_SQL, filters, unit_type, unit_name)


UNIT_LIST_SQL = """
with counted as (
    -- grouped on the integer unit id (7x faster than on type and name at 1M inspections)
    select i.unit_id, count(*) as inspections
    from inspection_facts i
    where {where}
    group by i.unit_id
)
select u.unit_type, u.unit_name, u.region, c.inspections
from counted c
join unit_facts u using (unit_id)
order by u.type_order, u.unit_name
"""


def unit_list(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, limit: int | None = None
) -> pd.DataFrame:
    """The units with at least one selected inspection.

    Parameters
    ----------
    limit
        Return only the first ``limit`` rows (for display).

    Returns
    -------
    pandas.DataFrame
        Columns ``unit_type``, ``unit_name``, ``region`` (the unit's; missing for national units)
        and ``inspections`` (selected inspections of the unit). Sorted by unit type (in the
        order of the unit_types table), then name.
    """
    sql, params = filtered_sql(UNIT_LIST_SQL, filters, limit=limit)
    return fetch_df(con, sql, params, many_rows=True)


INSPECTION_LIST_SQL = """
select
    i.inspection_id,
    i.published,
    i.published_date,
    i.published_precision,
    i.date_basis,
    i.unit_type,
    i.unit_name,
    i.region,
    i.overall_rating as rating,
    i.points,
    i.score,
    i.score_max,
    i.fieldwork,
    i.standards_known,
    i.source_url
from inspection_facts i
where {where}
order by i.published_date desc, i.published desc, i.unit_type, i.unit_name
"""


def inspections(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, limit: int | None = None
) -> pd.DataFrame:
    """The selected inspections, newest first, with their source reports.

    Parameters
    ----------
    limit
        Return only the newest ``limit`` rows (for display).

    Returns
    -------
    pandas.DataFrame
        Columns ``inspection_id``, ``published`` (as precise as the source: YYYY, YYYY-MM or
        YYYY-MM-DD), ``published_date`` (first day of that period), ``published_precision``,
        ``date_basis``, ``unit_type``, ``unit_name``, ``region``, ``rating``, ``points``, ``score``,
        ``score_max``, ``fieldwork``, ``standards_known`` (standard ratings known) and
        ``source_url`` (missing where no source is recorded). Sorted newest first, then unit type
        and name.
    """
    sql, params = filtered_sql(INSPECTION_LIST_SQL, filters, limit=limit)
    return fetch_df(con, sql, params, many_rows=True)

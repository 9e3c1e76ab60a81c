"""Unit-level tables: the league of latest ratings, one unit's history, and its benchmark."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from analytics.db import cursor
from analytics.errors import UnknownUnitError
from analytics.filters import Filters, period_only
from analytics.freshness import as_of_date, check_older_than, with_freshness
from analytics.sql import fetch_df, filtered_sql

# Each unit's latest selected inspection, and how its rating moved from the one before it.
LATEST_CTES = """
latest as (
    -- A unit's latest selected inspection is its highest sequence number among them: found from
    -- two narrow columns, so that only those rows are then read whole ((unit_id, seq) is unique).
    select i.unit_id, max(i.seq) as seq from inspection_facts i where {where} group by i.unit_id
),
picked as (
    select i.*,
           case
               when i.previous_rating is null then 'first inspection'
               when i.points > i.previous_points then 'improved'
               when i.points < i.previous_points then 'declined'
               else 'unchanged'
           end as change
    from inspection_facts i join latest l using (unit_id, seq)
)"""


def after_latest(rest: str) -> str:
    """A query on the ``latest`` and ``picked`` CTEs: module constants joined, no input."""
    return "with" + LATEST_CTES + rest


LEAGUE_TABLE_SQL = after_latest(
    with_freshness(
        """,
aged as (
    select k.*,""",
        """
    from picked k
),
ranks as (
    -- rank = 1 + units with more points: worked out on the four point values, not by sorting
    -- every unit, so that the page's first rows need only a partial sort
    select points,
           1 + coalesce(sum(count(*)) over (order by points desc
               rows between unbounded preceding and 1 preceding), 0)::bigint as rank
    from picked
    group by points
)
select
    k.unit_type,
    k.unit_name,
    k.region,
    k.published,
    k.published_precision,
    k.date_basis,
    k.overall_rating as rating,
    k.points,
    k.previous_rating,
    k.previous_published,
    k.change,
    r.rank,
    k.months_since_latest,
    k.months_approximate,
    k.freshness,
    k.source_url
from aged k
join ranks r using (points)
join unit_types t using (unit_type)
-- "latest inspection older than N years" keeps ranks among all selected units
where k.months_since_latest >= $older_than_months
order by r.rank, t.sort_order, k.unit_name
""",
    )
)


def league_table(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    *,
    limit: int | None = None,
    as_of: dt.date | None = None,
    older_than_years: int | None = None,
) -> pd.DataFrame:
    """The latest selected inspection of each unit, ranked by its rating.

    Parameters
    ----------
    limit
        Return only the first ``limit`` rows (for display; the ranks stay those of all units).
    as_of
        The date months since the latest inspection are counted to (default: today).
    older_than_years
        Keep only units whose latest selected inspection is at least this many years
        (12 x N whole months) old; the ranks stay those of all selected units.

    Returns
    -------
    pandas.DataFrame
        Columns ``unit_type``, ``unit_name``, ``region``, ``published``, ``published_precision``,
        ``date_basis``, ``rating``, ``points``, ``previous_rating`` and ``previous_published`` (the
        unit's inspection before this one in the whole dataset; missing for a first inspection),
        ``change`` (improved / declined / unchanged / first inspection), ``rank`` (1 = best;
        equal ratings share a rank), ``months_since_latest`` (whole months from the publication
        date, or the first day of its month or year, to ``as_of``), ``months_approximate`` (the
        date is not a stated day), ``freshness`` (a band of FRESHNESS_NAMES) and ``source_url``.
        Sorted by rank, unit type, unit name.
    """
    return fetch_df(
        con, *league_query(filters, limit=limit, as_of=as_of, older_than_years=older_than_years)
    )


def league_query(
    filters: Filters,
    *,
    limit: int | None = None,
    as_of: dt.date | None = None,
    older_than_years: int | None = None,
) -> tuple[str, dict[str, object]]:
    """The SQL and bound parameters of :func:`league_table`, for output of any length in
    bounded memory (the CLI streams it with :func:`analytics.sql.fetch_batches`).
    """
    older = check_older_than(older_than_years)
    return filtered_sql(
        LEAGUE_TABLE_SQL,
        filters,
        limit=limit,
        as_of=as_of_date(as_of),
        older_than_months=12 * older if older else 0,
    )


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
    _check_unit(con, unit_type, unit_name)
    sql, params = filtered_sql(
        UNIT_HISTORY_SQL, period_only(filters), unit_type=unit_type, unit_name=unit_name
    )
    return fetch_df(con, sql, params)


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
    _check_unit(con, unit_type, unit_name)
    sql, params = filtered_sql(
        UNIT_BENCHMARK_SQL, period_only(filters), unit_type=unit_type, unit_name=unit_name
    )
    return fetch_df(con, sql, params)


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
    return fetch_df(con, sql, params)


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


def inspection_list(
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
    return fetch_df(con, sql, params)

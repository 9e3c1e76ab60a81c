"""The league: every unit's latest selected inspection, ranked by its rating, with how old it is."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from analytics.analyses.freshness import as_of_date, check_older_than
from analytics.analyses.sql import fetch_df, filtered_sql
from analytics.filters import Filters

LEAGUE_TABLE_SQL = """
with
latest as (
    -- A unit's latest selected inspection is its highest sequence number among them: found from
    -- two narrow columns, so that only those rows are then read whole ((unit_id, seq) is unique).
    select i.unit_id, max(i.seq) as seq from inspection_facts i where {where} group by i.unit_id
),
picked as (
    -- its ``change`` from the inspection before is a fact
    select i.*, whole_months(i.published_date, $as_of) as months_since_latest
    from inspection_facts i join latest l using (unit_id, seq)
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
    age_approximate(k.published_precision, k.date_basis, $approximate_bases)
        as months_approximate,
    freshness_band(k.months_since_latest, $freshness_0_max, $freshness_1_max,
                   $freshness_0, $freshness_1, $freshness_2) as freshness,
    k.source_url
from picked k
join ranks r using (points)
join unit_types t using (unit_type)
-- "latest inspection older than N years" keeps ranks among all selected units
where k.months_since_latest >= $older_than_months
order by r.rank, t.sort_order, k.unit_name
"""


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
    query = league_query(filters, limit=limit, as_of=as_of, older_than_years=older_than_years)
    return fetch_df(con, *query, many_rows=True)


def league_query(
    filters: Filters,
    *,
    limit: int | None = None,
    as_of: dt.date | None = None,
    older_than_years: int | None = None,
) -> tuple[str, dict[str, object]]:
    """The SQL and bound parameters of :func:`league_table`, for output of any length in
    bounded memory (the CLI streams it with :func:`analytics.analyses.sql.fetch_batches`).
    """
    older = check_older_than(older_than_years)
    return filtered_sql(
        LEAGUE_TABLE_SQL,
        filters,
        limit=limit,
        as_of=as_of_date(as_of),
        older_than_months=12 * older if older else 0,
    )

"""Ratings over time: shares per period, and transitions between consecutive inspections."""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics.analyses.sql import fetch_df, filtered_sql
from analytics.errors import InvalidFilterError
from analytics.filters import Filters

# freq -> (period label, period start, precisions fine enough to place an inspection in a period)
_FREQS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "year": (
        "cast(year(g.period_start) as varchar)",
        "date_trunc('year', i.published_date)",
        ("day", "month", "year"),
    ),
    "quarter": (
        "year(g.period_start) || '-Q' || quarter(g.period_start)",
        "date_trunc('quarter', i.published_date)",
        ("day", "month"),
    ),
}
FREQS: tuple[str, ...] = tuple(_FREQS)

RATING_TREND_SQL = """
with counts as (
    select {start} as period_start, i.overall_rating as rating, count(*) as n,
           sum(i.points) as points
    from inspection_facts i
    where {where} and list_contains($precisions, i.published_precision)
    group by all
),
periods as (
    select period_start, sum(n)::bigint as inspections, sum(points) / sum(n) as mean_points
    from counts group by period_start
),
grid as (
    select p.*, r.rating, r.sort_order from periods p cross join ratings r
)
select
    {label} as period,
    cast(g.period_start as date) as period_start,
    g.rating,
    coalesce(c.n, 0) as n,
    coalesce(c.n, 0) / g.inspections as share,
    g.inspections,
    g.mean_points,
    g.inspections < $small_count as small_count
from grid g
left join counts c on c.period_start = g.period_start and c.rating = g.rating
order by g.period_start, g.sort_order
"""

TREND_EXCLUDED_SQL = """
select i.published_precision, count(*) as n
from inspection_facts i
where {where} and not list_contains($precisions, i.published_precision)
group by all
order by i.published_precision
"""


def _freq(freq: str) -> tuple[str, str, tuple[str, ...]]:
    if freq not in _FREQS:
        raise InvalidFilterError(f"unknown freq '{freq}' (allowed: {', '.join(FREQS)})")
    return _FREQS[freq]


def rating_trend(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, freq: str = "year"
) -> pd.DataFrame:
    """Count and share of each overall rating per period, with the period's mean points.

    An inspection is placed in a period only if its publication date is at least as precise as
    the period: by quarter, inspections known only to the year are left out (see
    :func:`trend_excluded`), never guessed into a quarter.

    Parameters
    ----------
    freq
        ``"year"`` or ``"quarter"``.

    Returns
    -------
    pandas.DataFrame
        Columns ``period`` (``"2024"`` or ``"2024-Q2"``), ``period_start`` (first day), ``rating``,
        ``n``, ``share`` (of the period's placed inspections), ``inspections`` (placed in the
        period), ``mean_points`` (of the period) and ``small_count`` (the period has fewer than 5
        inspections). Periods with no inspection are absent; each
        present period has all four ratings. Sorted by period, then rating from Outstanding to
        Inadequate.
    """
    label, start, precisions = _freq(freq)
    sql, params = filtered_sql(
        RATING_TREND_SQL,
        filters,
        fragments={"label": label, "start": start},
        precisions=list(precisions),
    )
    return fetch_df(con, sql, params)


def trend_excluded(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, freq: str = "year"
) -> pd.DataFrame:
    """Selected inspections left out of :func:`rating_trend` because their date is too coarse.

    Returns
    -------
    pandas.DataFrame
        Columns ``published_precision`` and ``n``; one row per precision coarser than ``freq``
        that occurs (none for ``"year"``), sorted by precision.
    """
    _, _, precisions = _freq(freq)
    sql, params = filtered_sql(TREND_EXCLUDED_SQL, filters, precisions=list(precisions))
    return fetch_df(con, sql, params)


RATING_CHANGES_SQL = """
with transitions as (
    select i.previous_rating as from_rating, i.overall_rating as to_rating, count(*) as n
    from inspection_facts i
    where i.previous_rating is not null and {where}
    group by all
),
grid as (
    select a.rating as from_rating, a.sort_order as from_order,
           b.rating as to_rating, b.sort_order as to_order
    from ratings a cross join ratings b
)
select g.from_rating, g.to_rating, coalesce(t.n, 0) as n
from grid g
left join transitions t on t.from_rating = g.from_rating and t.to_rating = g.to_rating
order by g.from_order, g.to_order
"""


def rating_changes(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Transitions between consecutive inspections of the same unit.

    A transition belongs to the selection when its later inspection does; the earlier one is the
    unit's previous inspection in the whole dataset, selected or not.

    Returns
    -------
    pandas.DataFrame
        Columns ``from_rating``, ``to_rating``, ``n``: all sixteen pairs, zero counts included,
        sorted by from_rating then to_rating, each from Outstanding to Inadequate.
    """
    sql, params = filtered_sql(RATING_CHANGES_SQL, filters)
    return fetch_df(con, sql, params)


RATING_CHANGE_COUNTS_SQL = """
with
latest as (
    -- each unit's latest selected inspection (as in the league table)
    select i.unit_id, max(i.seq) as seq from inspection_facts i where {where} group by i.unit_id
),
picked as (
    select i.unit_id, i.change from inspection_facts i join latest l using (unit_id, seq)
),
kinds as (
    select * from (values ('improved', 1), ('unchanged', 2), ('declined', 3),
                          ('first inspection', 4)) v(change, sort_order)
)
select k.change, count(p.unit_id)::bigint as units
from kinds k
left join picked p using (change)
group by k.change, k.sort_order
order by k.sort_order
"""


def rating_change_counts(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """How many units' latest selected rating improved on, equalled or fell below the one before.

    "Last time" as a manager means it: each unit's latest selected inspection against its
    previous inspection in the whole dataset (for most PDUs, the 2021-23 round against the one
    since 2024). The same ``change`` as :func:`league_table`'s, counted.

    Returns
    -------
    pandas.DataFrame
        Columns ``change`` (improved, unchanged, declined, first inspection: all four, in that
        order) and ``units`` (zero where none).
    """
    sql, params = filtered_sql(RATING_CHANGE_COUNTS_SQL, filters)
    return fetch_df(con, sql, params)


EVENT_LIST_SQL = """
select event_date, date_text, date_precision, event, source_url
from events
where ($date_from is null or event_date >= $date_from)
  and ($date_to is null or event_date <= $date_to)
order by event_date, event
"""


def event_list(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Dated changes to probation and its inspection within the period of ``filters``.

    Returns
    -------
    pandas.DataFrame
        Columns ``event_date`` (first day of ``date_text``'s period), ``date_text`` (as precise as
        the source), ``date_precision``, ``event`` and ``source_url``; sorted by date.
    """
    return fetch_df(
        con, EVENT_LIST_SQL, {"date_from": filters.date_from, "date_to": filters.date_to}
    )

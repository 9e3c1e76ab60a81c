"""How old a rating is: whole months since a unit's latest inspection, and the band they fall in.

Shared by the league table and the comparison, so that both count months the same way.
"""

from __future__ import annotations

import datetime as dt

from analytics.errors import InvalidFilterError

# Three columns of a row ``k`` of inspection_facts, as of the bound date $as_of. Whole months are
# counted from ``published_date``, the first day of the month or year where only that is known
# (so such counts are marked approximate, as are dates no page states); a date after $as_of (a
# report announced for the coming days) counts as 0 months.
FRESHNESS_COLUMNS_SQL = """
    greatest(0, (year($as_of) - year(k.published_date)) * 12
                + month($as_of) - month(k.published_date)
                - case when day($as_of) < day(k.published_date) then 1 else 0 end)::integer
        as months_since_latest,
    (k.published_precision <> 'day' or list_contains($approximate_bases, k.date_basis))
        as months_approximate,
    case
        when months_since_latest <= $freshness_0_max then $freshness_0
        when months_since_latest <= $freshness_1_max then $freshness_1
        else $freshness_2
    end as freshness"""


def with_freshness(before: str, after: str) -> str:
    """SQL text with the freshness columns between ``before`` and ``after``: constants joined."""
    return before + FRESHNESS_COLUMNS_SQL + after


def as_of_date(as_of: dt.date | None) -> dt.date:
    """The date months are counted to: ``as_of``, or today when None.

    Raises
    ------
    InvalidFilterError
        If ``as_of`` is not a date.
    """
    if as_of is None:
        return dt.date.today()
    if isinstance(as_of, dt.datetime) or not isinstance(as_of, dt.date):
        raise InvalidFilterError(f"as_of must be a date, not {as_of!r}")
    return as_of


def check_older_than(years: int | None) -> int | None:
    """``years`` for the "latest inspection older than N years" filter, checked (None: no filter).

    Raises
    ------
    InvalidFilterError
        If it is not a whole number from 1 to 50.
    """
    if years is None:
        return None
    if not isinstance(years, int) or isinstance(years, bool) or not 1 <= years <= 50:
        raise InvalidFilterError(f"older than N years needs a whole number 1 to 50, not {years!r}")
    return years

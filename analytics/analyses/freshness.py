"""How old a rating is: whole months since a unit's latest inspection, and the band they fall in.

Shared by the league table and the comparison, so that both count months the same way: the
checks of their options here, the SQL rules (whole_months, freshness_band, age_approximate) as
macros the database is built with (:data:`analytics.pipeline.schema.MACROS_SQL`). Whole months
are counted from ``published_date``, the first day of the month or year where only that is known
(so such counts are marked approximate, as are dates no page states); a date after the day
counted to (a report announced for the coming days) counts as 0 months.
"""

from __future__ import annotations

import datetime as dt

from analytics.errors import InvalidFilterError


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

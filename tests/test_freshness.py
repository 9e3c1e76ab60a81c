"""analytics/analyses/freshness.py: the "older than N years" filter at both ends of its range, counted in
whole months the same way by the league's SQL and its reference.
"""

from __future__ import annotations

import datetime as dt

import pytest

from analytics import reference
from analytics.analyses import league
from analytics.analyses.freshness import check_older_than
from analytics.errors import InvalidFilterError
from analytics.filters import Filters


def _older(con, years: int, as_of: dt.date) -> list[tuple[str, str]]:
    sql = league.league_table(con, Filters(), as_of=as_of, older_than_years=years)
    ref = reference.league_table(con, Filters(), as_of=as_of, older_than_years=years)
    units = list(zip(sql["unit_type"], sql["unit_name"], strict=True))
    assert units == list(zip(ref["unit_type"], ref["unit_name"], strict=True))
    return units


EVERY_UNIT = {
    ("CRC", "Old One"),
    ("NPS division", "Old Div"),
    ("National", "England and Wales"),
    ("PDU", "Alpha"),
    ("PDU", "Beta"),
    ("PDU", "Gamma"),
    ("Region", "North"),
}


@pytest.mark.parametrize(
    ("years", "as_of", "units"),
    [
        # England and Wales, last inspected 2025-04-29 (the latest of all): a year old on
        # 2026-04-29, not the day before
        (1, dt.date(2026, 4, 29), EVERY_UNIT),
        (1, dt.date(2026, 4, 28), EVERY_UNIT - {("National", "England and Wales")}),
        # Old Div, last inspected in 2019-06 (counted from its first day; the earliest of all):
        # 50 years old on 2069-06-01
        (50, dt.date(2069, 6, 1), {("NPS division", "Old Div")}),
        (50, dt.date(2069, 5, 31), set()),
    ],
)
def test_older_than_includes_a_unit_on_the_day_it_reaches_the_age(con, years, as_of, units):
    assert set(_older(con, years, as_of)) == units


def test_the_range_is_1_to_50_years():
    assert (check_older_than(1), check_older_than(50), check_older_than(None)) == (1, 50, None)
    for years in (0, 51, -1):
        with pytest.raises(InvalidFilterError) as info:
            check_older_than(years)
        assert str(info.value) == f"older than N years needs a whole number 1 to 50, not {years}"

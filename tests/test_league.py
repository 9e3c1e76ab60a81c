"""The league table: every unit's latest selected inspection, its rank and its age."""

from __future__ import annotations

import datetime as dt

import pytest

from analytics.analyses import league
from analytics.errors import InvalidFilterError
from analytics.filters import Filters
from tests.expected import RI, G, I, O, check, frame

MONTHS_AT_2026_12_02 = [
    # unit, published, months, approximate, band
    ("North", "2024-07-01", 29, False, "2 to 4 years"),  # an exact day: 2 years 5 months
    ("Gamma", "2023", 47, True, "2 to 4 years"),  # a year: from 2023-01-01
    ("Old One", "2020", 83, True, "over 4 years"),
    ("Old Div", "2019-06", 90, True, "over 4 years"),  # a month: from 2019-06-01
    ("Alpha", "2024-11", 25, True, "2 to 4 years"),
    ("England and Wales", "2025-04-29", 19, False, "under 2 years"),  # the 2nd is before the 29th
    ("Beta", "2024", 35, True, "2 to 4 years"),
]


def test_league_table(con):
    actual = league.league_table(con, Filters())
    check(
        actual.drop(
            columns=[
                "source_url",
                "published_precision",
                "date_basis",
                "months_since_latest",
                "months_approximate",
                "freshness",
            ]
        ),
        frame(
            "unit_type unit_name region published rating points previous_rating "
            "previous_published change rank",
            [
                ("Region", "North", "North", "2024-07-01", O, 3, None, None, "first inspection", 1),
                ("PDU", "Gamma", "South", "2023", G, 2, None, None, "first inspection", 2),
                ("CRC", "Old One", None, "2020", G, 2, RI, "2019-03-05", "improved", 2),
                (
                    "NPS division",
                    "Old Div",
                    None,
                    "2019-06",
                    G,
                    2,
                    None,
                    None,
                    "first inspection",
                    2,
                ),
                ("PDU", "Alpha", "North", "2024-11", RI, 1, I, "2022-02-10", "improved", 5),
                (
                    "National",
                    "England and Wales",
                    None,
                    "2025-04-29",
                    RI,
                    1,
                    None,
                    None,
                    "first inspection",
                    5,
                ),
                ("PDU", "Beta", "North", "2024", I, 0, RI, "2022-05", "declined", 7),
            ],
        ),
    )
    assert actual["source_url"].isna().tolist() == [False] * 5 + [True, False]
    assert actual["source_url"].iloc[-1] == "https://example.org/beta-2024"


def test_league_table_months_since_latest(con):
    actual = league.league_table(con, Filters(), as_of=dt.date(2026, 12, 2))
    check(
        actual[
            ["unit_name", "published", "months_since_latest", "months_approximate", "freshness"]
        ],
        frame(
            "unit_name published months_since_latest months_approximate freshness",
            MONTHS_AT_2026_12_02,
        ),
    )


@pytest.mark.parametrize(
    ("as_of", "months"),
    [
        (dt.date(2025, 4, 28), 0),  # before publication (announced for the coming days): 0
        (dt.date(2025, 4, 29), 0),
        (dt.date(2025, 5, 28), 0),
        (dt.date(2025, 5, 29), 1),
        (dt.date(2027, 4, 28), 23),
        (dt.date(2027, 4, 29), 24),
    ],
)
def test_months_since_latest_counts_whole_months(con, as_of, months):
    table = league.league_table(con, Filters(unit_types=("National",)), as_of=as_of)
    assert table["months_since_latest"].tolist() == [months]
    assert table["freshness"].tolist() == ["2 to 4 years" if months == 24 else "under 2 years"]


def test_league_older_than_keeps_old_ratings_and_their_ranks(con):
    actual = league.league_table(con, Filters(), as_of=dt.date(2026, 12, 2), older_than_years=4)
    assert actual[["unit_name", "months_since_latest", "rank"]].values.tolist() == [
        ["Old One", 83, 2],
        ["Old Div", 90, 2],
    ]
    assert league.league_table(con, Filters(), as_of=dt.date(2026, 12, 2), older_than_years=8).empty
    with pytest.raises(InvalidFilterError) as info:
        league.league_table(con, Filters(), older_than_years=0)
    assert str(info.value) == "older than N years needs a whole number 1 to 50, not 0"


def test_league_table_latest_within_the_selection(con):
    actual = league.league_table(con, Filters(unit_types=("PDU",), date_to=dt.date(2023, 12, 31)))
    check(
        actual[["unit_name", "published", "rating", "previous_rating", "change", "rank"]],
        frame(
            "unit_name published rating previous_rating change rank",
            [
                ("Gamma", "2023", G, None, "first inspection", 1),
                ("Beta", "2022-05", RI, None, "first inspection", 2),
                ("Alpha", "2022-02-10", I, None, "first inspection", 3),
            ],
        ),
    )

"""analytics/analyses/units.py against expected frames written by hand from tests/fixture_data.py (see tests/expected.py)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analytics.analyses import league, units
from analytics.errors import InvalidFilterError, UnknownUnitError
from analytics.filters import Filters
from tests.expected import RATINGS, RI, G, I, O, check, frame


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


# Whole months from each latest inspection to 2026-12-02, counted by hand from the fixture's
# dates (a month or a year counts from its first day, and is approximate, as are url/derived).
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


def test_unit_history_keeps_only_the_period(con):
    actual = units.unit_history(
        con,
        Filters(regions=("South",), date_from=dt.date(2024, 1, 1)),
        unit_type="PDU",
        unit_name="Alpha",
    )
    check(
        actual.drop(columns=["inspection_id", "source_url"]),
        frame(
            "published published_date published_precision date_basis item domain rating points "
            "score score_max",
            [
                (
                    "2024-11",
                    pd.Timestamp("2024-11-01"),
                    "month",
                    "stated",
                    "Overall",
                    None,
                    RI,
                    1,
                    pd.NA,
                    pd.NA,
                ),
                (
                    "2024-11",
                    pd.Timestamp("2024-11-01"),
                    "month",
                    "stated",
                    "Leadership",
                    "Organisational delivery",
                    RI,
                    1,
                    pd.NA,
                    pd.NA,
                ),
                (
                    "2024-11",
                    pd.Timestamp("2024-11-01"),
                    "month",
                    "stated",
                    "Assessment",
                    "Case supervision",
                    G,
                    2,
                    pd.NA,
                    pd.NA,
                ),
            ],
        ),
    )


def test_unit_history_score(con):
    actual = units.unit_history(con, Filters(), unit_type="PDU", unit_name="Alpha")
    assert actual[["published", "item", "score", "score_max"]].head(1).values.tolist() == [
        ["2022-02-10", "Overall", 3, 27]
    ]


def test_unknown_unit_raises(con):
    with pytest.raises(UnknownUnitError, match="no unit PDU 'Zeta' in the database"):
        units.unit_history(con, Filters(), unit_type="PDU", unit_name="Zeta")
    with pytest.raises(UnknownUnitError):
        units.unit_benchmark(con, Filters(), unit_type="CRC", unit_name="Alpha")


def test_report_figures_of_one_unit_in_publication_and_vocabulary_order(con):
    safe = "Assessment: keeping people safe (% of cases sufficient)"
    check(
        units.report_figures(con, Filters(), unit_type="PDU", unit_name="Alpha"),
        frame(
            "inspection_id published date_basis figure percent value source_url",
            [
                (
                    9,
                    "2024-11",
                    "stated",
                    "Recommendations",
                    False,
                    6,
                    "https://example.org/alpha-2024",
                ),
                (9, "2024-11", "stated", safe, True, 34, "https://example.org/news/alpha"),
            ],
        ),
    )
    # only the period applies; a report of no recommendations is a zero, not a blank
    assert units.report_figures(
        con,
        Filters(regions=("South",), date_to=dt.date(2023, 12, 31)),
        unit_type="PDU",
        unit_name="Alpha",
    ).empty
    north = units.report_figures(con, Filters(), unit_type="Region", unit_name="North")
    assert north[["published", "figure", "value"]].values.tolist() == [
        ["2024-07-01", "Recommendations", 0]
    ]
    assert units.report_figures(con, Filters(), unit_type="PDU", unit_name="Beta").empty
    with pytest.raises(UnknownUnitError, match="no unit PDU 'Zeta' in the database"):
        units.report_figures(con, Filters(), unit_type="PDU", unit_name="Zeta")


def _bench(scope, name, item, counts, *, small):
    total = sum(counts.values())
    mean = sum({O: 3, G: 2, RI: 1, I: 0}[r] * n for r, n in counts.items()) / total
    return [
        (scope, name, item, r, counts.get(r, 0), counts.get(r, 0) / total, mean, total, small)
        for r in RATINGS
    ]


def test_unit_benchmark(con):
    expected = frame(
        "scope scope_name item rating n share mean_points ratings small_count",
        _bench("unit", "Alpha", "Overall", {RI: 1}, small=False)
        + _bench("region", "North", "Overall", {RI: 2, I: 2}, small=True)
        + _bench("national", "England and Wales", "Overall", {G: 1, RI: 2, I: 2}, small=False)
        + _bench("unit", "Alpha", "Leadership", {RI: 1}, small=False)
        + _bench("region", "North", "Leadership", {G: 1, RI: 1, I: 1}, small=True)
        + _bench("national", "England and Wales", "Leadership", {G: 1, RI: 1, I: 1}, small=True)
        + _bench("unit", "Alpha", "Assessment", {G: 1}, small=False)
        + _bench("region", "North", "Assessment", {G: 1, I: 1}, small=True)
        + _bench("national", "England and Wales", "Assessment", {G: 1, I: 1}, small=True),
    )
    check(units.unit_benchmark(con, Filters(), unit_type="PDU", unit_name="Alpha"), expected)


def test_unit_benchmark_without_region_and_in_a_period(con):
    expected = frame(
        "scope scope_name item rating n share mean_points ratings small_count",
        _bench("unit", "Old One", "Overall", {RI: 1}, small=False)
        + _bench("national", "England and Wales", "Overall", {RI: 1}, small=True)
        + _bench("unit", "Old One", "Unpaid work", {O: 1}, small=False)
        + _bench("national", "England and Wales", "Unpaid work", {O: 1}, small=True),
    )
    check(
        units.unit_benchmark(
            con, Filters(date_to=dt.date(2019, 12, 31)), unit_type="CRC", unit_name="Old One"
        ),
        expected,
    )
    assert units.unit_benchmark(
        con, Filters(date_from=dt.date(2025, 1, 1)), unit_type="CRC", unit_name="Old One"
    ).empty


def test_unit_list(con):
    actual = units.unit_list(con, Filters(regions=("North",)))
    assert actual.values.tolist() == [
        ["PDU", "Alpha", "North", 2],
        ["PDU", "Beta", "North", 2],
        ["Region", "North", "North", 1],
    ]
    everything = units.unit_list(con, Filters(date_to=dt.date(2020, 12, 31)))
    assert everything.astype(object).where(everything.notna(), None).values.tolist() == [
        ["CRC", "Old One", None, 2],
        ["NPS division", "Old Div", None, 1],
    ]


def test_inspection_list(con):
    actual = units.inspections(con, Filters(regions=("North",)))
    assert actual[["published", "unit_name", "rating", "standards_known"]].values.tolist() == [
        ["2024-11", "Alpha", RI, 2],
        ["2024-07-01", "North", O, 1],
        ["2024", "Beta", I, 0],
        ["2022-05", "Beta", RI, 1],
        ["2022-02-10", "Alpha", I, 2],
    ]

"""analytics/analyses/units.py against expected frames written by hand from tests/fixture_data.py
(see tests/expected.py).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analytics.analyses import units
from analytics.errors import UnknownUnitError
from analytics.filters import Filters
from tests.expected import RATINGS, RI, G, I, O, check, frame


# Whole months from each latest inspection to 2026-12-02, counted by hand from the fixture's
# dates (a month or a year counts from its first day, and is approximate, as are url/derived).
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

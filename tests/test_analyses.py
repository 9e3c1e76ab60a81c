"""Every analysis against expected frames written by hand from tests/fixture_data.py.

The fixture's inspections, in publication order (points: O 3, G 2, RI 1, I 0):
 1 CRC Old One 2019-03-05 RI    2 NPS Old Div 2019-06 G    3 CRC Old One 2020 (derived) G
 4 PDU Alpha 2022-02-10 I       5 PDU Beta 2022-05 RI      6 PDU Gamma 2023 (url) G
 7 PDU Beta 2024 (derived) I    8 Region North 2024-07-01 O
 9 PDU Alpha 2024-11 RI        10 National 2025-04-29 RI
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from analytics import breakdowns, trends, units
from analytics.errors import InvalidFilterError, UnknownUnitError
from analytics.filters import Filters

O, G, RI, I = "Outstanding", "Good", "Requires improvement", "Inadequate"  # noqa: E741
RATINGS = [O, G, RI, I]
NAN = np.nan


def frame(columns: str, rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns.split())


def check(actual: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert list(actual.columns) == list(expected.columns)
    assert_frame_equal(
        actual.reset_index(drop=True), expected, check_dtype=False, check_exact=False, rtol=1e-9
    )


def test_kpis(con):
    expected = frame(
        "inspections units outstanding good requires_improvement inadequate good_or_better "
        "share_outstanding share_good share_requires_improvement share_inadequate "
        "share_good_or_better mean_points approximate_dates without_source first_published "
        "latest_published",
        [
            (
                10,
                7,
                1,
                3,
                4,
                2,
                4,
                0.1,
                0.3,
                0.4,
                0.2,
                0.4,
                1.3,
                3,
                1,  # the national inspection has no source recorded
                pd.Timestamp("2019-03-05"),
                pd.Timestamp("2025-04-29"),
            )
        ],
    )
    check(breakdowns.kpis(con, Filters()), expected)


def test_kpis_of_an_empty_selection_are_zero_and_blank(con):
    k = breakdowns.kpis(con, Filters(regions=("Nowhere",))).iloc[0]
    assert (k.inspections, k.units, k.inadequate) == (0, 0, 0)
    assert pd.isna(k.share_inadequate) and pd.isna(k.mean_points) and pd.isna(k.first_published)


def test_distribution_overall(con):
    check(
        breakdowns.rating_distribution(con, Filters()),
        frame("rating n share", [(O, 1, 0.1), (G, 3, 0.3), (RI, 4, 0.4), (I, 2, 0.2)]),
    )


def test_distribution_by_region_lists_units_without_region_last(con):
    check(
        breakdowns.rating_distribution(con, Filters(), by="region"),
        frame(
            "region rating n share",
            [
                ("North", O, 1, 0.2),
                ("North", G, 0, 0.0),
                ("North", RI, 2, 0.4),
                ("North", I, 2, 0.4),
                ("South", O, 0, 0.0),
                ("South", G, 1, 1.0),
                ("South", RI, 0, 0.0),
                ("South", I, 0, 0.0),
                (None, O, 0, 0.0),
                (None, G, 2, 0.5),
                (None, RI, 2, 0.5),
                (None, I, 0, 0.0),
            ],
        ),
    )


def test_distribution_by_unit_type_in_listed_order(con):
    rows = breakdowns.rating_distribution(con, Filters(), by="unit_type")
    assert rows["unit_type"].drop_duplicates().tolist() == [
        "PDU",
        "Region",
        "National",
        "CRC",
        "NPS division",
    ]
    check(
        rows[rows["unit_type"] == "PDU"],
        frame(
            "unit_type rating n share",
            [("PDU", O, 0, 0.0), ("PDU", G, 1, 0.2), ("PDU", RI, 2, 0.4), ("PDU", I, 2, 0.4)],
        ),
    )


def test_distribution_by_year_with_filters(con):
    check(
        breakdowns.rating_distribution(
            con, Filters(unit_types=("PDU",), include_approximate=False), by="year"
        ),
        frame(
            "year rating n share",
            [
                (2022, O, 0, 0.0),
                (2022, G, 0, 0.0),
                (2022, RI, 1, 0.5),
                (2022, I, 1, 0.5),
                (2024, O, 0, 0.0),
                (2024, G, 0, 0.0),
                (2024, RI, 1, 1.0),
                (2024, I, 0, 0.0),
            ],
        ),
    )


def test_distribution_rejects_unknown_grouping(con):
    with pytest.raises(
        InvalidFilterError,
        match=r"unknown grouping 'colour' \(allowed: region, "
        r"unit_type, year\)",
    ):
        breakdowns.rating_distribution(con, Filters(), by="colour")


def _trend_rows(periods: list[tuple[str, str, dict[str, int]]]) -> pd.DataFrame:
    rows = []
    for period, start, counts in periods:
        total = sum(counts.values())
        mean = sum({O: 3, G: 2, RI: 1, I: 0}[r] * n for r, n in counts.items()) / total
        for rating in RATINGS:
            n = counts.get(rating, 0)
            rows.append((period, pd.Timestamp(start), rating, n, n / total, total, mean))
    return frame("period period_start rating n share inspections mean_points", rows)


def test_trend_by_year(con):
    check(
        trends.rating_trend(con, Filters(), freq="year"),
        _trend_rows(
            [
                ("2019", "2019-01-01", {RI: 1, G: 1}),
                ("2020", "2020-01-01", {G: 1}),
                ("2022", "2022-01-01", {I: 1, RI: 1}),
                ("2023", "2023-01-01", {G: 1}),
                ("2024", "2024-01-01", {I: 1, O: 1, RI: 1}),
                ("2025", "2025-01-01", {RI: 1}),
            ]
        ),
    )
    assert trends.trend_excluded(con, Filters(), freq="year").empty


def test_trend_by_quarter_leaves_out_year_only_dates_and_counts_them(con):
    check(
        trends.rating_trend(con, Filters(), freq="quarter"),
        _trend_rows(
            [
                ("2019-Q1", "2019-01-01", {RI: 1}),
                ("2019-Q2", "2019-04-01", {G: 1}),
                ("2022-Q1", "2022-01-01", {I: 1}),
                ("2022-Q2", "2022-04-01", {RI: 1}),
                ("2024-Q3", "2024-07-01", {O: 1}),
                ("2024-Q4", "2024-10-01", {RI: 1}),
                ("2025-Q2", "2025-04-01", {RI: 1}),
            ]
        ),
    )
    check(
        trends.trend_excluded(con, Filters(), freq="quarter"),
        frame("published_precision n", [("year", 3)]),
    )


def test_trend_rejects_unknown_freq(con):
    with pytest.raises(
        InvalidFilterError, match=r"unknown freq 'month' \(allowed: year, quarter\)"
    ):
        trends.rating_trend(con, Filters(), freq="month")


def _changes(pairs: dict[tuple[str, str], int]) -> pd.DataFrame:
    return frame(
        "from_rating to_rating n", [(a, b, pairs.get((a, b), 0)) for a in RATINGS for b in RATINGS]
    )


def test_rating_changes(con):
    check(trends.rating_changes(con, Filters()), _changes({(RI, G): 1, (I, RI): 1, (RI, I): 1}))


def test_rating_changes_select_by_the_later_inspection(con):
    check(trends.rating_changes(con, Filters(ratings=(I,))), _changes({(RI, I): 1}))
    # Alpha's 2022 inspection is outside 2024, but it is still the "from" of its 2024 one.
    check(
        trends.rating_changes(con, Filters(date_from=dt.date(2024, 1, 1))),
        _changes({(I, RI): 1, (RI, I): 1}),
    )


def test_standard_breakdown(con):
    known = {
        "Leadership": {G: 1, RI: 1, I: 1},
        "Assessment": {G: 1, I: 1},
        "Unpaid work": {O: 1},
        "Victim work": {O: 1},
    }
    domains = {
        "Leadership": "Organisational delivery",
        "Assessment": "Case supervision",
        "Unpaid work": "Specific services",
        "Victim work": "Specific services",
    }
    rows = []
    for standard, counts in known.items():
        total = sum(counts.values())
        gob = (counts.get(O, 0) + counts.get(G, 0)) / total
        for rating in RATINGS:
            n = counts.get(rating, 0)
            rows.append(
                (domains[standard], standard, rating, n, n / total, total, gob, 10, total / 10)
            )
    expected = frame(
        "domain standard rating n share known share_good_or_better inspections coverage", rows
    )
    actual = breakdowns.standard_breakdown(con, Filters())
    assert len(actual) == 12 * 4
    assert actual["standard"].drop_duplicates().tolist()[:3] == [
        "Leadership",
        "Staffing",
        "Services",
    ]
    unknown = actual[actual["known"] == 0]
    assert len(unknown) == 8 * 4 and unknown["share"].isna().all() and (unknown["n"] == 0).all()
    check(actual[actual["known"] > 0], expected)


def test_standard_breakdown_restricted_to_chosen_standards(con):
    actual = breakdowns.standard_breakdown(
        con, Filters(standards=("Assessment",), date_from=dt.date(2024, 1, 1))
    )
    check(
        actual,
        frame(
            "domain standard rating n share known share_good_or_better inspections coverage",
            [
                ("Case supervision", "Assessment", r, int(r == G), float(r == G), 1, 1.0, 4, 0.25)
                for r in RATINGS
            ],
        ),
    )


def test_region_standard_matrix(con):
    actual = breakdowns.region_standard_matrix(con, Filters())
    assert len(actual) == 2 * 12
    assert actual["region"].tolist() == ["North"] * 12 + ["South"] * 12
    known = actual[actual["n"] > 0]
    check(
        known,
        frame(
            "region domain standard n mean_points",
            [
                ("North", "Organisational delivery", "Leadership", 3, 1.0),
                ("North", "Case supervision", "Assessment", 2, 1.0),
                ("North", "Specific services", "Victim work", 1, 3.0),
            ],
        ),
    )
    assert actual[actual["n"] == 0]["mean_points"].isna().all()


def test_region_standard_matrix_for_chosen_regions_and_standards(con):
    check(
        breakdowns.region_standard_matrix(
            con, Filters(regions=("South",), standards=("Leadership", "Victim work"))
        ),
        frame(
            "region domain standard n mean_points",
            [
                ("South", "Organisational delivery", "Leadership", 0, NAN),
                ("South", "Specific services", "Victim work", 0, NAN),
            ],
        ),
    )


def test_coverage(con):
    check(
        breakdowns.coverage(con, Filters()),
        frame(
            "unit_type inspections with_standards standard_ratings approximate_dates",
            [
                ("PDU", 5, 3, 5, 2),
                ("Region", 1, 1, 1, 0),
                ("National", 1, 0, 0, 0),
                ("CRC", 2, 1, 1, 1),
                ("NPS division", 1, 0, 0, 0),
            ],
        ),
    )


def test_league_table(con):
    actual = units.league_table(con, Filters())
    check(
        actual.drop(columns=["source_url", "published_precision", "date_basis"]),
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


def test_league_table_latest_within_the_selection(con):
    actual = units.league_table(con, Filters(unit_types=("PDU",), date_to=dt.date(2023, 12, 31)))
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


def _bench(scope, name, item, counts):
    total = sum(counts.values())
    mean = sum({O: 3, G: 2, RI: 1, I: 0}[r] * n for r, n in counts.items()) / total
    return [
        (scope, name, item, r, counts.get(r, 0), counts.get(r, 0) / total, mean) for r in RATINGS
    ]


def test_unit_benchmark(con):
    expected = frame(
        "scope scope_name item rating n share mean_points",
        _bench("unit", "Alpha", "Overall", {RI: 1})
        + _bench("region", "North", "Overall", {RI: 2, I: 2})
        + _bench("national", "England and Wales", "Overall", {G: 1, RI: 2, I: 2})
        + _bench("unit", "Alpha", "Leadership", {RI: 1})
        + _bench("region", "North", "Leadership", {G: 1, RI: 1, I: 1})
        + _bench("national", "England and Wales", "Leadership", {G: 1, RI: 1, I: 1})
        + _bench("unit", "Alpha", "Assessment", {G: 1})
        + _bench("region", "North", "Assessment", {G: 1, I: 1})
        + _bench("national", "England and Wales", "Assessment", {G: 1, I: 1}),
    )
    check(units.unit_benchmark(con, Filters(), unit_type="PDU", unit_name="Alpha"), expected)


def test_unit_benchmark_without_region_and_in_a_period(con):
    expected = frame(
        "scope scope_name item rating n share mean_points",
        _bench("unit", "Old One", "Overall", {RI: 1})
        + _bench("national", "England and Wales", "Overall", {RI: 1})
        + _bench("unit", "Old One", "Unpaid work", {O: 1})
        + _bench("national", "England and Wales", "Unpaid work", {O: 1}),
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
    actual = units.inspection_list(con, Filters(regions=("North",)))
    assert actual[["published", "unit_name", "rating", "standards_known"]].values.tolist() == [
        ["2024-11", "Alpha", RI, 2],
        ["2024-07-01", "North", O, 1],
        ["2024", "Beta", I, 0],
        ["2022-05", "Beta", RI, 1],
        ["2022-02-10", "Alpha", I, 2],
    ]

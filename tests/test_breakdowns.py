"""analytics/breakdowns.py against expected frames written by hand from tests/fixture_data.py (see tests/expected.py)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analytics import breakdowns
from analytics.errors import InvalidFilterError
from analytics.filters import Filters
from tests.expected import NAN, RATINGS, RI, G, I, O, check, frame


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

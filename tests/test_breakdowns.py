"""analytics/analyses/breakdowns.py against expected frames written by hand from tests/fixture_data.py (see tests/expected.py)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analytics.analyses import breakdowns
from analytics.errors import InvalidFilterError
from analytics.filters import Filters
from tests.expected import NAN, RATINGS, RI, G, I, O, check, frame


def test_kpis(con):
    expected = frame(
        "inspections units outstanding good requires_improvement inadequate good_or_better "
        "share_outstanding share_good share_requires_improvement share_inadequate "
        "share_good_or_better mean_points approximate_dates without_source with_standards "
        "first_published "
        "latest_published small_count",
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
                5,  # standard ratings of Alpha's two, Beta's 2022, Old One's 2019, North's
                pd.Timestamp("2019-03-05"),
                pd.Timestamp("2025-04-29"),
                False,  # 10 inspections: not a small count
            )
        ],
    )
    check(breakdowns.kpis(con, Filters()), expected)


def test_kpis_of_an_empty_selection_are_zero_and_blank(con):
    k = breakdowns.kpis(con, Filters(regions=("Nowhere",))).iloc[0]
    assert (k.inspections, k.units, k.inadequate) == (0, 0, 0)
    assert pd.isna(k.share_inadequate) and pd.isna(k.mean_points) and pd.isna(k.first_published)


def test_kpis_of_one_to_four_inspections_are_a_small_count(con):
    # the South has one inspection, the units without a region four; the North five
    small = {
        region: bool(breakdowns.kpis(con, Filters(regions=(region,))).iloc[0].small_count)
        for region in ("South", "North", "Nowhere")
    }
    assert small == {"South": True, "North": False, "Nowhere": False}


def test_distribution_overall(con):
    check(
        breakdowns.rating_distribution(con, Filters()),
        frame(
            "rating n share inspections small_count",
            [(O, 1, 0.1, 10, False), (G, 3, 0.3, 10, False), (RI, 4, 0.4, 10, False)]
            + [(I, 2, 0.2, 10, False)],
        ),
    )


def test_distribution_by_region_lists_units_without_region_last(con):
    check(
        breakdowns.rating_distribution(con, Filters(), by="region"),
        frame(
            "region rating n share inspections small_count",
            [
                ("North", O, 1, 0.2, 5, False),
                ("North", G, 0, 0.0, 5, False),
                ("North", RI, 2, 0.4, 5, False),
                ("North", I, 2, 0.4, 5, False),
                # one inspection in the South, four without a region: both small counts
                ("South", O, 0, 0.0, 1, True),
                ("South", G, 1, 1.0, 1, True),
                ("South", RI, 0, 0.0, 1, True),
                ("South", I, 0, 0.0, 1, True),
                (None, O, 0, 0.0, 4, True),
                (None, G, 2, 0.5, 4, True),
                (None, RI, 2, 0.5, 4, True),
                (None, I, 0, 0.0, 4, True),
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
            "unit_type rating n share inspections small_count",
            [
                ("PDU", O, 0, 0.0, 5, False),
                ("PDU", G, 1, 0.2, 5, False),
                ("PDU", RI, 2, 0.4, 5, False),
                ("PDU", I, 2, 0.4, 5, False),
            ],
        ),
    )


def test_distribution_by_year_with_filters(con):
    check(
        breakdowns.rating_distribution(
            con, Filters(unit_types=("PDU",), include_approximate=False), by="year"
        ),
        frame(
            "year rating n share inspections small_count",
            [
                (2022, O, 0, 0.0, 2, True),
                (2022, G, 0, 0.0, 2, True),
                (2022, RI, 1, 0.5, 2, True),
                (2022, I, 1, 0.5, 2, True),
                (2024, O, 0, 0.0, 1, True),
                (2024, G, 0, 0.0, 1, True),
                (2024, RI, 1, 1.0, 1, True),
                (2024, I, 0, 0.0, 1, True),
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
                # every standard is known in 1 to 3 inspections: all small counts
                (
                    domains[standard],
                    standard,
                    rating,
                    n,
                    n / total,
                    total,
                    gob,
                    10,
                    total / 10,
                    True,
                )
            )
    expected = frame(
        "domain standard rating n share known share_good_or_better inspections coverage "
        "small_count",
        rows,
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
    assert not unknown["small_count"].any()  # nothing known is blank, not small
    check(actual[actual["known"] > 0], expected)


def test_standard_breakdown_restricted_to_chosen_standards(con):
    actual = breakdowns.standard_breakdown(
        con, Filters(standards=("Assessment",), date_from=dt.date(2024, 1, 1))
    )
    check(
        actual,
        frame(
            "domain standard rating n share known share_good_or_better inspections coverage "
            "small_count",
            [
                ("Case supervision", "Assessment", r, int(r == G), float(r == G), 1, 1.0, 4, 0.25)
                + (True,)
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
            "region domain standard n mean_points small_count",
            [
                ("North", "Organisational delivery", "Leadership", 3, 1.0, True),
                ("North", "Case supervision", "Assessment", 2, 1.0, True),
                ("North", "Specific services", "Victim work", 1, 3.0, True),
            ],
        ),
    )
    assert actual[actual["n"] == 0]["mean_points"].isna().all()
    assert not actual[actual["n"] == 0]["small_count"].any()


def test_region_standard_matrix_for_chosen_regions_and_standards(con):
    check(
        breakdowns.region_standard_matrix(
            con, Filters(regions=("South",), standards=("Leadership", "Victim work"))
        ),
        frame(
            "region domain standard n mean_points small_count",
            [
                ("South", "Organisational delivery", "Leadership", 0, NAN, False),
                ("South", "Specific services", "Victim work", 0, NAN, False),
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


def test_region_summary_marks_a_region_of_one_inspection(con):
    actual = breakdowns.region_summary(con, Filters())
    check(
        actual[["region", "inspections", "mean_points", "share_inadequate", "small_count"]],
        frame(
            "region inspections mean_points share_inadequate small_count",
            [("North", 5, 1.0, 0.4, False), ("South", 1, 2.0, 0.0, True)],
        ),
    )

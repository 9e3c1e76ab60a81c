"""analytics/analyses/compare.py against expectations written by hand from tests/fixture_data.py."""

from __future__ import annotations

import datetime as dt

from analytics import reference
from analytics.analyses import compare
from analytics.filters import Filters
from tests.expected import RI, G, I, O, check, frame

UNITS = (("PDU", "Alpha"), ("CRC", "Old One"), ("Region", "North"))
AS_OF = dt.date(2026, 12, 2)


def test_compare_table(con):
    actual = compare.compare_table(con, Filters(), units=UNITS, as_of=AS_OF)
    check(
        actual.drop(columns=["published_precision", "date_basis", "source_url", "points"]),
        frame(
            "position unit_type unit_name region inspections rating published previous_rating "
            "previous_published change months_since_latest months_approximate freshness "
            "standards_known",
            [
                (1, "PDU", "Alpha", "North", 2, RI, "2024-11", I, "2022-02-10", "improved",
                 25, True, "2 to 4 years", 2),
                (2, "CRC", "Old One", None, 2, G, "2020", RI, "2019-03-05", "improved",
                 83, True, "over 4 years", 0),
                (3, "Region", "North", "North", 1, O, "2024-07-01", None, None,
                 "first inspection", 29, False, "2 to 4 years", 1),
            ],
        ),
    )  # fmt: skip


def test_compare_table_keeps_a_unit_without_inspections_in_the_period(con):
    actual = compare.compare_table(
        con, Filters(regions=("South",), date_from=dt.date(2023, 1, 1)), units=UNITS, as_of=AS_OF
    )
    # only the period applies (not the region); Old One has nothing from 2023 on
    assert actual["inspections"].tolist() == [1, 0, 1]
    assert actual["rating"].fillna("blank").tolist() == [RI, "blank", O]
    assert actual["months_since_latest"].isna().tolist() == [False, True, False]


def test_compare_standards_latest_known(con):
    actual = compare.compare_standards(con, Filters(), units=UNITS)
    known = actual.dropna(subset=["rating"])
    check(
        known[["unit_name", "standard", "rating", "published", "from_latest"]],
        frame(
            "unit_name standard rating published from_latest",
            [
                ("Alpha", "Leadership", RI, "2024-11", True),
                ("Alpha", "Assessment", G, "2024-11", True),
                # from its 2019 inspection: its latest (2020) rated no standard
                ("Old One", "Unpaid work", O, "2019-03-05", False),
                ("North", "Victim work", O, "2024-07-01", True),
            ],
        ),
    )
    assert len(actual) == 3 * 12  # every standard of each unit: a blank is unknown
    # before Alpha's 2024 inspection, its 2022 ratings are its latest known
    early = compare.compare_standards(con, Filters(date_to=dt.date(2023, 12, 31)), units=UNITS)
    assert early.dropna(subset=["rating"])[["unit_name", "standard", "rating"]].values.tolist() == [
        ["Alpha", "Leadership", I],
        ["Alpha", "Assessment", I],
        ["Old One", "Unpaid work", O],
    ]


def test_compare_peers(con):
    actual = compare.compare_peers(con, Filters(), units=UNITS)
    # PDU, CRC and Region inspections: North has Alpha x2, Beta x2, North; all add Gamma, Old One x2
    check(
        actual[["scope", "scope_name", "rating", "n", "inspections", "small_count"]],
        frame(
            "scope scope_name rating n inspections small_count",
            [
                ("region", "North", O, 1, 5, False),
                ("region", "North", G, 0, 5, False),
                ("region", "North", RI, 2, 5, False),
                ("region", "North", I, 2, 5, False),
                ("national", "England and Wales", O, 1, 8, False),
                ("national", "England and Wales", G, 2, 8, False),
                ("national", "England and Wales", RI, 3, 8, False),
                ("national", "England and Wales", I, 2, 8, False),
            ],
        ),
    )


# --- compare= in a link ---------------------------------------------------------------------------

# --- the ends of the range: 2 and 6 units (1 and 7 are refused: test_oracle) ----------------------

SIX = (
    ("PDU", "Gamma"),
    ("PDU", "Alpha"),
    ("CRC", "Old One"),
    ("Region", "North"),
    ("NPS division", "Old Div"),
    ("National", "England and Wales"),
)


def test_two_and_six_units_are_compared_in_the_order_given(con):
    for units in (SIX[:2], SIX):
        sql = compare.compare_table(con, Filters(), units=units, as_of=AS_OF)
        ref = reference.compare_table(con, Filters(), units=units, as_of=AS_OF)
        assert list(zip(sql["position"], sql["unit_type"], sql["unit_name"], strict=True)) == [
            (i, t, n) for i, (t, n) in enumerate(units, start=1)
        ]
        check(sql, ref)
        history = compare.compare_history(con, Filters(), units=units)
        assert sorted(set(history["unit_name"])) == sorted(n for _, n in units)

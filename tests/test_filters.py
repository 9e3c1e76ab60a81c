"""Filters: SQL with bound parameters only, URL round trips, and refusals that list what is allowed."""

from __future__ import annotations

import datetime as dt

import pytest

from analytics import reference
from analytics.analyses import breakdowns
from analytics.errors import InvalidFilterError
from analytics.filters import Filters, parse_query_params
from analytics.pipeline import db

HOSTILE = ["' OR 1=1 --", '"; DROP TABLE inspections; --', "North' --", "%", "*"]


def test_no_filter_is_true_without_parameters():
    assert Filters().where_sql() == ("true", {})
    assert Filters().is_empty


def test_where_sql_binds_every_value():
    f = Filters(
        regions=("South", "North", "North"),
        unit_types=("PDU",),
        ratings=("Inadequate",),
        date_from=dt.date(2022, 1, 1),
        date_to=dt.date(2024, 12, 31),
        units=("Alpha",),
        include_approximate=False,
    )
    sql, params = f.where_sql("i")
    assert sql == (
        "list_contains($f_regions, i.region) and list_contains($f_unit_types, i.unit_type) and "
        "list_contains($f_ratings, i.overall_rating) and list_contains($f_units, i.unit_name) and "
        "i.published_date >= $f_date_from and i.published_date <= $f_date_to and "
        "not list_contains($f_approximate, i.date_basis)"
    )
    assert params == {
        "f_regions": ["North", "South"],
        "f_unit_types": ["PDU"],
        "f_ratings": ["Inadequate"],
        "f_units": ["Alpha"],
        "f_date_from": dt.date(2022, 1, 1),
        "f_date_to": dt.date(2024, 12, 31),
        "f_approximate": ["url", "derived"],
    }


def test_equal_selections_are_equal_cache_keys():
    assert Filters(regions=("b", "a", "a")) == Filters(regions=["a", "b"])
    assert hash(Filters(regions=("b", "a"))) == hash(Filters(regions=("a", "b")))


def test_alias_is_an_allow_list():
    with pytest.raises(InvalidFilterError, match="unsupported table alias 'x; drop'"):
        Filters().where_sql("x; drop")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"ratings": ("Great",)},
            "unknown rating 'Great' (allowed: Outstanding, Good, Requires improvement, Inadequate)",
        ),
        (
            {"unit_types": ("Prison",)},
            "unknown unit_type 'Prison' (allowed: PDU, Region, National, CRC, NPS division)",
        ),
        (
            {"standards": ("Vibes",)},
            "unknown standard 'Vibes' (allowed: Leadership, Staffing, "
            "Services, Information and facilities, Court work, Assessment, "
            "Planning, Implementation and delivery, Reviewing, Unpaid work, "
            "Through the Gate, Victim work)",
        ),
        (
            {"date_from": dt.date(2024, 1, 2), "date_to": dt.date(2024, 1, 1)},
            "'from' (2024-01-02) is after 'to' (2024-01-01)",
        ),
        ({"regions": "North"}, "regions must be a sequence of strings, not 'North'"),
        ({"date_from": "2024-01-01"}, "date_from must be a date, not '2024-01-01'"),
    ],
)
def test_invalid_values_raise(kwargs, message):
    with pytest.raises(InvalidFilterError) as info:
        Filters(**kwargs)
    assert str(info.value) == message


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("field", ["ratings", "unit_types", "standards"])
def test_hostile_vocabulary_values_are_refused(field, value):
    with pytest.raises(InvalidFilterError):
        Filters(**{field: (value,)})


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("field", ["regions", "units"])
def test_hostile_free_text_matches_nothing_and_runs_nothing(con, field, value):
    k = breakdowns.kpis(con, Filters(**{field: (value,)}))
    assert k.loc[0, "inspections"] == 0
    assert dict(db.table_counts(con).itertuples(index=False))["inspections"] == 10


def test_query_params_round_trip():
    f = Filters(
        regions=("North", "Kent, Surrey and Sussex"),
        unit_types=("PDU", "Region"),
        ratings=("Good",),
        date_from=dt.date(2022, 1, 1),
        date_to=dt.date(2024, 6, 30),
        units=("Alpha",),
        standards=("Leadership", "Reviewing"),
        include_approximate=False,
    )
    params = f.to_query_params()
    assert params == {
        "region": ["Kent, Surrey and Sussex", "North"],
        "unit_type": ["PDU", "Region"],
        "rating": ["Good"],
        "unit": ["Alpha"],
        "standard": ["Leadership", "Reviewing"],
        "from": ["2022-01-01"],
        "to": ["2024-06-30"],
        "approximate": ["exclude"],
    }
    assert Filters.from_query_params(params) == f
    assert Filters().to_query_params() == {}
    assert Filters.from_query_params({}) == Filters()


def test_single_string_values_are_accepted():
    assert Filters.from_query_params({"region": "North", "from": "2023-01-01"}) == Filters(
        regions=("North",), date_from=dt.date(2023, 1, 1)
    )


def test_strict_parse_lists_allowed_values():
    with pytest.raises(InvalidFilterError) as info:
        Filters.from_query_params({"rating": ["Good", "Superb"]})
    assert str(info.value) == (
        "unknown rating 'Superb' (allowed: Outstanding, Good, Requires improvement, Inadequate)"
    )
    with pytest.raises(InvalidFilterError) as info:
        Filters.from_query_params({"region": ["Narnia"]}, known_regions=["North", "South"])
    assert str(info.value) == "unknown region 'Narnia' (allowed: North, South)"


def test_lenient_parse_keeps_valid_values_and_names_the_rest():
    filters, problems = parse_query_params(
        {
            "region": ["North", "' OR 1=1 --"],
            "rating": ["Good", "<script>alert(1)</script>"],
            "from": ["2024-02-30"],
            "to": ["2024-12-31"],
            "approximate": ["maybe"],
            "tab": ["Trends"],
        },
        known_regions=["North", "South"],
    )
    assert filters == Filters(regions=("North",), ratings=("Good",), date_to=dt.date(2024, 12, 31))
    assert problems == [
        "unknown region '' OR 1=1 --' (allowed: North, South)",
        "unknown rating '<script>alert(1)</script>' (allowed: Outstanding, Good, Requires "
        "improvement, Inadequate)",
        "'from' must be a date YYYY-MM-DD, not '2024-02-30'",
        "'approximate' must be include or exclude, not 'maybe'",
    ]


def test_lenient_parse_drops_an_inverted_range():
    filters, problems = parse_query_params({"from": "2025-01-01", "to": "2024-01-01"})
    assert filters == Filters()
    assert problems == ["'from' (2025-01-01) is after 'to' (2024-01-01); ignoring both"]


def test_long_unknown_values_are_clipped_in_messages():
    _, problems = parse_query_params({"unit": ["x" * 200]}, known_units=["Alpha"])
    assert problems == [f"unknown unit '{'x' * 59}…' (allowed: Alpha)"]


@pytest.mark.parametrize(
    ("filters", "words"),
    [
        (Filters(), "all inspections"),
        (
            Filters(
                regions=("North East",),
                unit_types=("PDU",),
                date_from=dt.date(2024, 1, 1),
                date_to=dt.date(2025, 12, 31),
            ),
            "region North East; type PDU; published 2024 to 2025",
        ),
        (Filters(date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 12, 31)), "published 2024"),
        (Filters(date_from=dt.date(2024, 3, 15)), "published from 2024-03-15"),
        (Filters(date_to=dt.date(2023, 12, 31)), "published up to 2023"),
        (
            Filters(
                ratings=("Good", "Inadequate"),
                units=("Alpha",),
                standards=("Reviewing",),
                include_approximate=False,
            ),
            "rated Good, Inadequate; unit Alpha; standards Reviewing; stated dates only",
        ),
    ],
)
def test_describe_in_words(filters, words):
    assert filters.describe() == words


# --- the period's boundaries: a day given is in the period (Alpha's 2022-02-10 inspection) -------


@pytest.mark.parametrize(
    ("period", "inspections"),
    [
        ({"date_to": dt.date(2022, 2, 10)}, 4),  # 2019-03-05, 2019-06, 2020 and Alpha's
        ({"date_to": dt.date(2022, 2, 9)}, 3),
        ({"date_from": dt.date(2022, 2, 10)}, 7),
        ({"date_from": dt.date(2022, 2, 11)}, 6),
        ({"date_from": dt.date(2022, 2, 10), "date_to": dt.date(2022, 2, 10)}, 1),
    ],
)
def test_an_inspection_on_the_first_or_last_day_is_in_the_period(con, period, inspections):
    filters = Filters(**period)
    assert breakdowns.kpis(con, filters).iloc[0]["inspections"] == inspections
    assert reference.kpis(con, filters).iloc[0]["inspections"] == inspections

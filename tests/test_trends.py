"""analytics/analyses/trends.py against expected frames written by hand from tests/fixture_data.py (see tests/expected.py)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analytics import reference
from analytics.analyses import league, trends, viewspecs
from analytics.errors import InvalidFilterError
from analytics.filters import Filters
from analytics.pipeline import db
from tests import fixture_data
from tests.expected import RATINGS, RI, G, I, O, check, frame


def _trend_rows(periods: list[tuple[str, str, dict[str, int]]]) -> pd.DataFrame:
    rows = []
    for period, start, counts in periods:
        total = sum(counts.values())
        mean = sum({O: 3, G: 2, RI: 1, I: 0}[r] * n for r, n in counts.items()) / total
        for rating in RATINGS:
            n = counts.get(rating, 0)
            # every period of the fixture has 1 to 3 inspections: a small count
            small = total < 5
            rows.append((period, pd.Timestamp(start), rating, n, n / total, total, mean, small))
    return frame("period period_start rating n share inspections mean_points small_count", rows)


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


def test_trend_counts_are_whole_numbers_in_the_table_and_on_the_chart(con):
    """Issue 13: bars were labelled n=8.0; a count is an integer in the analysis and the chart."""
    view = viewspecs.build_view(con, "ratings-over-time", Filters())
    assert str(view.table["inspections"].dtype) == "int64"
    # 2019: Old One, Old Div; 2020: Old One; 2022: Alpha, Beta; 2023: Gamma; 2024: 3; 2025: 1
    assert list(view.figure.layout.xaxis.ticktext) == [
        "2019<br>n=2",
        "2020<br>n=1",
        "2022<br>n=2",
        "2023<br>n=1",
        "2024<br>n=3",
        "2025<br>n=1",
    ]


def test_rating_change_counts(con):
    # latest against previous: Old One RI -> G and Alpha I -> RI improved, Beta RI -> I declined;
    # Old Div, Gamma, the North region and England and Wales have one inspection each
    check(
        trends.rating_change_counts(con, Filters()),
        frame(
            "change units",
            [("improved", 2), ("unchanged", 0), ("declined", 1), ("first inspection", 4)],
        ),
    )
    # PDUs inspected from 2024: Alpha and Beta, each against its 2022 inspection (not selected)
    check(
        trends.rating_change_counts(
            con, Filters(unit_types=("PDU",), date_from=dt.date(2024, 1, 1))
        ),
        frame(
            "change units",
            [("improved", 1), ("unchanged", 0), ("declined", 1), ("first inspection", 0)],
        ),
    )
    # nothing selected: every kind, counted zero
    assert trends.rating_change_counts(con, Filters(regions=("Nowhere",)))["units"].tolist() == [
        0,
        0,
        0,
        0,
    ]


# --- an unchanged transition: Gamma rated Good again (fixture_data.UNCHANGED) ---------------------


@pytest.fixture(scope="module")
def with_unchanged(tmp_path_factory):
    folder = tmp_path_factory.mktemp("unchanged")
    csv_dir = fixture_data.write_csvs(
        folder / "csv", {"inspections.csv": [*fixture_data.INSPECTIONS, fixture_data.UNCHANGED]}
    )
    db.build(csv_dir, folder / "r.duckdb")
    connection = db.connect(folder / "r.duckdb")
    yield connection
    connection.close()


def test_a_rating_given_again_is_unchanged_everywhere_the_rule_is_read(with_unchanged):
    con = with_unchanged
    expected = frame(
        "change units",
        [("improved", 2), ("unchanged", 1), ("declined", 1), ("first inspection", 3)],
    )
    check(trends.rating_change_counts(con, Filters()), expected)
    check(reference.rating_change_counts(con, Filters()), expected)
    for table in (
        league.league_table(con, Filters(), as_of=dt.date(2026, 12, 2)),
        reference.league_table(con, Filters(), as_of=dt.date(2026, 12, 2)),
    ):
        gamma = table[table["unit_name"] == "Gamma"].iloc[0]
        assert (gamma["rating"], gamma["previous_rating"], gamma["change"]) == (G, G, "unchanged")
    sql = trends.rating_changes(con, Filters())
    assert sql[(sql["from_rating"] == G) & (sql["to_rating"] == G)]["n"].tolist() == [1]

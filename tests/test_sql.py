"""Running analytics SQL (analyses/sql.py): templates filled with bound values only, results
whole or in bounded pieces, and DuckDB's errors as one plain error at the boundary.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest
from pandas.testing import assert_frame_equal

from analytics.analyses import bench, league, sql
from analytics.analyses.bench import FILTERED
from analytics.analyses.sql import QUERY_FAILED, fetch_batches, fetch_df, filtered_sql, frame_of
from analytics.errors import InvalidFilterError, QueryError
from analytics.filters import Filters

AS_OF = dt.date(2026, 12, 2)


def test_duckdb_errors_become_one_plain_error_with_the_cause_chained(con, caplog):
    with pytest.raises(QueryError) as failed:
        fetch_df(con, "select no_such_column from inspection_facts")
    assert str(failed.value) == QUERY_FAILED
    assert isinstance(failed.value.__cause__, duckdb.BinderException)
    with pytest.raises(QueryError, match="could not be computed"):
        list(fetch_batches(con, "select no_such_column from inspection_facts"))
    assert caplog.text.count("query failed: Binder Error") == 2


def test_pieces_hold_at_most_rows_and_every_row_once(con):
    whole = league.league_table(con, Filters(), as_of=AS_OF)
    pieces = list(fetch_batches(con, *league.league_query(Filters(), as_of=AS_OF), rows=3))
    assert [len(p) for p in pieces] == [3] * (len(whole) // 3) + (
        [len(whole) % 3] if len(whole) % 3 else []
    )
    assert sum(len(p) for p in pieces) == len(whole)


def test_an_empty_league_is_one_empty_piece_with_the_columns(con):
    query = league.league_query(Filters(regions=("Nowhere",)), as_of=AS_OF)
    pieces = list(fetch_batches(con, *query))
    assert len(pieces) == 1
    assert pieces[0].empty
    assert list(pieces[0].columns) == list(league.league_table(con, Filters(), as_of=AS_OF).columns)


def test_a_template_is_filled_with_the_filters_conditions_and_binds_only_values():
    sql, params = filtered_sql(
        "select {cols} from inspection_facts i where {where}",
        Filters(regions=("North",), date_from=dt.date(2024, 1, 1)),
        fragments={"cols": "count(*)"},
        limit=5,
        as_of=AS_OF,
    )
    assert sql.startswith("select count(*) from inspection_facts i where ")
    assert sql.endswith("\nlimit $limit")
    assert "North" not in sql and "2024" not in sql  # values are bound, never in the text
    assert (params["limit"], params["as_of"], params["f_date_from"]) == (
        5,
        AS_OF,
        dt.date(2024, 1, 1),
    )
    assert list(params.values()).count(["North"]) == 1


@pytest.mark.parametrize("limit", [-1, 2.5, True, "5"])
def test_a_limit_that_is_no_whole_number_is_refused(limit):
    with pytest.raises(InvalidFilterError) as info:
        filtered_sql("select 1 where {where}", Filters(), limit=limit)
    assert str(info.value) == f"limit must be a whole number >= 0, not {limit!r}"


def test_only_the_parameters_a_query_uses_are_bound(con):
    sql, params = filtered_sql(
        "select count(*) as n from inspection_facts i where {where}", Filters(regions=("North",))
    )
    assert len(params) > 10  # the vocabulary and every filter's value travel with the text
    # the fixture's five inspections in the North region (tests/fixture_data.py)
    assert fetch_df(con, sql, params)["n"].tolist() == [5]


KINDS_SQL = """
select * from (values
    (1, 1, true, true, 'a', 'a', null::varchar, date '2024-01-31', 1.5::decimal(4, 1), 7::hugeint,
     timestamp '2024-01-31 10:00:00', 2.5::double),
    (2, null, false, null, 'b', null, null, date '2019-06-01', null, null, null, null)
) v(i, i_gap, b, b_gap, s, s_gap, s_blank, d, dec, huge, ts, f)
"""


def test_a_result_through_arrow_is_the_frame_duckdbs_df_makes():
    con = duckdb.connect()
    assert_frame_equal(frame_of(con.sql(KINDS_SQL).to_arrow_table()), con.sql(KINDS_SQL).df())
    empty = KINDS_SQL + " where false"
    assert_frame_equal(frame_of(con.sql(empty).to_arrow_table()), con.sql(empty).df())


@pytest.mark.parametrize("filters", [Filters(), Filters(regions=("Nowhere",)), FILTERED])
def test_every_list_converted_through_arrow_is_the_frame_duckdbs_df_would_give(
    con, monkeypatch, filters
):
    """The analyses that may return every unit or inspection go through Arrow: each result
    equals DuckDB's .df() of it; the others use .df() itself.
    """
    seen = []

    def checked(table):
        out = frame_of(table)
        assert_frame_equal(out, duckdb.connect().from_arrow(table).df())
        seen.append(table.num_rows)
        return out

    monkeypatch.setattr(sql, "frame_of", checked)
    cases = bench._cases([("PDU", "Alpha"), ("PDU", "Beta")])
    for name, (function, _, options) in cases.items():
        before = len(seen)
        try:
            function(con, filters, **options)
        except InvalidFilterError:
            assert name in ("unit_history", "report_figures", "unit_benchmark")
        if len(seen) > before:
            seen[before:] = [name]
    assert seen == ["league_table", "league_table_page", "unit_list_page", "inspections_page"]

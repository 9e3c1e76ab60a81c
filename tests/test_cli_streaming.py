"""The CLI's streamed league (analytics/cli/queries.py write_frames, sql.fetch_batches):
in pieces, the same bytes as the whole table.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest

from analytics import league
from analytics.cli.queries import format_frame, write_frames
from analytics.filters import Filters
from analytics.sql import fetch_batches

AS_OF = dt.date(2026, 12, 2)


@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize("raw", [False, True])
@pytest.mark.parametrize(
    "filters", [Filters(), Filters(regions=("North",)), Filters(regions=("Nowhere",))]
)
def test_streamed_pieces_print_what_the_whole_table_prints(con, fmt, raw, filters):
    whole = format_frame(league.league_table(con, filters, as_of=AS_OF), fmt, raw=raw) + "\n"
    out = io.StringIO()
    pieces = fetch_batches(con, *league.league_query(filters, as_of=AS_OF), rows=2)
    write_frames(pieces, fmt, out.write, raw=raw)
    assert out.getvalue() == whole


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

"""The CLI's streamed league (analytics/cli/queries.py write_frames, sql.fetch_batches):
in pieces, the same bytes as the whole table.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys

import pytest

from analytics.analyses import league
from analytics.analyses.sql import fetch_batches
from analytics.cli.queries import format_frame, write_frames
from analytics.filters import Filters
from analytics.pipeline import synthetic

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


def test_a_reader_that_stops_early_gets_one_line_not_a_traceback(tmp_path):
    """`query league | head -1` on a SYNTHETIC database whose league (5 MB of JSON) is far more
    than a pipe holds.
    """
    db_path = tmp_path / "synthetic.duckdb"
    synthetic.generate(db_path, inspections=100_000, seed=5)
    process = subprocess.Popen(
        [sys.executable, "-m", "analytics.cli", "query", "league", "--format", "json",
         "--db", str(db_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline() == b"[\n"
    process.stdout.close()  # as `head -1` does
    err = process.stderr.read().decode()
    process.stderr.close()
    assert process.wait(timeout=60) == 2
    assert err == "error: the output was closed before all of it was written\n"


@pytest.mark.parametrize(
    ("value", "said"),
    [
        (
            "9223372036854775808",
            "9223372036854775808 is more than 1,000,000,000, the largest allowed here",
        ),
        ("١٢", "'١٢' uses digits other than 0-9; type it with 0-9"),
        ("0", "0 is less than 1, the smallest allowed here"),
        ("-3", "'-3' is not a whole number >= 0"),
    ],
)
def test_a_limit_is_ascii_digits_within_bounds_in_one_line(value, said):
    result = subprocess.run(
        [sys.executable, "-m", "analytics.cli", "query", "league", "--limit", value],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout, result.stderr) == (
        2,
        "",
        f"probation-ratings query: error: argument --limit: {said}\n",
    )

"""Exports (analytics/export/, tested as one package): file names, formula neutralisation, the
tables as CSV and Excel, and `probation-ratings export`. Charts as images and the report:
tests/test_export_images.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import xml.etree.ElementTree as ET

import openpyxl
import pandas as pd
import pytest

from analytics import cli
from analytics.analyses import viewspecs
from analytics.errors import InvalidFilterError
from analytics.export import context, names, tables
from analytics.filters import Filters

TODAY = dt.date(2026, 11, 28)
HOSTILE = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\rCR", '=HYPERLINK("http://x","y")']


@pytest.mark.parametrize(
    ("view", "filters", "ext", "name"),
    [
        (
            "ratings-by-region",
            Filters(regions=("North East",)),
            "csv",
            "ratings-by-region_north-east_2026-11-28.csv",
        ),
        ("inspections", Filters(), "xlsx", "inspections_2026-11-28.xlsx"),
        (
            "ratings-over-time",
            Filters(
                unit_types=("PDU",),
                ratings=("Inadequate",),
                date_from=dt.date(2024, 1, 1),
                date_to=dt.date(2025, 12, 31),
                include_approximate=False,
            ),
            "png",
            "ratings-over-time_pdu_inadequate_2024-01-01-to-2025-12-31_stated-dates_2026-11-28.png",
        ),
        (
            "unit-timeline",
            Filters(units=("Hammersmith, Fulham, Kensington, Chelsea and Westminster",)),
            "svg",
            "unit-timeline_hammersmith-fulham-kensington-chelsea-and-westminster_2026-11-28.svg",
        ),
        ("x", Filters(units=("../../etc/passwd",)), "csv", "x_etc-passwd_2026-11-28.csv"),
        ("x", Filters(date_from=dt.date(2024, 1, 1)), "csv", "x_2024-01-01-to-end_2026-11-28.csv"),
    ],
)
def test_export_filename(view, filters, ext, name):
    assert names.export_filename(view, filters, ext, today=TODAY) == name


def test_long_selections_are_cut():
    f = Filters(units=tuple(f"Unit number {i}" for i in range(30)))
    name = names.export_filename("inspections", f, "csv", today=TODAY)
    assert name == (
        "inspections_unit-number-0_unit-number-1_unit-number-10_unit-number-11_unit-number-12_"
        "unit-nu_2026-11-28.csv"
    )
    assert re.fullmatch(r"[a-z0-9_.-]+", name)


def test_neutralise_formulas_hostile_in_safe_out():
    df = pd.DataFrame(
        {
            "text": HOSTILE + ["plain", "a=b", None],
            "number": [-1, 2, -3, 4, 5, 6, 7, 8, 9, 10],
        }
    )
    out = tables.neutralise_formulas(df)
    assert out["text"].tolist()[:-1] == [
        "'=1+1",
        "'+SUM(A1)",
        "'-2+3",
        "'@cmd",
        "'\tTAB",
        "'\rCR",
        '\'=HYPERLINK("http://x","y")',
        "plain",
        "a=b",
    ]
    assert pd.isna(out["text"].iloc[-1])
    assert out["number"].tolist() == df["number"].tolist()
    assert df["text"].iloc[0] == "=1+1"  # the input is not modified


def test_csv_rows_and_neutralised_cells():
    df = pd.DataFrame(
        {
            "unit_name": HOSTILE,
            "n": range(len(HOSTILE)),
            "published_date": pd.to_datetime(["2024-05-01"] * len(HOSTILE)),
        }
    )
    data = tables.table_csv(df)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert data.endswith(b"\r\n")  # RFC 4180 line ends, so a carriage return in a cell is quoted
    assert rows[0] == ["unit_name", "n", "published_date"]
    assert len(rows) == len(HOSTILE) + 1
    assert [r[0] for r in rows[1:]] == ["'" + h for h in HOSTILE]
    assert rows[1][2] == "2024-05-01"


def test_xlsx_has_rows_context_and_no_live_formula(con):
    df = pd.DataFrame({"unit_name": HOSTILE, "n": range(len(HOSTILE))})
    ctx = context.context_for(con, "Inspections", Filters(regions=("North",)), today=TODAY)
    book = openpyxl.load_workbook(io.BytesIO(tables.table_xlsx(df, ctx)))
    assert book.sheetnames == ["About", "Data"]
    data = book["Data"]
    assert data.max_row == len(HOSTILE) + 1
    cells = [c for row in data.iter_rows() for c in row]
    assert [c for c in cells if c.data_type == "f"] == []
    # XML stores a carriage return as a line feed; the cell stays inert text either way.
    assert [data.cell(row=i + 2, column=1).value for i in range(len(HOSTILE))] == [
        "'" + h.replace("\r", "\n") for h in HOSTILE
    ]
    about = [tuple(c.value for c in r) for r in book["About"].iter_rows()]
    assert about == [
        ("View", "Inspections"),
        ("Filters", "region North"),
        ("Source", "HM Inspectorate of Probation ratings compiled from public HMIP pages"),
        (
            "Licence",
            "Open Government Licence v3.0 "
            "(https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/)",
        ),
        ("Made on", "2026-11-28"),
        ("Rows", str(len(HOSTILE))),
        (
            "Small counts",
            "A share or mean resting on fewer than 5 inspections is marked 'fewer than 5 "
            "inspections' in the Small count column: with so few, one inspection moves it a long way.",
        ),
        (
            "Blank cells",
            "A blank cell is not known: no source states it. It never means zero or 'not rated' "
            "(in the Small count and Months approximate columns, blank means no).",
        ),
        ("Shares", "Shown as per cent. The CSV download holds the same shares as fractions."),
        (None, None),
        ("Column", "Meaning"),
        ("Unit", "the inspected unit's name"),
        (
            "Count",
            "how many of the group have this rating (inspections, or standard ratings for "
            "standards)",
        ),
    ]


def test_xlsx_reads_as_a_person_expects(con):
    """Plain headers on a frozen row, shares as per cent and counts as numbers (cell formats, not
    text), flags in words, dates as dates: the ratings by region of the fixture.
    """
    view = viewspecs.build_view(con, "ratings-by-region", Filters(), None)
    ctx = context.context_for(con, view.title, Filters(), today=TODAY)
    data = openpyxl.load_workbook(io.BytesIO(tables.table_xlsx(view.table, ctx)))["Data"]
    assert data.freeze_panes == "A2"
    rows = list(data.iter_rows())
    assert [c.value for c in rows[0]] == [
        "Region",
        "Rating",
        "Count",
        "Share",
        "Inspections",
        "Small count",
    ]
    assert all(c.font.b for c in rows[0])
    # the fixture's North: 5 inspections (Alpha and Beta twice each, the region once)
    north = [r for r in rows[1:] if r[0].value == "North"]
    expected = view.table[view.table["region"] == "North"]
    assert [(r[1].value, r[2].value, r[3].value, r[4].value, r[5].value) for r in north] == [
        (
            t.rating,
            t.n,
            pytest.approx(t.share),
            t.inspections,
            "fewer than 5 inspections" if t.small_count else None,
        )
        for t in expected.itertuples()
    ]
    assert {(r[2].number_format, r[3].number_format, r[4].number_format) for r in rows[1:]} == {
        ("0", "0%", "0")
    }
    assert {type(r[3].value) for r in rows[1:]} <= {int, float}
    widths = [data.column_dimensions[k].width for k in "ABCDEF"]
    assert all(8 <= w <= 60 for w in widths)


def test_xlsx_dates_are_dates_and_every_header_plain(con):
    view = viewspecs.build_view(con, "inspections", Filters(), None)
    ctx = context.context_for(con, view.title, Filters(), today=TODAY)
    data = openpyxl.load_workbook(io.BytesIO(tables.table_xlsx(view.table, ctx)))["Data"]
    header = [c.value for c in next(data.iter_rows())]
    assert [h for h in header if "_" in h] == []
    at = header.index("Published (first day)")
    first = next(data.iter_rows(min_row=2))[at]
    assert (first.is_date, first.number_format) == (True, "yyyy-mm-dd")


@pytest.mark.parametrize(
    ("args", "check"),
    [
        (["ratings-by-region", "--format", "png"], lambda b: b[:8] == b"\x89PNG\r\n\x1a\n"),
        (["ratings-by-region", "--format", "svg"], lambda b: ET.fromstring(b) is not None),
        (
            ["ratings-over-time", "--format", "html", "--freq", "quarter"],
            lambda b: b"Overall ratings by quarter" in b,
        ),
        (
            ["inspections", "--format", "csv"],
            lambda b: b.decode("utf-8-sig").count("\r\n") == 1 + 5,
        ),
        (
            ["league-table", "--format", "xlsx"],
            lambda b: openpyxl.load_workbook(io.BytesIO(b))["Data"].max_row == 1 + 3,
        ),
        (["dashboard", "--format", "report"], lambda b: b.count(b"<img alt=") == 7),
        (["unit-timeline", "--unit", "Alpha", "--format", "png"], lambda b: b[:4] == b"\x89PNG"),
    ],
)
def test_cli_export(fixture_db, tmp_path, capsys, args, check):
    out = tmp_path / "file"
    assert (
        cli.main(["export", *args, "--region", "North", "--db", str(fixture_db), "--out", str(out)])
        == 0
    )
    assert check(out.read_bytes())
    assert capsys.readouterr().out == f"wrote {out} ({out.stat().st_size:,} bytes)\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_cli_export_into_a_directory_names_the_file(fixture_db, tmp_path):
    assert (
        cli.main(
            [
                "export",
                "dashboard",
                "--format",
                "pdf",
                "--rating",
                "Good",
                "--db",
                str(fixture_db),
                "--out",
                str(tmp_path),
            ]
        )
        == 0
    )
    [written] = list(tmp_path.iterdir())
    assert written.name == f"dashboard-report_good_{dt.date.today().isoformat()}.pdf"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["league-table", "--format", "png"],
            "error: 'league-table' is a table: export it as csv or xlsx\n",
        ),
        (
            ["dashboard", "--format", "csv"],
            "error: 'dashboard' is the whole view: export it with --format report or pdf\n",
        ),
        (
            ["unit-benchmark", "--format", "png"],
            "error: 'unit-benchmark' needs exactly one --unit NAME\n",
        ),
    ],
)
def test_cli_export_refusals(fixture_db, tmp_path, capsys, args, message):
    assert cli.main(["export", *args, "--db", str(fixture_db), "--out", str(tmp_path / "x")]) == 2
    assert capsys.readouterr().err == message
    assert list(tmp_path.iterdir()) == []


def test_unknown_view_is_refused(con):
    with pytest.raises(
        InvalidFilterError, match=r"unknown view 'pie' \(allowed: ratings-by-region, "
    ):
        viewspecs.build_view(con, "pie", Filters())

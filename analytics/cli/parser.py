"""The command line: every subcommand, its options and their checks (argparse)."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from analytics import fields
from analytics.analyses import breakdowns, registry, trends, viewspecs
from analytics.fields import FieldError
from analytics.filter_fields import FILTERS, ChoiceFilter, PeriodFilter

FORMATS = ("table", "csv", "json")
EXPORT_FORMATS = ("png", "svg", "html", "csv", "xlsx", "report", "pdf")
# The views of the registry, plus "dashboard": the whole report.
EXPORT_VIEWS = ("dashboard", *viewspecs.VIEWS)


class _Parser(argparse.ArgumentParser):
    """argparse, but errors are one line and exit 2 (argparse's usage dump buries the reason)."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The ``probation-ratings`` parser with every subcommand and option."""
    parser = _Parser(
        prog="probation-ratings",
        description="HM Inspectorate of Probation ratings: build the database and query it.",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("build-db", help="validate data/*.csv and (re)build the database")
    p.add_argument("--data", type=Path, help="directory of CSV files (default: the shipped data/)")
    p.add_argument(
        "--db",
        type=Path,
        help="database file (default: $PROBATION_RATINGS_DB or data/ratings.duckdb)",
    )
    p.add_argument(
        "--if-needed",
        action="store_true",
        help="only if the database is missing or was built from other CSV content",
    )

    p = sub.add_parser("info", help="rows per table, date range, units per type, content hash")
    p.add_argument("--data", type=Path, help="directory of CSV files (default: the shipped data/)")
    p.add_argument("--db", type=Path, help="database file to describe")

    p = sub.add_parser("query", help="run one analysis and print its table")
    p.add_argument(
        "analysis",
        # a former name is read as the analysis's current one before the choice is checked
        type=registry.current_name,
        choices=registry.CLI_ANALYSES,
        metavar="ANALYSIS",
        help="; ".join(f"{n}: {registry.ANALYSES[n].help}" for n in registry.CLI_ANALYSES),
    )
    _add_filter_options(p)
    p.add_argument(
        "--by",
        choices=breakdowns.DISTRIBUTION_GROUPS,
        default=None,
        help="grouping for rating_distribution",
    )
    p.add_argument("--freq", choices=trends.FREQS, default="year", help="period for rating_trend")
    p.add_argument(
        "--as-of",
        type=_date,
        metavar="DATE",
        help="count months since the latest inspection to this day (league_table, compare_table; "
        "default: today)",
    )
    p.add_argument(
        "--older-than",
        type=COUNT,
        metavar="N",
        help="league_table: only units whose latest inspection is N or more years old",
    )
    p.add_argument(
        "--limit",
        type=COUNT,
        metavar="N",
        help="league_table: only the first N rows (the ranks stay those of all units)",
    )
    p.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="table (view_summary: one sentence per line), csv or json",
    )
    _add_raw_option(p)

    p = sub.add_parser("export", help="write a chart, table or report of a view to a file")
    p.add_argument(
        "view", metavar="VIEW", choices=[*EXPORT_VIEWS], help="one of: " + ", ".join(EXPORT_VIEWS)
    )
    p.add_argument("--format", required=True, choices=EXPORT_FORMATS)
    p.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="PATH",
        help="file to write, or a directory to write a dated file into",
    )
    _add_filter_options(p)
    p.add_argument("--freq", choices=trends.FREQS, default="year", help="for ratings-over-time")
    p.add_argument(
        "--measure",
        default="mean_points",
        choices=list(breakdowns.REGION_MEASURES),
        help="for region-map",
    )

    p = sub.add_parser(
        "gallery",
        help="write every export of a fixed set of views into a folder, with an index.html",
    )
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder to write into")
    p.add_argument("--db", type=Path, help="database file (default: built from the shipped data)")

    p = sub.add_parser("import", help="validate and add inspections from a CSV or .xlsx file")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help="validate and report; change nothing")
    p.add_argument(
        "--replace",
        action="store_true",
        help="replace inspections that exist with different values",
    )
    p.add_argument(
        "--allow-new-units", action="store_true", help="add units that are not yet known"
    )
    _add_store_options(p)

    p = sub.add_parser("imports", help="list the imports journal")
    _add_store_options(p)
    p.add_argument("--format", choices=FORMATS, default="table")

    p = sub.add_parser("undo-import", help="take one import out of the data")
    p.add_argument("import_id", type=COUNT, metavar="ID")
    _add_store_options(p)

    p = sub.add_parser("export-data", help="write the complete current dataset as CSV files")
    p.add_argument("--out", type=Path, required=True, metavar="DIR")
    _add_store_options(p)
    _add_raw_option(p)

    p = sub.add_parser("template", help="write an empty import file")
    p.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    p.add_argument("--out", type=Path, required=True, metavar="PATH")

    p = sub.add_parser("bench", help="time every analysis on SYNTHETIC data (prints numbers)")
    p.add_argument("--inspections", type=COUNT, default=1_000_000, metavar="N")
    p.add_argument("--seed", type=_whole(0, 2**31 - 1), default=42)
    p.add_argument("--runs", type=_whole(1, 1000), default=7, help="timed runs per query (>= 5)")
    p.add_argument(
        "--reference-runs",
        type=_whole(0, 1000),
        default=3,
        metavar="N",
        help="timed runs of the pandas reference per query (0 to skip)",
    )
    p.add_argument("--json", type=Path, metavar="PATH", help="also write the report as JSON")
    p.add_argument(
        "--no-dashboard",
        action="store_true",
        help="skip the AppTest and Chromium timings of the dashboard",
    )

    p = sub.add_parser(
        "serve",
        help="serve the dashboard from one process (foreground; Ctrl+C stops); `make run` runs it",
    )
    p.add_argument("--port", type=PORT_OR_COUNT, default=8501, help="default 8501")
    p.add_argument("--host", default=None, help="address to listen on (default: every address)")
    _add_store_options(p)

    p = sub.add_parser(
        "fleet",
        help="serve the dashboard from several processes behind nginx (foreground; Ctrl+C stops)",
    )
    p.add_argument("--processes", type=PORT_OR_COUNT, default=2, metavar="N", help="default 2")
    p.add_argument(
        "--port", type=PORT_OR_COUNT, default=8501, help="where nginx listens (default 8501)"
    )
    p.add_argument("--host", default="0.0.0.0", help="address nginx listens on (default all)")  # noqa: S104
    _add_store_options(p)

    p = sub.add_parser("synth", help="write a SYNTHETIC database for tests and benchmarks")
    p.add_argument("--inspections", type=COUNT, required=True, metavar="N")
    p.add_argument("--seed", type=_whole(0, 2**31 - 1), default=42)
    p.add_argument("--out", type=Path, required=True, metavar="PATH")
    return parser


def _add_store_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", type=Path, help="directory of shipped CSV files (default: data/)")
    p.add_argument(
        "--db",
        type=Path,
        help="database file (default: $PROBATION_RATINGS_DB or data/ratings.duckdb)",
    )


def _add_raw_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--raw",
        action="store_true",
        help="write text exactly as stored, for re-import (by default text starting with "
        "=, +, -, @, tab or carriage return gets a leading ' so no spreadsheet runs it)",
    )


def _add_filter_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", type=Path, help="database file (default: built from the shipped data)")
    for one in FILTERS:  # in the sidebar's order
        if isinstance(one, ChoiceFilter):
            p.add_argument(
                one.flag,
                action="append",
                default=[],
                choices=one.allowed,
                metavar=one.metavar,
                help=("one of: " + ", ".join(one.allowed)) if one.allowed else None,
            )
        elif isinstance(one, PeriodFilter):
            for param, field in zip(one.params, one.fields, strict=True):
                p.add_argument(
                    f"--{param}", dest=field, type=_date, metavar="DATE", help="YYYY-MM-DD"
                )
        else:
            p.add_argument(
                one.flag,
                action="store_true",
                help="leave out inspections whose date is only approximate",
            )


def _date(text: str) -> dt.date:
    try:
        if len(text) != 10:
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date YYYY-MM-DD") from None


def _whole(minimum: int, maximum: int):
    """An option's type: a whole number in ASCII digits from ``minimum`` to ``maximum`` (the
    import's own rule: '١٢' or 9223372036854775808 once reached DuckDB and ended in a traceback).
    """

    def parse(text: str) -> int:
        try:
            return fields.whole_number(text, minimum=minimum, maximum=maximum)
        except FieldError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return parse


COUNT = _whole(1, 1_000_000_000)  # limits, ids, years: at least 1
PORT_OR_COUNT = _whole(0, 1_000_000)  # checked again for its own range, with its own message

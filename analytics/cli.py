"""The ``probation-ratings`` command: build the database, describe it, and run every analysis.

Exit codes: 0 on success, 2 on bad input (options, files or filter values), with a one-line
message on standard error saying what is wrong and what is allowed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import duckdb
import pandas as pd

from analytics import breakdowns, db, export, ingest, journal, readers, trends, units, views
from analytics.errors import AnalyticsError, DataValidationError, InvalidFilterError
from analytics.filters import Filters
from analytics.vocab import RATING_NAMES, STANDARD_NAMES, UNIT_TYPES

FORMATS = ("table", "csv", "json")
EXPORT_FORMATS = ("png", "svg", "html", "csv", "xlsx", "report", "pdf")
# The views of analytics/views.py, plus "dashboard": the whole report.
EXPORT_VIEWS = ("dashboard", *views.VIEWS)


def _unit_analysis(function: Callable) -> Callable:
    """Adapt a one-unit analysis to the CLI: the unit is the single ``--unit`` given."""

    def run(con: duckdb.DuckDBPyConnection, filters: Filters, args: argparse.Namespace):
        unit_type, unit_name = _one_unit(con, filters, args)
        return function(con, filters, unit_type=unit_type, unit_name=unit_name)

    return run


# name -> (function(con, filters, args) -> DataFrame, one-line description)
ANALYSES: dict[str, tuple[Callable, str]] = {
    "kpis": (lambda con, f, _a: breakdowns.kpis(con, f), "headline counts and shares"),
    "distribution": (
        lambda con, f, a: breakdowns.rating_distribution(con, f, by=a.by),
        "count and share per rating, optionally --by region|unit_type|year",
    ),
    "trend": (
        lambda con, f, a: trends.rating_trend(con, f, freq=a.freq),
        "rating shares per --freq year|quarter",
    ),
    "standards": (
        lambda con, f, _a: breakdowns.standard_breakdown(con, f),
        "ratings per standard with coverage",
    ),
    "matrix": (
        lambda con, f, _a: breakdowns.region_standard_matrix(con, f),
        "region x standard mean points",
    ),
    "league": (lambda con, f, _a: units.league_table(con, f), "latest rating of every unit"),
    "units": (lambda con, f, _a: units.unit_list(con, f), "units with selected inspections"),
    "history": (_unit_analysis(units.unit_history), "every rating of one --unit"),
    "benchmark": (
        _unit_analysis(units.unit_benchmark),
        "one --unit against its region and the country",
    ),
    "changes": (lambda con, f, _a: trends.rating_changes(con, f), "rating transitions"),
    "coverage": (lambda con, f, _a: breakdowns.coverage(con, f), "data completeness per unit type"),
}


class _Parser(argparse.ArgumentParser):
    """argparse, but errors are one line and exit 2 (argparse's usage dump buries the reason)."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
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
        choices=list(ANALYSES),
        metavar="ANALYSIS",
        help="one of: " + ", ".join(ANALYSES),
    )
    _add_filter_options(p)
    p.add_argument(
        "--by",
        choices=breakdowns.DISTRIBUTION_GROUPS,
        default=None,
        help="grouping for distribution",
    )
    p.add_argument("--freq", choices=trends.FREQS, default="year", help="period for trend")
    p.add_argument("--format", choices=FORMATS, default="table")
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
    p.add_argument("import_id", type=_positive_int, metavar="ID")
    _add_store_options(p)

    p = sub.add_parser("export-data", help="write the complete current dataset as CSV files")
    p.add_argument("--out", type=Path, required=True, metavar="DIR")
    _add_store_options(p)
    _add_raw_option(p)

    p = sub.add_parser("template", help="write an empty import file")
    p.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    p.add_argument("--out", type=Path, required=True, metavar="PATH")

    p = sub.add_parser("bench", help="time every analysis on SYNTHETIC data (prints numbers)")
    p.add_argument("--inspections", type=_positive_int, default=1_000_000, metavar="N")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--runs", type=_positive_int, default=7, help="timed runs per query (>= 5)")
    p.add_argument(
        "--reference-runs",
        type=int,
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

    p = sub.add_parser("synth", help="write a SYNTHETIC database for tests and benchmarks")
    p.add_argument("--inspections", type=_positive_int, required=True, metavar="N")
    p.add_argument("--seed", type=int, default=42)
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
    p.add_argument("--region", action="append", default=[], metavar="R")
    p.add_argument(
        "--unit-type",
        action="append",
        default=[],
        choices=UNIT_TYPES,
        metavar="T",
        help="one of: " + ", ".join(UNIT_TYPES),
    )
    p.add_argument(
        "--rating",
        action="append",
        default=[],
        choices=RATING_NAMES,
        metavar="R",
        help="one of: " + ", ".join(RATING_NAMES),
    )
    p.add_argument("--from", dest="date_from", type=_date, metavar="DATE", help="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", type=_date, metavar="DATE", help="YYYY-MM-DD")
    p.add_argument("--unit", action="append", default=[], metavar="NAME")
    p.add_argument(
        "--standard",
        action="append",
        default=[],
        choices=STANDARD_NAMES,
        metavar="S",
        help="one of: " + ", ".join(STANDARD_NAMES),
    )
    p.add_argument(
        "--exclude-approximate",
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


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _one_unit(con: duckdb.DuckDBPyConnection, filters: Filters, args: argparse.Namespace):
    if len(filters.units) != 1:
        what = getattr(args, "analysis", None) or args.view
        raise InvalidFilterError(f"'{what}' needs exactly one --unit NAME")
    name = filters.units[0]
    types = [
        t
        for (t,) in db.cursor(con)
        .execute("select unit_type from units where unit_name = $n order by unit_type", {"n": name})
        .fetchall()
    ]
    if args.unit_type:
        types = [t for t in types if t in args.unit_type]
    if len(types) == 1:
        return types[0], name
    if not types:
        raise InvalidFilterError(
            f"no unit named '{name}'"
            + (f" of type {', '.join(args.unit_type)}" if args.unit_type else "")
        )
    raise InvalidFilterError(
        f"'{name}' names units of several types ({', '.join(types)}); add --unit-type"
    )


def _open(args: argparse.Namespace) -> duckdb.DuckDBPyConnection:
    if args.db is not None:
        return db.connect(args.db)
    db.ensure_database()
    return db.connect(db.default_db_path())


def format_frame(df: pd.DataFrame, fmt: str, *, raw: bool = False) -> str:
    """Render a DataFrame as an aligned table, CSV, or a JSON array of records.

    CSV is for spreadsheets, so formula-like text is neutralised as in downloads unless ``raw``.
    """
    out = df.copy() if raw or fmt != "csv" else export.neutralise_formulas(df)
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
    if fmt == "json":
        records = json.loads(out.to_json(orient="records", force_ascii=False))
        return json.dumps(records, indent=2, ensure_ascii=False)
    if fmt == "csv":
        return out.to_csv(index=False).rstrip("\n")
    if out.empty:
        return "(no rows)"
    return out.to_string(index=False)


def cmd_build_db(args: argparse.Namespace) -> int:
    data_dir = args.data or db.default_data_dir()
    db_path = args.db or db.default_db_path()
    if args.if_needed and not db.ensure_database(data_dir, db_path):
        print(f"{db_path} is up to date with {data_dir}")
        return 0
    info = db.build(data_dir, db_path) if not args.if_needed else db.read_info(db_path)
    con = db.connect(db_path)
    try:
        counts = ", ".join(f"{r.rows} {r.table}" for r in db.table_counts(con).itertuples())
    finally:
        con.close()
    print(f"built {db_path} from {data_dir}: {counts} (content hash {info.content_hash[:12]})")
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    if args.db is None:
        db.ensure_database(args.data)
    con = db.connect(args.db or db.default_db_path())
    try:
        info = db.dataset_info(con)
        lines = [
            f"database:      {args.db or db.default_db_path()}",
            f"source:        {info.source}",
            f"synthetic:     {'yes' if info.synthetic else 'no'}",
            f"built at:      {info.built_at:%Y-%m-%d %H:%M:%S} UTC",
            f"content hash:  {info.content_hash}",
            "rows per table:",
        ]
        lines += [f"  {r.table:<17}{r.rows:>10}" for r in db.table_counts(con).itertuples()]
        first, last, approx = con.execute(
            "select min(published), max(published), "
            "count(*) filter (where date_basis <> 'stated') from inspections"
        ).fetchone()
        lines.append(f"published:     {first} to {last} ({approx} with approximate dates)")
        lines.append("units per type (inspected / known):")
        for unit_type, known, inspected in con.execute(
            """
            select t.unit_type, count(distinct u.unit_name), count(distinct i.unit_name)
            from unit_types t
            left join units u using (unit_type)
            left join inspections i using (unit_type, unit_name)
            group by t.unit_type, t.sort_order order by t.sort_order
            """
        ).fetchall():
            lines.append(f"  {unit_type:<17}{inspected:>5} / {known}")
    finally:
        con.close()
    print("\n".join(lines))
    return 0


def _filters(args: argparse.Namespace) -> Filters:
    return Filters(
        regions=tuple(args.region),
        unit_types=tuple(args.unit_type),
        ratings=tuple(args.rating),
        date_from=args.date_from,
        date_to=args.date_to,
        units=tuple(args.unit),
        standards=tuple(args.standard),
        include_approximate=not args.exclude_approximate,
    )


def _check_regions(con: duckdb.DuckDBPyConnection, filters: Filters) -> None:
    known = [
        r for (r,) in db.cursor(con).execute("select region from regions order by 1").fetchall()
    ]
    unknown = [r for r in filters.regions if r not in known]
    if unknown:
        raise InvalidFilterError(f"unknown region '{unknown[0]}' (allowed: {', '.join(known)})")


def cmd_query(args: argparse.Namespace) -> int:
    filters = _filters(args)
    con = _open(args)
    try:
        _check_regions(con, filters)
        function, _ = ANALYSES[args.analysis]
        df = function(con, filters, args)
    finally:
        con.close()
    print(format_frame(df, args.format, raw=args.raw))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    filters = _filters(args)
    con = _open(args)
    try:
        _check_regions(con, filters)
        options = views.ViewOptions(freq=args.freq, measure=args.measure)
        if args.view.startswith("unit-"):
            unit_type, unit_name = _one_unit(con, filters, args)
            options = views.ViewOptions(
                freq=args.freq, measure=args.measure, unit_type=unit_type, unit_name=unit_name
            )
        if args.format in {"report", "pdf"}:
            report = export.build_report(
                con,
                filters,
                view=None if args.view == "dashboard" else args.view,
                options=options,
            )
            data = report.encode("utf-8") if args.format == "report" else export.report_pdf(report)
        else:
            if args.view == "dashboard":
                raise InvalidFilterError(
                    "'dashboard' is the whole view: export it with --format report or pdf"
                )
            view = views.build_view(con, args.view, filters, options)
            ctx = export.context_for(con, view.title, filters)
            if args.format == "csv":
                data = export.table_csv(view.table)
            elif args.format == "xlsx":
                data = export.table_xlsx(view.table, ctx)
            elif view.figure is None:
                raise InvalidFilterError(f"'{args.view}' is a table: export it as csv or xlsx")
            elif args.format == "html":
                data = export.figure_html(view.figure, ctx)
            else:
                data = export.figure_image(view.figure, ctx, args.format)
    finally:
        con.close()
    out = args.out
    if out.is_dir():
        # Reports are named like the dashboard's: VIEW-report_FILTERS_DATE.html|pdf
        stem = f"{args.view}-report" if args.format in {"report", "pdf"} else args.view
        ext = "html" if args.format == "report" else args.format
        out = out / export.export_filename(stem, filters, ext, today=dt.date.today())
    tmp = out.with_name(out.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(out)  # never leave a half-written file under the final name
    print(f"wrote {out} ({len(data):,} bytes)")
    return 0


def _store(args: argparse.Namespace) -> tuple[Path, Path]:
    """The shipped CSVs and the database, rebuilt first if they changed."""
    data_dir = args.data or db.default_data_dir()
    db_path = args.db or db.default_db_path()
    db.ensure_database(data_dir, db_path)
    return data_dir, db_path


def cmd_import(args: argparse.Namespace) -> int:
    data_dir = args.data or db.default_data_dir()
    db_path = args.db or db.default_db_path()
    data = readers.read_file(args.file)
    plan, entry = ingest.import_file(
        data,
        args.file.name,
        csv_dir=data_dir,
        db_path=db_path,
        replace=args.replace,
        allow_new_units=args.allow_new_units,
        dry_run=args.dry_run,
    )
    if args.dry_run:
        print(f"{args.file.name}: would import: {plan.summary} (dry run: nothing changed)")
    elif entry is None:
        print(f"{args.file.name}: nothing to import: {plan.summary}")
    else:
        print(f"{args.file.name}: imported as import {entry['import_id']}: {plan.summary}")
    return 0


def cmd_imports(args: argparse.Namespace) -> int:
    # Reads the journal only: it works even when an entry no longer builds.
    print(format_frame(journal.import_log(args.db or db.default_db_path()), args.format))
    return 0


def cmd_undo_import(args: argparse.Namespace) -> int:
    # No rebuild first: undoing must work when the entry being undone is what breaks the build.
    data_dir = args.data or db.default_data_dir()
    db_path = args.db or db.default_db_path()
    entry = ingest.undo_import(args.import_id, csv_dir=data_dir, db_path=db_path)
    print(
        f"undid import {entry['import_id']} ({entry['file_name']}: {entry['added']} added, "
        f"{entry['replaced']} replaced); the shipped values are back where it replaced them"
    )
    return 0


def cmd_export_data(args: argparse.Namespace) -> int:
    _, db_path = _store(args)
    con = db.connect(db_path)
    try:
        counts = ingest.export_data(con, args.out, raw=args.raw)
    finally:
        con.close()
    print(f"wrote {args.out}: " + ", ".join(f"{n} ({rows} rows)" for n, rows in counts.items()))
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    args.out.write_bytes(ingest.template(args.format))
    print(f"wrote {args.out}: the import columns, then one column per standard")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from analytics import bench  # only this command needs it

    if args.runs < 5:
        raise InvalidFilterError("--runs must be at least 5 for a median and a 95th percentile")
    report = bench.run(
        inspections=args.inspections,
        seed=args.seed,
        runs=args.runs,
        reference_runs=args.reference_runs,
        dashboard=not args.no_dashboard,
        progress=lambda line: print(line, file=sys.stderr, flush=True),
    )
    print(bench.format_report(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


def cmd_synth(args: argparse.Namespace) -> int:
    from analytics import synthetic  # only this command needs it

    info = synthetic.generate(args.out, inspections=args.inspections, seed=args.seed)
    print(
        f"wrote SYNTHETIC database {args.out}: {args.inspections} inspections, seed {args.seed} "
        f"({info.source})"
    )
    return 0


COMMANDS = {
    "build-db": cmd_build_db,
    "info": cmd_info,
    "query": cmd_query,
    "export": cmd_export,
    "import": cmd_import,
    "imports": cmd_imports,
    "undo-import": cmd_undo_import,
    "export-data": cmd_export_data,
    "template": cmd_template,
    "bench": cmd_bench,
    "synth": cmd_synth,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except DataValidationError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        if exc.omitted_line():
            print(f"error: {exc.omitted_line()}", file=sys.stderr)
        return 2
    except AnalyticsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

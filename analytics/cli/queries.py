"""Commands that read the database: ``build-db``, ``info``, ``query`` and ``export``."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Iterable
from typing import Any

import duckdb
import pandas as pd

from analytics.analyses import catalog, league, registry, summary, viewspecs
from analytics.analyses.sql import fetch_batches
from analytics.analyses.views import ViewOptions
from analytics.errors import InvalidFilterError
from analytics.export import context, gallery, images, names, reports, tables
from analytics.filter_fields import CHOICES, PERIOD
from analytics.filters import Filters
from analytics.pipeline import db, journal


def _one_unit(con: duckdb.DuckDBPyConnection, filters: Filters, args: argparse.Namespace):
    if len(filters.units) != 1:
        what = getattr(args, "analysis", None) or args.view
        raise InvalidFilterError(f"'{what}' needs exactly one --unit NAME")
    name = filters.units[0]
    types = catalog.unit_types_named(con, name)
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
    out = _printable(df, fmt, raw=raw)
    if fmt == "json":
        return json.dumps(_records(out), indent=2, ensure_ascii=False)
    if fmt == "csv":
        return out.to_csv(index=False).rstrip("\n")
    if out.empty:
        return "(no rows)"
    return out.to_string(index=False)


def cmd_build_db(args: argparse.Namespace) -> int:
    """``build-db``: validate the CSVs and (re)build the database."""
    data_dir = args.data or db.default_data_dir()
    db_path = args.db or db.default_db_path()
    if args.if_needed and not db.ensure_database(data_dir, db_path):
        print(f"{db_path} is up to date with {data_dir}")
        return 0
    info = None
    if not args.if_needed:
        # under the import lock, as every rebuild: never beside an import or another rebuild
        with journal.locked(journal.imports_dir_for(db_path)):
            info = db.build(data_dir, db_path)
    info = info or db.read_info(db_path)
    con = db.connect(db_path)
    try:
        counts = ", ".join(f"{r.rows} {r.table}" for r in db.table_counts(con).itertuples())
    finally:
        con.close()
    print(f"built {db_path} from {data_dir}: {counts} (content hash {info.content_hash[:12]})")
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    """``info``: rows per table, dates, units per type and the content hash."""
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
        first, last, approx = catalog.published_range(con)
        lines.append(f"published:     {first} to {last} ({approx} with approximate dates)")
        lines.append("units per type (inspected / known):")
        for unit_type, inspected, known in catalog.units_per_type(con):
            lines.append(f"  {unit_type:<17}{inspected:>5} / {known}")
    finally:
        con.close()
    print("\n".join(lines))
    return 0


def _filters(args: argparse.Namespace) -> Filters:
    chosen: dict[str, Any] = {c.field: tuple(getattr(args, c.param)) for c in CHOICES}
    chosen |= {name: getattr(args, name) for name in PERIOD.fields}
    return Filters(**chosen, include_approximate=not args.exclude_approximate)


def _check_regions(con: duckdb.DuckDBPyConnection, filters: Filters) -> None:
    known = catalog.regions(con)
    unknown = [r for r in filters.regions if r not in known]
    if unknown:
        raise InvalidFilterError(f"unknown region '{unknown[0]}' (allowed: {', '.join(known)})")


def compared_units(
    con: duckdb.DuckDBPyConnection, args: argparse.Namespace
) -> tuple[tuple[str, str], ...]:
    """The units ``--unit`` names for a comparison (``"Name (Type)"`` where a name is shared)."""
    return tuple(catalog.resolve_unit(con, text, tuple(args.unit_type)) for text in args.unit)


# Options only some analyses take: (argument, analysis option, flag for the error).
NARROW_OPTIONS = (("as_of", "as_of", "--as-of"), ("older_than", "older_than_years", "--older-than"))


def run_analysis(
    con: duckdb.DuckDBPyConnection, filters: Filters, args: argparse.Namespace
) -> pd.DataFrame:
    """The analysis ``args.analysis`` with the options it takes from the command line (the data
    API builds the same arguments from a URL: the same code answers both).
    """
    analysis = registry.analysis(args.analysis)
    options = {name: getattr(args, name) for name in ("by", "freq") if name in analysis.options}
    for arg, option, flag in NARROW_OPTIONS:
        value = getattr(args, arg, None)
        if value is None:
            continue
        if option not in analysis.options:
            takers = [a.name for a in registry.ANALYSES.values() if option in a.options]
            raise InvalidFilterError(f"{flag} applies only to: {', '.join(takers)}")
        options[option] = value
    if getattr(args, "limit", None) is not None:
        options["limit"] = args.limit  # league only (cmd_query checks)
    if analysis.needs_units:
        # the units are named, so only the period applies (the analysis keeps only that)
        return analysis.function(con, filters, units=compared_units(con, args), **options)
    if analysis.needs_unit:
        unit_type, unit_name = _one_unit(con, filters, args)
        options.update(unit_type=unit_type, unit_name=unit_name)
    return analysis.function(con, filters, **options)


def _printable(df: pd.DataFrame, fmt: str, *, raw: bool) -> pd.DataFrame:
    """``df`` as printed: formula-like text neutralised in CSV (unless ``raw``), dates as days."""
    out = df.copy() if raw or fmt != "csv" else tables.neutralise_formulas(df)
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
    return out


def _records(df: pd.DataFrame) -> list[dict]:
    """The rows as JSON-ready dicts (pandas' own encoding of its values)."""
    return json.loads(df.to_json(orient="records", force_ascii=False))


def write_frames(frames: Iterable[pd.DataFrame], fmt: str, write, *, raw: bool = False) -> None:
    """Write consecutive pieces of one table as CSV or a JSON array, exactly as
    :func:`format_frame` prints the whole table, holding one piece at a time.
    """
    pieces = (_printable(piece, fmt, raw=raw) for piece in frames)
    if fmt == "csv":
        for i, out in enumerate(pieces):
            write(out.to_csv(index=False, header=i == 0))
        return
    # json.dumps(rows, indent=2), one row at a time: each row indented one level in the array
    opening = "[\n  "
    for out in pieces:
        for record in _records(out):
            write(opening + json.dumps(record, indent=2, ensure_ascii=False).replace("\n", "\n  "))
            opening = ",\n  "
    write("[]\n" if opening == "[\n  " else "\n]\n")


def cmd_query(args: argparse.Namespace) -> int:
    """``query``: run one analysis and print its table."""
    filters = _filters(args)
    function = registry.analysis(args.analysis).function
    if args.limit is not None and function is not league.league_table:
        raise InvalidFilterError(f"--limit applies only to: {league.league_table.__name__}")
    con = _open(args)
    try:
        _check_regions(con, filters)
        if function is league.league_table and args.format in ("csv", "json"):
            # every unit at 1M inspections is 100,000 rows: streamed in pieces, never whole
            query = league.league_query(
                filters, limit=args.limit, as_of=args.as_of, older_than_years=args.older_than
            )
            pieces = fetch_batches(con, *query)
            write_frames(pieces, args.format, sys.stdout.write, raw=args.raw)
            return 0
        df = run_analysis(con, filters, args)
    finally:
        con.close()
    if function is summary.view_summary and args.format == "table":
        print("\n".join(df["sentence"]))  # the paragraph, one sentence per line
        return 0
    print(format_frame(df, args.format, raw=args.raw))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """``export``: write a view's chart, table or report to a file."""
    filters = _filters(args)
    con = _open(args)
    try:
        _check_regions(con, filters)
        options = ViewOptions(freq=args.freq, measure=args.measure)
        if args.view in viewspecs.COMPARE_VIEWS or (
            args.view == "dashboard" and len(args.unit) > 1
        ):
            # two or more --unit: the units compared (the report adds their section)
            options = ViewOptions(
                freq=args.freq, measure=args.measure, compare=compared_units(con, args)
            )
            filters = filters.replace(units=())
        elif args.view.startswith("unit-"):
            unit_type, unit_name = _one_unit(con, filters, args)
            options = ViewOptions(
                freq=args.freq, measure=args.measure, unit_type=unit_type, unit_name=unit_name
            )
        if args.format in {"report", "pdf"}:
            report = reports.build_report(
                con,
                filters,
                view=None if args.view == "dashboard" else args.view,
                options=options,
            )
            data = report.encode("utf-8") if args.format == "report" else reports.report_pdf(report)
        else:
            if args.view == "dashboard":
                raise InvalidFilterError(
                    "'dashboard' is the whole view: export it with --format report or pdf"
                )
            # refused before the table is built: a million rows would be built, then refused
            refusal = tables.file_refusal(con, args.view, filters, args.format)
            if refusal:
                raise InvalidFilterError(refusal)
            view = viewspecs.build_view(con, args.view, filters, options)
            ctx = context.context_for(con, view.title, filters, selection=view.selection)
            if args.format == "csv":
                data = tables.table_csv(view.table)
            elif args.format == "xlsx":
                data = tables.table_xlsx(view.table, ctx)
            elif view.figure is None:
                raise InvalidFilterError(f"'{args.view}' is a table: export it as csv or xlsx")
            elif args.format == "html":
                data = images.figure_html(view.figure, ctx)
            else:
                data = images.figure_image(view.figure, ctx, args.format)
    finally:
        con.close()
    out = args.out
    if out.is_dir():
        # Reports are named like the dashboard's: VIEW-report_FILTERS_DATE.html|pdf
        stem = f"{args.view}-report" if args.format in {"report", "pdf"} else args.view
        ext = "html" if args.format == "report" else args.format
        out = out / names.export_filename(stem, filters, ext, today=dt.date.today())
    tmp = out.with_name(out.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(out)  # never leave a half-written file under the final name
    print(f"wrote {out} ({len(data):,} bytes)")
    return 0


def cmd_gallery(args: argparse.Namespace) -> int:
    """``gallery``: every export of a fixed set of views, and an index.html showing them."""
    if args.out.exists() and not args.out.is_dir():
        raise InvalidFilterError(f"{args.out} is not a folder")
    con = _open(args)
    try:
        written = gallery.write_gallery(con, args.out)
    finally:
        con.close()
    print(f"wrote {len(written)} files to {args.out}; open {args.out / 'index.html'}")
    return 0

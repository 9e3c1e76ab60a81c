"""Commands that change or copy the data: ``import``, ``imports``, ``undo-import``,
``export-data`` and ``template``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from analytics.cli.queries import format_frame
from analytics.export import dataset
from analytics.pipeline import db, ingest, journal, readers


def _store(args: argparse.Namespace) -> tuple[Path, Path]:
    """The shipped CSVs and the database, rebuilt first if they changed."""
    data_dir = args.data or db.default_data_dir()
    db_path = args.db or db.default_db_path()
    db.ensure_database(data_dir, db_path)
    return data_dir, db_path


def cmd_import(args: argparse.Namespace) -> int:
    """``import``: check a file, then journal and apply it (or only report, with --dry-run)."""
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
    """``imports``: list the imports journal."""
    # Reads the journal only: it works even when an entry no longer builds.
    print(format_frame(journal.import_log(args.db or db.default_db_path()), args.format))
    return 0


def cmd_undo_import(args: argparse.Namespace) -> int:
    """``undo-import``: take one import out of the data."""
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
    """``export-data``: write the current dataset as CSVs in the shipped format."""
    _, db_path = _store(args)
    con = db.connect(db_path)
    try:
        counts = dataset.export_data(con, args.out, raw=args.raw)
    finally:
        con.close()
    print(f"wrote {args.out}: " + ", ".join(f"{n} ({rows} rows)" for n, rows in counts.items()))
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    """``template``: write an empty import file."""
    args.out.write_bytes(dataset.template(args.format))
    print(f"wrote {args.out}: the import columns, then one column per standard")
    return 0

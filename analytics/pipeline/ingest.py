"""Validated imports of inspections, kept in a journal so that nothing is ever lost.

An import file (CSV or .xlsx) has the columns of data/inspections.csv, optionally followed by one
column per standard holding that standard's rating. Every row is checked against the current
database before anything is written; a clean file is journalled as one JSON file in the imports
directory (beside the database) and the database is rebuilt from the shipped CSVs plus every
journalled import. So a rebuild after an upgrade keeps every import, undoing an import is
removing it from the journal, and a process killed at any point leaves either the old or the new
data, never a mixture.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

import duckdb

from analytics.errors import (
    ImportChangedError,
    ImportNotFoundError,
)
from analytics.pipeline import db, journal, store
from analytics.pipeline.planning import ImportPlan, plan_import

# --- the journal ---------------------------------------------------------------------------------


@contextlib.contextmanager
def current_data(csv_dir: Path, db_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the data as it stands, writing nothing where the data lives.

    The database itself when it is current; otherwise (the CSVs or the journal changed since it
    was built) a copy built from them in a temporary folder, removed afterwards. Dry runs use
    this: checking a file never rebuilds the database.
    """
    if db.is_current(csv_dir, db_path):
        con = db.connect(db_path)
        try:
            yield con
        finally:
            con.close()
        return
    with tempfile.TemporaryDirectory(prefix="probation-ratings-check-") as folder:
        path = Path(folder) / "ratings.duckdb"
        db.build(csv_dir, path, imports_dir=journal.imports_dir_for(db_path))
        con = db.connect(path)
        try:
            yield con
        finally:
            con.close()


def _plan_now(db_path: Path, data: bytes, file_name: str, **options) -> ImportPlan:
    con = db.connect(db_path)
    try:
        return plan_import(con, data, file_name, **options)
    finally:
        con.close()


def import_file(
    data: bytes,
    file_name: str,
    *,
    csv_dir: Path,
    db_path: Path,
    replace: bool = False,
    allow_new_units: bool = False,
    dry_run: bool = False,
) -> tuple[ImportPlan, dict | None]:
    """Check an import file and, unless it is a dry run or would change nothing, import it.

    The check and the import happen under the import lock, so imports started together behave
    exactly as one after the other (the second sees what the first added). A dry run takes no
    lock and writes nothing (see :func:`current_data`).

    Returns
    -------
    tuple[ImportPlan, dict or None]
        What the file does, and its journal entry (None when nothing was imported).

    Raises
    ------
    DataValidationError
        With every problem as ``FILE:ROW:COLUMN: message``; nothing was changed.
    """
    options = {"replace": replace, "allow_new_units": allow_new_units}
    if dry_run:
        with current_data(csv_dir, db_path) as con:
            return plan_import(con, data, file_name, **options), None
    with journal.locked(journal.imports_dir_for(db_path)):
        db.ensure_database(csv_dir, db_path)
        plan = _plan_now(db_path, data, file_name, **options)
        if not plan.changes:
            return plan, None
        return plan, _journal_and_build(plan, csv_dir=csv_dir, db_path=db_path)


def apply_import(plan: ImportPlan, *, csv_dir: Path, db_path: Path) -> dict:
    """Import a plan that was shown to someone, checking the file again under the import lock.

    Returns
    -------
    dict
        The journal entry: ``import_id``, ``imported_at``, ``file_name``, ``sha256``, counts.

    Raises
    ------
    DataValidationError
        If the file no longer fits the data (another import came first); nothing was changed.
    ImportChangedError
        If it still fits but would now do something else than the plan said.
    """
    with journal.locked(journal.imports_dir_for(db_path)):
        db.ensure_database(csv_dir, db_path)
        fresh = _plan_now(
            db_path,
            plan.data,
            plan.file_name,
            replace=plan.replace,
            allow_new_units=plan.allow_new_units,
        )
        if fresh.outcome() != plan.outcome() or fresh.new_units != plan.new_units:
            raise ImportChangedError(
                f"{plan.file_name}: the data changed after this file was checked (another "
                f"import came first): it would now do {fresh.summary}, not {plan.summary}. "
                "Nothing was changed; check the file again."
            )
        return _journal_and_build(fresh, csv_dir=csv_dir, db_path=db_path)


def _journal_and_build(plan: ImportPlan, *, csv_dir: Path, db_path: Path) -> dict:
    """Build the database with the plan's entry, journal the entry, then put the database in
    place. Only an entry whose build succeeded is journalled; a process killed after the
    journal write leaves a database whose content hash no longer matches, which the next start
    rebuilds. Called under the import lock.
    """
    imports_dir = journal.imports_dir_for(db_path)
    ids = [e["import_id"] for e in journal.entries(imports_dir)]
    entry = {
        "import_id": max(ids, default=0) + 1,
        "imported_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "file_name": plan.file_name,
        "sha256": plan.sha256,
        "added": plan.count("added"),
        "replaced": plan.count("replaced"),
        "skipped": plan.count("skipped"),
        "new_units": [list(u) for u in plan.new_units],
        "rows": [r.to_json() for r in plan.rows if r.action != "skipped"],
    }
    entry = json.loads(json.dumps(entry))  # exactly as the journal will give it back
    path = imports_dir / f"import-{entry['import_id']:05d}.json"
    db.build(
        csv_dir,
        db_path,
        extra_imports=[entry],
        before_replace=lambda: store.write_json(path, entry),
    )
    return entry


def undo_import(import_id: int, *, csv_dir: Path, db_path: Path) -> dict:
    """Take one import out of the data (its journal entry is kept, marked undone).

    Works whatever state the rest of the data is in, so a journalled import that no longer
    builds can always be undone.

    Raises
    ------
    ImportNotFoundError
        If no active import has that id.
    DataValidationError
        If the data would be invalid without it (a later import needs a unit it added).
    """
    imports_dir = journal.imports_dir_for(db_path)
    with journal.locked(imports_dir):
        path = imports_dir / f"import-{import_id:05d}.json"
        if not path.exists():
            raise ImportNotFoundError(f"no import {import_id} (see `probation-ratings imports`)")
        entry = json.loads(path.read_text(encoding="utf-8"))
        if entry.get("undone_at"):
            raise ImportNotFoundError(
                f"import {import_id} was already undone at {entry['undone_at']}"
            )
        entry["undone_at"] = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        db.build(
            csv_dir,
            db_path,
            skip_imports={import_id},
            before_replace=lambda: store.write_json(path, entry),
        )
    return entry

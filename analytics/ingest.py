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
import hashlib
import io
import json
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from analytics import db, journal, store
from analytics.errors import (
    DataValidationError,
    ImportChangedError,
    ImportNotFoundError,
    ProblemLog,
)
from analytics.export.tables import neutralise_formulas
from analytics.readers import IMPORT_COLUMNS, read_rows
from analytics.validate import check_inspection
from analytics.vocab import RATING_NAMES, STANDARD_NAMES

FIELDS = ("region", "date_basis", "fieldwork", "overall_rating", "score", "score_max", "source_url")


# --- planning: validate against the current database --------------------------------------------


@dataclass
class ImportRow:
    row: int
    key: tuple[str, str, str]
    record: dict
    standards: dict[str, str]
    action: str = ""  # added | replaced | skipped

    def to_json(self) -> dict:
        out = {
            c: ("" if self.record[c] is None else str(self.record[c]))
            for c in IMPORT_COLUMNS
            if c != "published"
        }
        out["published"] = self.record["published"]
        return {"row": self.row, "fields": out, "standards": self.standards}


@dataclass
class ImportPlan:
    """What an import would do; nothing is written until :func:`apply_import`."""

    file_name: str
    sha256: str
    rows: list[ImportRow]
    new_units: list[tuple[str, str, str | None]] = field(default_factory=list)
    replace: bool = False
    allow_new_units: bool = False
    data: bytes = field(default=b"", repr=False)  # the file itself, checked again when applied

    def count(self, action: str) -> int:
        return sum(r.action == action for r in self.rows)

    @property
    def changes(self) -> int:
        """Inspections the import would add or replace."""
        return self.count("added") + self.count("replaced")

    def outcome(self) -> list[tuple[int, str]]:
        """What the plan does to each row: (row, action), in file order."""
        return [(r.row, r.action) for r in self.rows]

    @property
    def summary(self) -> str:
        units = f", {len(self.new_units)} new units" if self.new_units else ""
        return (
            f"{self.count('added')} added, {self.count('replaced')} replaced, "
            f"{self.count('skipped')} skipped (already identical){units}"
        )

    def preview(self) -> pd.DataFrame:
        """One row per file row: row number, action, key and overall rating."""
        return pd.DataFrame(
            [
                (
                    r.row,
                    r.action,
                    r.key[0],
                    r.key[1],
                    r.key[2],
                    r.record["overall_rating"],
                    len(r.standards),
                )
                for r in self.rows
            ],
            columns=[
                "row",
                "action",
                "unit_type",
                "unit_name",
                "published",
                "overall_rating",
                "standards",
            ],
        )


def _current(con: duckdb.DuckDBPyConnection) -> tuple[set[str], dict, dict, dict]:
    cur = db.cursor(con)
    regions = {r for (r,) in cur.execute("select region from regions").fetchall()}
    units = {
        (t, n): r
        for t, n, r in cur.execute("select unit_type, unit_name, region from units").fetchall()
    }
    columns = ", ".join(IMPORT_COLUMNS)
    inspections = {}
    for row in cur.execute(f"select inspection_id, {columns} from inspections").fetchall():  # noqa: S608 -- fixed names
        record = dict(zip(("inspection_id", *IMPORT_COLUMNS), row, strict=True))
        inspections[(record["unit_type"], record["unit_name"], record["published"])] = record
    standards: dict[int, dict[str, str]] = {}
    for iid, standard, rating in cur.execute(
        "select inspection_id, standard, rating from standard_ratings"
    ).fetchall():
        standards.setdefault(iid, {})[standard] = rating
    return regions, units, inspections, standards


def _differences(old: dict, new: dict, old_standards: dict, new_standards: dict) -> list[str]:
    diffs = []
    for column in FIELDS:
        before = "" if old[column] is None else str(old[column])
        after = "" if new[column] is None else str(new[column])
        if before != after:
            diffs.append(f"{column}: '{before}' -> '{after}'")
    for standard, rating in new_standards.items():
        if old_standards.get(standard) != rating:
            diffs.append(f"{standard}: '{old_standards.get(standard, '')}' -> '{rating}'")
    return diffs


def plan_import(
    con: duckdb.DuckDBPyConnection,
    data: bytes,
    file_name: str,
    *,
    replace: bool = False,
    allow_new_units: bool = False,
) -> ImportPlan:
    """Validate an import file against the current database and say what it would do.

    Raises
    ------
    DataValidationError
        With every problem as ``FILE:ROW:COLUMN: message``; nothing was changed.
    """
    file_name = Path(file_name).name
    problems = ProblemLog()
    rows, header = read_rows(data, file_name, problems)
    regions, units, existing, existing_standards = _current(con)
    standard_columns = [h for h in header if h in STANDARD_NAMES]
    planned: list[ImportRow] = []
    seen: dict[tuple[str, str, str], int] = {}
    new_units: dict[tuple[str, str], tuple[str | None, int]] = {}
    for row, rec in rows.rows:
        fields = check_inspection(rows, row, rec, regions, forgiving=True)
        standards = {}
        for column in standard_columns:
            if rec[column]:
                rating = rows.choice(row, rec, column, RATING_NAMES, forgiving=True)
                if rating is not None:
                    standards[column] = rating
        if not fields.complete:
            continue
        record = fields.record()
        key = (record["unit_type"], record["unit_name"], record["published"])
        if key in seen:
            rows.problem(
                row,
                "published",
                f"duplicate inspection {key[0]} '{key[1]}' published {key[2]} "
                f"(first at row {seen[key]})",
            )
            continue
        seen[key] = row
        unit = key[:2]
        if unit in units:
            if units[unit] != record["region"]:
                rows.problem(
                    row,
                    "region",
                    f"'{record['region'] or ''}' differs from the unit's region "
                    f"('{units[unit] or ''}')",
                )
                continue
        elif not allow_new_units:
            rows.problem(
                row,
                "unit_name",
                f"unit {unit[0]} '{unit[1]}' is not known; check the name, or allow new units "
                "(--allow-new-units) to add it",
            )
            continue
        else:
            first = new_units.setdefault(unit, (record["region"], row))
            if first[0] != record["region"]:
                rows.problem(
                    row,
                    "region",
                    f"'{record['region'] or ''}' differs from this new unit's region at row "
                    f"{first[1]} ('{first[0] or ''}')",
                )
                continue
        action = "added"
        if key in existing:
            old = existing[key]
            diffs = _differences(
                old, record, existing_standards.get(old["inspection_id"], {}), standards
            )
            if not diffs:
                action = "skipped"
            elif not replace:
                rows.problem(
                    row,
                    diffs[0].split(":", 1)[0],
                    f"inspection {key[0]} '{key[1]}' published {key[2]} already exists with "
                    f"different values ({'; '.join(diffs)}); replace it (--replace) or correct "
                    "the row",
                )
                continue
            else:
                action = "replaced"
        planned.append(ImportRow(row, key, record, standards, action))
    if not problems and not rows.rows:
        rows.problem(None, None, "holds no inspections (only a header)")
    if problems:
        raise DataValidationError(problems)
    return ImportPlan(
        file_name=file_name,
        sha256=hashlib.sha256(data).hexdigest(),
        rows=planned,
        new_units=[(t, n, r) for (t, n), (r, _) in new_units.items()],
        replace=replace,
        allow_new_units=allow_new_units,
        data=data,
    )


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
    rebuilds. Called under the import lock."""
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


# --- templates and full exports -----------------------------------------------------------------


def template(fmt: str) -> bytes:
    """An empty import file: the inspection columns, then one column per standard."""
    columns = [*IMPORT_COLUMNS, *STANDARD_NAMES]
    if fmt == "csv":
        return (",".join(columns) + "\r\n").encode("utf-8")
    if fmt == "xlsx":
        buffer = io.BytesIO()
        pd.DataFrame(columns=columns).to_excel(buffer, index=False, sheet_name="Inspections")
        return buffer.getvalue()
    raise ValueError(f"unknown template format {fmt!r} (allowed: csv, xlsx)")


# Ordered as the shipped files are, so an export of unchanged data equals them byte for byte.
EXPORT_QUERIES: dict[str, str] = {
    "regions.csv": "select region, tile_row, tile_col, pdus_stated from regions order by rowid",
    "units.csv": "select unit_type, unit_name, region, former_names from units order by rowid",
    "inspections.csv": "select unit_type, unit_name, region, published, date_basis, fieldwork, "
    "overall_rating, score, score_max, source_url from inspections order by rowid",
    "standard_ratings.csv": "select i.unit_type, i.unit_name, i.published, s.standard, s.rating "
    "from standard_ratings s join inspections i using (inspection_id) order by s.rowid",
    "events.csv": "select date_text as date, event, source_url from events order by rowid",
}


def export_data(
    con: duckdb.DuckDBPyConnection, out_dir: Path, *, raw: bool = False
) -> dict[str, int]:
    """Write the complete current dataset (shipped plus imports) as CSVs in the shipped format.

    Text that a spreadsheet would run as a formula gets a leading apostrophe, as in every
    download, unless ``raw`` (for files that will be imported again).

    Returns
    -------
    dict[str, int]
        Rows written per file.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = {}
    cur = db.cursor(con)
    for name, sql in EXPORT_QUERIES.items():
        frame = cur.execute(sql).df()
        if not raw:
            frame = neutralise_formulas(frame)
        for column in ("score", "score_max", "pdus_stated"):
            if column in frame:
                frame[column] = frame[column].astype("Int64")
        tmp = out_dir / (name + ".tmp")
        frame.to_csv(tmp, index=False, lineterminator="\r\n")
        tmp.replace(out_dir / name)
        counts[name] = len(frame)
    return counts

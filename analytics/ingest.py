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
import fcntl
import hashlib
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from analytics import db
from analytics.errors import AnalyticsError, DataValidationError, Problem
from analytics.validate import COLUMNS, Records, Rows, check_inspection
from analytics.vocab import RATING_NAMES, STANDARD_NAMES

IMPORT_COLUMNS: tuple[str, ...] = COLUMNS["inspections.csv"]
MAX_FILE_BYTES = 5 * 1024 * 1024
# An .xlsx is a zip: refuse one that would unpack to more than this (a "zip bomb").
MAX_XLSX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ROWS = 50_000
FIELDS = ("region", "date_basis", "fieldwork", "overall_rating", "score", "score_max", "source_url")


class ImportNotFoundError(LookupError, AnalyticsError):
    """No import with that id in the journal."""


# --- reading files ------------------------------------------------------------------------------


def _cell_text(value) -> str:
    """An Excel cell as the text a CSV would hold (dates as YYYY-MM-DD, whole numbers bare)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_rows(data: bytes, file_name: str, problems: list[Problem]) -> tuple[Rows, list[str]]:
    """Read an import file's rows; problems about the file as a whole go to ``problems``."""
    rows = Rows(file_name, problems)
    if len(data) > MAX_FILE_BYTES:
        rows.problem(None, None, f"is {len(data):,} bytes; the limit is {MAX_FILE_BYTES:,} (5 MB)")
        return rows, []
    optional = _standard_headers()
    if file_name.lower().endswith(".xlsx"):
        return rows, _read_xlsx(rows, data, optional)
    if data[:4] == b"PK\x03\x04":
        rows.problem(None, None, "looks like an Excel or zip file; name it .xlsx, or save as CSV")
        return rows, []
    if b"\x00" in data[:4096]:
        rows.problem(None, None, "is a binary file, not CSV text")
        return rows, []
    header = rows.read_csv(data, IMPORT_COLUMNS, optional=optional)
    rows.rows = [(n, {_canonical_header(k): v for k, v in rec.items()}) for n, rec in rows.rows]
    return rows, [_canonical_header(h) for h in header]


class _StandardHeaders:
    """Standard column names in any letter case: "leadership" and "LEADERSHIP" are Leadership."""

    names = frozenset(s.casefold() for s in STANDARD_NAMES)

    def __contains__(self, header: object) -> bool:
        return isinstance(header, str) and header.casefold() in self.names

    def __bool__(self) -> bool:
        return True


def _standard_headers() -> _StandardHeaders:
    return _StandardHeaders()


def _canonical_header(name: str) -> str:
    return {s.casefold(): s for s in STANDARD_NAMES}.get(name.casefold(), name)


def _read_xlsx(rows: Rows, data: bytes, optional: set[str]) -> list[str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(i.file_size for i in archive.infolist())
    except zipfile.BadZipFile:
        rows.problem(None, None, "is not a valid .xlsx file (not a zip archive)")
        return []
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        rows.problem(
            None, None, f"unpacks to {unpacked:,} bytes; the limit is {MAX_XLSX_UNPACKED_BYTES:,}"
        )
        return []
    import openpyxl  # only .xlsx imports need it

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 -- openpyxl raises many types for a bad file
        rows.problem(None, None, f"is not a readable .xlsx file ({exc.__class__.__name__})")
        return []
    try:
        sheet = book.worksheets[0]
        values = sheet.iter_rows(values_only=True)
        first = next(values, None)
        if first is None:
            rows.problem(None, None, "file is empty; expected a header row")
            return []
        header = [_cell_text(c).strip() for c in first]
        while header and not header[-1]:
            header.pop()  # trailing empty header cells are formatting, not columns
        header = rows.check_header(header, IMPORT_COLUMNS, optional)
        if not header:
            return []
        header = [_canonical_header(h) for h in header]
        for number, cells in enumerate(values, start=2):
            if number > MAX_ROWS + 1:
                rows.problem(None, None, f"has more than {MAX_ROWS:,} rows")
                break
            cells = [_cell_text(c) for c in cells[: len(header)]]
            cells += [""] * (len(header) - len(cells))
            rows.add(number, cells, header)
        return header
    finally:
        book.close()


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

    def count(self, action: str) -> int:
        return sum(r.action == action for r in self.rows)

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
    problems: list[Problem] = []
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
    )


# --- the journal ---------------------------------------------------------------------------------


def imports_dir_for(db_path: Path) -> Path:
    """Where a database's imports are journalled: ``$PROBATION_RATINGS_IMPORTS`` or beside it."""
    env = os.environ.get("PROBATION_RATINGS_IMPORTS")
    return Path(env) if env else Path(db_path).with_name(Path(db_path).stem + ".imports")


def journal(imports_dir: Path) -> list[dict]:
    """Every journalled import, oldest first (undone ones included, with ``undone_at``)."""
    entries = []
    for path in sorted(Path(imports_dir).glob("import-*.json")):
        entries.append(json.loads(path.read_text(encoding="utf-8")))
    return entries


def active_imports(imports_dir: Path | None) -> list[dict]:
    if imports_dir is None or not Path(imports_dir).exists():
        return []
    return [e for e in journal(imports_dir) if not e.get("undone_at")]


def journal_hash(imports_dir: Path | None) -> bytes:
    """Bytes that change whenever the active imports change; empty when there are none."""
    entries = active_imports(imports_dir)
    if not entries:
        return b""
    digest = hashlib.sha256()
    for entry in entries:
        digest.update(json.dumps(entry, sort_keys=True).encode())
    return digest.digest()


@contextlib.contextmanager
def _locked(imports_dir: Path) -> Iterator[None]:
    """One writer at a time: imports and undos from several processes queue here."""
    imports_dir.mkdir(parents=True, exist_ok=True)
    with (imports_dir / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        # Journal files are written only under this lock, so a temporary one found now was left
        # by a writer killed part-way (the journal entry itself is never half-written).
        for stale in imports_dir.glob("import-*.json.*.tmp"):
            stale.unlink(missing_ok=True)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_json(path: Path, entry: dict) -> None:
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(entry, handle, indent=1, ensure_ascii=False)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def apply_import(plan: ImportPlan, *, csv_dir: Path, db_path: Path) -> dict:
    """Journal a validated plan and rebuild the database with it, all or nothing.

    Returns
    -------
    dict
        The journal entry: ``import_id``, ``imported_at``, ``file_name``, ``sha256``, counts.
    """
    imports_dir = imports_dir_for(db_path)
    with _locked(imports_dir):
        ids = [e["import_id"] for e in journal(imports_dir)]
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
        path = imports_dir / f"import-{entry['import_id']:05d}.json"
        # Checked with the entry before it is journalled, so a failure leaves the journal as it
        # was; a process killed after the journal write leaves a database whose content hash no
        # longer matches, which the next start rebuilds.
        db.build(csv_dir, db_path, extra_imports=[entry], check_only=True)
        _write_json(path, entry)
        db.build(csv_dir, db_path)
    return entry


def undo_import(import_id: int, *, csv_dir: Path, db_path: Path) -> dict:
    """Take one import out of the data (its journal entry is kept, marked undone).

    Raises
    ------
    ImportNotFoundError
        If no active import has that id.
    DataValidationError
        If the data would be invalid without it (a later import needs a unit it added).
    """
    imports_dir = imports_dir_for(db_path)
    with _locked(imports_dir):
        path = imports_dir / f"import-{import_id:05d}.json"
        if not path.exists():
            raise ImportNotFoundError(f"no import {import_id} (see `probation-ratings imports`)")
        entry = json.loads(path.read_text(encoding="utf-8"))
        if entry.get("undone_at"):
            raise ImportNotFoundError(
                f"import {import_id} was already undone at {entry['undone_at']}"
            )
        db.build(csv_dir, db_path, skip_imports={import_id}, check_only=True)  # the rest fits?
        entry["undone_at"] = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        _write_json(path, entry)
        db.build(csv_dir, db_path)
    return entry


def apply_journal(records: Records, entries: list[dict]) -> None:
    """Apply journalled imports, in order, on top of the shipped records.

    An imported inspection replaces a shipped one with the same key (the import was checked when
    made); its standard ratings override the same standards and keep the others.

    Raises
    ------
    DataValidationError
        If an entry no longer fits (for example its unit's region changed in the shipped data).
    """
    regions = {r["region"] for r in records.regions}
    for entry in entries:
        name = f"import-{entry['import_id']:05d}.json"
        problems: list[Problem] = []
        rows = Rows(name, problems)
        for unit_type, unit_name, region in entry.get("new_units", []):
            records.units.setdefault(
                (unit_type, unit_name),
                {
                    "unit_type": unit_type,
                    "unit_name": unit_name,
                    "region": region,
                    "former_names": None,
                },
            )
        for item in entry["rows"]:
            fields = check_inspection(rows, item["row"], item["fields"], regions)
            if not fields.complete:
                continue
            record = fields.record()
            key = (record["unit_type"], record["unit_name"], record["published"])
            unit = records.units.get(key[:2])
            if unit is None or unit["region"] != record["region"]:
                rows.problem(item["row"], "unit_name", f"unit {key[0]} '{key[1]}' no longer fits")
                continue
            records.inspections[key] = {**record, "import_id": entry["import_id"]}
            if item["standards"]:
                records.standards.setdefault(key, {}).update(item["standards"])
        if problems:
            raise DataValidationError(problems)


LOG_COLUMNS = [
    "import_id",
    "imported_at",
    "file_name",
    "sha256",
    "added",
    "replaced",
    "skipped",
    "undone_at",
]


def log_frame(entries: list[dict]) -> pd.DataFrame:
    """Journal entries as a table (``undone_at`` empty for an active import)."""
    return pd.DataFrame(
        [[e.get(c) or "" if c == "undone_at" else e[c] for c in LOG_COLUMNS] for e in entries],
        columns=LOG_COLUMNS,
    )


def import_log(db_path: Path) -> pd.DataFrame:
    """The journal as a table: one row per import, oldest first."""
    imports_dir = imports_dir_for(db_path)
    return log_frame(journal(imports_dir) if imports_dir.exists() else [])


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
    "overall_rating, score, score_max, source_url from inspections "
    "order by published, unit_type, unit_name",
    "standard_ratings.csv": "select i.unit_type, i.unit_name, i.published, s.standard, s.rating "
    "from standard_ratings s join inspections i using (inspection_id) "
    "join standards st using (standard) "
    "order by i.published, i.unit_type, i.unit_name, st.sort_order",
    "events.csv": "select date_text as date, event, source_url from events order by rowid",
}


def export_data(con: duckdb.DuckDBPyConnection, out_dir: Path) -> dict[str, int]:
    """Write the complete current dataset (shipped plus imports) as CSVs in the shipped format.

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
        for column in ("score", "score_max", "pdus_stated"):
            if column in frame:
                frame[column] = frame[column].astype("Int64")
        tmp = out_dir / (name + ".tmp")
        frame.to_csv(tmp, index=False, lineterminator="\r\n")
        tmp.replace(out_dir / name)
        counts[name] = len(frame)
    return counts

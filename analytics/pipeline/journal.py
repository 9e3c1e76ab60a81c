"""The import journal: one JSON file per import beside the database, replayed on every build.

The database is rebuilt from the shipped CSVs plus every active entry, so a rebuild keeps every
import and undoing one is marking its entry undone. Entries are written only under the journal's
lock (:func:`locked`), through :func:`analytics.pipeline.store.write_json`.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from analytics.errors import DataValidationError, Problem, ProblemLog
from analytics.pipeline.records import Records
from analytics.pipeline.rows import Rows
from analytics.pipeline.validate import check_inspection
from analytics.settings import Settings

PATTERN = "import-*.json"  # the journal's entries; their temporaries add store.TMP_MARK...


def imports_dir_for(db_path: Path) -> Path:
    """Where a database's imports are journalled: ``$PROBATION_RATINGS_IMPORTS`` or beside it."""
    configured = Settings.from_env().imports_dir
    return configured or Path(db_path).with_name(Path(db_path).stem + ".imports")


def entries(imports_dir: Path) -> list[dict]:
    """Every journalled import, oldest first (undone ones included, with ``undone_at``)."""
    entries = []
    for path in sorted(Path(imports_dir).glob(PATTERN)):
        try:
            entries.append(json.loads(path.read_text(encoding="utf-8")))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise DataValidationError(
                [Problem(path.name, None, None, f"is not a readable journal entry ({exc})")]
            ) from None
    return entries


def active_imports(imports_dir: Path | None) -> list[dict]:
    """The journal's entries that are in force (not undone), in import order."""
    if imports_dir is None or not Path(imports_dir).exists():
        return []
    return [e for e in entries(imports_dir) if not e.get("undone_at")]


def journal_hash(active: list[dict]) -> bytes:
    """Bytes that change whenever the active imports change; empty when there are none."""
    if not active:
        return b""
    digest = hashlib.sha256()
    for entry in active:
        digest.update(json.dumps(entry, sort_keys=True).encode())
    return digest.digest()


_held = threading.local()  # the lock files this thread holds: a holder may take its lock again


@contextlib.contextmanager
def locked(imports_dir: Path) -> Iterator[None]:
    """One writer at a time: imports, undos and rebuilds from several processes (and threads)
    queue here. Taking it again in the thread that holds it (an import rebuilding the
    database) goes straight through.
    """
    imports_dir.mkdir(parents=True, exist_ok=True)
    lock = str((imports_dir / ".lock").absolute())
    held: set[str] = _held.__dict__.setdefault("paths", set())
    if lock in held:
        yield
        return
    with open(lock, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        # Journal files are written only under this lock, so a temporary one found now was left
        # by a writer killed part-way (the journal entry itself is never half-written).
        for stale in imports_dir.glob(f"{PATTERN}.*"):
            stale.unlink(missing_ok=True)
        held.add(lock)
        try:
            yield
        finally:
            held.discard(lock)
            fcntl.flock(handle, fcntl.LOCK_UN)


def apply_journal(records: Records, journalled: list[dict]) -> None:
    """Apply journalled imports, in order, on top of the shipped records.

    An imported inspection replaces a shipped one with the same key (the import was checked when
    made); its standard ratings override the same standards and keep the others.

    Raises
    ------
    DataValidationError
        If an entry no longer fits (for example its unit's region changed in the shipped data).
    """
    regions = {r["region"] for r in records.regions}
    for entry in journalled:
        name = f"import-{entry['import_id']:05d}.json"
        problems = ProblemLog()
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
            cells = rows.plain(item["row"], item["fields"])
            fields = check_inspection(rows, item["row"], cells, regions)
            if not fields.complete:
                continue
            record = fields.record()
            key = (record["unit_type"], record["unit_name"], record["published"])
            unit = records.units.get(key[:2])
            if unit is None or unit["region"] != record["region"]:
                rows.problem(item["row"], "unit_name", f"unit {key[0]} '{key[1]}' no longer fits")
                continue
            records.inspections[key] = {**record, "import_id": entry["import_id"]}
            for standard, rating in item["standards"].items():
                records.standards[(key, standard)] = rating
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
    return log_frame(entries(imports_dir) if imports_dir.exists() else [])

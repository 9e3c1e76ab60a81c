"""Build the DuckDB database from data/*.csv, and open it.

The CSV files in data/ are the source of truth; ``data/ratings.duckdb`` is built from them and never
committed. :func:`build` validates every row of every file before it writes anything, writes the new
database to a temporary file and renames it over the old one, so a failed build leaves the previous
database untouched and a reader never sees a half-written file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import hashlib
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from analytics import locations
from analytics.errors import DatabaseError, DataValidationError
from analytics.pipeline import journal
from analytics.pipeline.records import Dataset
from analytics.pipeline.schema import SCHEMA_VERSION, create_schema, finalize
from analytics.pipeline.store import private_temp_dir, remove_stale_temporaries, write_atomically
from analytics.pipeline.validate import CSV_FILES, read_records
from analytics.settings import Settings

DEFAULT_DATA_DIR = locations.SHIPPED_DATA
DEFAULT_DB_NAME = locations.DB_NAME

SOURCE_DESCRIPTION = "HM Inspectorate of Probation ratings compiled from public HMIP pages"
LICENCE = "Open Government Licence v3.0"
# What every page, sheet and image says instead of the source when the data is synthetic.
SYNTHETIC_LABEL = "SYNTHETIC test data, not real ratings"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
# Part of the content hash: a database built by older code is rebuilt, never misread.
CATALOG = "ratings"  # the name the database file is attached under


@dataclass(frozen=True)
class DatasetInfo:
    """The one ``dataset_info`` row: where the data came from and how it was built."""

    source: str
    licence: str
    synthetic: bool
    built_at: dt.datetime
    content_hash: str
    schema_version: int


def default_db_path() -> Path:
    """The database path: ``$PROBATION_RATINGS_DB`` if set; else beside the CSVs in a checkout
    (``data/ratings.duckdb``) or in ``$PROBATION_RATINGS_DATA``; else, for an installed package,
    in the user's data folder (it never writes inside itself).
    """
    settings = Settings.from_env()
    if settings.db_path:
        return settings.db_path
    if settings.data_dir or locations.IN_CHECKOUT:
        return default_data_dir() / DEFAULT_DB_NAME
    return locations.user_dir() / DEFAULT_DB_NAME


def default_data_dir() -> Path:
    """The CSV directory: ``$PROBATION_RATINGS_DATA`` if set, else the shipped ``data/``."""
    return Settings.from_env().data_dir or DEFAULT_DATA_DIR


def content_hash(
    csv_dir: Path, imports_dir: Path | None = None, *, entries: list[dict] | None = None
) -> str:
    """SHA-256 over the source CSV files (names and bytes, in a fixed order) and active imports.

    The imports are the journal's active entries in ``imports_dir``, or ``entries`` when given
    (a build hashes the entries it actually applied, before a new one is journalled).
    """
    digest = hashlib.sha256(f"schema {SCHEMA_VERSION}\0".encode())
    for name in CSV_FILES:
        path = Path(csv_dir) / name
        digest.update(name.encode())
        digest.update(b"\0")
        digest.update(path.read_bytes() if path.exists() else b"<missing>")
        digest.update(b"\0")
    imported = journal.journal_hash(
        journal.active_imports(imports_dir) if entries is None else entries
    )
    if imported:
        digest.update(b"imports\0" + imported)
    return digest.hexdigest()


def source_signature(csv_dir: Path, imports_dir: Path | None = None) -> tuple:
    """Name, size and modification time of every source file :func:`content_hash` reads.

    A stat per file, no reading: a caller keeps the hash until this changes.
    """

    def stat(path: Path) -> tuple:
        try:
            info = path.stat()
        except FileNotFoundError:
            return (path.name, None)
        return (path.name, info.st_size, info.st_mtime_ns)

    journal_files = (
        sorted(Path(imports_dir).iterdir()) if imports_dir and Path(imports_dir).is_dir() else []
    )
    return tuple(stat(Path(csv_dir) / n) for n in CSV_FILES) + tuple(stat(p) for p in journal_files)


def write_dataset_info(
    con: duckdb.DuckDBPyConnection, *, source: str, synthetic: bool, content_hash: str
) -> None:
    con.execute(
        "insert into dataset_info values (?, ?, ?, ?, ?, ?)",
        [
            source,
            LICENCE,
            synthetic,
            dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0),
            content_hash,
            SCHEMA_VERSION,
        ],
    )


# The tables a build fills from the data (every field of records.Dataset), in schema order.
DATA_TABLES: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Dataset))


def _load(con: duckdb.DuckDBPyConnection, data: Dataset, log: pd.DataFrame) -> None:
    frames = {**{t: getattr(data, t) for t in DATA_TABLES}, "import_log": log}
    for table, frame in frames.items():
        con.register("incoming", frame)
        columns = ", ".join(frame.columns)
        con.execute(f"insert into {table} ({columns}) select {columns} from incoming")  # noqa: S608 -- fixed table and column names
        con.unregister("incoming")


def build(
    csv_dir: Path,
    db_path: Path,
    *,
    extra_imports: list[dict] | None = None,
    skip_imports: set[int] | frozenset[int] = frozenset(),
    check_only: bool = False,
    imports_dir: Path | None = None,
    before_replace=None,
) -> DatasetInfo | None:
    """Validate every CSV in ``csv_dir`` and build the database at ``db_path``.

    Parameters
    ----------
    csv_dir
        Directory holding the files of :data:`analytics.pipeline.validate.CSV_FILES`.
    db_path
        Where to write the database; an existing file is replaced only after a successful build.

    extra_imports, skip_imports, check_only, imports_dir, before_replace
        For imports (analytics/pipeline/ingest.py): journal entries to add or leave out, whether to
        stop after validating (nothing written), the journal to read (default: beside
        ``db_path``), and what to do once the new database is complete but not yet in place.

    Returns
    -------
    DatasetInfo or None
        The ``dataset_info`` row of the new database (None with ``check_only``).

    Raises
    ------
    DataValidationError
        If any row of any file is invalid; its ``problems`` name file, row and column.
    """
    csv_dir = Path(csv_dir)
    imports_dir = imports_dir if imports_dir is not None else journal.imports_dir_for(db_path)
    records = read_records(csv_dir)  # raises before anything is written
    entries = [e for e in journal.active_imports(imports_dir) if e["import_id"] not in skip_imports]
    entries += extra_imports or []
    journal.apply_journal(records, entries)
    data = records.to_dataset()
    if check_only:
        return None
    log = (
        journal.log_frame(entries)
        .drop(columns="undone_at")
        .rename(columns={"sha256": "file_sha256"})
    )
    digest = content_hash(csv_dir, entries=entries)

    def fill(con: duckdb.DuckDBPyConnection) -> None:
        create_schema(con)
        _load(con, data, log)
        finalize(con)
        write_dataset_info(con, source=SOURCE_DESCRIPTION, synthetic=False, content_hash=digest)

    # an installed package's first build makes its folder in the user's data folder
    Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    write_atomically(Path(db_path), fill, before_replace=before_replace)
    return read_info(Path(db_path))


# Why a database's folder cannot take a new database: no permission, or a read-only mount.
READ_ONLY_ERRNOS = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})


def fallback_db_path(content_hash: str) -> Path:
    """Where to build a copy when the database's own folder is read-only: this user's private
    folder in the temporary folder (:func:`.store.private_temp_dir`), named by content.

    Raises
    ------
    PermissionError
        If that folder exists but is not this user's private folder.
    """
    return private_temp_dir("fallback") / f"ratings-{content_hash[:16]}.duckdb"


def build_fallback(csv_dir: Path, db_path: Path, fallback: Path) -> None:
    """Build the copy served instead of the read-only ``db_path``, from the CSVs and ``db_path``'s
    journal, whatever is at ``fallback`` already: a copy is trusted only because this process
    has just built it from the CSVs (0.15 s for the shipped data), never because of a hash it
    carries.
    """
    build(csv_dir, fallback, imports_dir=journal.imports_dir_for(db_path))


def connect(path: Path | None = None, *, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """Open the database; read-only by default so many readers can share one file.

    The file is attached to a fresh in-memory DuckDB instance rather than opened with
    ``duckdb.connect(path)``: DuckDB reuses an open instance for the same path within a process,
    so after a rebuild renamed a new file over the old one, a plain reconnect would still read the
    old file. Take cursors with :func:`cursor`, which selects the attached database.

    Raises
    ------
    DatabaseError
        If the file does not exist or is not a database this code built.
    """
    path = Path(path) if path is not None else default_db_path()
    if not path.exists():
        raise DatabaseError(
            f"{path}: database not found; build it with `probation-ratings build-db`"
        )
    con = duckdb.connect(":memory:")
    # ATTACH takes no bound parameters; the path is ours, quoted as an SQL string literal.
    literal = "'" + str(path).replace("'", "''") + "'"
    mode = " (read_only)" if read_only else ""
    try:
        con.execute(f"attach {literal} as {CATALOG}{mode}")
        con.execute(f"use {CATALOG}")
        con.execute("select schema_version from dataset_info").fetchone()
    except duckdb.Error as exc:
        con.close()
        raise DatabaseError(
            f"{path}: not a readable ratings database ({exc.__class__.__name__}); "
            "rebuild it with `probation-ratings build-db`"
        ) from exc
    return con


def cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A new cursor on ``con`` reading the attached ratings database.

    A DuckDB connection is not safe to share between threads (Streamlit runs a thread per
    session); a cursor per query is. Cursors do not inherit ``use``, hence this helper.
    """
    cur = con.cursor()
    cur.execute(f"use {CATALOG}")
    return cur


def dataset_info(con: duckdb.DuckDBPyConnection) -> DatasetInfo:
    """The one ``dataset_info`` row of an open database."""
    row = (
        cursor(con)
        .execute(
            "select source, licence, synthetic, built_at, content_hash, schema_version "
            "from dataset_info"
        )
        .fetchone()
    )
    if row is None:
        raise DatabaseError("dataset_info is empty; rebuild with `probation-ratings build-db`")
    return DatasetInfo(*row)


def read_info(db_path: Path) -> DatasetInfo:
    con = connect(db_path)
    try:
        return dataset_info(con)
    finally:
        con.close()


def is_current(csv_dir: Path, db_path: Path) -> bool:
    """Whether ``db_path`` is a readable database built from exactly the current CSVs and
    journal (or a synthetic one, which is never rebuilt from the shipped CSVs).
    """
    if not Path(db_path).exists():
        return False
    try:
        info = read_info(db_path)
    except DatabaseError:
        return False
    # Never overwrite a synthetic database from the shipped CSVs behind its owner's back.
    return info.synthetic or info.content_hash == content_hash(
        csv_dir, journal.imports_dir_for(db_path)
    )


def ensure_database(csv_dir: Path | None = None, db_path: Path | None = None) -> bool:
    """Rebuild the database if it is missing, unreadable or built from other CSV content.

    Returns
    -------
    bool
        True if the database was (re)built, False if it was already current.

    Raises
    ------
    DataValidationError
        If a rebuild was needed and the CSVs are invalid; the previous database is left as it was.
    """
    csv_dir = Path(csv_dir) if csv_dir is not None else default_data_dir()
    db_path = Path(db_path) if db_path is not None else default_db_path()
    # Writers killed part-way (a build, or an import writing its journal entry) leave
    # temporaries behind, even when the database itself is current.
    remove_stale_temporaries(db_path)
    imports_dir = journal.imports_dir_for(db_path)
    if imports_dir.is_dir():
        remove_stale_temporaries(imports_dir / journal.PATTERN)
    if is_current(csv_dir, db_path):
        return False
    # One rebuild at a time, with imports and undos: several commands (or a fleet's repair) that
    # find the database stale queue here, and the ones after the first find it current.
    with journal.locked(imports_dir):
        if is_current(csv_dir, db_path):
            return False
        build(csv_dir, db_path)
    return True


def table_counts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Rows per data table, in schema order: columns ``table``, ``rows``."""
    cur = cursor(con)
    rows = [
        (t, (cur.execute(f"select count(*) from {t}").fetchone() or (0,))[0])  # noqa: S608 -- fixed names
        for t in DATA_TABLES
    ]
    return pd.DataFrame(rows, columns=["table", "rows"])


__all__ = [
    "DataValidationError",
    "DatasetInfo",
    "build",
    "connect",
    "content_hash",
    "dataset_info",
    "default_data_dir",
    "default_db_path",
    "ensure_database",
    "table_counts",
]

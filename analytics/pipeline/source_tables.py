"""The source tables, one per shipped CSV file, and their columns: declared once.

Each table lists its columns in order. A column is read from the file (``read``), stored in the
database (``sql``: its DuckDB type and constraint), or both; the build derives the stored columns
a file does not hold (an inspection's id, its publication date's precision and first day, an
event's date). The CSV reader and headers, the records, the schema, the import plan, the exports,
the synthetic generator and the test fixtures all take their columns from here: a new column is
its declaration here, its check (validate.py or inspection_rows.py), its header and meaning for
people (export/columns.py) and the synthetic generator's value for it (synthetic.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class Column:
    """One column of a source table.

    Attributes
    ----------
    name : str
        Its name, in the file's header and in the database.
    sql : str or None
        Its DuckDB type and constraint in the database; None: read from the file only (the
        columns that name an inspection in a file of rows about one inspection).
    read : bool
        Whether the file has it; False: the build derives it.
    written : str or None
        For a column read but not stored: the SQL that writes it back into the file from the
        database (``i.`` is the inspection a row is about).
    """

    name: str
    sql: str | None
    read: bool = True
    written: str | None = None


@dataclass(frozen=True)
class Table:
    """One source table: its columns in order and the constraints over several of them."""

    name: str
    columns: tuple[Column, ...]
    constraints: tuple[str, ...] = ()

    @property
    def file(self) -> str:
        """The shipped CSV file that fills it."""
        return f"{self.name}.csv"

    @property
    def header(self) -> tuple[str, ...]:
        """The file's columns, in the file's order."""
        return tuple(c.name for c in self.columns if c.read)

    @property
    def stored(self) -> tuple[str, ...]:
        """The database table's columns, in its order."""
        return tuple(c.name for c in self.columns if c.sql is not None)

    @property
    def nullable_integers(self) -> tuple[str, ...]:
        """Stored integer columns that may be blank (pandas' Int64 holds them)."""
        return tuple(
            c.name
            for c in self.columns
            if c.sql is not None
            and c.sql.startswith("integer")
            and "not null" not in c.sql
            and "primary key" not in c.sql
        )

    def create_sql(self) -> str:
        """Its ``create table`` statement."""
        width = max(len(n) for n in self.stored)
        lines = [f"    {c.name.ljust(width)} {c.sql}" for c in self.columns if c.sql is not None]
        lines += [f"    {constraint}" for constraint in self.constraints]
        return f"create table {self.name} (\n" + ",\n".join(lines) + "\n);\n"


def _derived(name: str, sql: str) -> Column:
    return Column(name, sql, read=False)


def _key(name: str) -> Column:
    """A column that names the inspection a row is about: read, then replaced by its id."""
    return Column(name, None, written=f"i.{name}")


# How a file of rows about one inspection names it: (unit type, unit name, published as written).
INSPECTION_KEY = ("unit_type", "unit_name", "published")

_TABLES = (
    Table(
        "regions",
        (
            Column("region", "varchar primary key"),
            Column("tile_row", "integer not null"),
            Column("tile_col", "integer not null"),
            Column("pdus_stated", "integer"),
        ),
    ),
    Table(
        "units",
        (
            Column("unit_type", "varchar not null references unit_types (unit_type)"),
            Column("unit_name", "varchar not null"),
            Column("region", "varchar references regions (region)"),
            Column("former_names", "varchar"),
        ),
        ("primary key (unit_type, unit_name)",),
    ),
    Table(
        "inspections",
        (
            _derived("inspection_id", "integer primary key"),
            # null: from the shipped CSVs; else the import that set it
            _derived("import_id", "integer"),
            Column("unit_type", "varchar not null"),
            Column("unit_name", "varchar not null"),
            Column("region", "varchar references regions (region)"),
            Column("published", "varchar not null"),
            _derived("published_precision", "varchar not null"),
            _derived("published_date", "date not null"),
            Column("date_basis", "varchar not null"),
            Column("fieldwork", "varchar"),
            Column("overall_rating", "varchar not null references ratings (rating)"),
            Column("score", "integer"),
            Column("score_max", "integer"),
            Column("source_url", "varchar"),
        ),
        (
            "unique (unit_type, unit_name, published)",
            "foreign key (unit_type, unit_name) references units (unit_type, unit_name)",
        ),
    ),
    # The one big table: its keys and references are checked once over the whole table when the
    # build ends (schema.finalize); row by row, DuckDB took 40 of 42 s to load 12 million ratings.
    Table(
        "standard_ratings",
        (
            _derived("inspection_id", "integer not null"),
            *map(_key, INSPECTION_KEY),
            Column("standard", "varchar not null"),
            Column("rating", "varchar not null"),
        ),
    ),
    Table(
        "events",
        (
            Column("date", None, written="date_text"),
            _derived("event_date", "date not null"),
            _derived("date_text", "varchar not null"),
            _derived("date_precision", "varchar not null"),
            Column("event", "varchar not null"),
            Column("source_url", "varchar"),
        ),
    ),
    # Numbers a source states about one inspection's report (vocab.REPORT_FIGURES); keys checked
    # at the end of the build, as for standard_ratings.
    Table(
        "report_figures",
        (
            _derived("inspection_id", "integer not null"),
            *map(_key, INSPECTION_KEY),
            Column("figure", "varchar not null"),
            Column("value", "integer not null"),
            Column("source_url", "varchar not null"),
        ),
    ),
)

TABLES: Mapping[str, Table] = MappingProxyType({t.name: t for t in _TABLES})
# Each shipped file's header, in the order the files are read (a later one is checked against
# the earlier ones).
HEADERS: Mapping[str, tuple[str, ...]] = MappingProxyType({t.file: t.header for t in _TABLES})
INSPECTIONS = TABLES["inspections"]

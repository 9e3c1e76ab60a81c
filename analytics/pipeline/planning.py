"""Planning an import: every row of an import file checked against the current database.

A plan says what an import would add, replace and skip, and every problem with its file, row and
column; :mod:`analytics.pipeline.ingest` applies a clean plan under the journal's lock.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from analytics.errors import (
    DataValidationError,
    ProblemLog,
)
from analytics.pipeline import db
from analytics.pipeline.readers import IMPORT_COLUMNS, read_rows
from analytics.pipeline.source_tables import INSPECTION_KEY
from analytics.pipeline.validate import AcrossRows, check_inspection
from analytics.vocab import RATING_NAMES, STANDARD_NAMES

# what an import may change of an inspection: every column but the three that name it
FIELDS = tuple(c for c in IMPORT_COLUMNS if c not in INSPECTION_KEY)


@dataclass
class ImportRow:
    """One row of an import file: its key, values and what the import does with it."""

    row: int
    key: tuple[str, str, str]
    record: dict
    standards: dict[str, str]
    action: str = ""  # added | replaced | skipped

    def to_json(self) -> dict:
        """The row as journal JSON: every value as text, a blank as empty text."""
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
        """How many rows the import would treat so (``added``, ``replaced``, ``skipped``)."""
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
        """What the import would do, in one line."""
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
    across = AcrossRows(rows)
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
        if not across.first(row, key):
            continue
        unit = key[:2]
        if unit in units:
            if not across.in_region(row, record["region"], units[unit], "the unit's region"):
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
            if not across.in_region(
                row, record["region"], first[0], f"this new unit's region at row {first[1]}"
            ):
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

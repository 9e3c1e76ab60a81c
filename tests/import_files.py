"""Helpers of the import tests: plan a file's text, list its problems, read the database."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from analytics import cli
from analytics.errors import DataValidationError
from analytics.pipeline import db, journal, planning, readers

REPO = Path(__file__).resolve().parent.parent
HEADER = ",".join(readers.IMPORT_COLUMNS)
NEW = "PDU,Gamma,South,2025-06-01,stated,2025-03,Inadequate,,,https://example.org/gamma-2025"


def plan(db_path: Path, text: str, name: str = "new.csv", **options):
    con = db.connect(db_path)
    try:
        return planning.plan_import(con, text.encode("utf-8"), name, **options)
    finally:
        con.close()


def problems(db_path: Path, text: str, name: str = "new.csv", **options) -> list[str]:
    with pytest.raises(DataValidationError) as info:
        plan(db_path, text, name, **options)
    return [str(p) for p in info.value.problems]


def inspections(db_path: Path) -> list[tuple]:
    con = db.connect(db_path)
    try:
        return (
            db.cursor(con)
            .execute(
                "select unit_type, unit_name, published, overall_rating, import_id from inspections "
                "order by inspection_id"
            )
            .fetchall()
        )
    finally:
        con.close()


def state(db_path: Path) -> str:
    """A digest of everything the database holds except its build time."""
    con = db.connect(db_path)
    try:
        cur = db.cursor(con)
        parts = [
            repr(cur.execute(f"select * from {t} order by all").fetchall())  # noqa: S608
            for t in (*db.DATA_TABLES, "import_log")
        ]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()
    finally:
        con.close()


def write_bad_entry(db_path: Path) -> None:
    """A journal entry made before values were bounded: a score no INTEGER column holds."""
    folder = journal.imports_dir_for(db_path)
    folder.mkdir(exist_ok=True)
    fields = dict(zip(readers.IMPORT_COLUMNS, NEW.split(","), strict=True))
    fields.update(score="3000000000", score_max="27")
    entry = {
        "import_id": 1,
        "imported_at": "2026-11-30T10:00:00Z",
        "file_name": "typed.csv",
        "sha256": "0" * 64,
        "added": 1,
        "replaced": 0,
        "skipped": 0,
        "new_units": [],
        "rows": [{"row": 2, "fields": fields, "standards": {}}],
    }
    (folder / "import-00001.json").write_text(json.dumps(entry), encoding="utf-8")


COLUMNS = list(readers.IMPORT_COLUMNS)


def snapshot(db_path: Path) -> dict[str, bytes]:
    """Every byte of the database and of its journal (the empty lock file an import takes is no
    data, and may be left from the attempt).
    """
    files = {"db": db_path.read_bytes()}
    imports = journal.imports_dir_for(db_path)
    if imports.exists():
        files.update(
            {p.name: p.read_bytes() for p in sorted(imports.iterdir()) if p.name != ".lock"}
        )
    return files


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def with_cell(column: str, value: str, **others: str) -> str:
    """An import file of NEW with ``column`` (and any ``others``) set to the values given."""
    cells = NEW.split(",")
    for name, text in {column: value, **others}.items():
        cells[COLUMNS.index(name)] = text
    return HEADER + "\n" + ",".join(cells) + "\n"


def refused(store, capsys, tmp_path, name: str, data: bytes) -> list[str]:
    """Import ``data`` through the CLI; assert nothing changed and `info` works; the errors."""
    csv_dir, db_path = store
    before = snapshot(db_path)
    path = tmp_path / name
    path.write_bytes(data)
    code, out, err = run(capsys, "import", str(path), "--data", str(csv_dir), "--db", str(db_path))
    assert (code, out) == (2, "")
    assert snapshot(db_path) == before
    assert run(capsys, "info", "--db", str(db_path))[0] == 0
    return err.splitlines()

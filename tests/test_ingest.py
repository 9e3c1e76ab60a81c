"""Applying imports (analytics/pipeline/ingest.py): dry runs, replace, new units, undo, rebuilds that
keep imports, snapshots, exports and templates.
"""

from __future__ import annotations

import csv
import re

from analytics import cli
from analytics.export import dataset
from analytics.pipeline import db, ingest, journal
from analytics.pipeline.store import snapshots_dir
from tests import fixture_data as fx
from tests.import_files import HEADER, NEW, REPO, inspections, plan, state

# --- applying ------------------------------------------------------------------------------------


def test_dry_run_changes_nothing(store, capsys):
    csv_dir, db_path = store
    before = db_path.read_bytes()
    path = db_path.parent / "new.csv"
    path.write_text(HEADER + "\n" + NEW + "\n", encoding="utf-8")
    assert (
        cli.main(["import", str(path), "--dry-run", "--data", str(csv_dir), "--db", str(db_path)])
        == 0
    )
    assert capsys.readouterr().out == (
        "new.csv: would import: 1 added, 0 replaced, 0 skipped (already identical) (dry run: "
        "nothing changed)\n"
    )
    assert db_path.read_bytes() == before
    # nothing journalled (the folder may hold the lock every rebuild takes)
    assert list(journal.imports_dir_for(db_path).glob("import-*")) == []


def test_import_adds_and_the_shipped_file_itself_is_all_skipped(store, capsys):
    csv_dir, db_path = store
    shipped = csv_dir / "inspections.csv"
    assert cli.main(["import", str(shipped), "--data", str(csv_dir), "--db", str(db_path)]) == 0
    assert capsys.readouterr().out == (
        "inspections.csv: nothing to import: 0 added, 0 replaced, 10 skipped (already identical)\n"
    )
    path = db_path.parent / "new.csv"
    path.write_text(HEADER + ",Leadership\n" + NEW + ",Requires improvement\n", encoding="utf-8")
    assert cli.main(["import", str(path), "--data", str(csv_dir), "--db", str(db_path)]) == 0
    assert capsys.readouterr().out == (
        "new.csv: imported as import 1: 1 added, 0 replaced, 0 skipped (already identical)\n"
    )
    assert inspections(db_path)[-1] == ("PDU", "Gamma", "2025-06-01", "Inadequate", 1)
    con = db.connect(db_path)
    assert db.cursor(con).execute(
        "select s.standard, s.rating from standard_ratings s join inspections i using "
        "(inspection_id) where i.import_id = 1"
    ).fetchall() == [("Leadership", "Requires improvement")]
    log = (
        db.cursor(con)
        .execute("select import_id, file_name, added, replaced, skipped from import_log")
        .fetchall()
    )
    con.close()
    assert log == [(1, "new.csv", 1, 0, 0)]
    # importing the same file again: identical rows are skipped and nothing is journalled
    assert cli.main(["import", str(path), "--data", str(csv_dir), "--db", str(db_path)]) == 0
    assert capsys.readouterr().out == (
        "new.csv: nothing to import: 0 added, 0 replaced, 1 skipped (already identical)\n"
    )
    assert len(journal.entries(journal.imports_dir_for(db_path))) == 1


def test_replace_and_undo_restore_the_shipped_values(store):
    csv_dir, db_path = store
    text = (
        HEADER + "\nPDU,Alpha,North,2024-11,stated,2024-08,Good,,,https://example.org/alpha-2024\n"
    )
    entry = ingest.apply_import(plan(db_path, text, replace=True), csv_dir=csv_dir, db_path=db_path)
    assert (entry["added"], entry["replaced"], entry["skipped"]) == (0, 1, 0)
    alpha = [r for r in inspections(db_path) if r[1] == "Alpha"]
    assert alpha == [
        ("PDU", "Alpha", "2022-02-10", "Inadequate", None),
        ("PDU", "Alpha", "2024-11", "Good", 1),
    ]
    ingest.undo_import(1, csv_dir=csv_dir, db_path=db_path)
    alpha = [r for r in inspections(db_path) if r[1] == "Alpha"]
    assert alpha == [
        ("PDU", "Alpha", "2022-02-10", "Inadequate", None),
        ("PDU", "Alpha", "2024-11", "Requires improvement", None),
    ]
    log = journal.import_log(db_path)
    assert log[["import_id", "replaced"]].values.tolist() == [[1, 1]]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", log.loc[0, "undone_at"])


def test_allow_new_units(store):
    csv_dir, db_path = store
    text = HEADER + "\n" + NEW.replace("Gamma", "Delta") + "\n"
    entry = ingest.apply_import(
        plan(db_path, text, allow_new_units=True), csv_dir=csv_dir, db_path=db_path
    )
    assert entry["new_units"] == [["PDU", "Delta", "South"]]
    con = db.connect(db_path)
    assert db.cursor(con).execute(
        "select unit_type, unit_name, region from units where unit_name = 'Delta'"
    ).fetchall() == [("PDU", "Delta", "South")]
    con.close()


def test_undo_refuses_when_a_later_import_needs_it(store, capsys):
    csv_dir, db_path = store
    ingest.apply_import(
        plan(db_path, HEADER + "\n" + NEW.replace("Gamma", "Delta") + "\n", allow_new_units=True),
        csv_dir=csv_dir,
        db_path=db_path,
    )
    second = HEADER + "\n" + NEW.replace("Gamma", "Delta").replace("2025-06-01", "2026-01") + "\n"
    ingest.apply_import(plan(db_path, second), csv_dir=csv_dir, db_path=db_path)
    before = state(db_path)
    assert cli.main(["undo-import", "1", "--data", str(csv_dir), "--db", str(db_path)]) == 2
    assert capsys.readouterr().err == (
        "error: import-00002.json:2:unit_name: unit PDU 'Delta' no longer fits\n"
    )
    assert state(db_path) == before
    assert cli.main(["undo-import", "7", "--data", str(csv_dir), "--db", str(db_path)]) == 2
    assert capsys.readouterr().err == "error: no import 7 (see `probation-ratings imports`)\n"


def test_rebuilding_from_changed_shipped_csvs_keeps_imports(store):
    csv_dir, db_path = store
    ingest.apply_import(plan(db_path, HEADER + "\n" + NEW + "\n"), csv_dir=csv_dir, db_path=db_path)
    with (csv_dir / "events.csv").open("a", encoding="utf-8") as handle:
        handle.write("2025-10,Programme paused,\n")
    assert db.ensure_database(csv_dir, db_path) is True
    assert inspections(db_path)[-1] == ("PDU", "Gamma", "2025-06-01", "Inadequate", 1)
    assert db.ensure_database(csv_dir, db_path) is False
    db_path.unlink()  # even a lost database comes back whole from the CSVs and the journal
    assert db.ensure_database(csv_dir, db_path) is True
    assert inspections(db_path)[-1] == ("PDU", "Gamma", "2025-06-01", "Inadequate", 1)


def test_snapshots_keep_the_last_three(store):
    csv_dir, db_path = store
    for month in ("2025-04", "2025-05", "2025-07"):  # after NEW's fieldwork (2025-03)
        ingest.apply_import(
            plan(db_path, HEADER + "\n" + NEW.replace("2025-06-01", month) + "\n"),
            csv_dir=csv_dir,
            db_path=db_path,
        )
    kept = sorted(snapshots_dir(db_path).iterdir())
    assert len(kept) == 3
    con = db.connect(kept[-1])
    assert db.cursor(con).execute("select count(*) from inspections").fetchone() == (12,)
    con.close()


def test_export_data_round_trips(store, tmp_path):
    csv_dir, db_path = store
    ingest.apply_import(
        plan(db_path, HEADER + ",Reviewing\n" + NEW + ",Good\n"), csv_dir=csv_dir, db_path=db_path
    )
    out = tmp_path / "export"
    assert (
        cli.main(["export-data", "--out", str(out), "--data", str(csv_dir), "--db", str(db_path)])
        == 0
    )
    with (out / "inspections.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(fx.INSPECTIONS) + 1
    rebuilt = tmp_path / "rebuilt.duckdb"
    db.build(out, rebuilt)
    con_a, con_b = db.connect(db_path), db.connect(rebuilt)
    query = (
        "select i.unit_type, i.unit_name, i.published, i.overall_rating, s.standard, s.rating "
        "from inspections i left join standard_ratings s using (inspection_id) order by all"
    )
    assert db.cursor(con_a).execute(query).fetchall() == db.cursor(con_b).execute(query).fetchall()
    con_a.close()
    con_b.close()


def test_shipped_data_exports_as_it_came(tmp_path):
    db_path = tmp_path / "r.duckdb"
    db.build(REPO / "data", db_path)
    con = db.connect(db_path)
    dataset.export_data(con, tmp_path / "out")
    con.close()
    for name in ("inspections.csv", "units.csv", "regions.csv"):
        assert (tmp_path / "out" / name).read_bytes() == (REPO / "data" / name).read_bytes(), name

"""Building the database: schema, values, every bad-input error, atomic replacement."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from analytics.errors import DatabaseError, DataValidationError
from analytics.pipeline import db, schema
from analytics.pipeline import store as store_module
from tests import fixture_data as fx

REPO = Path(__file__).resolve().parents[1]


def test_tables_hold_the_fixture_rows(con):
    counts = dict(db.table_counts(con).itertuples(index=False))
    assert counts == {
        "regions": len(fx.REGIONS),
        "units": len(fx.UNITS),
        "inspections": len(fx.INSPECTIONS),
        "standard_ratings": len(fx.STANDARD_RATINGS),
        "events": len(fx.EVENTS),
        "report_figures": len(fx.REPORT_FIGURES),
    }


def test_published_keeps_text_precision_and_first_day(con):
    rows = con.execute(
        "select unit_name, published, published_precision, published_date, date_basis "
        "from inspections where unit_type <> 'PDU' order by inspection_id"
    ).fetchall()
    assert rows == [
        ("Old One", "2019-03-05", "day", dt.date(2019, 3, 5), "stated"),
        ("Old Div", "2019-06", "month", dt.date(2019, 6, 1), "stated"),
        ("Old One", "2020", "year", dt.date(2020, 1, 1), "derived"),
        ("North", "2024-07-01", "day", dt.date(2024, 7, 1), "stated"),
        ("England and Wales", "2025-04-29", "day", dt.date(2025, 4, 29), "stated"),
    ]


def test_blanks_stay_blank(con):
    row = con.execute(
        "select region, fieldwork, score, score_max, source_url from inspections "
        "where unit_type = 'National'"
    ).fetchone()
    assert row == (None, None, None, None, None)
    assert con.execute(
        "select score, score_max, fieldwork from inspections where unit_name = 'Alpha' "
        "order by published_date"
    ).fetchall() == [(3, 27, None), (None, None, "2024-08")]


def test_dataset_info(con, fixture_csv_dir):
    info = db.dataset_info(con)
    assert info.synthetic is False
    assert info.content_hash == db.content_hash(fixture_csv_dir)
    assert info.licence == "Open Government Licence v3.0"
    assert info.schema_version == schema.SCHEMA_VERSION == 9
    assert abs(dt.datetime.now(dt.UTC).replace(tzinfo=None) - info.built_at) < dt.timedelta(hours=1)


def test_shipped_data_builds(shipped_db):
    con = db.connect(shipped_db)
    counts = dict(db.table_counts(con).itertuples(index=False))
    assert counts == {
        "regions": 12,
        "units": 112,
        "inspections": 114,
        "standard_ratings": 95,
        "events": 6,
        "report_figures": 27,
    }
    assert con.execute(
        "select published_precision, count(*) from inspections group by 1 order by 1"
    ).fetchall() == [("day", 41), ("month", 44), ("year", 29)]


def test_failed_build_leaves_previous_database_intact(tmp_path, fixture_csv_dir):
    target = tmp_path / "ratings.duckdb"
    db.build(fixture_csv_dir, target)
    before = target.read_bytes()
    bad_dir = fx.write_csvs(
        tmp_path / "bad",
        {"inspections.csv": [fx.INSPECTIONS[0][:6] + ("Gd",) + fx.INSPECTIONS[0][7:]]},
    )
    with pytest.raises(DataValidationError):
        db.build(bad_dir, target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad", "ratings.duckdb"]
    con = db.connect(target)
    assert con.execute("select count(*) from inspections").fetchone() == (len(fx.INSPECTIONS),)
    con.close()


def test_ensure_database_rebuilds_only_when_csv_content_changes(tmp_path, fixture_csv_dir):
    csv_dir = tmp_path / "csv"
    shutil.copytree(fixture_csv_dir, csv_dir)
    target = tmp_path / "ratings.duckdb"
    assert db.ensure_database(csv_dir, target) is True
    assert db.ensure_database(csv_dir, target) is False
    with (csv_dir / "events.csv").open("a", encoding="utf-8") as handle:
        handle.write("2025-10,Programme paused,\n")
    assert db.ensure_database(csv_dir, target) is True
    con = db.connect(target)
    assert con.execute("select count(*) from events").fetchone() == (3,)
    con.close()


def test_a_build_killed_part_way_leaves_files_the_next_start_removes(tmp_path, fixture_csv_dir):
    target = tmp_path / "ratings.duckdb"
    db.build(fixture_csv_dir, target)
    dead = _exited_pid()
    running = os.getpid()  # a build under way in this process: its files must stay
    names = [
        f"ratings.duckdb.tmp-{dead}-abc123",
        f"ratings.duckdb.tmp-{dead}-abc123.wal",
        f"ratings.duckdb.tmp-{running}-def456",
        "notes.tmp-1-x",  # not ours
    ]
    for name in names:
        (tmp_path / name).write_bytes(b"partial")
    assert db.ensure_database(fixture_csv_dir, target) is False  # current: no rebuild, still swept
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "notes.tmp-1-x",
        "ratings.duckdb",
        f"ratings.duckdb.tmp-{running}-def456",
    ]


def _exited_pid() -> int:
    """The process id of a process that has exited (and been reaped)."""
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_ensure_database_replaces_a_corrupt_file(tmp_path, fixture_csv_dir):
    target = tmp_path / "ratings.duckdb"
    target.write_bytes(b"not a database")
    assert db.ensure_database(fixture_csv_dir, target) is True
    con = db.connect(target)
    assert con.execute("select count(*) from inspections").fetchone() == (len(fx.INSPECTIONS),)
    con.close()


def test_connect_errors_name_the_rebuild_command(tmp_path):
    with pytest.raises(
        DatabaseError, match="database not found; build it with `probation-ratings build-db`"
    ):
        db.connect(tmp_path / "absent.duckdb")
    (tmp_path / "junk.duckdb").write_bytes(b"junk" * 100)
    with pytest.raises(DatabaseError, match="not a readable ratings database"):
        db.connect(tmp_path / "junk.duckdb")


def test_read_only_connection_cannot_write(con):
    with pytest.raises(duckdb.Error):
        con.execute("delete from inspections")


def test_env_var_points_elsewhere(monkeypatch, tmp_path):
    monkeypatch.setenv("PROBATION_RATINGS_DB", str(tmp_path / "x.duckdb"))
    assert db.default_db_path() == tmp_path / "x.duckdb"
    monkeypatch.delenv("PROBATION_RATINGS_DB")
    assert db.default_db_path() == REPO / "data" / "ratings.duckdb"  # this checkout's


def test_the_source_signature_changes_with_any_source_file(tmp_path, fixture_csv_dir):
    csv_dir, imports = tmp_path / "csv", tmp_path / "imports"
    shutil.copytree(fixture_csv_dir, csv_dir)
    first = db.source_signature(csv_dir, imports)
    assert first == db.source_signature(csv_dir, imports)
    assert [entry[0] for entry in first] == list(db.CSV_FILES)
    events = csv_dir / "events.csv"
    stat = events.stat()
    events.write_bytes(events.read_bytes() + b"\n")
    os.utime(events, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same time, longer file
    second = db.source_signature(csv_dir, imports)
    assert second != first
    imports.mkdir()
    (imports / "import-1.json").write_text("{}")
    assert db.source_signature(csv_dir, imports)[-1][0] == "import-1.json"


def test_commands_started_together_on_a_stale_database_rebuild_it_once(store):
    """Several commands that find the database out of date queue on the import lock: one
    rebuilds, the others find it current (they once all rebuilt at once, and one in 30 died
    rotating the snapshots).
    """
    csv_dir, db_path = store
    with (csv_dir / "events.csv").open("a", encoding="utf-8") as handle:
        handle.write("2022-01-10,A later event,\n")
    command = [sys.executable, "-m", "analytics.cli", "build-db", "--if-needed"]
    command += ["--data", str(csv_dir), "--db", str(db_path)]
    processes = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(8)
    ]
    results = [(p.communicate(timeout=120), p.returncode) for p in processes]
    assert [code for _, code in results] == [0] * 8, results
    outs = [out for (out, _), _ in results]
    built = [out for out in outs if out.startswith("built ")]
    assert len(built) == 1 and built[0].startswith(f"built {db_path} from {csv_dir}: ")
    assert [out for out in outs if out not in built] == [
        f"{db_path} is up to date with {csv_dir}\n"
    ] * 7
    assert len(list(store_module.snapshots_dir(db_path).glob("*.duckdb"))) == 1
    con = db.connect(db_path)
    try:
        assert db.cursor(con).execute("select count(*) from events").fetchone() == (3,)
    finally:
        con.close()

"""Hostile input, part 3: races on the import journal (two imports at once, a plan outdated
before it is applied, a failed build, a bad or half-written entry, a dry run). Parts 1 and 2:
test_hostile_input.py, test_hostile_limits.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest

from analytics.errors import DatabaseError, DataValidationError
from analytics.pipeline import db, ingest, journal, planning
from analytics.pipeline.store import TMP_MARK
from tests.import_files import run, snapshot, with_cell, write_bad_entry


def test_two_imports_of_one_inspection_started_together_behave_as_one_after_the_other(store):
    csv_dir, db_path = store
    files = {
        "Inadequate": with_cell("overall_rating", "Inadequate"),
        "Good": with_cell("overall_rating", "Good"),
    }
    start = threading.Barrier(2)
    results: dict[str, object] = {}

    def import_one(rating: str) -> None:
        start.wait()
        try:
            results[rating] = ingest.import_file(
                files[rating].encode(), f"{rating}.csv", csv_dir=csv_dir, db_path=db_path
            )[1]
        except DataValidationError as exc:
            results[rating] = [str(p) for p in exc.problems]

    threads = [threading.Thread(target=import_one, args=(r,)) for r in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    entries = journal.entries(journal.imports_dir_for(db_path))
    assert [(e["added"], e["replaced"], e["skipped"]) for e in entries] == [(1, 0, 0)]
    winner = entries[0]["file_name"].removesuffix(".csv")
    loser = "Good" if winner == "Inadequate" else "Inadequate"
    assert results[loser] == [
        f"{loser}.csv:2:overall_rating: inspection PDU 'Gamma' published 2025-06-01 already exists "
        f"with different values (overall_rating: '{winner}' -> '{loser}'); replace it (--replace) "
        "or correct the row"
    ]


def test_a_plan_checked_before_another_import_is_checked_again_when_applied(store):
    csv_dir, db_path = store
    con = db.connect(db_path)
    try:
        first = planning.plan_import(con, with_cell("overall_rating", "Good").encode(), "a.csv")
        second = planning.plan_import(
            con, with_cell("overall_rating", "Inadequate").encode(), "b.csv"
        )
    finally:
        con.close()
    assert first.summary == second.summary == "1 added, 0 replaced, 0 skipped (already identical)"
    ingest.apply_import(first, csv_dir=csv_dir, db_path=db_path)
    with pytest.raises(DataValidationError) as info:
        ingest.apply_import(second, csv_dir=csv_dir, db_path=db_path)
    assert str(info.value) == (
        "b.csv:2:overall_rating: inspection PDU 'Gamma' published 2025-06-01 already exists with "
        "different values (overall_rating: 'Good' -> 'Inadequate'); replace it (--replace) or "
        "correct the row"
    )
    again = planning.plan_import(
        db.connect(db_path), with_cell("overall_rating", "Good").encode(), "c.csv"
    )
    with pytest.raises(ingest.ImportChangedError) as changed:
        # Identical now: checked before the first import it said "1 added"; now it is skipped.
        ingest.apply_import(first, csv_dir=csv_dir, db_path=db_path)
    assert str(changed.value) == (
        "a.csv: the data changed after this file was checked (another import came first): it "
        "would now do 0 added, 0 replaced, 1 skipped (already identical), not 1 added, 0 "
        "replaced, 0 skipped (already identical). Nothing was changed; check the file again."
    )
    assert again.summary == "0 added, 0 replaced, 1 skipped (already identical)"
    assert len(journal.entries(journal.imports_dir_for(db_path))) == 1


def test_an_entry_is_journalled_only_after_its_build_succeeds(store, monkeypatch):
    csv_dir, db_path = store
    before = snapshot(db_path)

    def failing(_con):
        raise DatabaseError("the build broke")

    monkeypatch.setattr(db, "finalize", failing)
    with pytest.raises(DatabaseError):
        ingest.import_file(
            with_cell("score", "").encode(), "new.csv", csv_dir=csv_dir, db_path=db_path
        )
    assert not list(journal.imports_dir_for(db_path).glob("import-*"))
    assert snapshot(db_path)["db"] == before["db"]


def test_a_bad_journal_entry_gives_clear_errors_and_can_be_undone(store, capsys):
    csv_dir, db_path = store
    write_bad_entry(db_path)
    store_args = ("--data", str(csv_dir), "--db", str(db_path))
    code, out, err = run(capsys, "export-data", "--out", str(db_path.parent / "out"), *store_args)
    assert (code, err) == (
        2,
        "error: import-00001.json:2:score: 3000000000 is more than 2,147,483,647, the largest "
        "allowed here\n",
    )
    code, out, _ = run(capsys, "imports", *store_args)
    assert code == 0 and "typed.csv" in out
    code, out, err = run(capsys, "undo-import", "1", *store_args)
    assert (code, err) == (0, "")
    assert out.startswith("undid import 1 (typed.csv: 1 added, 0 replaced)")
    assert run(capsys, "export-data", "--out", str(db_path.parent / "out"), *store_args)[0] == 0


def test_a_dry_run_never_rebuilds_the_database(store, capsys, tmp_path):
    csv_dir, db_path = store
    events = csv_dir / "events.csv"
    events.write_text(
        events.read_text(encoding="utf-8") + "2025-01,Something happened,\n", encoding="utf-8"
    )
    assert not db.is_current(csv_dir, db_path)
    before = snapshot(db_path)
    path = tmp_path / "new.csv"
    path.write_text(with_cell("score", ""), encoding="utf-8")
    code, out, _ = run(
        capsys, "import", str(path), "--dry-run", "--data", str(csv_dir), "--db", str(db_path)
    )
    assert (code, out) == (
        0,
        "new.csv: would import: 1 added, 0 replaced, 0 skipped (already identical) (dry run: nothing changed)\n",
    )
    assert snapshot(db_path) == before
    assert sorted(p.name for p in db_path.parent.iterdir()) == ["csv", "new.csv", "ratings.duckdb"]


def test_a_journal_temporary_of_a_killed_import_is_removed_at_the_next_start(store):
    csv_dir, db_path = store
    folder = journal.imports_dir_for(db_path)
    folder.mkdir()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    stale = folder / f"import-00001.json{TMP_MARK}{dead.stdout.strip()}-abc123"
    stale.write_text("{", encoding="utf-8")
    live = folder / f"import-00002.json{TMP_MARK}{os.getpid()}-def456"
    live.write_text("{", encoding="utf-8")
    assert db.ensure_database(csv_dir, db_path) is False  # current: nothing rebuilt
    assert sorted(p.name for p in folder.iterdir()) == [live.name]

"""The import journal (analytics/pipeline/journal.py): entries in order, what is in force, one
writer at a time.
"""

from __future__ import annotations

import json

import pytest

from analytics.errors import DataValidationError
from analytics.pipeline import ingest, journal
from tests.import_files import HEADER, NEW, plan


def test_a_journal_write_killed_part_way_is_cleared_by_the_next_import(store):
    csv_dir, db_path = store
    imports_dir = journal.imports_dir_for(db_path)
    imports_dir.mkdir()
    (imports_dir / "import-00001.json.k3j2h1.tmp").write_text('{"import_id": 1, "rows": [', "utf-8")
    text = HEADER + "\n" + NEW.replace("Gamma", "Delta") + "\n"
    entry = ingest.apply_import(
        plan(db_path, text, allow_new_units=True), csv_dir=csv_dir, db_path=db_path
    )
    assert entry["import_id"] == 1
    assert sorted(p.name for p in imports_dir.iterdir()) == [".lock", "import-00001.json"]


def _entry(folder, number: int, **fields) -> None:
    body = {"import_id": number, "rows": [], **fields}
    (folder / f"import-{number:05d}.json").write_text(json.dumps(body), "utf-8")


def test_entries_come_oldest_first_and_undone_ones_are_not_in_force(tmp_path):
    assert journal.active_imports(tmp_path / "none") == []
    assert journal.journal_hash([]) == b""
    _entry(tmp_path, 2, undone_at="2026-12-01T10:00:00")
    _entry(tmp_path, 10)
    _entry(tmp_path, 1)
    assert [e["import_id"] for e in journal.entries(tmp_path)] == [1, 2, 10]
    active = journal.active_imports(tmp_path)
    assert [e["import_id"] for e in active] == [1, 10]
    assert journal.journal_hash(active) != journal.journal_hash(active[:1])
    assert len(journal.journal_hash(active)) == 32


def test_an_unreadable_entry_is_named_by_its_file(tmp_path):
    (tmp_path / "import-00001.json").write_bytes(b'{"import_id": 1,')
    with pytest.raises(DataValidationError) as info:
        journal.entries(tmp_path)
    assert [str(p) for p in info.value.problems] == [
        "import-00001.json: is not a readable journal entry (Expecting property name enclosed "
        "in double quotes: line 1 column 17 (char 16))"
    ]

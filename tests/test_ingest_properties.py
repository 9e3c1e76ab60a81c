"""Imports under hostile input and crashes: malformed files never change the database, a process
killed part-way leaves old or new data, and the CLI round trip.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics import cli
from analytics.errors import DataValidationError
from analytics.pipeline import db, ingest, journal, planning, readers
from tests.import_files import HEADER, NEW, REPO, inspections, plan, state

# --- properties and crashes ----------------------------------------------------------------------


BAD_VALUES = st.text(min_size=1, max_size=12).filter(lambda v: "\x00" not in v)
FIELDS = ["unit_type", "overall_rating", "published", "date_basis", "region", "score"]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(field=st.sampled_from(FIELDS), value=BAD_VALUES, extra_rows=st.integers(0, 3))
def test_malformed_files_never_change_the_database(store, field, value, extra_rows):
    _, db_path = store
    clean = dict(zip(readers.IMPORT_COLUMNS, next(csv.reader([NEW])), strict=True))
    broken = {**clean, field: value}
    if field == "score":
        broken["score_max"] = "27"
    plausible = {
        "unit_type": {"pdu", "region", "national", "crc", "nps division"},
        "overall_rating": {"outstanding", "good", "requires improvement", "inadequate"},
        "date_basis": {"stated", "url", "derived"},
        "region": {"north", "south", "" if False else "north"},
    }
    stripped = value.strip()
    if stripped.casefold() in plausible.get(field, set()) or (
        field == "region" and stripped == "South"
    ):
        return  # a value the importer rightly accepts is not malformed
    if field == "published" and re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", stripped):
        return
    if field == "score" and re.fullmatch(r"\d+", stripped) and int(stripped) <= 27:
        return
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=readers.IMPORT_COLUMNS)
    writer.writeheader()
    for i in range(extra_rows):
        writer.writerow({**clean, "published": f"201{i}"})
    writer.writerow(broken)
    before = state(db_path)
    hash_before = db.read_info(db_path).content_hash
    with pytest.raises(DataValidationError) as info:
        plan(db_path, out.getvalue())
    messages = [str(p) for p in info.value.problems]
    assert any(re.match(r"^new\.csv:\d+:[^:]+: .+", m, re.S) for m in messages), messages
    assert state(db_path) == before
    assert db.read_info(db_path).content_hash == hash_before
    # nothing journalled (the folder may hold the lock every rebuild takes)
    assert list(journal.imports_dir_for(db_path).glob("import-*")) == []


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(min_size=1, max_size=2000))
def test_arbitrary_bytes_are_refused_or_planned_never_written(store, data):
    _, db_path = store
    before = state(db_path)
    con = db.connect(db_path)
    try:
        planning.plan_import(con, data, "random.csv")
    except DataValidationError as exc:
        assert all(str(p).startswith("random.csv") for p in exc.problems)
    finally:
        con.close()
    assert state(db_path) == before


def test_an_import_killed_part_way_leaves_old_or_new_data(store, tmp_path):
    csv_dir, db_path = store
    lines = [HEADER]
    for i in range(3000):
        lines.append(f"PDU,New unit {i},South,2025-{1 + i % 12:02d},stated,,Good,,,")
    big = tmp_path / "big.csv"
    big.write_text("\n".join(lines) + "\n", encoding="utf-8")
    old = inspections(db_path)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    rng = random.Random(42)  # noqa: S311 -- kill times, not secrets
    outcomes = set()
    for _ in range(5):
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "analytics.cli",
                "import",
                str(big),
                "--allow-new-units",
                "--data",
                str(csv_dir),
                "--db",
                str(db_path),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.3, 2.5))
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = inspections(db_path)  # the database opens, whole
        assert now == old or len(now) == len(old) + 3000
        db.ensure_database(csv_dir, db_path)  # a journalled import is rebuilt in
        journalled = bool(journal.active_imports(journal.imports_dir_for(db_path)))
        final = inspections(db_path)
        assert len(final) == len(old) + (3000 if journalled else 0)
        outcomes.add(journalled)
        if journalled:
            break
    assert outcomes  # at least one kill happened; which side it fell on is chance
    assert sorted(p.name for p in db_path.parent.glob("*.tmp*")) == []


def test_import_log_cli(store, capsys):
    csv_dir, db_path = store
    ingest.apply_import(plan(db_path, HEADER + "\n" + NEW + "\n"), csv_dir=csv_dir, db_path=db_path)
    assert (
        cli.main(["imports", "--format", "json", "--data", str(csv_dir), "--db", str(db_path)]) == 0
    )
    [entry] = json.loads(capsys.readouterr().out)
    assert {
        k: entry[k] for k in ("import_id", "file_name", "added", "replaced", "skipped", "undone_at")
    } == {
        "import_id": 1,
        "file_name": "new.csv",
        "added": 1,
        "replaced": 0,
        "skipped": 0,
        "undone_at": "",
    }
    assert entry["sha256"] == hashlib.sha256((HEADER + "\n" + NEW + "\n").encode()).hexdigest()
    assert isinstance(pd.Timestamp(entry["imported_at"]), pd.Timestamp)


def test_a_regions_whole_round_imports_through_the_cli(tmp_path, capsys):
    """North East's 2025 round, taken out of the shipped data and imported back in the template
    format (standards as columns; Sunderland as a PDU not yet known): the result equals the
    shipped data exactly.
    """
    csv_dir = tmp_path / "csv"
    shutil.copytree(REPO / "data", csv_dir, ignore=shutil.ignore_patterns("*.duckdb*", "*.imports"))

    def north_east_2025(r) -> bool:
        return r["region"] == "North East" and r["published"].startswith("2025")

    with (csv_dir / "inspections.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    round_rows = [r for r in rows if north_east_2025(r)]
    assert len(round_rows) == 8
    keys = {(r["unit_type"], r["unit_name"], r["published"]) for r in round_rows}
    with (csv_dir / "standard_ratings.csv").open(newline="", encoding="utf-8") as handle:
        ratings = list(csv.DictReader(handle))

    def rewrite(name, fieldnames, kept):
        with (csv_dir / name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=fieldnames, lineterminator="\r\n")
            writer.writeheader()
            writer.writerows(kept)

    rewrite("inspections.csv", list(rows[0]), [r for r in rows if not north_east_2025(r)])
    rewrite(
        "standard_ratings.csv",
        list(ratings[0]),
        [r for r in ratings if (r["unit_type"], r["unit_name"], r["published"]) not in keys],
    )
    # the import format has no report figures: the round's go with it (compared below without them)
    with (csv_dir / "report_figures.csv").open(newline="", encoding="utf-8") as handle:
        figures = list(csv.DictReader(handle))
    rewrite(
        "report_figures.csv",
        list(figures[0]),
        [r for r in figures if (r["unit_type"], r["unit_name"], r["published"]) not in keys],
    )
    with (csv_dir / "units.csv").open(newline="", encoding="utf-8") as handle:
        units = list(csv.DictReader(handle))
    rewrite("units.csv", list(units[0]), [u for u in units if u["unit_name"] != "Sunderland"])

    import_file = tmp_path / "north-east-2025.csv"
    standards_by_key = {}
    for r in ratings:
        standards_by_key.setdefault((r["unit_type"], r["unit_name"], r["published"]), {})[
            r["standard"]
        ] = r["rating"]
    columns = [
        *readers.IMPORT_COLUMNS,
        *sorted({s for k in keys for s in standards_by_key.get(k, {})}),
    ]
    with import_file.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for r in round_rows:
            writer.writerow(
                {**r, **standards_by_key.get((r["unit_type"], r["unit_name"], r["published"]), {})}
            )

    db_path = tmp_path / "ratings.duckdb"
    common = ["--data", str(csv_dir), "--db", str(db_path)]
    assert cli.main(["import", str(import_file), *common]) == 2
    assert capsys.readouterr().err == (
        "error: north-east-2025.csv:7:unit_name: unit PDU 'Sunderland' is not known; check the "
        "name, or allow new units (--allow-new-units) to add it\n"
    )
    assert cli.main(["import", str(import_file), "--allow-new-units", *common]) == 0
    assert capsys.readouterr().out == (
        "north-east-2025.csv: imported as import 1: 8 added, 0 replaced, 0 skipped (already "
        "identical), 1 new units\n"
    )
    shipped = tmp_path / "shipped.duckdb"
    db.build(REPO / "data", shipped)
    columns = ", ".join(f"i.{c}" for c in readers.IMPORT_COLUMNS)
    query = (
        f"select {columns}, s.standard, s.rating "  # noqa: S608 -- the declared column names
        "from inspections i left join standard_ratings s using (inspection_id) order by all"
    )
    con_a, con_b = db.connect(db_path), db.connect(shipped)
    try:
        assert (
            db.cursor(con_a).execute(query).fetchall() == db.cursor(con_b).execute(query).fetchall()
        )
    finally:
        con_a.close()
        con_b.close()

"""Imports: every validation rule with its exact message, dry runs, replace, new units, undo,
rebuilds that keep imports, exports, templates, malformed files and killed processes.
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
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics import cli, db, ingest, journal, planning, readers
from analytics.errors import DataValidationError
from analytics.export import dataset
from analytics.store import snapshots_dir
from tests import fixture_data as fx

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
            for t in ("regions", "units", "inspections", "standard_ratings", "events", "import_log")
        ]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()
    finally:
        con.close()


# --- each rule, with its exact message -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "unit_type,unit_name,region,published,date_basis,overall_rating,score,score_max,source_url\n",
            ["new.csv:1:fieldwork: required column is missing"],
        ),
        (
            HEADER + ",Colour\n" + NEW + ",red\n",
            [
                "new.csv:1:Colour: unexpected column (expected unit_type, unit_name, region, published, "
                "date_basis, fieldwork, overall_rating, score, score_max, source_url, then standard "
                "names)"
            ],
        ),
        (
            HEADER + "\n" + NEW.replace("Inadequate", "Inadequat") + "\n",
            [
                "new.csv:2:overall_rating: unknown value 'Inadequat' (allowed: Outstanding, Good, "
                "Requires improvement, Inadequate)"
            ],
        ),
        (
            HEADER + "\n" + NEW.replace("PDU", "Prison") + "\n",
            [
                "new.csv:2:unit_type: unknown value 'Prison' (allowed: PDU, Region, National, CRC, NPS "
                "division)"
            ],
        ),
        (
            HEADER + "\n" + NEW.replace("2025-06-01", "1 June 2025") + "\n",
            [
                "new.csv:2:published: '1 June 2025' is not a date of the form YYYY, YYYY-MM or "
                "YYYY-MM-DD"
            ],
        ),
        (
            HEADER + "\n" + NEW.replace("South", "Narnia") + "\n",
            ["new.csv:2:region: unknown region 'Narnia' (not in regions.csv)"],
        ),
        (
            HEADER + "\n" + NEW.replace("South", "North") + "\n",
            ["new.csv:2:region: 'North' differs from the unit's region ('South')"],
        ),
        (
            HEADER + "\n" + NEW + "\n" + NEW + "\n",
            [
                "new.csv:3:published: duplicate inspection PDU 'Gamma' published 2025-06-01 (first at "
                "row 2)"
            ],
        ),
        (
            HEADER + "\n" + NEW.replace("Gamma", "Delta") + "\n",
            [
                "new.csv:2:unit_name: unit PDU 'Delta' is not known; check the name, or allow new "
                "units (--allow-new-units) to add it"
            ],
        ),
        (
            HEADER
            + "\nPDU,Alpha,North,2024-11,stated,2024-08,Good,,,https://example.org/alpha-2024\n",
            [
                "new.csv:2:overall_rating: inspection PDU 'Alpha' published 2024-11 already exists with "
                "different values (overall_rating: 'Requires improvement' -> 'Good'); replace it "
                "(--replace) or correct the row"
            ],
        ),
        (
            HEADER + ",Leadership\n" + NEW + ",Brilliant\n",
            [
                "new.csv:2:Leadership: unknown value 'Brilliant' (allowed: Outstanding, Good, Requires "
                "improvement, Inadequate)"
            ],
        ),
        (
            HEADER + "\n" + NEW.replace(",,,https", ",9,,https") + "\n",
            ["new.csv:2:score_max: is blank; score and score_max are given together or not at all"],
        ),
        (HEADER + "\n", ["new.csv: holds no inspections (only a header)"]),
        ("", ["new.csv: file is empty; expected a header row"]),
    ],
    ids=[
        "missing-column",
        "unexpected-column",
        "unknown-rating",
        "unknown-unit-type",
        "bad-date",
        "unknown-region",
        "region-differs",
        "duplicate-in-file",
        "unknown-unit",
        "exists-differs",
        "bad-standard-rating",
        "score-alone",
        "header-only",
        "empty",
    ],
)
def test_each_rule_has_its_exact_message(store, text, expected):
    _, db_path = store
    assert problems(db_path, text) == expected


def test_every_problem_in_a_file_is_listed(store):
    _, db_path = store
    text = (
        HEADER
        + "\n"
        + NEW.replace("Inadequate", "Awful")
        + "\n"
        + NEW.replace("2025-06-01", "2025-13").replace("Gamma", "Beta").replace("South", "North")
        + "\n"
    )
    assert problems(db_path, text) == [
        "new.csv:2:overall_rating: unknown value 'Awful' (allowed: Outstanding, Good, Requires "
        "improvement, Inadequate)",
        "new.csv:3:published: '2025-13' is not a real date (month must be in 1..12)",
    ]


def test_case_and_spaces_are_forgiven_nothing_else(store):
    _, db_path = store
    text = (
        HEADER
        + ",leadership, REVIEWING \n"
        + " pdu , Gamma ,South,2025-06-01, Stated ,,requires IMPROVEMENT,,,, good ,inadequate\n"
    )
    p = plan(db_path, text)
    [row] = p.rows
    assert row.key == ("PDU", "Gamma", "2025-06-01")
    assert (row.record["overall_rating"], row.record["date_basis"]) == (
        "Requires improvement",
        "stated",
    )
    assert row.standards == {"Leadership": "Good", "Reviewing": "Inadequate"}
    # names of units are not guessed: case differs, so it is another unit
    assert problems(db_path, HEADER + "\n" + NEW.replace("Gamma", "gamma") + "\n") == [
        "new.csv:2:unit_name: unit PDU 'gamma' is not known; check the name, or allow new units "
        "(--allow-new-units) to add it"
    ]


def test_too_large_binary_and_disguised_files_are_refused(store):
    _, db_path = store
    con = db.connect(db_path)
    try:
        cases = {
            "big.csv": b"x" * (5 * 1024 * 1024 + 1),
            "binary.csv": b"\x00\x01\x02binary",
            "zipped.csv": b"PK\x03\x04rest",
            "fake.xlsx": b"unit_type,unit_name\n",
        }
        messages = {}
        for name, data in cases.items():
            with pytest.raises(DataValidationError) as info:
                planning.plan_import(con, data, name)
            messages[name] = [str(p) for p in info.value.problems]
    finally:
        con.close()
    assert messages == {
        "big.csv": ["big.csv: is 5,242,881 bytes; the limit is 5,242,880 (5 MB)"],
        "binary.csv": ["binary.csv: is a binary file, not CSV text (a NUL byte at byte 1)"],
        "zipped.csv": [
            "zipped.csv: looks like an Excel or zip file; name it .xlsx, or save as CSV"
        ],
        "fake.xlsx": ["fake.xlsx: is not a valid .xlsx file (not a zip archive)"],
    }


def test_an_xlsx_bomb_is_refused_before_unpacking(store):
    import zipfile

    _, db_path = store
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    assert len(buffer.getvalue()) < 200_000
    assert problems(db_path, "", "bomb.xlsx") != []
    con = db.connect(db_path)
    try:
        with pytest.raises(DataValidationError) as info:
            planning.plan_import(con, buffer.getvalue(), "bomb.xlsx")
    finally:
        con.close()
    assert [str(p) for p in info.value.problems] == [
        "bomb.xlsx: unpacks to 62,914,560 bytes; the limit is 52,428,800"
    ]


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
    assert not journal.imports_dir_for(db_path).exists()


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


def test_templates_and_xlsx_imports(store):
    csv_dir, db_path = store
    assert dataset.template("csv").decode().strip().split(",") == [
        *readers.IMPORT_COLUMNS,
        "Leadership",
        "Staffing",
        "Services",
        "Information and facilities",
        "Court work",
        "Assessment",
        "Planning",
        "Implementation and delivery",
        "Reviewing",
        "Unpaid work",
        "Through the Gate",
        "Victim work",
    ]
    assert problems(db_path, dataset.template("csv").decode()) == [
        "new.csv: holds no inspections (only a header)"
    ]
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(dataset.template("xlsx")))
    sheet = book.active
    row = [c for c in NEW.split(",")] + [""] * 12
    row[readers.IMPORT_COLUMNS.index("published")] = __import__("datetime").datetime(2025, 6, 1)
    row[len(readers.IMPORT_COLUMNS)] = "Good"  # Leadership
    sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    con = db.connect(db_path)
    p = planning.plan_import(con, buffer.getvalue(), "new.xlsx")
    con.close()
    [item] = p.rows
    assert item.key == ("PDU", "Gamma", "2025-06-01")
    assert item.standards == {"Leadership": "Good"}


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
    assert not journal.imports_dir_for(db_path).exists()


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
    query = (
        "select i.unit_type, i.unit_name, i.region, i.published, i.date_basis, i.fieldwork, "
        "i.overall_rating, i.score, i.score_max, i.source_url, s.standard, s.rating "
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

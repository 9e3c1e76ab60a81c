"""Faults: a damaged, deleted or replaced database, bad CSVs with no database, a read-only folder."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tempfile

import duckdb
import pytest

from analytics.pipeline import db, journal
from tests import fixture_data as fx
from tests.apptest import expected_kpis, metrics, plain, run_app, tiles

REBUILD = "Rebuild it with `probation-ratings build-db` (or `make run`)."

pytestmark = pytest.mark.usefixtures("clean_streamlit_caches")


@pytest.fixture
def env(monkeypatch, tmp_path, fixture_csv_dir):
    csv_dir = tmp_path / "csv"
    shutil.copytree(fixture_csv_dir, csv_dir)
    monkeypatch.setenv("PROBATION_RATINGS_DATA", str(csv_dir))
    monkeypatch.setenv("PROBATION_RATINGS_DB", str(tmp_path / "ratings.duckdb"))
    return csv_dir, tmp_path / "ratings.duckdb"


def test_a_database_damaged_while_running_is_rebuilt(env):
    _, db_path = env
    assert metrics(run_app())["Inspections"] == "10"
    db_path.write_bytes(b"this is not a database" * 100)
    at = run_app()
    assert not at.exception and at.error == []
    assert metrics(at) == expected_kpis(fx.INSPECTIONS)


def test_a_database_deleted_while_running_is_rebuilt(env):
    _, db_path = env
    run_app()
    db_path.unlink()
    at = run_app()
    assert not at.exception and at.error == []
    assert metrics(at)["Inspections"] == "10"


def test_a_database_replaced_while_running_is_served(env, tmp_path):
    csv_dir, db_path = env
    assert metrics(run_app())["Inspections"] == "10"
    other = tmp_path / "other"
    fx.write_csvs(
        other,
        {
            "inspections.csv": fx.INSPECTIONS[:4],
            "standard_ratings.csv": [],
            "report_figures.csv": [],
        },
    )
    db.build(other, tmp_path / "new.duckdb")
    shutil.copy(tmp_path / "new.duckdb", db_path.with_suffix(".incoming"))
    db_path.with_suffix(".incoming").replace(db_path)
    # A snapshot distributed to a serving machine replaces the file under a running dashboard:
    # it is served from the next run on, whole, and kept (not rebuilt over) while it runs.
    for _ in range(2):
        at = run_app()
        assert not at.exception and at.error == []
        assert metrics(at) == expected_kpis(fx.INSPECTIONS[:4])


def test_bad_csvs_and_no_database_name_the_rebuild_command(env):
    csv_dir, _ = env
    (csv_dir / "regions.csv").unlink()
    at = run_app()
    assert not at.exception
    errors = [plain(e.value) for e in at.error]
    assert errors[0].startswith(
        "The data files could not be loaded:\n\n- regions.csv: file not found\n"
    )
    assert errors[1] == f"There is no database to show instead. {REBUILD}"
    assert tiles(at) == []


@pytest.fixture
def private_tmp(monkeypatch, tmp_path):
    """The temporary folder the fallback copy goes to, for this test alone."""
    shared = tmp_path / "shared-tmp"
    shared.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(shared))
    return shared / f"probation-ratings-{os.geteuid()}"


def read_only_folder(monkeypatch, db_path, error):
    real = db.write_atomically

    def refuse(path, fill, **options):
        if path == db_path:
            raise error
        return real(path, fill, **options)

    monkeypatch.setattr(db, "write_atomically", refuse)


@pytest.mark.parametrize(
    "error",
    [
        PermissionError(errno.EACCES, "Permission denied"),
        OSError(errno.EROFS, "Read-only file system"),  # a read-only mount
    ],
    ids=["no-permission", "read-only-mount"],
)
def test_a_read_only_data_folder_is_served_from_a_private_copy(
    env, monkeypatch, private_tmp, error
):
    _, db_path = env
    read_only_folder(monkeypatch, db_path, error)
    at = run_app()
    assert not at.exception
    [note] = [i.value for i in at.info][:1]
    assert plain(note) == (
        f"The data folder is read-only, so the dashboard serves a copy built from its files in "
        f"{private_tmp / 'fallback'}."
    )
    assert metrics(at) == expected_kpis(fx.INSPECTIONS)
    assert not db_path.exists()
    for folder in (private_tmp, private_tmp / "fallback"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


@pytest.mark.usefixtures("private_tmp")
def test_a_copy_planted_where_the_fallback_goes_is_never_served(env, monkeypatch, tmp_path):
    """A copy with forged ratings, carrying the very content hash of the real CSVs, is at the
    fallback's path before the dashboard starts: it is built over, not trusted.
    """
    csv_dir, db_path = env
    forged = fx.write_csvs(
        tmp_path / "forged",
        {
            "inspections.csv": fx.INSPECTIONS[:4],
            "standard_ratings.csv": [],
            "report_figures.csv": [],
        },
    )
    real_hash = db.content_hash(csv_dir, journal.imports_dir_for(db_path))
    target = db.fallback_db_path(real_hash)
    db.build(forged, target)
    con = duckdb.connect(str(target))
    con.execute("update dataset_info set content_hash = ?", [real_hash])
    con.close()
    assert db.is_current(csv_dir, target)  # what the old fallback trusted
    read_only_folder(monkeypatch, db_path, PermissionError(errno.EACCES, "Permission denied"))
    at = run_app()
    assert metrics(at) == expected_kpis(fx.INSPECTIONS)
    assert metrics(at) != expected_kpis(fx.INSPECTIONS[:4])


def test_a_fallback_folder_open_to_others_is_refused_with_a_clear_page(
    env, monkeypatch, private_tmp
):
    _, db_path = env
    private_tmp.mkdir(mode=0o777)
    private_tmp.chmod(0o777)  # made first by another local user, say
    read_only_folder(monkeypatch, db_path, PermissionError(errno.EACCES, "Permission denied"))
    at = run_app()
    assert [plain(e.value) for e in at.error] == [
        f"The database {db_path} could not be written (Permission denied), nor a private copy "
        f"in the temporary folder ({private_tmp} is open to other users (mode 777)). {REBUILD}"
    ]
    assert tiles(at) == []


def test_serve_only_serves_the_given_snapshot(env, monkeypatch, tmp_path):
    csv_dir, db_path = env
    other = fx.write_csvs(
        tmp_path / "other",
        {
            "inspections.csv": fx.INSPECTIONS[:4],
            "standard_ratings.csv": [],
            "report_figures.csv": [],
        },
    )
    db.build(other, db_path)  # a snapshot made elsewhere, not from this folder's CSVs
    monkeypatch.setenv("PROBATION_RATINGS_SERVE_ONLY", "1")
    at = run_app()
    assert metrics(at) == expected_kpis(fx.INSPECTIONS[:4])
    assert db.read_info(db_path).content_hash == db.content_hash(other)
    assert csv_dir.exists()

"""Shared fixtures: the tiny literal dataset built into a DuckDB file once per session."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from analytics.pipeline import db
from tests.fixture_data import write_csvs

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def fixture_csv_dir(tmp_path_factory) -> Path:
    return write_csvs(tmp_path_factory.mktemp("fixture-csv"))


@pytest.fixture(scope="session")
def fixture_db(fixture_csv_dir, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("fixture-db") / "ratings.duckdb"
    db.build(fixture_csv_dir, path)
    return path


@pytest.fixture(scope="session")
def con(fixture_db):
    connection = db.connect(fixture_db)
    yield connection
    connection.close()


@pytest.fixture
def store(tmp_path, fixture_csv_dir):
    """A database built from the fixture CSVs, in its own folder (imports journal beside it)."""
    csv_dir = tmp_path / "csv"
    shutil.copytree(fixture_csv_dir, csv_dir)
    db_path = tmp_path / "ratings.duckdb"
    db.build(csv_dir, db_path)
    return csv_dir, db_path


@pytest.fixture
def clean_streamlit_caches():
    """Streamlit's caches are process-wide: a test must not see another test's database."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(scope="session")
def shipped_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("shipped-db") / "ratings.duckdb"
    db.build(REPO / "data", path)
    return path


def pytest_sessionfinish():
    """Remove the scratch folder Streamlit's AppTest makes when imported.

    AppTest creates it at import time and leaves it to Python's exit, which then warns
    ("Implicitly cleaning up <TemporaryDirectory ...>") after the summary line.
    """
    app_test = sys.modules.get("streamlit.testing.v1.app_test")
    if app_test is not None:
        app_test.TMP_DIR.cleanup()


@pytest.fixture(scope="session")
def gallery_dir(shipped_db, tmp_path_factory) -> Path:
    """`probation-ratings gallery` on the shipped data: every export of its fixed views."""
    from analytics import cli

    out = tmp_path_factory.mktemp("gallery")
    assert cli.main(["gallery", "--db", str(shipped_db), "--out", str(out)]) == 0
    return out

"""Fixtures of the dashboard AppTests: the app's data folder and the database it builds."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analytics.pipeline import db
from tests.apptest import run_app


@pytest.fixture
def app_env(monkeypatch, tmp_path, fixture_csv_dir) -> Path:
    csv_dir = tmp_path / "csv"
    shutil.copytree(fixture_csv_dir, csv_dir)
    monkeypatch.setenv("PROBATION_RATINGS_DATA", str(csv_dir))
    monkeypatch.setenv("PROBATION_RATINGS_DB", str(tmp_path / "ratings.duckdb"))
    return csv_dir


@pytest.fixture
def con(app_env):
    """The database the app builds from ``app_env``'s CSVs, opened after a first run."""
    assert app_env.is_dir()
    run_app()
    connection = db.connect(db.default_db_path())
    yield connection
    connection.close()

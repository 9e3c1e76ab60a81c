"""Settings.from_env: every variable, its default, and empty values treated as unset."""

from __future__ import annotations

from pathlib import Path

from analytics.settings import Settings


def test_every_variable_is_read():
    env = {
        "PROBATION_RATINGS_DB": "/srv/ratings.duckdb",
        "PROBATION_RATINGS_DATA": "/srv/csv",
        "PROBATION_RATINGS_IMPORTS": "/srv/imports",
        "PROBATION_RATINGS_SERVE_ONLY": "1",
        "PROBATION_RATINGS_ADMIN_PASSWORD": "correct horse",
        "BROWSER_PATH": "/usr/bin/chromium",
    }
    assert Settings.from_env(env) == Settings(
        db_path=Path("/srv/ratings.duckdb"),
        data_dir=Path("/srv/csv"),
        imports_dir=Path("/srv/imports"),
        serve_only=True,
        admin_password="correct horse",  # noqa: S106 -- a test value
        browser_path=Path("/usr/bin/chromium"),
    )


def test_unset_and_empty_variables_give_the_defaults():
    empty = dict.fromkeys(
        (
            "PROBATION_RATINGS_DB",
            "PROBATION_RATINGS_DATA",
            "PROBATION_RATINGS_IMPORTS",
            "PROBATION_RATINGS_SERVE_ONLY",
            "PROBATION_RATINGS_ADMIN_PASSWORD",
            "BROWSER_PATH",
        ),
        "",
    )
    assert (
        Settings.from_env({})
        == Settings.from_env(empty)
        == Settings(None, None, None, False, None, None)
    )


def test_the_process_environment_is_read_afresh(monkeypatch):
    monkeypatch.setenv("PROBATION_RATINGS_DB", "/srv/a.duckdb")
    assert Settings.from_env().db_path == Path("/srv/a.duckdb")
    monkeypatch.setenv("PROBATION_RATINGS_DB", "/srv/b.duckdb")
    assert Settings.from_env().db_path == Path("/srv/b.duckdb")

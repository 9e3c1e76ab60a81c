"""Where the files are (analytics/locations.py): a checkout's, or an installed package's in the
user's data folder.
"""

from __future__ import annotations

from analytics.pipeline import db


def test_an_installed_package_keeps_its_database_in_the_users_data_folder(monkeypatch, tmp_path):
    from analytics import locations

    monkeypatch.delenv("PROBATION_RATINGS_DB", raising=False)
    monkeypatch.delenv("PROBATION_RATINGS_DATA", raising=False)
    monkeypatch.setattr(locations, "IN_CHECKOUT", False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    assert db.default_db_path() == tmp_path / "share" / "probation-ratings" / "ratings.duckdb"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert db.default_db_path() == tmp_path / ".local/share/probation-ratings/ratings.duckdb"
    # CSVs of the user's own: the database beside them, as in a checkout
    monkeypatch.setenv("PROBATION_RATINGS_DATA", str(tmp_path / "csv"))
    assert db.default_db_path() == tmp_path / "csv" / "ratings.duckdb"


def test_an_installed_package_runs_its_server_in_a_folder_holding_its_configuration(
    monkeypatch, tmp_path
):
    from analytics import locations

    assert locations.run_dir() == locations.ROOT  # a checkout runs where its .streamlit/ is
    monkeypatch.setattr(locations, "IN_CHECKOUT", False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    folder = locations.run_dir()
    config = folder / ".streamlit" / "config.toml"
    assert folder == tmp_path / "probation-ratings" / "server"
    assert config.read_bytes() == locations.STREAMLIT_CONFIG.read_bytes()
    # an upgrade's different configuration replaces the copy; nothing half-written is left
    config.write_text("[server]\nold = true\n")
    assert locations.run_dir() == folder
    assert config.read_bytes() == locations.STREAMLIT_CONFIG.read_bytes()
    assert sorted(p.name for p in config.parent.iterdir()) == ["config.toml"]

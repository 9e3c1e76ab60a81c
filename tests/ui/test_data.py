"""AppTest of the database lifecycle (ui/data.py): builds, rebuilds, read-only folders, failures."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from analytics.export import images
from analytics.pipeline import db
from tests import fixture_data as fx
from tests.apptest import (
    APP,
    expected_kpis,
    metrics,
    open_download_menus,
    plain,
    query_params,
    run_app,
)

pytestmark = pytest.mark.usefixtures("clean_streamlit_caches")


# --- database lifecycle ----------------------------------------------------------------------------


def test_editing_a_csv_rebuilds_and_a_bad_csv_keeps_the_previous_database(app_env):
    at = run_app()
    assert metrics(at)["Inspections"] == "10"
    extra = ("PDU", "Gamma", "South", "2025-02", "stated", "", "Inadequate", "", "", "")
    fx.write_csvs(app_env, {"inspections.csv": fx.INSPECTIONS + [extra]})
    at = run_app()
    assert metrics(at)["Inspections"] == "11"
    assert metrics(at) == expected_kpis(fx.INSPECTIONS + [extra])
    bad = ("PDU", "Gamma", "South", "2025-03", "stated", "", "Terrible", "", "", "")
    fx.write_csvs(app_env, {"inspections.csv": fx.INSPECTIONS + [extra, bad]})
    at = run_app()
    assert [plain(e.value) for e in at.error] == [
        "The data files could not be loaded:\n\n- inspections.csv:13:overall_rating: unknown "
        "value 'Terrible' (allowed: Outstanding, Good, Requires improvement, Inadequate)"
    ]
    assert [w.value for w in at.warning] == [
        "Showing the database built before these files changed."
    ]
    assert metrics(at)["Inspections"] == "11"


def test_shipped_data_kpi_equals_csv_rows(monkeypatch, tmp_path):
    monkeypatch.delenv("PROBATION_RATINGS_DATA", raising=False)
    monkeypatch.setenv("PROBATION_RATINGS_DB", str(tmp_path / "shipped.duckdb"))
    at = run_app()
    assert not at.exception
    rows = (Path(APP).parent / "data" / "inspections.csv").read_text(encoding="utf-8").splitlines()
    assert metrics(at)["Inspections"] == str(len(rows) - 1) == "114"


def test_a_synthetic_database_is_labelled(monkeypatch, tmp_path, fixture_csv_dir):
    target = tmp_path / "synthetic.duckdb"
    db.build(fixture_csv_dir, target)
    con = duckdb.connect(str(target))
    con.execute("update dataset_info set synthetic = true")
    con.close()
    monkeypatch.setenv("PROBATION_RATINGS_DATA", str(fixture_csv_dir))
    monkeypatch.setenv("PROBATION_RATINGS_DB", str(target))
    at = run_app()
    assert at.caption[0].value == (
        "Source: **SYNTHETIC test data, not real ratings** · 10 inspections published 2019 to "
        "2025 · 3 with approximate dates"
    )


@pytest.mark.usefixtures("app_env")
def test_dates_in_the_url_keep_their_exact_days():
    at = run_app(**{"from": ["2022-03-15"]})
    assert at.slider(key="f_years").value == (2022, 2025)
    assert query_params(at) == {"from": ["2022-03-15"]}
    assert metrics(at) == expected_kpis([r for r in fx.INSPECTIONS if r[3] >= "2022-03-15"])
    assert (
        "Period from the link: published from 2022-03-15 (exact days). Moving the slider "
        "replaces it with whole years."
    ) in [c.value for c in at.sidebar.caption]
    # Moving the slider replaces the exact days with whole years.
    at.slider(key="f_years").set_value((2022, 2024)).run()
    assert query_params(at) == {"from": ["2022-01-01"], "to": ["2024-12-31"]}
    assert not [c.value for c in at.sidebar.caption if c.value.startswith("Period from")]


@pytest.mark.usefixtures("app_env")
def test_a_period_within_one_year_is_not_widened_to_the_year():
    at = run_app(**{"from": ["2024-06-15"], "to": ["2024-09-30"]})
    assert query_params(at) == {"from": ["2024-06-15"], "to": ["2024-09-30"]}
    assert at.slider(key="f_years").value == (2024, 2024)
    expected = [r for r in fx.INSPECTIONS if "2024-06-15" <= r[3] <= "2024-09-30"]
    assert metrics(at) == expected_kpis(expected)


@pytest.mark.usefixtures("app_env")
def test_a_period_after_the_data_shows_nothing_rather_than_the_last_year():
    at = run_app(**{"from": ["2030-01-01"]})
    assert query_params(at) == {"from": ["2030-01-01"]}
    assert metrics(at)["Inspections"] == "0"


@pytest.mark.usefixtures("app_env")
def test_without_chromium_image_buttons_explain_and_others_work(monkeypatch):
    monkeypatch.setattr(images, "chromium_path", lambda: None)
    at = open_download_menus(run_app())
    assert not at.exception
    buttons = {}
    for b in at.get("download_button"):
        buttons.setdefault(b.proto.label, []).append(b.proto.disabled)
    assert set(buttons["Chart as PNG"]) == {True}
    assert set(buttons["Chart as SVG"]) == {True}
    assert set(buttons["Report (PDF)"]) == {True}
    for label in (
        "Interactive chart (HTML)",
        "Table as CSV",
        "Table as Excel",
        "Report (HTML)",
    ):
        assert set(buttons[label]) == {False}, label
    captions = [c.value for c in at.caption]
    assert (
        "Chart images and PDF need Chromium: install Debian's chromium (sudo apt-get install "
        "-y chromium), then restart. HTML, CSV and Excel work without it."
    ) in captions
    assert len(buttons["Chart as PNG"]) == 3  # one per chart of the open tab


@pytest.mark.usefixtures("app_env")
def test_charts_have_no_toolbar_over_their_titles():
    # on a phone Plotly's toolbar sat over every title, and its buttons were Tab stops
    at = run_app(region=["North"])
    configs = [json.loads(c.proto.config) for c in at.get("plotly_chart")]
    assert configs == [{"displaylogo": False, "displayModeBar": False}] * 3  # the Overview's


@pytest.mark.usefixtures("app_env")
def test_a_failing_query_is_one_plain_message_and_the_error_is_logged(monkeypatch, caplog):
    """Issue 29, point 5: DuckDB's error never reaches the page; the boundary says it plainly."""
    from analytics.analyses import breakdowns, sql

    run_app()  # the database built first, its own queries untouched
    # a query that DuckDB refuses, as a bug in the KPI tiles' SQL would
    monkeypatch.setattr(breakdowns, "KPIS_SQL", "select no_such_column from inspection_facts i")
    at = run_app(region=["South"])  # filters not computed yet (the first run's are cached)
    assert not at.exception
    assert [plain(e.value) for e in at.error] == [sql.QUERY_FAILED]
    assert "no_such_column" in caplog.text  # DuckDB's own words, for whoever reads the log
    assert "no_such_column" not in " ".join(plain(e.value) for e in at.error)

"""AppTest: the dashboard's numbers equal counts computed independently from the fixture rows."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests import fixture_data as fx

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")


@pytest.fixture(autouse=True)
def clear_streamlit_caches():
    # Streamlit's caches are process-wide; a test must not see another test's database.
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def app_env(monkeypatch, tmp_path, fixture_csv_dir) -> Path:
    csv_dir = tmp_path / "csv"
    shutil.copytree(fixture_csv_dir, csv_dir)
    monkeypatch.setenv("PROBATION_RATINGS_DATA", str(csv_dir))
    monkeypatch.setenv("PROBATION_RATINGS_DB", str(tmp_path / "ratings.duckdb"))
    return csv_dir


def run_app(**query_params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for key, value in query_params.items():
        at.query_params[key] = value
    return at.run()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def expected_kpis(rows: list[tuple]) -> dict[str, str]:
    """KPI tiles computed from literal inspection rows with plain Python."""
    n = len(rows)
    ratings = [r[6] for r in rows]
    return {
        "Inspections": str(n),
        "Units": str(len({(r[0], r[1]) for r in rows})),
        "Inadequate": f"{ratings.count('Inadequate') / n:.0%}",
        "Requires improvement": f"{ratings.count('Requires improvement') / n:.0%}",
        "Good or better": f"{(ratings.count('Good') + ratings.count('Outstanding')) / n:.0%}",
    }


@pytest.mark.usefixtures("app_env")
def test_kpis_equal_independent_counts():
    at = run_app()
    assert not at.exception
    assert at.error == []
    assert metrics(at) == expected_kpis(fx.INSPECTIONS)
    assert metrics(at) == {
        "Inspections": "10",
        "Units": "7",
        "Inadequate": "20%",
        "Requires improvement": "40%",
        "Good or better": "40%",
    }


@pytest.mark.usefixtures("app_env")
def test_provenance_line():
    at = run_app()
    caption = at.caption[0].value
    assert caption.startswith(
        "Source: HM Inspectorate of Probation ratings compiled from public HMIP pages (Open "
        "Government Licence v3.0). Licence: [Open Government Licence v3.0]"
        "(https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/). "
        "10 inspections from 2019 to 2025. 3 of 10 have approximate dates. Database built "
    )


@pytest.mark.usefixtures("app_env")
def test_inspection_table_lists_every_inspection_with_its_source():
    at = run_app()
    table = at.dataframe[0].value
    assert len(table) == len(fx.INSPECTIONS)
    assert sorted(table["source_url"]) == sorted(r[9] for r in fx.INSPECTIONS)
    assert list(table["published"][:3]) == ["2025-04-29", "2024-11", "2024-07-01"]
    assert "2024 (approx.)" in list(table["published"])


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
    assert [e.value for e in at.error] == [
        "The data files could not be loaded:\n\n- `inspections.csv:13:overall_rating: unknown "
        "value 'Terrible' (allowed: Outstanding, Good, Requires improvement, Inadequate)`"
    ]
    assert [w.value for w in at.warning] == [
        "Showing the database built before these files changed."
    ]
    assert metrics(at)["Inspections"] == "11"


def test_shipped_data_kpi_equals_csv_rows(monkeypatch, tmp_path):
    monkeypatch.delenv("PROBATION_RATINGS_DATA", raising=False)
    monkeypatch.setenv("PROBATION_RATINGS_DB", str(tmp_path / "shipped.duckdb"))
    at = run_app()
    rows = (Path(APP).parent / "data" / "inspections.csv").read_text(encoding="utf-8").splitlines()
    assert metrics(at)["Inspections"] == str(len(rows) - 1) == "114"

"""AppTest of the "Add inspections" page: off without a password, sign-in, upload, preview with
problems, confirm, undo; the dashboard shows an import on its next run, without a restart.
"""

from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from analytics.pipeline import db, journal, readers
from analytics.serving.throttle import Backoff, backoff_path
from tests.apptest import metrics, plain, run_app

HEADER = ",".join(readers.IMPORT_COLUMNS)
NEW = "PDU,Gamma,South,2025-06-01,stated,2025-03,Inadequate,,,https://example.org/gamma-2025"

pytestmark = pytest.mark.usefixtures("clean_streamlit_caches")


ADMIN_PAGE = "app_pages/add_inspections.py"


@pytest.fixture
def app_env(monkeypatch, tmp_path, fixture_csv_dir):
    csv_dir = tmp_path / "csv"
    shutil.copytree(fixture_csv_dir, csv_dir)
    monkeypatch.setenv("PROBATION_RATINGS_DATA", str(csv_dir))
    monkeypatch.setenv("PROBATION_RATINGS_DB", str(tmp_path / "ratings.duckdb"))
    monkeypatch.delenv("PROBATION_RATINGS_ADMIN_PASSWORD", raising=False)
    return tmp_path


def open_page() -> AppTest:
    """A new session on the dashboard (which builds the database, as a first visit would), then
    on the Add inspections page, as a manager following the page link.
    """
    at = run_app()
    return at.switch_page(ADMIN_PAGE).run()


def signed_in(monkeypatch) -> AppTest:
    monkeypatch.setenv("PROBATION_RATINGS_ADMIN_PASSWORD", "correct horse")
    at = open_page()
    at.text_input(key="admin_password").input("correct horse")
    at.button[0].click().run()
    return at


@pytest.mark.usefixtures("app_env")
def test_off_without_a_password():
    at = open_page()
    assert [i.value for i in at.info] == [
        "Adding inspections is turned off. An administrator turns it on by setting the environment "
        "variable `PROBATION_RATINGS_ADMIN_PASSWORD` (or `admin_password` in "
        "`.streamlit/secrets.toml`) and restarting the dashboard."
    ]
    assert len(at.file_uploader) == 0


@pytest.fixture
def backoff(monkeypatch, tmp_path):
    """The database's sign-in back-off on a clock the test moves; waits recorded, not slept."""
    from ui import auth, data

    now = [100.0]
    shared = Backoff(backoff_path(tmp_path / "ratings.duckdb"), clock=lambda: now[0])
    waits: list[float] = []
    monkeypatch.setattr(data, "sign_in_backoff", lambda: shared)
    monkeypatch.setattr(auth, "_pause", waits.append)
    return now, waits


def wrong_password_in_a_new_session() -> AppTest:
    at = open_page()
    at.text_input(key="admin_password").input("battery staple")
    at.button[0].click().run()
    return at


@pytest.mark.usefixtures("app_env")
def test_a_wrong_password_is_refused(monkeypatch, backoff):
    now, waits = backoff
    monkeypatch.setenv("PROBATION_RATINGS_ADMIN_PASSWORD", "correct horse")
    at = open_page()
    at.text_input(key="admin_password").input("battery staple")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["Wrong password."]
    assert len(at.file_uploader) == 0
    assert waits == [0.5]


@pytest.mark.usefixtures("app_env")
def test_the_password_back_off_survives_a_reload(monkeypatch, backoff):
    """A new session (a reload, a new tab) from the same address does not reset the wait."""
    now, waits = backoff
    monkeypatch.setenv("PROBATION_RATINGS_ADMIN_PASSWORD", "correct horse")
    open_page()
    assert [e.value for e in wrong_password_in_a_new_session().error] == ["Wrong password."]
    # 0.4 s later, from a fresh session: refused without comparing, and no extra wait is slept.
    now[0] += 0.4
    refused = wrong_password_in_a_new_session()
    assert [e.value for e in refused.error] == ["Too many wrong passwords: try again in 1 s."]
    now[0] += 0.2
    assert [e.value for e in wrong_password_in_a_new_session().error] == ["Wrong password."]
    now[0] += 1.1
    assert [e.value for e in wrong_password_in_a_new_session().error] == ["Wrong password."]
    assert waits == [0.5, 1.0, 2.0]


@pytest.mark.usefixtures("app_env")
def test_a_bad_file_shows_every_problem_and_changes_nothing(monkeypatch):
    at = signed_in(monkeypatch)
    bad = (
        HEADER
        + "\n"
        + NEW.replace("Inadequate", "Awful")
        + "\n"
        + NEW.replace("Gamma", "Zeta")
        + "\n"
    )
    at.file_uploader(key="import_file").upload("bad.csv", bad.encode(), "text/csv").run()
    assert [plain(e.value) for e in at.error] == [
        "bad.csv was not imported: 2 problems. Nothing was changed."
    ]
    table = at.table[0].value
    assert [[plain(c) if isinstance(c, str) else c for c in r] for r in table.values.tolist()] == [
        [
            "bad.csv",
            2,
            "overall_rating",
            "unknown value 'Awful' (allowed: Outstanding, Good, Requires improvement, Inadequate)",
        ],
        [
            "bad.csv",
            3,
            "unit_name",
            "unit PDU 'Zeta' is not known; check the name, or allow new units (--allow-new-units) "
            "to add it",
        ],
    ]
    # nothing journalled (the folder may hold the lock every rebuild takes)
    assert list(journal.imports_dir_for(db.default_db_path()).glob("import-*")) == []


def test_a_good_file_previews_imports_and_the_dashboard_shows_it(monkeypatch, app_env):
    before = metrics(run_app())
    assert before["Inspections"] == "10"
    at = signed_in(monkeypatch)
    good = HEADER + ",Leadership\n" + NEW + ",Good\n"
    at.file_uploader(key="import_file").upload("good.csv", good.encode(), "text/csv").run()
    assert [plain(s.value) for s in at.success] == [
        "good.csv is valid: 1 added, 0 replaced, 0 skipped (already identical)."
    ]
    assert at.dataframe[0].value.values.tolist() == [
        [2, "added", "PDU", "Gamma", "2025-06-01", "Inadequate", 1]
    ]
    at.button(key="import_confirm").click().run()
    assert (
        "Imported as import 1: 1 added, 0 replaced, 0 skipped (already identical). The dashboard shows it now."
        in [s.value for s in at.success]
    )
    # the same process, no restart: the next run of the dashboard sees the new snapshot
    after = metrics(run_app())
    assert after["Inspections"] == "11"
    assert after["Inadequate"] == "27%"  # 3 of 11
    assert (app_env / "ratings.imports" / "import-00001.json").exists()


@pytest.mark.usefixtures("app_env")
def test_undo_from_the_page(monkeypatch):
    at = signed_in(monkeypatch)
    at.file_uploader(key="import_file").upload(
        "good.csv", (HEADER + "\n" + NEW + "\n").encode()
    ).run()
    at.button(key="import_confirm").click().run()
    at.button(key="undo_import").click().run()
    log = at.dataframe[-1].value
    assert log["import_id"].tolist() == [1] and log["undone_at"].iloc[0] != ""
    assert metrics(run_app())["Inspections"] == "10"


def test_the_page_is_listed_only_when_a_password_is_set(monkeypatch):
    from ui import auth

    monkeypatch.delenv("PROBATION_RATINGS_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr(auth.st, "secrets", {})
    assert auth.admin_page_visibility() == "hidden"
    monkeypatch.setenv("PROBATION_RATINGS_ADMIN_PASSWORD", "correct horse")
    assert auth.admin_page_visibility() == "visible"

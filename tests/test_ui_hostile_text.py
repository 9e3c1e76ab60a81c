"""Text from a URL, a file or the data reaches the page as plain text (AppTest): escaped once
where it enters Markdown, links built by code from checked addresses, every URL parameter that
is not understood named in a warning, and a journal entry that no longer builds shown as a
clear page.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from analytics import db, readers
from analytics.export import tables
from tests import fixture_data as fx
from tests.apptest import metrics, open_download_menus, plain, run_app
from tests.imports import write_bad_entry
from tests.test_add_inspections import app_env  # noqa: F401 -- the fixture, shared
from ui.state import TOO_MANY_PARAMS_CHECK
from ui.style import PAGE_CSS
from ui.text import md_link

pytestmark = pytest.mark.usefixtures("clean_streamlit_caches")

HEADER = ",".join(readers.IMPORT_COLUMNS)
NEW = "PDU,Gamma,South,2025-06-01,stated,2025-03,Inadequate,,,https://example.org/gamma-2025"


@pytest.mark.usefixtures("app_env")
def test_markdown_in_a_link_is_escaped_where_it_enters_the_warning():
    at = run_app(region=["![t](http://host/pixel.png)"])
    assert [w.value for w in at.warning] == [
        "Ignored in the link: unknown region \\'\\!\\[t\\]\\(http\\:\u2060\\/\\/host\\/pixel\\.png\\)\\' "
        "\\(allowed\\: North\\, South\\)"
    ]


@pytest.mark.usefixtures("app_env")
def test_a_phishing_link_in_the_url_reads_as_the_text_it_is():
    at = run_app(unit_type=["x'. **[Sign in again](https://evil.example/)**"])
    (warning,) = at.warning
    assert plain(warning.value) == (
        "Ignored in the link: unknown unit_type 'x'. **[Sign in again](https://evil.example/)**' "
        "(allowed: PDU, Region, National, CRC, NPS division)"
    )
    assert "](" not in warning.value and "**" not in warning.value


@pytest.mark.usefixtures("app_env")
def test_unknown_parameters_and_tabs_are_named():
    at = run_app(colour=["red"], tab=["Secrets"])
    assert [plain(w.value) for w in at.warning] == [
        "Ignored in the link: unknown parameter 'colour' (allowed: region, unit_type, rating, "
        "unit, standard, from, to, approximate, tab, compare)",
        "Ignored in the link: unknown tab 'Secrets' (allowed: Overview, Trends, Domains, Units, "
        "Compare, Data, About); showing Overview",
    ]


@pytest.mark.usefixtures("app_env")
def test_a_link_of_many_values_reads_200_and_warns_ten_times_then_counts():
    at = run_app(region=[f"Atlantis {i}" for i in range(250)])
    warnings = [plain(w.value) for w in at.warning]
    assert (
        warnings[0] == "Ignored in the link: 'region' given 250 times; only the first 200 are read"
    )
    assert warnings[1] == (
        "Ignored in the link: unknown region 'Atlantis 0' (allowed: North, South)"
    )
    assert warnings[10:] == ["Ignored in the link: 191 more values."]
    assert len(warnings) == 11


@pytest.mark.usefixtures("app_env")
def test_a_session_started_without_parameters_checks_for_a_dropped_link():
    """Over 1,000 parameters Streamlit hands the script none: a fixed snippet counts them."""
    at = run_app()
    # every page also carries its layout rules (ui/style.py; a style-only snippet goes last)
    assert [h.proto.body for h in at.get("html")] == [
        TOO_MANY_PARAMS_CHECK.strip(),
        PAGE_CSS.strip(),
    ]
    assert [h.proto.body for h in run_app(tab=["Trends"]).get("html")] == [PAGE_CSS.strip()]


def test_links_are_built_only_from_checked_addresses():
    assert md_link("source", "https://example.org/a?b=1") == ("[source](https://example.org/a?b=1)")
    assert md_link("source", "https://x)![i](http://evil.example/p.png)") == (
        "no source recorded (an invalid address: https\\:\u2060\\/\\/x\\)\\!\\[i\\]\\(http\\:\u2060\\/\\/"
        "evil\\.example\\/p\\.png\\))"
    )
    assert md_link("source", None) == "no source recorded"


@pytest.mark.usefixtures("app_env")
def test_a_journal_entry_that_no_longer_builds_gives_a_clear_page():
    run_app()  # builds the database
    write_bad_entry(db.default_db_path())
    at = run_app()
    assert not at.exception
    assert [plain(e.value) for e in at.error] == [
        "The data files could not be loaded:\n\n- import-00001.json:2:score: 3000000000 is more "
        "than 2,147,483,647, the largest allowed here\n\nAn import no longer fits the data: take "
        "it out with `probation-ratings undo-import 1`."
    ]
    assert [w.value for w in at.warning] == [
        "Showing the database built before these files changed."
    ]
    assert metrics(at)["Inspections"] == str(len(fx.INSPECTIONS))


@pytest.mark.usefixtures("app_env")
def test_an_excel_download_over_the_limit_is_offered_as_csv(monkeypatch):
    monkeypatch.setattr(tables, "MAX_EXCEL_ROWS", 3)
    at = open_download_menus(run_app(tab="Data"))
    excel = [b for b in at.get("download_button") if b.proto.label == "Table as Excel"]
    csv = [b for b in at.get("download_button") if b.proto.label == "Table as CSV"]
    assert [b.proto.disabled for b in excel] == [True]
    assert [b.proto.disabled for b in csv] == [False]
    message = (
        f"Excel downloads hold at most 3 rows and this table has {len(fx.INSPECTIONS)}: "
        "download it as CSV"
    )
    assert excel[0].proto.help == message
    assert message + "." in [c.value for c in at.caption]


# --- the admin page ----------------------------------------------------------------------------


def signed_in(monkeypatch) -> AppTest:
    monkeypatch.setenv("PROBATION_RATINGS_ADMIN_PASSWORD", "correct horse")
    at = run_app()
    at.switch_page("app_pages/add_inspections.py").run()
    at.text_input(key="admin_password").input("correct horse")
    at.button[0].click().run()
    return at


@pytest.mark.usefixtures("app_env")
def test_an_upload_name_and_its_problems_are_plain_text(monkeypatch):
    at = signed_in(monkeypatch)
    name = "**Sign in**[here](https://evil.example).csv"
    bad = HEADER + "\n" + NEW.replace("Inadequate", "[Awful](https://evil.example)") + "\n"
    at.file_uploader(key="import_file").upload(name, bad.encode(), "text/csv").run()
    (error,) = at.error
    assert error.value == (
        "\\*\\*Sign in\\*\\*\\[here\\]\\(https\\:\u2060\\/\\/evil\\.example\\)\\.csv was not imported: "
        "1 problem. Nothing was changed."
    )
    table = at.table[0].value
    assert table["problem"].tolist() == [
        "unknown value \\'\\[Awful\\]\\(https\\:\u2060\\/\\/evil\\.example\\)\\' \\(allowed\\: "
        "Outstanding\\, Good\\, Requires improvement\\, Inadequate\\)"
    ]


@pytest.mark.usefixtures("app_env")
def test_thousands_of_problems_show_the_first_1000_and_a_count(monkeypatch):
    at = signed_in(monkeypatch)
    bad = HEADER + "\n" + (NEW.replace("Inadequate", "Awful") + "\n") * 1500
    at.file_uploader(key="import_file").upload("bad.csv", bad.encode(), "text/csv").run()
    assert [plain(e.value) for e in at.error] == [
        "bad.csv was not imported: 1,500 problems. Nothing was changed."
    ]
    assert len(at.table[0].value) == 1000
    assert "... and 500 more problems (only the first 1,000 are listed)" in [
        plain(c.value) for c in at.caption
    ]

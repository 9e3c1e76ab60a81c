"""Downloads in a real browser: every kind of file, with a filter applied, checked by content."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import openpyxl
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests import serve
from tests.e2e.conftest import screenshot, server_log, wait_for_app, wait_idle

pytestmark = pytest.mark.browser

NORTH_INSPECTIONS = 5  # fixture rows with region North


def download(page, menu, label: str, *, timeout: int = 120_000):
    """Open a Download menu (if ``menu``), click a button, and return the file's name and bytes.

    ``menu`` is the heading of a Download expander; a menu already open stays open. The
    generous limit covers a first chart image, which starts Chromium on the server. If no
    file arrives, the failure shows what the page said and the end of the server's log.
    """
    wait_idle(page)
    if menu is not None and not menu.evaluate("s => s.parentElement.open"):
        menu.click()
    scope = page if menu is None else menu.locator("xpath=..")  # the expander's <details>
    button = scope.get_by_role("button", name=label, exact=True)
    button.wait_for()
    try:
        with page.expect_download(timeout=timeout) as info:
            button.click()
        dl = info.value
    except PlaywrightTimeoutError:
        shot = screenshot(page, f"download-failed-{label.split()[-1].lower()}")
        said = page.locator('[data-testid="stAlert"], [role="alert"]').all_inner_texts()
        pytest.fail(
            f"no download from {label!r} within {timeout / 1000:g} s; page said {said}; "
            f"screenshot {shot}; server log:\n{server_log(page)}"
        )
    body = dl.path().read_bytes()
    wait_idle(page)
    return dl.suggested_filename, body


def download_menu(scope):
    """The headings of the Download menus (expanders) within ``scope``."""
    return scope.locator('[data-testid="stExpander"] summary').filter(has_text="Download")


@pytest.fixture
def north(server, page):
    page.goto(f"{server}/?region=North")
    wait_for_app(page)
    return page


def test_chart_downloads(north):
    page = north
    menu = download_menu(page).first
    name, png = download(page, menu, "Chart as PNG")
    assert name.startswith("ratings-by-region_north_") and name.endswith(".png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000
    name, svg = download(page, menu, "Chart as SVG")
    assert name.endswith(".svg")
    text = " ".join(ET.fromstring(svg).itertext())
    assert "Overall ratings by region" in text and "Filters: region North " in text
    name, page_html = download(page, menu, "Interactive chart (HTML)")
    assert name.endswith(".html") and b"region North" in page_html


def test_table_downloads_hold_the_filtered_rows(north):
    page = north
    page.get_by_role("tab", name="Data").click()
    wait_idle(page)
    panel = page.get_by_role("tabpanel", name="Data")
    menu = download_menu(panel)
    name, data = download(page, menu, "Table as CSV")
    assert name.startswith("inspections_north_") and name.endswith(".csv")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert len(rows) - 1 == NORTH_INSPECTIONS
    name, data = download(page, menu, "Table as Excel")
    assert name.endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book["Data"].max_row - 1 == NORTH_INSPECTIONS


def test_report_downloads(north):
    page = north
    name, report = download(page, None, "Report (HTML)")
    assert name.startswith("dashboard-report_north_") and name.endswith(".html")
    text = report.decode("utf-8")
    assert "Filters: region North" in text
    assert text.count("<img alt=") == 7
    name, pdf = download(page, None, "Report (PDF)")
    assert name.endswith(".pdf") and pdf.startswith(b"%PDF-")


# Set by the page's own watcher below: whether the script has run since the flag was cleared.
WATCH_RUNS = """() => {
  window.ranSince = false;
  const app = document.querySelector('[data-testid="stApp"]');
  new MutationObserver(() => {
    if (app.dataset.testScriptState === 'running') window.ranSince = true;
  }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""


def test_a_download_after_the_server_restarts_works(page, tmp_path, fixture_csv_dir):
    """The process behind the page restarts (or a fleet fails over): the page reconnects, runs
    again by itself, and the same button downloads the same file (it once did nothing).
    """
    env = {
        "PROBATION_RATINGS_DB": str(tmp_path / "ratings.duckdb"),
        "PROBATION_RATINGS_DATA": str(fixture_csv_dir),
    }
    process, url = serve.start(env)
    try:
        page.goto(f"{url}/?region=North")
        wait_for_app(page)
        menu = download_menu(page).first
        before = download(page, menu, "Table as CSV")
        page.evaluate(WATCH_RUNS)
        serve.stop(process)
        page.wait_for_function(
            "() => document.querySelector('[data-testid=\"stApp\"]')"
            ".dataset.testConnectionState !== 'CONNECTED'"
        )
        process, _ = serve.start(env, port=int(url.rsplit(":", 1)[1]))
        page.wait_for_function("() => window.ranSince === true", timeout=60_000)
        wait_idle(page)
        assert download(page, menu, "Table as CSV") == before
        assert page.locator('[data-testid="stDownloadButtonError"]').count() == 0
    finally:
        serve.stop(process)

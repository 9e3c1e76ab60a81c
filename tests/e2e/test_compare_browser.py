"""Compare in a real browser: a link reopens the same units and tab, a league row is added with
one click, and the report carries the comparison.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, wait_for_app, wait_idle
from tests.e2e.test_downloads_browser import download

pytestmark = pytest.mark.browser

LINK = "/?compare=Alpha&compare=Old%20One&tab=Compare"
ROW = 35  # Streamlit's dataframe row height in px (its header row too)


def picked(page) -> list[str]:
    """The units in the Compare tab's picker, as its chips read."""
    text = page.locator(".st-key-compare_pick").inner_text()
    return [line for line in text.splitlines()[1:] if line.strip()]


def grid_cells(grid) -> list[str]:
    """The text of a dataframe's cells, row by row (the grid's accessible copy)."""
    grid.locator("[role=gridcell]").first.wait_for(state="attached")
    return grid.locator("[role=gridcell]").all_inner_texts()


def compare_grid(page):
    """The side-by-side table: the Compare tab's first dataframe (a table, not a widget, so
    its key is not on the page).
    """
    return page.get_by_role("tabpanel", name="Compare").locator('[data-testid="stDataFrame"]').first


def test_a_compare_link_reopens_the_same_units_and_tab(server, page):
    page.goto(server + LINK)
    wait_for_app(page)
    assert page.get_by_role("tab", selected=True).inner_text() == "Compare"
    assert picked(page) == ["Alpha (PDU)", "Old One (CRC)"]
    cells = grid_cells(compare_grid(page))
    # Measure, Alpha, Old One: the fixture's latest and previous inspections of each
    assert cells[9:12] == ["Latest overall rating", "Requires improvement", "Good"]
    assert cells[15:18] == ["Previous overall rating", "Inadequate", "Requires improvement"]
    assert page.locator(".js-plotly-plot").count() == 1
    screenshot(page, "compare-tab")
    page.reload()
    wait_for_app(page)
    assert page.get_by_role("tab", selected=True).inner_text() == "Compare"
    assert picked(page) == ["Alpha (PDU)", "Old One (CRC)"]


def test_a_league_row_is_added_to_compare_with_one_click(server, page):
    page.goto(server + "/?tab=Units")
    wait_for_app(page)
    grid = page.locator('.st-key-league_table [data-testid="stDataFrame"]')
    # tick the first two rows in the row-marker column, left of the cells
    for row in (1, 2):
        grid.scroll_into_view_if_needed()
        box = grid.bounding_box()
        page.mouse.click(box["x"] + 12, box["y"] + row * ROW + ROW / 2)
        wait_idle(page)
    add = page.locator(".st-key-league_table_add_compare button")
    # the selection reaches the server in a rerun of its own, a moment after the tick
    expect(add).to_contain_text("Add to Compare (2)", timeout=15_000)
    add.click()
    opener = page.locator(".st-key-league_table_open_compare button")
    expect(opener).to_be_enabled(timeout=15_000)  # once the added units are in Compare
    opener.click()
    expect(page.get_by_role("tab", selected=True)).to_have_text("Compare", timeout=15_000)
    wait_idle(page)
    # the league's first two rows: the fixture's best latest ratings
    assert picked(page) == ["North (Region)", "Gamma (PDU)"]
    assert "compare=" in page.url and "tab=Compare" in page.url


def test_the_report_carries_the_comparison(server, page):
    page.goto(server + LINK)
    wait_for_app(page)
    _, report = download(page, None, "Report (HTML)")
    text = report.decode("utf-8")
    # opened on the Compare tab, the report is the comparison's brief: its chart, the
    # side-by-side table, then their regions and the country
    assert "<h1>Units compared</h1>" in text
    assert "<p class='meta'>2 units compared: Alpha (PDU), Old One (CRC)<br>" in text
    assert text.count("<h2>Overall rating at each inspection, units side by side</h2>") == 1
    assert "<h2>Latest ratings side by side</h2>" in text
    assert "<h2>Their regions and England and Wales, same period and types</h2>" in text
    assert "Appendix" not in text

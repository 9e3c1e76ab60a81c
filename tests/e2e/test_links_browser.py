"""A copied link reopens the same view: the page's choices travel in it (issue 27, point 5)."""

from __future__ import annotations

import re
import urllib.parse

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import wait_for_app, wait_idle

pytestmark = pytest.mark.browser


def _params(url: str) -> dict[str, list[str]]:
    return urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)


def test_the_units_tab_unit_and_the_map_colour_survive_a_reload_of_the_link(server, browser):
    first = browser.new_page(viewport={"width": 1366, "height": 768})
    first.goto(server + "/?tab=Units")
    wait_for_app(first)
    picker = first.locator(".st-key-unit_pick input")
    picker.click()
    picker.fill("Beta")
    first.keyboard.press("Enter")
    wait_idle(first)
    expect(first).to_have_url(re.compile("unit_pick="))
    assert _params(first.url)["unit_pick"] == ["Beta (PDU)"]
    link = first.url
    first.close()
    # the copied link in another window: the same unit, its chart drawn
    second = browser.new_page(viewport={"width": 1366, "height": 768})
    second.goto(link)
    wait_for_app(second)
    expect(second.locator(".st-key-unit_pick input")).to_have_value("Beta (PDU)")
    second.wait_for_selector("text=Beta (PDU): overall rating at each inspection")
    assert (
        second.locator("[data-testid='stAlert']").filter(has_text="Ignored in the link").count()
        == 0
    )
    second.close()


def test_the_map_colour_is_carried_by_the_link(server, browser):
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    # Streamlit writes a bound choice as it is shown
    page.goto(server + "/?overview_measure=Share+Inadequate")
    wait_for_app(page)
    expect(page.get_by_role("combobox", name="Colour the regions by")).to_have_value(
        "Share Inadequate"
    )
    page.wait_for_selector("text=Regions: Share Inadequate")
    page.close()


def test_the_copy_link_box_holds_the_whole_view(server, browser):
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(server + "/?region=North&tab=Trends&trend_freq=Quarter")
    wait_for_app(page)
    page.get_by_text("Copy link to this view").click()
    code = page.locator(".st-key-copy_link code")
    expect(code).to_contain_text("region=North")
    link = code.inner_text().strip()
    assert _params(link) == {"region": ["North"], "tab": ["Trends"], "trend_freq": ["Quarter"]}
    assert link.startswith(server + "/?")
    page.close()


@pytest.mark.parametrize(
    ("query", "unit"),
    [
        ("?tab=Units&unit_pick=Beta+%28PDU%29", "Beta (PDU)"),
        # no unit in the link: the picker's first choice, the selection's first unit
        ("?tab=Units&region=South", "Gamma (PDU)"),
    ],
)
def test_a_units_tab_link_downloads_that_units_report_at_once(server, page, query, unit):
    """The header (drawn before the tabs) knows the Units tab's unit on the page's first run."""
    from tests.e2e.test_downloads_browser import download

    page.goto(server + "/" + query)
    wait_for_app(page)
    expect(page.locator(".st-key-unit_pick input")).to_have_value(unit)
    _, report = download(page, None, "Report (HTML)")
    text = report.decode("utf-8")
    assert f"<h1>{unit}: inspection ratings</h1>" in text
    assert "Appendix" not in text

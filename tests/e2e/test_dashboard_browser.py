"""The dashboard in a real browser: what AppTest cannot see (rendering, links, no script errors)."""

from __future__ import annotations

import csv
import re
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import REPO, TILE, screenshot, wait_for_app, wait_idle

pytestmark = pytest.mark.browser


def test_first_page_renders_kpis_chart_and_source_links(server, page):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server)
    wait_for_app(page)
    assert kpi_texts(page) == [
        "Inspections 10",
        "Units 7",
        "Inadequate 20%",
        "Requires improvement 40%",
        "Good or better 40%",
    ]
    page.wait_for_selector(".js-plotly-plot .barlayer", timeout=30_000)
    legend = page.eval_on_selector_all(
        ".js-plotly-plot >> nth=0",
        "els => [...els[0].querySelectorAll('.legendtext')].map(e => e.textContent)",
    )
    # the fixture's South has one inspection: the legend explains its hatched bar
    assert legend == [
        "Outstanding",
        "Good",
        "Requires improvement",
        "Inadequate",
        "Fewer than 5 inspections",
    ]
    assert page.locator('[data-testid="stException"]').count() == 0
    # Issue 13: the default view compares with nothing, so it says nothing about a comparison.
    assert page.get_by_text("previous period").count() == 0
    screenshot(page, "first-page")
    assert errors == []


def click_point(page, locator) -> None:
    """Click a Plotly mark where a person would: Plotly's drag layer sits above the bars."""
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.wait_for_timeout(300)
    page.mouse.click(x, y)


def kpi_texts(page) -> list[str]:
    """The five KPI tiles' text, once a rerun has finished replacing them (in their order)."""
    wait_idle(page)
    page.wait_for_function(
        f"() => {{ const m = [...document.querySelectorAll('{TILE}')];"
        " return m.length === 5 && m[0].innerText.trim().startsWith('Inspections'); }",
        timeout=30_000,
    )
    tiles = page.locator(TILE)
    return [" ".join(tiles.nth(i).inner_text().split()) for i in range(tiles.count())]


def expect_kpis(page, expected: list[str], timeout_s: float = 30) -> None:
    """Wait until the first KPI tiles read ``expected``; fail showing what they read instead.

    After a click the old run's tiles stay on the page until the new run replaces them, so one
    reading may come too early under load; the tiles are read again until they match or time runs
    out.
    """
    deadline = time.monotonic() + timeout_s
    while (seen := kpi_texts(page)[: len(expected)]) != expected and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    assert seen == expected


def test_clicking_a_region_bar_filters_and_undo_restores(server, page):
    page.goto(server)
    wait_for_app(page)
    region_chart = page.locator(".js-plotly-plot").first
    region_chart.locator(".barlayer").wait_for()
    # The fixture has two regions; South is drawn first (fewest Inadequate at the bottom).
    labels = page.eval_on_selector_all(
        ".js-plotly-plot >> nth=0",
        "els => [...els[0].querySelectorAll('.ytick text')].map(e => e.textContent)",
    )
    assert labels == ["South (n=1)", "North (n=5)"]  # each bar carries its count
    bars = region_chart.locator(".barlayer g.point path")
    # The legend entries are traces too, drawn first; the last four are the ratings. Outstanding
    # has zero width for South: take the Good trace (third from last).
    good_south = region_chart.locator(".barlayer .trace").nth(-3).locator("g.point path").first
    click_point(page, good_south)
    page.wait_for_url("**region=South**", timeout=30_000)
    wait_for_app(page)
    expect_kpis(page, ["Inspections 1", "Units 1"])
    expect(page.get_by_text("Filter applied from a chart click: region = South.")).to_be_visible()
    page.get_by_role("button", name="Undo").click()
    page.wait_for_function("() => !location.search.includes('region=')", timeout=30_000)
    wait_for_app(page)
    expect_kpis(page, ["Inspections 10", "Units 7"])
    expect(bars).not_to_have_count(0)  # the chart is drawn again, with all regions


def test_a_shared_link_reopens_the_view_and_tab(server, page):
    page.goto(f"{server}/?region=North&rating=Inadequate&tab=Data")
    wait_for_app(page)
    expect_kpis(page, ["Inspections 2", "Units 2"])
    expect(page.get_by_role("tab", selected=True)).to_have_text("Data")
    grid = page.locator('[data-testid="stDataFrame"]').last
    grid.wait_for()
    screenshot(page, "shared-link-data-tab")


TABS = ["Overview", "Trends", "Domains", "Units", "Compare", "Data", "About"]


def test_shipped_data_link_filters_click_and_every_tab(shipped_server, page):
    with (REPO / "data" / "inspections.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    expected = [r for r in rows if r["region"] == "North East" and r["unit_type"] == "PDU"]
    page.goto(f"{shipped_server}/?region=North%20East&unit_type=PDU")
    wait_for_app(page)
    expect_kpis(page, [f"Inspections {len(expected)}"])
    for tab in TABS:
        page.get_by_role("tab", name=tab).click()
        wait_idle(page)
        page.wait_for_timeout(800)
        assert page.locator('[data-testid="stException"]').count() == 0
        screenshot(page, f"tab-{tab.lower()}")
    # Click the Inadequate segment of the overall-rating bar on the Overview tab.
    page.get_by_role("tab", name="Overview").click()
    rating_chart = page.locator(".js-plotly-plot").nth(2)
    rating_chart.locator(".barlayer").wait_for()
    inadequate = (
        # the legend entries are traces too, drawn first: Inadequate is the last trace
        rating_chart.locator(".barlayer .trace").nth(-1).locator("g.point path").first
    )
    click_point(page, inadequate)
    page.wait_for_url("**rating=Inadequate**", timeout=30_000)
    wait_for_app(page)
    n_inadequate = sum(r["overall_rating"] == "Inadequate" for r in expected)
    expect_kpis(page, [f"Inspections {n_inadequate}"])
    assert kpi_texts(page)[2] == "Inadequate 100%"


def test_without_a_password_the_admin_page_is_not_listed_but_its_link_explains(server, page):
    page.goto(server)
    wait_for_app(page)
    assert page.get_by_role("link", name="Add inspections").count() == 0
    page.goto(server.rstrip("/") + "/add-inspections")
    expect(page.get_by_text("Adding inspections is turned off.", exact=False)).to_be_visible()


def test_trend_bars_are_labelled_with_whole_counts(server, page):
    """Issue 13: the Trends chart labelled its bars n=8.0."""
    page.goto(server + "/?tab=Trends")
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot .xtick", timeout=30_000)
    # each period's label is two lines: the period, then its count
    labels = page.eval_on_selector_all(
        ".js-plotly-plot .xtick tspan.line", "els => els.map(e => e.textContent)"
    )
    assert labels == [
        *("2019", "n=2", "2020", "n=1", "2022", "n=2"),
        *("2023", "n=1", "2024", "n=3", "2025", "n=1"),
    ]
    assert not [t for t in labels if re.fullmatch(r"n=\d+\.0", t)]
    # every year rests on fewer than 5 inspections (one on 2020, 2023 and 2025): the caption
    # under the chart says so in words
    note = "Faded and hatched bars, open diamonds: fewer than 5 inspections (6 years)."
    caption = page.get_by_test_id("stCaptionContainer").filter(has_text=note)
    expect(caption).to_have_count(1)

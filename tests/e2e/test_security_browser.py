"""Hostile text in the data and the URL, in a real browser: shown as text, never run."""

from __future__ import annotations

import re
import urllib.parse

import pytest
from playwright.sync_api import expect

from tests import fixture_data as fx
from tests.e2e.conftest import TILE, _serve, screenshot, wait_for_app, wait_idle

pytestmark = pytest.mark.browser

HOSTILE_NAMES = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(2)</script>",
    "[click](javascript:alert(3))",
    '=HYPERLINK("http://example.invalid","x")',
]


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    """The dashboard over data whose unit names (as an import could bring them) are hostile."""
    work = tmp_path_factory.mktemp("e2e-hostile")
    units = fx.UNITS + [("PDU", name, "South", "") for name in HOSTILE_NAMES]
    inspections = fx.INSPECTIONS + [
        (
            "PDU",
            name,
            "South",
            f"2025-0{i + 1}",
            "stated",
            "",
            "Inadequate",
            "",
            "",
            "https://example.org/hostile",
        )
        for i, name in enumerate(HOSTILE_NAMES)
    ]
    csv_dir = fx.write_csvs(work / "csv", {"units.csv": units, "inspections.csv": inspections})
    yield from _serve(work, csv_dir)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_unit_names_render_as_text(hostile_server, page, name):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    query = urllib.parse.urlencode({"unit": name, "tab": "Units"})
    page.goto(f"{hostile_server}/?{query}")
    wait_for_app(page)
    # a chart's title is a Markdown heading above it: the name, escaped once, as text
    page.wait_for_function(
        "() => [...document.querySelectorAll('h2')]"
        ".some(e => e.textContent.endsWith('overall rating at each inspection'))",
        timeout=30_000,
    )
    titles = page.eval_on_selector_all("h2", "els => els.map(e => e.textContent)")
    # md_escape puts a word joiner (U+2060) into a bare address, so it is never made a link
    titles = [t.replace("\u2060", "") for t in titles]
    assert f"{name} (PDU): overall rating at each inspection" in titles, [
        t for t in titles if "each" in t
    ]
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    for tab in ["Overview", "Trends", "Domains", "Data", "About"]:
        page.get_by_role("tab", name=tab).click()
        wait_idle(page)
    screenshot(page, f"hostile-{HOSTILE_NAMES.index(name)}")
    assert page.dialogs == []
    assert errors == []


def test_hostile_url_values_warn_and_run_nothing(server, page):
    query = urllib.parse.urlencode(
        {"region": "' OR 1=1 --", "unit": "<script>alert(1)</script>"}, doseq=True
    )
    page.goto(f"{server}/?{query}")
    wait_for_app(page)
    alerts = page.locator('[data-testid="stAlert"]').all_inner_texts()
    assert any("Ignored in the link: unknown region '' OR 1=1 --'" in a for a in alerts)
    assert any("Ignored in the link: unknown unit '<script>alert(1)</script>'" in a for a in alerts)
    tile = page.locator(TILE).filter(has_text="Inspections")
    expect(tile).to_have_text(re.compile(r"^\s*Inspections\s*10\s*$"))
    assert page.dialogs == []


def test_markdown_in_the_url_is_shown_as_text_with_no_live_link_or_image(server, page):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    query = urllib.parse.urlencode(
        {
            "unit_type": "x'. **[Sign in again](https://evil.example/)**",
            "region": "![t](http://127.0.0.1:9/pixel.png) # Heading :red[red]",
        }
    )
    page.goto(f"{server}/?{query}")
    wait_for_app(page)
    # As a reader sees it: the word joiner that keeps addresses from linking is invisible.
    alerts = [
        a.replace("\u2060", "") for a in page.locator('[data-testid="stAlert"]').all_inner_texts()
    ]
    assert any(
        "unknown unit_type 'x'. **[Sign in again](https://evil.example/)**'" in a for a in alerts
    ), alerts
    assert any(
        "unknown region '![t](http://127.0.0.1:9/pixel.png) # Heading :red[red]'" in a
        for a in alerts
    ), alerts
    assert page.locator("a[href*='evil.example']").count() == 0
    assert page.locator("img[src*='pixel']").count() == 0
    assert page.locator('[data-testid="stAlert"] h1, [data-testid="stAlert"] strong').count() == 0
    assert [u for u in requested if not u.startswith(server)] == []  # no pixel, no other host
    screenshot(page, "hostile-url-markdown")


def test_a_link_over_streamlits_1000_parameters_says_it_was_ignored(server, page):
    query = "&".join(f"region=North&n{i}=1" for i in range(501))  # 1,002 parameters
    page.goto(f"{server}/?{query}")
    wait_for_app(page)
    warning = page.locator("#too-many-params")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("it has 1,002 parameters, more than the 1,000")
    tile = page.locator(TILE).filter(has_text="Inspections")
    expect(tile).to_have_text(re.compile(r"^\s*Inspections\s*10\s*$"))
    screenshot(page, "too-many-params")


def test_a_link_within_the_limit_shows_no_such_warning(server, page):
    page.goto(f"{server}/?region=North")
    wait_for_app(page)
    assert page.locator("#too-many-params").count() == 0

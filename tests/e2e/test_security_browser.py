"""Hostile text in the data and the URL, in a real browser: shown as text, never run."""

from __future__ import annotations

import re
import urllib.parse

import pytest
from playwright.sync_api import expect

from tests import fixture_data as fx
from tests.e2e.conftest import _serve, screenshot, wait_for_app, wait_idle

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
    page.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot .gtitle')]"
        ".some(e => e.textContent.endsWith('overall rating at each inspection'))",
        timeout=30_000,
    )
    titles = page.eval_on_selector_all(
        ".js-plotly-plot .gtitle", "els => els.map(e => e.textContent)"
    )
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
    tile = page.locator('[data-testid="stMetric"]').filter(has_text="Inspections")
    expect(tile).to_have_text(re.compile(r"^\s*Inspections\s*10\s*$"))
    assert page.dialogs == []

"""The dashboard in a real browser: what AppTest cannot see (rendering, links, no script errors)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.browser


def test_first_page_renders_kpis_chart_and_source_links(server, page):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server)
    wait_for_app(page)
    tiles = page.locator('[data-testid="stMetric"]')
    assert tiles.count() == 5
    texts = [" ".join(tiles.nth(i).inner_text().split()) for i in range(5)]
    assert texts == [
        "Inspections 10",
        "Units 7",
        "Inadequate 20%",
        "Requires improvement 40%",
        "Good or better 40%",
    ]
    page.wait_for_selector(".js-plotly-plot .barlayer", timeout=30_000)
    legend = page.eval_on_selector_all(
        ".js-plotly-plot .legendtext", "els => els.map(e => e.textContent)"
    )
    assert legend == ["Outstanding", "Good", "Requires improvement", "Inadequate"]
    assert page.locator('[data-testid="stException"]').count() == 0
    screenshot(page, "first-page")
    assert errors == []

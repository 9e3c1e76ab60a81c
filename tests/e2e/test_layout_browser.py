"""What fits where a manager looks (issue 27, points 3 and 6): tables at 1366 px, charts on a phone."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import wait_for_app, wait_idle
from tests.e2e.test_accessibility_browser import open_tab

pytestmark = pytest.mark.browser

# four real units, one with the longest PDU name
FOUR = (
    "/?compare=Kirklees&compare=West%20Yorkshire&compare=Sheffield"
    "&compare=Leicester%2C%20Leicestershire%20and%20Rutland"
)
# each table's grid: how wide its columns are against the width it is shown in
GRID_WIDTHS = """() => [...document.querySelectorAll(
    '[role="tabpanel"]:not([hidden]) [data-testid="stDataFrame"] .dvn-scroller')]
    .map(e => [e.scrollWidth, e.clientWidth])"""


@pytest.mark.parametrize(("tab", "tables"), [("Overview", 1), ("Units", 1), ("Compare", 3)])
def test_every_table_column_is_in_sight_at_1366_px(shipped_server, page, tab, tables):
    """The league (both places) and the Compare tab's three tables need no sideways scroll."""
    page.goto(shipped_server.rstrip("/") + FOUR)
    wait_for_app(page)
    open_tab(page, tab)
    page.wait_for_selector('[role="tabpanel"]:not([hidden]) [data-testid="stDataFrame"]')
    wait_idle(page)
    widths = page.evaluate(GRID_WIDTHS)
    assert len(widths) == tables
    assert [columns <= shown for columns, shown in widths] == [True] * tables, widths


# every text of the open tab's charts that reaches outside its chart (the hover layer aside)
CUT_TEXTS = """() => {
    const cut = [];
    const panel = document.querySelector('[role="tabpanel"]:not([hidden])');
    for (const plot of panel.querySelectorAll('.js-plotly-plot')) {
        const S = plot.getBoundingClientRect();
        for (const t of plot.querySelectorAll('svg text')) {
            const r = t.getBoundingClientRect();
            if (!t.textContent.trim() || r.width === 0 || t.closest('.hoverlayer')) continue;
            if (r.left < S.left - 0.5 || r.right > S.right + 0.5 || r.top < S.top - 0.5
                || r.bottom > S.bottom + 0.5) cut.push(t.textContent);
        }
    }
    return cut;
}"""


@pytest.mark.parametrize(
    ("query", "tab"),
    [
        # a region selected: the others beneath, "not selected", and long region names
        ("/?region=North%20East", "Overview"),
        ("/?region=North%20East", "Domains"),
        # one unit: its benchmark with its region and the country
        ("/?unit=Sheffield", "Overview"),
        ("/?unit=Sheffield", "Units"),
        ("/?unit=Sheffield", "Trends"),
    ],
)
def test_no_chart_text_is_cut_off_on_a_phone(shipped_server, browser, query, tab):
    """Axis titles and labels stay inside their chart at 390 px (they ran off either edge)."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(shipped_server.rstrip("/") + query)
        wait_for_app(page)
        open_tab(page, tab)
        page.wait_for_selector('[role="tabpanel"]:not([hidden]) .js-plotly-plot .main-svg')
        wait_idle(page)
        page.wait_for_timeout(800)  # Plotly lays out after the script's output arrives
        assert page.evaluate(CUT_TEXTS) == []
    finally:
        context.close()


# the lines of each annotation of the regions map, as a person reads them
MAP_TILES = """() => {
    const plot = [...document.querySelectorAll('.js-plotly-plot')].find(
        p => p.closest('[class*="st-key-chart_tiles_"]'));
    return [...plot.querySelectorAll('g.annotation')].map(a => {
        const lines = [...a.querySelectorAll('tspan.line')].map(t => t.textContent);
        return (lines.length ? lines : [a.textContent]).join(' ');
    });
}"""


def test_with_one_region_selected_the_map_keeps_the_others_figures(shipped_server, page):
    """A regional leader's question, "my region against the others" (issue 27, point 2)."""
    page.goto(shipped_server.rstrip("/") + "/?region=North%20East")
    wait_for_app(page)
    page.wait_for_selector('[class*="st-key-chart_tiles_"] .js-plotly-plot .main-svg')
    wait_idle(page)
    tiles = page.evaluate(MAP_TILES)
    # data/inspections.csv: Yorkshire and the Humber's 14 inspections, 10 Inadequate (0 points)
    # and 4 Requires improvement (1): mean 4 / 14 = 0.29
    assert "Yorkshire and the Humber 0.29, n = 14 not selected" in tiles
    assert len([t for t in tiles if t.endswith("not selected")]) == 11

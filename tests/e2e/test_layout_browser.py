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


@pytest.mark.parametrize(("tab", "tables"), [("Overview", 1), ("Units", 1), ("Compare", 2)])
def test_every_table_column_is_in_sight_at_1366_px(shipped_server, page, tab, tables):
    """The league (both places) and the Compare tab's two tables need no sideways scroll."""
    page.goto(shipped_server.rstrip("/") + FOUR)
    wait_for_app(page)
    open_tab(page, tab)
    page.wait_for_selector('[role="tabpanel"]:not([hidden]) [data-testid="stDataFrame"]')
    wait_idle(page)
    widths = page.evaluate(GRID_WIDTHS)
    assert len(widths) == tables
    assert [columns <= shown for columns, shown in widths] == [True] * tables, widths

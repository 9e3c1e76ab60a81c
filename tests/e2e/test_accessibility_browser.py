"""Issue 13 in Chromium: axe-core, heading order, the first screen and the keyboard."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import REPO, TILE, TILE_VALUE, _serve, wait_for_app, wait_idle

pytestmark = pytest.mark.browser

AXE = REPO / "tests" / "e2e" / "node_modules" / "axe-core" / "axe.min.js"
TABS = ["Overview", "Trends", "Domains", "Units", "Compare", "Data", "About"]
FIRST_SCREEN_PX = 420
COMPARED = "/?compare=Kirklees&compare=West%20Yorkshire"  # two real units, so Compare draws
# Streamlit's badge text colours (light theme), as the browser computes them
GREY, GREEN, RED = "rgb(104, 98, 85)", "rgb(12, 90, 68)", "rgb(158, 48, 59)"
PASSWORD = "a-test-password-for-the-audit"  # noqa: S105 -- the test server's, nothing else


def serious_violations(page) -> list[str]:
    """axe-core's critical and serious violations on the page, one line per element."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run 'make test' (it installs axe-core with npm)")
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        f"{v['id']} ({v['impact']}): {' '.join(n['target'])}"
        for v in violations
        if v["impact"] in ("critical", "serious")
        for n in v["nodes"]
    ]


def heading_levels(page) -> list[int]:
    return page.eval_on_selector_all("h1, h2, h3, h4, h5, h6", "els => els.map(e => +e.tagName[1])")


def assert_headings_in_order(levels: list[int]) -> None:
    """One h1, and no heading more than one level deeper than the one before it."""
    assert levels.count(1) == 1, levels
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels


def open_tab(page, tab: str) -> None:
    page.get_by_role("tab", name=tab).click()
    wait_idle(page)
    page.wait_for_timeout(800)  # Plotly draws after the script's output arrives


def first_content_top(page) -> float | None:
    """The top of the open tab's first chart, its title heading included (or, on the Data tab,
    its table), in px.
    """
    return page.evaluate(
        """() => {
            const panel = document.querySelector('[role="tabpanel"]:not([hidden])');
            const first = panel && panel.querySelector(
                '[class*="st-key-chart_title_"], .js-plotly-plot, [data-testid="stDataFrame"]');
            return first ? first.getBoundingClientRect().top : null;
        }"""
    )


def test_every_tab_at_a_desktop_size(shipped_server, page):
    """No critical or serious axe violation, headings in order, the first chart within 420 px."""
    page.goto(shipped_server.rstrip("/") + COMPARED)
    wait_for_app(page)
    tops = {}
    for tab in TABS:
        open_tab(page, tab)
        assert serious_violations(page) == [], tab
        assert_headings_in_order(heading_levels(page))
        tops[tab] = first_content_top(page)
    charts = {tab: top for tab, top in tops.items() if tab != "About"}
    assert tops["About"] is None  # the About tab is text
    assert {tab: top <= FIRST_SCREEN_PX for tab, top in charts.items()} == dict.fromkeys(
        charts, True
    ), charts


def test_the_tiles_changes_read_in_words_and_pass_axe(server, page):
    """The change badges (grey, green and red) pass axe's contrast check and say their
    direction in signs and arrows, not colour alone.
    """
    page.goto(f"{server}/?from=2024-01-01")  # 2024-2025 against 2022-2023 in the fixture
    wait_for_app(page)
    assert serious_violations(page) == []
    badges = page.locator(f"{TILE} .stMarkdownBadge")
    # (text, colour): the fixture's 4 inspections now against 3 before, counted by hand in
    # tests/ui/test_header.py
    assert [
        (b.inner_text(), b.evaluate("e => getComputedStyle(e).color")) for b in badges.all()
    ] == [
        ("↑ +1", GREY),
        ("↑ +1", GREY),
        ("↓ -8 pts", GREEN),  # less Inadequate: better
        ("↑ +17 pts", GREY),
        ("↓ -8 pts", RED),  # less Good or better: worse
    ]


def test_every_tab_at_a_phone_size(shipped_server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(shipped_server.rstrip("/") + COMPARED)
        wait_for_app(page)
        for tab in TABS:
            open_tab(page, tab)
            assert serious_violations(page) == [], tab
            assert_headings_in_order(heading_levels(page))
    finally:
        context.close()


@pytest.fixture(scope="module")
def admin_server(tmp_path_factory, fixture_csv_dir):
    """The dashboard over the fixture data with the Add inspections page turned on."""
    work = tmp_path_factory.mktemp("e2e-admin")
    yield from _serve(work, fixture_csv_dir, {"PROBATION_RATINGS_ADMIN_PASSWORD": PASSWORD})


def test_the_add_inspections_page(admin_server, page):
    page.goto(admin_server.rstrip("/") + "/add-inspections")
    password = page.get_by_label("Admin password")
    expect(password).to_be_visible()
    assert serious_violations(page) == []
    password.fill(PASSWORD)
    password.press("Enter")
    expect(page.get_by_text("Imports so far")).to_be_visible()
    wait_idle(page)
    assert serious_violations(page) == []
    assert_headings_in_order(heading_levels(page))


def focused(page) -> str:
    """What has the keyboard focus: its role or tag, and its accessible name or text."""
    return page.evaluate(
        """() => {
            const e = document.activeElement;
            const name = e.getAttribute('aria-label') || e.innerText || e.value || '';
            return (e.getAttribute('role') || e.tagName.toLowerCase()) + ':' + name.trim().slice(0, 60);
        }"""
    )


def tab_to(page, want, limit: int = 80) -> str:
    """Press Tab until the focused element satisfies ``want``; its description."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if want(now):
            return now
        seen.append(now)
    raise AssertionError(f"never reached by Tab; focus went through {seen}")


def test_filters_tabs_toggle_and_a_download_by_keyboard_alone(server, page):
    page.goto(server)
    wait_for_app(page)
    # a filter: the region box, typed into and chosen with Enter
    tab_to(page, lambda f: f.startswith("combobox:") and "region" in f.lower())
    page.keyboard.type("South")
    page.keyboard.press("Enter")
    page.wait_for_url("**region=South**", timeout=30_000)
    wait_idle(page)
    expect(page.locator(TILE_VALUE).first).to_have_text("1")
    page.keyboard.press("Escape")
    # the tabs: reach the open one, move with the arrow keys, open with Enter
    tab_to(page, lambda f: f == "tab:Overview")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.wait_for_url("**tab=Trends**", timeout=30_000)
    wait_idle(page)
    # a toggle: "Show as table", switched with Space
    tab_to(page, lambda f: f.endswith("Show as table"))
    page.keyboard.press("Space")
    wait_idle(page)
    expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible()
    # a download: the Download menu reached with Shift+Tab from the toggle beside it, opened
    # with Enter, a file chosen with Tab and Enter
    page.keyboard.press("Shift+Tab")
    assert focused(page).endswith("Download"), focused(page)
    page.keyboard.press("Enter")
    # the menu draws its files on opening (a rerun); the focus stays on its heading meanwhile
    expect(page.get_by_role("button", name="Chart as PNG")).to_be_visible()
    wait_idle(page)
    assert focused(page).endswith("Download"), focused(page)
    page.keyboard.press("Tab")
    assert focused(page) == "button:Chart as PNG", focused(page)
    tab_to(page, lambda f: f == "button:Table as CSV", limit=3)
    with page.expect_download(timeout=60_000) as info:
        page.keyboard.press("Enter")
    assert info.value.suggested_filename == f"ratings-over-time_south_{dt.date.today()}.csv"
    # the fixture's one South inspection: Gamma, 2023, rated Good (2 points); one is a small count
    assert info.value.path().read_bytes().decode("utf-8-sig").splitlines() == [
        "period,period_start,rating,n,share,inspections,mean_points,small_count",
        "2023,2023-01-01,Outstanding,0,0.0,1,2.0,True",
        "2023,2023-01-01,Good,1,1.0,1,2.0,True",
        "2023,2023-01-01,Requires improvement,0,0.0,1,2.0,True",
        "2023,2023-01-01,Inadequate,0,0.0,1,2.0,True",
    ]
    # the focus stays on the button pressed (Streamlit redraws it and dropped focus to the body,
    # sending a keyboard user back to the top), so Tab goes on to the next file
    wait_idle(page)
    assert focused(page) == "button:Table as CSV", focused(page)
    page.keyboard.press("Shift+Tab")
    assert focused(page) == "button:Interactive chart (HTML)", focused(page)


def test_every_help_button_is_named_for_what_it_explains(server, page):
    """Widgets' help buttons are "Help for <label>"; the tiles' (Markdown's) are named alike."""
    page.goto(server)
    wait_for_app(page)
    wait_idle(page)
    names = page.eval_on_selector_all(
        "button", "els => els.map(e => e.getAttribute('aria-label') || e.innerText.trim())"
    )
    assert "Help" not in names
    tiles = [n for n in names if n in TILE_HELPS]
    assert tiles == TILE_HELPS


TILE_HELPS = [
    "Help for Inspections",
    "Help for Units",
    "Help for Inadequate",
    "Help for Requires improvement",
    "Help for Good or better",
]

"""A real dashboard server on a free loopback port, and Debian's chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests import serve
from ui.tiles import TILE_SELECTOR, VALUE_SELECTOR

# The suite runs on a busy 2-core machine (and slower CI): a rerun can take several seconds.
expect.set_options(timeout=30_000)

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("PROBATION_RATINGS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
# The KPI tiles (ui/tiles.py): each tile, and the value inside it, by its container's key.
TILE, TILE_VALUE = TILE_SELECTOR, VALUE_SELECTOR
ARTIFACTS = REPO / "test-artifacts"
SERVER_LOGS: dict[str, Path] = {}  # base URL -> the server's log, quoted when a test fails


def server_log(page, lines: int = 40) -> str:
    """The last lines of the log of the server ``page`` is on (for failure messages)."""
    for url, path in SERVER_LOGS.items():
        if page.url.startswith(url):
            return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    return "(no server log)"


def _serve(work: Path, csv_dir: Path | None, extra_env: dict[str, str] | None = None):
    """Start dashboard.py over ``csv_dir`` (None: the shipped data/); yield its URL."""
    env = {"PROBATION_RATINGS_DB": str(work / "ratings.duckdb"), **(extra_env or {})}
    if csv_dir is not None:
        env["PROBATION_RATINGS_DATA"] = str(csv_dir)
    with (work / "streamlit.log").open("w") as log:
        unset = () if csv_dir is not None else ("PROBATION_RATINGS_DATA",)
        process, url = serve.start(env, unset=unset, log=log)
        SERVER_LOGS[url] = work / "streamlit.log"
        try:
            yield url
        finally:
            serve.stop(process)


@pytest.fixture(scope="session")
def server(tmp_path_factory, fixture_csv_dir):
    """The dashboard on the literal fixture data; yields the base URL."""
    work = tmp_path_factory.mktemp("e2e")
    csv_dir = work / "csv"
    shutil.copytree(fixture_csv_dir, csv_dir)
    yield from _serve(work, csv_dir)


@pytest.fixture(scope="session")
def shipped_server(tmp_path_factory):
    """The dashboard on the shipped, real data/ CSVs; yields the base URL."""
    yield from _serve(tmp_path_factory.mktemp("e2e-shipped"), None)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs
    yield page
    context.close()
    assert dialogs == [], f"a dialog opened: {dialogs}"


def wait_for_app(page) -> None:
    """Wait until Streamlit has run the script once and drawn its KPI tiles."""
    page.wait_for_selector(TILE, timeout=30_000)
    wait_idle(page)


def wait_idle(page) -> None:
    """Wait until no script run is in progress, nothing on the page is stale and every element
    is drawn.

    Streamlit marks its root with the script's run state (as its own browser tests read it) and
    greys out elements of the previous run until the new run replaces them. Its "Running" status
    widget alone is not enough: it appears only some time after a run has started. An element
    whose frontend code is still loading shows a skeleton meanwhile (the KPI tiles come first).
    """
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            return app !== null
                && app.dataset.testScriptState === 'notRunning'
                && app.dataset.testConnectionState === 'CONNECTED'
                && !document.querySelector('[data-testid="stStatusWidget"]')
                && !document.querySelector('[data-stale="true"]')
                && !document.querySelector('[data-testid="stSkeleton"]');
        }""",
        timeout=30_000,
    )


def screenshot(page, name: str) -> Path:
    """Save the whole page to test-artifacts/NAME.png.

    Streamlit scrolls inside its main container, so a "full page" screenshot would stop at the
    window; the window is stretched to the content's height for the shot, then restored.
    """
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    size = page.viewport_size
    height = page.evaluate(
        "() => (document.querySelector('[data-testid=\"stMain\"]') || document.body).scrollHeight"
    )
    page.set_viewport_size(
        {"width": size["width"], "height": min(max(height, size["height"]), 8000)}
    )
    page.wait_for_timeout(500)
    page.screenshot(path=str(path))
    page.set_viewport_size(size)
    return path

"""A real dashboard server on a free loopback port, and Debian's chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("PROBATION_RATINGS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
ARTIFACTS = REPO / "test-artifacts"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen, deadline_s: float = 60) -> None:
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:  # noqa: S310 -- loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"streamlit did not become healthy at {url}")


def _serve(work: Path, csv_dir: Path | None):
    """Start dashboard.py on a free port over ``csv_dir`` (None: the shipped data/)."""
    port = _free_port()
    env = {**os.environ, "PROBATION_RATINGS_DB": str(work / "ratings.duckdb")}
    env.pop("PROBATION_RATINGS_DATA", None)
    if csv_dir is not None:
        env["PROBATION_RATINGS_DATA"] = str(csv_dir)
    log = (work / "streamlit.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(REPO / "dashboard.py"),
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


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
    """Wait until Streamlit has finished running the script once."""
    page.wait_for_selector('[data-testid="stMetric"]', timeout=30_000)
    wait_idle(page)


def wait_idle(page) -> None:
    """Wait until no script run is in progress (Streamlit shows its status widget while running)."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000
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

"""The whole package in Chromium (issue 28, point 2): the wheel, installed in a fresh virtual
environment outside the checkout, serves the dashboard on the shipped data.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sysconfig
import time
import venv
from pathlib import Path

import pytest

from analytics.serving import server
from tests.test_package import REPO, build_wheel

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh virtual environment, outside the checkout, with the wheel built from it.

    The dependencies come from the project's own environment (a path the new one reads after
    its own site-packages): the test is of what the wheel carries, not of pip's downloads.
    """
    work = tmp_path_factory.mktemp("wheel")
    wheel = build_wheel(work)
    env_dir = work / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    ours = sysconfig.get_paths()["purelib"]  # this environment's, the locked versions
    Path(site, "dependencies.pth").write_text(ours + "\n", encoding="utf-8")
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)],
        check=True,
        timeout=600,
    )
    return env_dir


def test_the_installed_package_serves_the_dashboard_outside_any_checkout(
    installed, tmp_path, browser
):
    """`probation-ratings serve` from the fresh environment, run in an empty folder: the
    database is built in the user's data folder, and the page shows the shipped data.
    """
    with (REPO / "data" / "inspections.csv").open(encoding="utf-8", newline="") as f:
        inspections = sum(1 for _ in csv.DictReader(f))
    home = tmp_path / "home"
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("PROBATION_RATINGS_", "PYTHON"))
    }
    env |= {"HOME": str(home), "XDG_DATA_HOME": str(home / "share")}
    port = server.free_port()
    process = subprocess.Popen(
        [installed / "bin" / "probation-ratings", "serve", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        end = time.monotonic() + 180
        while not server.healthy(f"{url}/_stcore/health"):
            assert process.poll() is None, "the installed dashboard stopped"
            assert time.monotonic() < end, "the installed dashboard did not start"
            time.sleep(0.2)
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(url)
        value = page.locator('[class*="st-key-kpi_value_inspections"]')
        value.wait_for(timeout=60_000)
        assert value.inner_text() == f"{inspections:,}"
        page.close()
    finally:
        process.terminate()
        process.wait(timeout=30)
    built = home / "share" / "probation-ratings"
    assert (built / "ratings.duckdb").is_file()
    assert (built / "server" / ".streamlit" / "config.toml").is_file()
    # nothing was written into the package or the folder it was started from
    assert list(tmp_path.iterdir()) == [home]

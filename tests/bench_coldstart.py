"""Where a fresh page's first seconds go on a warm server (a script, not a test: it measures).

Starts the dashboard on the shipped data, warms it with one page, then opens N fresh pages (new
browser contexts: no cache) and prints, per page and as medians: the JavaScript downloaded and
the time its requests took, when the websocket to the server was created and opened and its first
message arrived, KPI tiles visible, and the first chart drawn, from navigation start.

    python tests/bench_coldstart.py [--runs 5] [--repo DIR] [--fleet]

``--repo`` serves another checkout (to measure a commit before a change, same machine, same run).
``--fleet`` measures the same pages direct and through a fleet of two behind nginx, in one run
(what travels compressed: the bytes transferred, headers included, of everything but the
websocket).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from analytics.serving import server  # noqa: E402 -- this file runs as a script: the path comes first
from tests import serve  # noqa: E402
from tests.e2e.conftest import CHROMIUM_ARGS, TILE  # noqa: E402 -- the browser tests' own

FIRST_CHART = ".js-plotly-plot .main-svg"
# The tiles; st.metric's as well, which drew them before ui/tiles.py (to measure with --repo).
KPI = f'{TILE}, [data-testid="stMetric"]'


# Records when the page's websocket to the server was created and opened, and when its first and
# latest messages arrived (the server's script run streams its elements as messages).
WEBSOCKET_CLOCK = """(() => {
    const Native = window.WebSocket;
    const clock = (window.__ws = {messages: 0});
    window.WebSocket = class extends Native {
        constructor(...args) {
            super(...args);
            clock.created = performance.now();
            this.addEventListener('open', () => { clock.opened = performance.now(); });
            this.addEventListener('message', () => {
                clock.first = clock.first || performance.now();
                clock.latest = performance.now();
                clock.messages += 1;
            });
        }
    };
})();"""


def one_page(browser, url: str) -> dict:
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.add_init_script(WEBSOCKET_CLOCK)
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector(KPI, timeout=60_000)
    kpi = page.evaluate("() => performance.now()")
    ws_at_kpi = page.evaluate("() => ({...window.__ws})")
    page.wait_for_selector(FIRST_CHART, timeout=60_000)
    chart = page.evaluate("() => performance.now()")
    timing = page.evaluate(
        """() => {
            const nav = performance.getEntriesByType('navigation')[0];
            const js = performance.getEntriesByType('resource').filter(r => r.name.endsWith('.js'));
            const all = [nav, ...performance.getEntriesByType('resource')];
            return {
                transferred_kib: Math.round(all.reduce((a, r) => a + r.transferSize, 0) / 1024),
                dom_content_loaded_s: nav.domContentLoadedEventEnd / 1000,
                js_files: js.length,
                js_kib: Math.round(js.reduce((a, r) => a + r.decodedBodySize, 0) / 1024),
                js_last_loaded_s: Math.max(...js.map(r => r.responseEnd)) / 1000,
            };
        }"""
    )
    context.close()
    return {
        **timing,
        "websocket_created_s": ws_at_kpi["created"] / 1000,
        "websocket_open_s": ws_at_kpi["opened"] / 1000,
        "first_message_s": ws_at_kpi["first"] / 1000,
        "messages_by_kpi": ws_at_kpi["messages"],
        "kpi_visible_s": kpi / 1000,
        "first_chart_s": chart / 1000,
    }


def pages(url: str, runs: int) -> list[dict]:
    """A warm page, then ``runs`` fresh ones, in Debian's chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        one_page(browser, url)  # warm: the server's caches and the database
        measured = [one_page(browser, url) for _ in range(runs)]
        browser.close()
    return measured


@contextlib.contextmanager
def fleet(env: dict[str, str]):
    """`probation-ratings fleet` of two processes behind nginx; yields its URL."""
    port = server.free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "analytics.cli", "fleet", "--processes", "2", "--port", str(port)],
        env={**os.environ, **env},
        cwd=serve.REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if re.match(r"^fleet: serving ", line):
                break
        else:
            raise RuntimeError("the fleet did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)


def medians(measured: list[dict]) -> dict:
    return {k: round(statistics.median(p[k] for p in measured), 2) for k in measured[0]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--repo", type=Path, default=REPO)
    parser.add_argument("--fleet", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        env = {"PROBATION_RATINGS_DB": str(Path(work) / "ratings.duckdb")}
        serve.REPO = args.repo.resolve()  # serve that checkout's dashboard.py
        process, url = serve.start(env, unset=("PROBATION_RATINGS_DATA",))
        try:
            direct = pages(url, args.runs)
        finally:
            serve.stop(process)
        result = {"repo": str(args.repo), "runs": direct, "median": medians(direct)}
        if args.fleet:
            with fleet(env) as fleet_url:
                through = pages(fleet_url, args.runs)
            result |= {"fleet_runs": through, "fleet_median": medians(through)}
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()

"""Dashboard timings for `probation-ratings bench` (a script, not a test: it measures, never asserts).

Prints JSON: AppTest seconds for a full rerun of the default view and after a filter change, and
Chromium seconds from opening the page to the first chart drawn: on a fresh server (cold start),
then ``--runs`` times more on the same, warm, server, each in a fresh browser context; and, on
that warm server, for each tab opened by its link: the bytes its page received over Streamlit's
websocket and the seconds until it was drawn and idle (the median of ``--runs``).
Run by analytics/analyses/bench.py; kept under tests/ because it drives Streamlit and a browser.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from analytics.pipeline.synthetic import REGIONS as SYNTHETIC_REGIONS  # noqa: E402
from tests import serve  # noqa: E402 -- this file runs as a script: the path comes first
from tests.e2e.conftest import wait_for_app  # noqa: E402
from ui.state import TABS  # noqa: E402

CHROMIUM = "/usr/bin/chromium"


def apptest_reruns(runs: int) -> dict:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=600)
    start = time.perf_counter()
    at.run()
    first = time.perf_counter() - start
    default, filtered = [], []
    regions = [name for name, _, _ in SYNTHETIC_REGIONS]  # the 12 real region names
    for i in range(runs):
        start = time.perf_counter()
        at.run()
        default.append(time.perf_counter() - start)
        start = time.perf_counter()
        # a new selection each time: the cached results of earlier runs do not apply
        at.multiselect(key="f_region").set_value([regions[i % len(regions)]]).run()
        filtered.append(time.perf_counter() - start)
        at.multiselect(key="f_region").set_value([]).run()
    return {
        "first_run_s": round(first, 2),
        "rerun_default_median_s": round(statistics.median(default), 3),
        "rerun_after_filter_change_median_s": round(statistics.median(filtered), 3),
        "rerun_after_filter_change_max_s": round(max(filtered), 3),
    }


def first_chart(browser, url: str) -> float:
    """Seconds from opening ``url`` in a fresh browser context to its first chart drawn."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    opened = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(".js-plotly-plot .barlayer", timeout=600_000)
    drawn = time.perf_counter() - opened
    context.close()
    return drawn


def tab_open(browser, url: str) -> tuple[int, float]:
    """The bytes a page opened at ``url`` in a fresh browser context received over the websocket
    until it was drawn and idle, and the seconds that took.
    """
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    received: list[int] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda f: received.append(len(f))))
    opened = time.perf_counter()
    page.goto(url)
    wait_for_app(page)
    idle = time.perf_counter() - opened
    context.close()
    return sum(received), idle


def cold_start(db_path: Path, warm_runs: int = 0) -> dict:
    if not Path(CHROMIUM).exists():
        return {"skipped": "no /usr/bin/chromium"}
    from playwright.sync_api import sync_playwright

    started = time.perf_counter()
    server, url = serve.start({"PROBATION_RATINGS_DB": str(db_path)})
    try:
        healthy = time.perf_counter() - started
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM,
                args=[
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                ],
            )
            drawn = first_chart(browser, url)
            # then on the warm server (its caches hold the default view), each in a fresh
            # browser context: nothing cached in the browser
            warm = [first_chart(browser, url) for _ in range(warm_runs)]
            tabs = {}
            for tab in TABS:
                opens = [tab_open(browser, f"{url}?tab={tab}") for _ in range(max(warm_runs, 1))]
                tabs[tab] = {
                    "bytes": statistics.median(b for b, _ in opens),
                    "open_to_idle_median_s": round(statistics.median(s for _, s in opens), 2),
                }
            browser.close()
        rss = int(Path(f"/proc/{server.pid}/status").read_text().split("VmHWM:")[1].split()[0])
        return {
            "server_healthy_s": round(healthy, 2),
            "page_open_to_first_chart_s": round(drawn, 2),
            "warm_page_open_to_first_chart_median_s": round(statistics.median(warm), 2)
            if warm
            else None,
            "server_start_to_first_chart_s": round(healthy + drawn, 2),
            "server_peak_rss_mib": round(rss / 1024, 1),
            "warm_tabs": tabs,
        }
    finally:
        serve.stop(server)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ["PROBATION_RATINGS_DB"] = str(args.db)
    sys.path.insert(0, str(REPO))
    out = {"apptest": apptest_reruns(args.runs), "chromium": cold_start(args.db, args.runs)}
    print(json.dumps(out))


if __name__ == "__main__":
    main()

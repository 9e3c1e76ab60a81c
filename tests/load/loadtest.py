"""Load test: N concurrent browser sessions changing filters and switching tabs for M minutes.

A script, not a test (it measures; nothing here asserts a time). It starts the dashboard on a
copy of the shipped data in a temporary folder, drives N Playwright contexts in Debian's
chromium, runs an import half-way through, and prints a JSON report: actions, errors, broken
pages, and median / 95th-percentile seconds from a filter change to the updated chart.

    .venv/bin/python tests/load/loadtest.py --sessions 20 --minutes 2
    .venv/bin/python tests/load/loadtest.py --url http://127.0.0.1:8501 --sessions 5 --minutes 1
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
from analytics.pipeline.readers import IMPORT_COLUMNS  # noqa: E402
from analytics.pipeline.synthetic import REGIONS as SYNTHETIC_REGIONS  # noqa: E402
from tests import serve  # noqa: E402 -- this file runs as a script: the path comes first
from tests.e2e.conftest import TILE  # noqa: E402

REGIONS = [name for name, _, _ in SYNTHETIC_REGIONS]  # the 12 real region names

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
TABS = ["Overview", "Trends", "Domains", "Units", "Data", "About"]
IMPORT_ROWS = (
    ",".join(IMPORT_COLUMNS) + "\r\nPDU,Load test unit,Wales,2026-01,stated,,Inadequate,,,\r\n"
)


def start_server(work: Path) -> tuple[subprocess.Popen, str, Path, Path]:
    csv_dir = work / "csv"
    shutil.copytree(REPO / "data", csv_dir, ignore=shutil.ignore_patterns("*.duckdb*", "*.imports"))
    db_path = work / "ratings.duckdb"
    server, url = serve.start(
        {"PROBATION_RATINGS_DATA": str(csv_dir), "PROBATION_RATINGS_DB": str(db_path)}
    )
    return server, url, csv_dir, db_path


async def idle(page, timeout_ms: int = 120_000) -> None:
    await page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout_ms
    )


async def session(browser, url: str, deadline: float, seed: int, stats: dict) -> None:
    rng = random.Random(seed)  # noqa: S311 -- choosing clicks, not secrets
    context = await browser.new_context(viewport={"width": 1366, "height": 768})
    page = await context.new_page()
    page.on("pageerror", lambda exc: stats["page_errors"].append(str(exc)[:200]))
    page.on("dialog", lambda d: stats["dialogs"].append(d.message))
    try:
        # People arrive over a few seconds, not all in the same millisecond.
        await asyncio.sleep(seed * 1.5)
        try:
            await page.goto(url, timeout=120_000)
            await page.wait_for_selector(TILE, timeout=120_000)
            await idle(page)
        except Exception as exc:  # noqa: BLE001 -- a page that never loads is a counted error
            stats["errors"].append(f"open: {type(exc).__name__}: {str(exc)[:160]}")
            return
        while time.monotonic() < deadline:
            action = rng.choice(["region", "region", "tab", "reset"])
            start = time.perf_counter()
            try:
                # An open dropdown hides the rest of the page from role queries: close it first.
                await page.keyboard.press("Escape")
                if action == "region":
                    box = page.get_by_role("combobox").first
                    await box.click()
                    await box.fill(rng.choice(REGIONS))
                    await page.keyboard.press("Enter")
                    await page.keyboard.press("Escape")
                    await page.locator("h1").first.click()
                elif action == "tab":
                    await page.get_by_role("tab", name=rng.choice(TABS)).click()
                else:
                    await page.get_by_role("button", name="Reset filters").click()
                await page.wait_for_timeout(100)  # let the rerun start
                await idle(page)
                elapsed = time.perf_counter() - start
                stats["latencies"][action].append(elapsed)
                broken = await page.locator('[data-testid="stException"]').count()
                if broken:
                    stats["broken_pages"] += 1
                stats["actions"] += 1
            except Exception as exc:  # noqa: BLE001 -- any failure of a session is a counted error
                stats["errors"].append(f"{action}: {type(exc).__name__}: {str(exc)[:160]}")
            await page.wait_for_timeout(rng.randint(200, 1500))  # a person pauses
    finally:
        await context.close()


async def run(url: str, sessions: int, minutes: float, on_half_time) -> dict:
    from playwright.async_api import async_playwright

    stats = {
        "actions": 0,
        "errors": [],
        "page_errors": [],
        "dialogs": [],
        "broken_pages": 0,
        "latencies": {"region": [], "tab": [], "reset": []},
    }
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        deadline = time.monotonic() + minutes * 60
        tasks = [
            asyncio.create_task(session(browser, url, deadline, i, stats)) for i in range(sessions)
        ]
        await asyncio.sleep(minutes * 30)
        stats["import"] = await asyncio.to_thread(on_half_time)
        await asyncio.gather(*tasks)
        await browser.close()
    return stats


def summary(stats: dict, sessions: int, minutes: float) -> dict:
    def pct(values: list[float]) -> dict:
        if not values:
            return {}
        ordered = sorted(values)
        return {
            "n": len(values),
            "median_s": round(statistics.median(ordered), 2),
            "p95_s": round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], 2),
        }

    return {
        "sessions": sessions,
        "minutes": minutes,
        "actions": stats["actions"],
        "errors": len(stats["errors"]),
        "error_samples": stats["errors"][:5],
        "page_errors": len(stats["page_errors"]),
        "dialogs": len(stats["dialogs"]),
        "broken_pages": stats["broken_pages"],
        "filter_change_to_updated_page": pct(stats["latencies"]["region"]),
        "tab_switch": pct(stats["latencies"]["tab"]),
        "reset": pct(stats["latencies"]["reset"]),
        "import_half_way": stats.get("import"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--minutes", type=float, default=2)
    parser.add_argument("--url", help="an already running dashboard (no import is run then)")
    args = parser.parse_args()
    server = None
    with tempfile.TemporaryDirectory(prefix="probation-load-") as tmp:
        if args.url:
            url, import_step = args.url, (lambda: "skipped: --url given")
        else:
            server, url, csv_dir, db_path = start_server(Path(tmp))
            file = Path(tmp) / "load-import.csv"
            file.write_text(IMPORT_ROWS, encoding="utf-8")

            def import_step() -> str:
                result = subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "analytics.cli",
                        "import",
                        str(file),
                        "--allow-new-units",
                        "--data",
                        str(csv_dir),
                        "--db",
                        str(db_path),
                    ],
                    capture_output=True,
                    text=True,
                    cwd=REPO,
                    check=False,
                )
                return (result.stdout or result.stderr).strip()

        try:
            stats = asyncio.run(run(url, args.sessions, args.minutes, import_step))
        finally:
            if server is not None:
                serve.stop(server)
    print(json.dumps(summary(stats, args.sessions, args.minutes), indent=1))


if __name__ == "__main__":
    main()

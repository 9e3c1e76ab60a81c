"""README's pictures, made again by one command (`make readme-images`): the dashboard as it
opens on the shipped data (Chromium, 1366 x 900), and one chart as a manager downloads it.

    python -m tests.e2e.readme_images [--out docs/images]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from analytics.analyses import viewspecs
from analytics.export import context, images
from analytics.filters import Filters
from analytics.pipeline import db
from tests import serve
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, TILE, wait_idle

REPO = Path(__file__).resolve().parents[2]
VIEWPORT = {"width": 1366, "height": 900}
CHART = "ratings-by-region"


def dashboard_png(out: Path) -> Path:
    """The dashboard's first screen on the shipped data."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="readme-images-") as tmp:
        process, url = serve.start(
            {"PROBATION_RATINGS_DB": str(Path(tmp) / "ratings.duckdb")},
            unset=("PROBATION_RATINGS_DATA",),
        )
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport=VIEWPORT)
                page.goto(url)
                page.wait_for_selector(TILE, timeout=60_000)
                page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
                wait_idle(page)
                path = out / "dashboard.png"
                page.screenshot(path=path)
                browser.close()
        finally:
            serve.stop(process)
    return path


def chart_png(out: Path) -> Path:
    """The overall ratings by region, as the dashboard's "Chart as PNG" makes it."""
    db.ensure_database()
    con = db.connect(db.default_db_path())
    try:
        view = viewspecs.build_view(con, CHART, Filters())
        ctx = context.context_for(con, view.title, Filters(), selection=view.selection)
        path = out / f"{CHART}.png"
        path.write_bytes(images.figure_image(view.figure, ctx, "png"))
    finally:
        con.close()
    return path


def main() -> None:
    """Write both pictures into --out (default docs/images)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "images")
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    for path in (dashboard_png(out), chart_png(out)):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()

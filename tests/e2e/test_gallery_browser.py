"""What a person sees in every exported chart of the gallery (shipped data, longest names),
drawn by Chromium: every text inside the picture, and title, legend and plot area apart.

The SVG is the picture itself; the PNG is drawn from the same figure at twice the size; the HTML
chart is the same figure in a browser window as wide as a laptop's.
"""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

pytestmark = pytest.mark.browser

# Each text's box, the title block's, the legend's and each plot area's, in the picture's own
# pixels (``root``: the SVG, or the HTML chart's container).
LAYOUT_JS = """
(root) => {
  const R = root.getBoundingClientRect();
  const rel = (r) => [r.left - R.left, r.top - R.top, r.right - R.left, r.bottom - R.top];
  const box = (sel) => {
    const e = root.querySelector(sel);
    return e ? rel(e.getBoundingClientRect()) : null;
  };
  const texts = [];
  for (const t of root.querySelectorAll('text')) {
    const r = t.getBoundingClientRect();
    if (!t.textContent.trim() || r.width === 0) continue;
    // a rotated label's box is not its outline: kept for "inside", not for "apart"
    const rotated = /rotate\\(/.test(t.getAttribute('transform') || '');
    texts.push({text: t.textContent, box: rel(r), rotated});
  }
  const plots = [];
  for (const g of root.querySelectorAll('.overplot > g')) {
    const m = g.transform.baseVal.consolidate().matrix;
    const clip = (g.getAttribute('clip-path') || '').match(/#([^)"']+)/);
    const rect = clip && root.querySelector(`[id="${clip[1]}"] rect`);
    if (rect) {
      plots.push([m.e, m.f, m.e + rect.width.baseVal.value, m.f + rect.height.baseVal.value]);
    }
  }
  return {width: R.width, height: R.height, texts, title: box('.g-gtitle'),
          legend: box('.legend'), plots};
}
"""


def _overlap(a, b) -> bool:
    return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5


def _problems(layout) -> list[str]:
    """What a person would see wrong: text cut off at an edge, text over text, the title, the
    legend and the plot area over one another.
    """
    w, h = layout["width"], layout["height"]
    found = [
        f"outside: {t['text'][:60]!r} at {[round(v) for v in t['box']]}"
        for t in layout["texts"]
        if t["box"][0] < 0 or t["box"][1] < 0 or t["box"][2] > w or t["box"][3] > h
    ]
    flat = [t for t in layout["texts"] if not t["rotated"]]
    found += [
        f"text over text: {a['text'][:40]!r} and {b['text'][:40]!r}"
        for i, a in enumerate(flat)
        for b in flat[i + 1 :]
        if _overlap(a["box"], b["box"])
    ]
    # overlaid axes (a second y axis) share one plot area: counted once
    plots = {tuple(round(v) for v in p) for p in layout["plots"]}
    parts = {"title": layout["title"], "legend": layout["legend"]}
    parts |= {f"plot area {i}": p for i, p in enumerate(sorted(plots))}
    named = [(k, v) for k, v in parts.items() if v]
    found += [
        f"{a} over {b}"
        for i, (a, abox) in enumerate(named)
        for b, bbox in named[i + 1 :]
        if _overlap(abox, bbox)
    ]
    return found


def test_every_exported_chart_keeps_its_text_inside_and_its_parts_apart(gallery_dir, page):
    svgs = sorted(gallery_dir.glob("*.svg"))
    # 7 charts of everything and of a region, 3 of each unit, the comparison, the Domains tab's 2
    assert len(svgs) == 7 + 7 + 3 + 3 + 1 + 2
    seen = {}
    for svg in svgs:
        page.goto(svg.as_uri())
        layout = page.evaluate(LAYOUT_JS, page.locator("svg").first.element_handle())
        seen[svg.name] = _problems(layout)
        assert layout["title"] is not None and layout["plots"], svg.name
        # the PNG: the same figure at twice the size, and not blank
        png = Image.open(io.BytesIO(svg.with_suffix(".png").read_bytes())).convert("L")
        assert png.size == (round(layout["width"]) * 2, round(layout["height"]) * 2), svg.name
        inked = sum(png.histogram()[:200])  # pixels darker than near-white
        assert inked > png.size[0] * png.size[1] // 100, svg.name
    assert seen == {name: [] for name in seen}


def test_every_interactive_chart_keeps_its_text_inside_a_laptop_window(gallery_dir, page):
    seen = {}
    for chart in sorted(gallery_dir.glob("*.html")):
        if chart.name.endswith("_report.html") or chart.name == "index.html":
            continue
        page.goto(chart.as_uri())
        page.wait_for_selector(".main-svg .g-gtitle")
        root = page.locator(".svg-container").first.element_handle()
        seen[chart.name] = _problems(page.evaluate(LAYOUT_JS, root))
    assert len(seen) == 23
    assert seen == {name: [] for name in seen}


def test_readmes_pictures_are_made_by_its_script(tmp_path):
    from tests.e2e import readme_images

    readme = (readme_images.REPO / "README.md").read_text(encoding="utf-8")
    pictures = re.findall(r"\]\((docs/images/[^)]+\.png)\)", readme)
    assert pictures == ["docs/images/dashboard.png", "docs/images/ratings-by-region.png"]
    assert all((readme_images.REPO / p).is_file() for p in pictures)
    made = readme_images.chart_png(tmp_path)
    assert made.name == "ratings-by-region.png"
    with Image.open(made) as png:
        width = png.size[0]
    assert width == 2200  # the dashboard's PNG: 1100 px drawn at twice the size

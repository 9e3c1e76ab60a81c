"""The page's few layout rules that the theme (.streamlit/config.toml) has no option for."""

from __future__ import annotations

import streamlit as st

from ui import reconnect
from ui.tiles import TILE_SELECTOR, VALUE_SELECTOR

# Streamlit leaves 6rem above the first element. On a wide screen its toolbar holds only the menu
# at the right, so the title may start at 2rem: the 4rem saved brings each tab's first chart onto
# the first screen at 1366x768; its side gutters of 2.5rem (not 5rem) leave the tables their
# columns beside the sidebar. On a narrow one the sidebar's button sits top left: 3.5rem clears
# it. The two report buttons stacked beside the tiles are trimmed to a tile's height (each still
# 30 px, above the 24 px a pointer target needs). The view's paragraph, closed, is one slim line
# drawn close under the tiles on a wide screen, so that the charts stay on the first screen (on
# a phone, where it wraps, it keeps the page's spacing). The Units tab's picker keeps a width
# that shows a unit's name, so on a phone its Compare buttons wrap below it. The KPI tiles
# (ui/tiles.py, Markdown) take st.metric's look: a small label over a large value. A chart's
# title is a level-2 heading (ui/components.py) drawn the size Plotly drew it.
_TILE_CSS = (
    f"{TILE_SELECTOR} p {{ font-size: 0.875rem; }}\n"
    f"{VALUE_SELECTOR} p {{ font-size: 1.6rem; line-height: normal; }}\n"
    f"{VALUE_SELECTOR} {{ padding-bottom: 0.25rem; }}\n"
)
PAGE_CSS = (
    "<style>\n"
    + _TILE_CSS
    + reconnect.CSS
    + """
.st-key-unit_pick { min-width: min(100%, 20rem); }
[class*="st-key-chart_title_"] h2 { font-size: 1.05rem; font-weight: 600; padding: 0.5rem 0 0; }
[data-testid="stMainBlockContainer"] { padding-top: 3.5rem; }
.st-key-report_buttons button { min-height: 1.875rem; }
.st-key-view_summary summary { min-height: 0; line-height: 1.4; }
.st-key-view_summary summary { padding-top: 0; padding-bottom: 0; }
.st-key-view_summary details { border-color: transparent; }
@media (min-width: 992px) {
  [data-testid="stMainBlockContainer"] { padding: 2rem 2.5rem 4rem; }
  .st-key-view_summary { margin-top: -1rem; margin-bottom: -1rem; }
}
</style>"""
)


def page_style() -> None:
    """Apply the layout rules (a style-only ``st.html`` takes no space on the page)."""
    st.html(PAGE_CSS)

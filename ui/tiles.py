"""KPI tiles: a label, a value and maybe a change, drawn with Markdown in keyed containers.

Why not ``st.metric``: in Streamlit 1.67 the metric is a lazily loaded part of the frontend, and
in a fresh browser React showed it only once the Plotly and table code loading beside it had
been compiled: the tiles came 1.2-1.6 s after the title, 2.8-3.0 s after opening the page. Markdown
is in Streamlit's first bundle and is drawn with the title: 1.2-1.5 s (BENCHMARKS.md, "Cold start,
fourth pass"). The look (a small label, a large value, a coloured change under it) is ui/style.py's.
"""

from __future__ import annotations

import streamlit as st

from analytics.analyses.tiles import Tile, change_text
from ui.text import md_escape

# The keys' prefixes become the tiles' CSS classes (st-key-...): the page style and the browser
# tests select tiles and values by them, AppTests by the keys.
ROW_KEY = "kpi_tiles"
TILE_PREFIX = "kpi_tile_"
VALUE_PREFIX = "kpi_value_"
TILE_SELECTOR = f'[class*="st-key-{TILE_PREFIX}"]'
VALUE_SELECTOR = f'[class*="st-key-{VALUE_PREFIX}"]'


def change_colour(tile: Tile) -> str:
    """Green for a change for the better, red for the worse, grey for no change or no verdict."""
    if not tile.change or tile.tone == "off":
        return "gray"
    better = (tile.change > 0) == (tile.tone == "normal")
    return "green" if better else "red"


def tile_row():
    """The row the tiles and the report buttons share; it wraps on a narrow screen."""
    return st.container(horizontal=True, vertical_alignment="bottom", gap="medium", key=ROW_KEY)


def draw(tile: Tile) -> None:
    """Draw one tile in the current container (a tile row)."""
    with st.container(key=f"{TILE_PREFIX}{tile.key}", gap=None, width="content"):
        st.markdown(md_escape(tile.label), help=tile.help, width="content")
        with st.container(key=f"{VALUE_PREFIX}{tile.key}", gap=None, width="content"):
            st.markdown(md_escape(tile.value), width="content")
        text = change_text(tile)
        if text is not None:
            # a badge: the change named in words and signs, its colour only a second cue
            st.markdown(f":{change_colour(tile)}-badge[{md_escape(text)}]", width="content")

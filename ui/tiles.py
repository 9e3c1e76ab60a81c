"""KPI tiles: a label, a value and maybe a change, drawn with Markdown in keyed containers.

Why not ``st.metric``: in Streamlit 1.67 the metric is a lazily loaded part of the frontend, and
in a fresh browser React showed it only once the Plotly and table code loading beside it had
been compiled: the tiles came 1.2-1.6 s after the title, 2.8-3.0 s after opening the page. Markdown
is in Streamlit's first bundle and is drawn with the title: 1.2-1.5 s (BENCHMARKS.md, "Cold start,
fourth pass"). The look (a small label, a large value, a coloured change under it) is ui/style.py's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import streamlit as st

from ui.text import md_escape

# How a change is coloured, as st.metric's delta_color: "normal" when a rise is good, "inverse"
# when a rise is bad, "off" when a change is neither.
Tone = Literal["normal", "inverse", "off"]

# The keys' prefixes become the tiles' CSS classes (st-key-...): the page style and the browser
# tests select tiles and values by them, AppTests by the keys.
ROW_KEY = "kpi_tiles"
TILE_PREFIX = "kpi_tile_"
VALUE_PREFIX = "kpi_value_"
TILE_SELECTOR = f'[class*="st-key-{TILE_PREFIX}"]'
VALUE_SELECTOR = f'[class*="st-key-{VALUE_PREFIX}"]'


@dataclass(frozen=True)
class Tile:
    """One tile: ``change`` is a whole number of ``unit`` (e.g. -8 "pts"), or None for none."""

    key: str
    label: str
    value: str
    change: int | None = None
    unit: str = ""
    tone: Tone = "off"
    help: str | None = None


def change_text(tile: Tile) -> str | None:
    """The change as a reader sees it: an arrow for its direction, then the signed number."""
    if tile.change is None:
        return None
    arrow = "↑ " if tile.change > 0 else "↓ " if tile.change < 0 else ""
    unit = f" {tile.unit}" if tile.unit else ""
    return f"{arrow}{tile.change:+d}{unit}"


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

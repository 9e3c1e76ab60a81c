"""Helpers of every AppTest: run the dashboard as a visitor would, and read what it shows."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block, Markdown

from tests import fixture_data as fx
from ui.tiles import TILE_PREFIX

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")
TABS = ["Overview", "Trends", "Domains", "Units", "Compare", "Data", "About"]
EMPTY = "No inspections match these filters. Widen the period or remove a filter (or press Reset)."

# Column positions in fixture_data.INSPECTIONS
TYPE, NAME, REGION, PUBLISHED, BASIS, _, RATING = range(7)


def run_app(**query_params) -> AppTest:
    """Run the dashboard with these URL parameters (``tab="Trends"`` opens that tab: only the
    open tab is drawn).
    """
    at = AppTest.from_file(APP, default_timeout=30)
    for key, value in query_params.items():
        at.query_params[key] = value
    return at.run()


def open_download_menus(at: AppTest) -> AppTest:
    """Open every Download menu of the page, as clicking each heading would, and rerun.

    The menus draw their buttons only while open (``ui.components.downloads``).
    """
    for key in [k for k in at.session_state.keys() if k.endswith("_downloads")]:  # noqa: SIM118 -- AppTest state has keys(), no iteration
        at.session_state[key] = True
    return at.run()


def plain(markdown: str) -> str:
    """What a reader sees of Markdown the app escaped: every backslash escape resolved.

    The app escapes all ASCII punctuation in text from a URL, a file or the data
    (``ui.text.md_escape``) and puts an invisible word joiner (U+2060) into bare web and
    e-mail addresses; tests of that escaping itself assert the Markdown source.
    """
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace("\u2060", "")


def tiles(at: AppTest) -> list[Block]:
    """The KPI tiles' containers (ui/tiles.py), in the page's order."""
    return [b for b in at.main if isinstance(b, Block) and (b.key or "").startswith(TILE_PREFIX)]


def tile_parts(tile: Block) -> tuple[Markdown, str, str | None]:
    """One tile's label element, its value and its change badge as written, or None."""
    label, value, *change = tile.markdown
    return label, plain(value.value), change[0].value if change else None


def metrics(at: AppTest) -> dict[str, str]:
    """Each tile's label and value as a reader sees them."""
    return {plain(label.value): value for label, value, _ in map(tile_parts, tiles(at))}


def tile_changes(at: AppTest) -> dict[str, str | None]:
    """Each tile's change badge, its Markdown as written (colour directive included)."""
    return {plain(label.value): change for label, _, change in map(tile_parts, tiles(at))}


def tile_helps(at: AppTest) -> dict[str, str]:
    """Each tile's tooltip ("" for none)."""
    return {plain(label.value): label.proto.help for label, _, _ in map(tile_parts, tiles(at))}


def expected_kpis(rows: list[tuple]) -> dict[str, str]:
    """KPI tiles computed from literal inspection rows with plain Python."""
    n = len(rows)
    ratings = [r[RATING] for r in rows]
    return {
        "Inspections": str(n),
        "Units": str(len({(r[TYPE], r[NAME]) for r in rows})),
        "Inadequate": f"{ratings.count('Inadequate') / n:.0%}",
        "Requires improvement": f"{ratings.count('Requires improvement') / n:.0%}",
        "Good or better": f"{(ratings.count('Good') + ratings.count('Outstanding')) / n:.0%}",
    }


def whole_months(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from ``start`` to ``end``, counted by hand."""
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def rows_where(**conditions) -> list[tuple]:
    """Fixture inspections matching simple conditions, by plain Python."""
    rows = fx.INSPECTIONS
    if "region" in conditions:
        rows = [r for r in rows if r[REGION] in conditions["region"]]
    if "unit_type" in conditions:
        rows = [r for r in rows if r[TYPE] in conditions["unit_type"]]
    if "rating" in conditions:
        rows = [r for r in rows if r[RATING] in conditions["rating"]]
    if "years" in conditions:
        y0, y1 = conditions["years"]
        rows = [r for r in rows if y0 <= int(r[PUBLISHED][:4]) <= y1]
    if "unit" in conditions:
        rows = [r for r in rows if r[NAME] in conditions["unit"]]
    if conditions.get("stated_only"):
        rows = [r for r in rows if r[BASIS] == "stated"]
    return rows


def chart_specs(at: AppTest) -> dict[str, dict]:
    """Every Plotly chart on the page by its title."""
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    return {s["layout"]["meta"]["title"]: s for s in specs}


def data_traces(spec: dict) -> list[dict]:
    """The traces of a chart that draw data (its legend entries are traces of their own)."""
    return [t for t in spec["data"] if t.get("showlegend") is False]


def bar_values(spec: dict, axis: str) -> dict[str, list]:
    """Trace name -> values along ``axis`` of a bar chart."""
    out = {}
    for trace in data_traces(spec):
        if trace.get("type") == "bar":
            values = trace[axis]
            if isinstance(values, dict):  # plotly's typed-array encoding
                values = np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
            out[trace["name"]] = [float(v) for v in values]
    return out


def query_params(at: AppTest) -> dict[str, list[str]]:
    """The page URL's query parameters after the run (AppTest gives one value as a string)."""
    return {k: v if isinstance(v, list) else [v] for k, v in at.query_params.items()}

"""What every chart shares: the font, the layout (title, legend, alt text), empty charts."""

from __future__ import annotations

import copy
import html
import re
from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

from analytics.vocab import RATING_COLOURS, RATING_NAMES, SMALL_COUNT_NOTE

FONT = "Arial, Helvetica, sans-serif"

# How a value resting on few inspections is drawn: faded and hatched, so the mark survives
# greyscale printing and does not rely on colour alone.
SMALL_OPACITY = 0.45
SMALL_PATTERN = "/"
_NAMED_AT_MOST = 5  # a note names this many small values, then counts them


def merged(base: Mapping[str, Any], update: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` updated by ``update`` as Plotly updates a figure: nested dicts merge, anything
    else (a value, a list, None) replaces.
    """
    out = dict(base)
    for key, value in update.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merged(out[key], value)
        else:
            out[key] = copy.copy(value) if isinstance(value, dict) else value
    return out


class FigureSpec:
    """A figure being built as plain dicts, made into one ``go.Figure`` by :func:`layout`.

    It takes the calls the builders make of a ``go.Figure`` (``add_bar``, ``update_yaxes``, ...)
    with nested dicts for nested properties. Plotly validates each call on a real figure, and a
    layout update is ten times dearer than the same property given to the constructor: a chart
    cost 30-50 ms to build, most of the server's time for a filter not seen before
    (BENCHMARKS.md, per-visit cost). Built once, the figure is the same.
    """

    def __init__(self, data: Sequence[Mapping[str, Any]] = ()):
        self.data: list[dict[str, Any]] = [dict(t) for t in data]
        self.layout: dict[str, Any] = {}

    def add_trace(self, trace: Mapping[str, Any]) -> None:
        """Add a trace given as a dict with its ``type``."""
        self.data.append(dict(trace))

    def add_bar(self, **props: Any) -> None:
        """Add a bar trace."""
        self.data.append({"type": "bar", **props})

    def add_scatter(self, **props: Any) -> None:
        """Add a scatter trace."""
        self.data.append({"type": "scatter", **props})

    def add_shape(self, **props: Any) -> None:
        """Add a layout shape."""
        self.layout.setdefault("shapes", []).append(props)

    def add_annotation(self, **props: Any) -> None:
        """Add a layout annotation."""
        self.layout.setdefault("annotations", []).append(props)

    def add_vline(self, *, x: Any, line: Mapping[str, Any]) -> None:
        """A vertical line across the plot at ``x``, as ``go.Figure.add_vline`` draws it."""
        self.add_shape(
            type="line", x0=x, x1=x, xref="x", y0=0, y1=1, yref="y domain", line=dict(line)
        )

    def update_layout(self, **settings: Any) -> None:
        """Merge ``settings`` into the layout."""
        self.layout = merged(self.layout, settings)

    def update_xaxes(self, selector: Mapping[str, Any] | None = None, **props: Any) -> None:
        """Merge ``props`` into every x axis (that matches ``selector``)."""
        self._update_axes("x", props, selector)

    def update_yaxes(self, selector: Mapping[str, Any] | None = None, **props: Any) -> None:
        """Merge ``props`` into every y axis (that matches ``selector``)."""
        self._update_axes("y", props, selector)

    def _update_axes(
        self, kind: str, props: Mapping[str, Any], selector: Mapping[str, Any] | None
    ) -> None:
        # as go.Figure.update_xaxes: the first axis always exists, then any others laid out
        keys = [f"{kind}axis"] + sorted(
            k for k in self.layout if re.fullmatch(rf"{kind}axis\d+", k)
        )
        for key in keys:
            axis = self.layout.get(key, {})
            if all(axis.get(k) == v for k, v in (selector or {}).items()):
                self.layout[key] = merged(axis, props)


def rating_legend(*, small: bool, orientation: str = "v") -> FigureSpec:
    """A figure holding only legend entries: each rating in its colour, plain.

    Plotly draws a bar trace's legend symbol like its first bar, so a trace whose first bar is
    faded would show a faded, hatched rating in the legend. The data traces therefore join these
    entries' legend groups (clicking an entry still hides its bars) with ``showlegend=False``;
    ``small`` adds the entry that explains the hatching. ``orientation`` is the data bars' (a
    stack of bars must share one).
    """
    fig = FigureSpec()
    for rating in RATING_NAMES:
        fig.add_bar(
            x=[None],
            y=[None],
            name=rating,
            marker={"color": RATING_COLOURS[rating]},
            legendgroup=rating,
            orientation=orientation,
        )
    if small:
        fig.add_bar(
            x=[None],
            y=[None],
            name=SMALL_COUNT_NOTE.capitalize(),
            marker=small_marker("#bdbdbd", [True]),
            legendgroup="small",
            orientation=orientation,
        )
    # Entries with no values would make Plotly guess a numeric axis for the categories.
    if orientation == "h":
        fig.update_yaxes(type="category")
    return fig


def faded(colour: str) -> str:
    """``colour`` (``#rrggbb``) as it looks at ``SMALL_OPACITY`` over white."""
    channels = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(
        f"{round(c * SMALL_OPACITY + 255 * (1 - SMALL_OPACITY)):02x}" for c in channels
    )


def small_marker(colour: str, small: Sequence[bool]) -> dict:
    """A bar marker of ``colour``, faded and hatched where ``small`` is true."""
    flags = [bool(s) for s in small]
    # Faded by colour, not by marker opacity: a per-bar opacity array stops a click on the bar
    # from reaching Streamlit as a selection (the chart clicks that filter would break).
    return {
        "color": [faded(colour) if s else colour for s in flags],
        "pattern": {
            "shape": [SMALL_PATTERN if s else "" for s in flags],
            "fillmode": "overlay",
            "fgcolor": "#333333",
            "size": 6,
            "solidity": 0.25,
        },
    }


def faded_heatmap(
    heatmap: Mapping[str, Any], small: Sequence[Sequence[bool]]
) -> list[dict[str, Any]]:
    """``heatmap`` split in two: the cells where ``small`` is false, and the others faded.

    The faded copy keeps the colours, hover text and customdata (a click still selects) but draws
    no cell text: faded text would be hard to read, so callers draw it with :func:`cell_text`.
    """

    def pick(grid, when: bool, blank):
        return [
            [v if bool(s) is when else blank for v, s in zip(row, srow, strict=True)]
            for row, srow in zip(grid, small, strict=True)
        ]

    main = {
        **heatmap,
        "type": "heatmap",
        "z": pick(heatmap["z"], False, None),
        "text": pick(heatmap["text"], False, ""),
    }
    light = {
        **heatmap,
        "type": "heatmap",
        "z": pick(heatmap["z"], True, None),
        "texttemplate": "",  # heatmap text is drawn only through a template; hover keeps it
        "opacity": SMALL_OPACITY,
        "showscale": False,
    }
    return [main, light]


def cell_text(x: Sequence, y: Sequence, text: Sequence[str], size: int = 12) -> dict[str, Any]:
    """Text drawn over heatmap cells at (x, y), at full contrast, not clickable (a trace)."""
    return {
        "type": "scatter",
        "x": list(x),
        "y": list(y),
        "text": list(text),
        "mode": "text",
        "textfont": {"size": size, "color": "#000000"},
        "showlegend": False,
        "hoverinfo": "skip",
    }


def small_note(labels: Sequence[str], *, noun: str, mark: str = "Faded and hatched") -> str:
    """The sentence saying which values rest on few inspections ("" when none do).

    Up to five are named (``"2021, 2022"``); more are counted (``"12 cells"``).
    """
    labels = list(labels)
    if not labels:
        return ""
    which = (
        ", ".join(labels)
        if len(labels) <= _NAMED_AT_MOST
        else f"{len(labels)} {noun}{'s' if len(labels) != 1 else ''}"
    )
    return f"{mark}: {SMALL_COUNT_NOTE} ({which})."


def layout(
    fig: FigureSpec,
    *,
    title: str,
    alt: str,
    height: int = 420,
    note: str = "",
    override: Mapping[str, Any] | None = None,
) -> go.Figure:
    """The figure of ``fig`` with the shared font, margins and legend, its ``title`` (as
    ``meta["title"]``: the page and the exports draw it) and ``alt`` as its alt text;
    ``override`` is layout the chart sets over the shared one.

    ``note`` (what is marked as resting on few inspections) ends the alt text, so the caption,
    the report and a screen reader say it, and is kept as ``meta["note"]`` for image downloads.
    """
    # The title is not drawn by Plotly: the page writes it as a heading above the chart (it
    # wraps on a phone, where Plotly's ran off the edge and its legend grew over it) and an
    # exported image draws it in its title block. The legend sits above the plot; Plotly makes
    # room for it (a legend outside the plot grows the margin).
    fig.update_layout(
        font={"family": FONT, "size": 13, "color": TEXT_COLOUR},
        height=height,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        legend={
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.01,
            "xanchor": "left",
            "x": 0,
            "title": None,
            "traceorder": "normal",
            "font": {"color": TEXT_COLOUR},
        },
        plot_bgcolor="white",
        # the title as text (builders escape names for Plotly's markup)
        meta={"title": html.unescape(title), "alt": f"{alt} {note}" if note else alt, "note": note},
    )
    fig.update_xaxes(showgrid=False)
    fig.update_yaxes(gridcolor="#e5e5e5")
    if override:
        fig.update_layout(**override)
    _dark_text(fig)
    # Unchecked: Plotly checks every property it is given against its schema, which was 60% of
    # building a view (BENCHMARKS.md, issue 30). tests/test_charts.py checks every view's figure
    # instead: built checked, it is the same. A checked figure leaves out what is set to None.
    return go.Figure(data=_set(fig.data), layout=_set(fig.layout), _validate=False)


def _set(value: Any) -> Any:
    """``value`` without the dict entries that are None (Plotly's "unset"), at any depth."""
    if isinstance(value, Mapping):
        return {k: _set(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_set(v) for v in value]
    return value


# Chart text, said on every axis, title and colour bar: Streamlit's theme otherwise paints it its
# grey, rgb(128,132,149), 3.7:1 on white where WCAG AA asks 4.5:1. This is its text colour,
# 12.5:1 (a value the figure sets wins over the theme's template).
TEXT_COLOUR = "#31333F"


def _dark_text(fig: FigureSpec) -> None:
    coloured = {"color": TEXT_COLOUR}
    fig.update_xaxes(tickfont=coloured)
    fig.update_yaxes(tickfont=coloured)
    for key, axis in fig.layout.items():
        if re.fullmatch(r"[xy]axis\d*", key) and axis.get("title"):
            title = axis["title"]
            title = {"text": title} if isinstance(title, str) else title
            axis["title"] = merged(title, {"font": coloured})
    for trace in fig.data:
        if "colorbar" in trace or trace.get("type") == "heatmap":
            trace["colorbar"] = merged(
                trace.get("colorbar", {}), {"tickfont": coloured, "title": {"font": coloured}}
            )


def empty(title: str, message: str) -> go.Figure:
    """A chart with nothing to draw: ``message`` in its middle and as its alt text (its
    ``meta["empty"]`` is true).
    """
    fig = FigureSpec()
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    out = layout(fig, title=title, alt=message, height=200)
    # marked, so that a report says the sentence instead of printing an empty chart
    out.layout.meta = {**out.layout.meta, "empty": True}
    return out


def wrap(name: str, width: int = 12) -> str:
    """Break ``name`` into lines of at most ``width`` characters for an axis label."""
    words, lines, line = name.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(lines)

"""What every chart shares: the font, the layout (title, legend, alt text), empty charts."""

from __future__ import annotations

import plotly.graph_objects as go

FONT = "Arial, Helvetica, sans-serif"


def layout(fig: go.Figure, *, title: str, alt: str, height: int = 420) -> go.Figure:
    """Give ``fig`` the shared title, font, margins and legend, and ``alt`` as its alt text."""
    # The title sits at the top of the margin and the legend just under it, above the plot.
    fig.update_layout(
        title={
            "text": title,
            "x": 0,
            "xanchor": "left",
            "y": 0.99,
            "yanchor": "top",
            "yref": "container",
            "pad": {"t": 6},
        },
        font={"family": FONT, "size": 13},
        height=height,
        margin={"l": 10, "r": 10, "t": 80, "b": 10},
        legend={
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.01,
            "xanchor": "left",
            "x": 0,
            "title": None,
            "traceorder": "normal",
        },
        plot_bgcolor="white",
        meta={"alt": alt},
    )
    fig.update_xaxes(showgrid=False)
    fig.update_yaxes(gridcolor="#e5e5e5")
    return fig


def empty(title: str, message: str) -> go.Figure:
    """A chart with nothing to draw: ``message`` in its middle and as its alt text."""
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return layout(fig, title=title, alt=message, height=200)


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

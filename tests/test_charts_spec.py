"""FigureSpec (analytics/charts/common.py) against Plotly: the same calls, the same figure."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go

from analytics.charts.common import FigureSpec, merged


def _calls(fig) -> None:
    fig.add_bar(x=[1, 2], y=[3, 4], name="a", marker={"color": "#123456"})
    fig.add_scatter(x=[1, 2], y=[2.5, 1.0], yaxis="y2", mode="lines", line={"width": 2})
    fig.update_layout(barmode="stack", yaxis2={"overlaying": "y", "side": "right"})
    fig.update_yaxes(title="Share", tickformat=".0%", selector={"overlaying": None})
    fig.update_xaxes(showgrid=False, title=None)
    fig.update_yaxes(gridcolor="#e5e5e5")
    fig.add_vline(x=dt.date(2024, 6, 1), line={"color": "#555555", "dash": "dot", "width": 1})
    fig.add_annotation(x=1, y=1.0, yref="paper", text="<b>1</b>", showarrow=False)
    fig.add_shape(type="rect", x0=0, x1=1, y0=0, y1=1, line={"color": "#333333"})
    fig.update_layout(legend={"orientation": "h", "title": None}, height=300)
    fig.update_layout(legend={"y": 0}, margin={"t": 60})


def _plain(value):
    """A figure's JSON without the empty objects Plotly leaves where a property was unset."""
    if isinstance(value, dict):
        kept = {k: _plain(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v not in ({}, None)}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def test_the_same_calls_make_the_same_figure():
    plotly_fig = go.Figure()
    _calls(plotly_fig)
    spec = FigureSpec()
    _calls(spec)
    built = go.Figure(data=spec.data, layout=spec.layout)
    assert _plain(built.to_plotly_json()) == _plain(plotly_fig.to_plotly_json())


def test_merged_merges_dicts_and_replaces_everything_else():
    base = {"legend": {"x": 0, "y": 1}, "tickvals": [1, 2], "title": {"text": "T"}}
    update = {"legend": {"y": 0}, "tickvals": [3], "title": None, "height": 200}
    assert merged(base, update) == {
        "legend": {"x": 0, "y": 0},
        "tickvals": [3],
        "title": None,
        "height": 200,
    }
    assert base == {"legend": {"x": 0, "y": 1}, "tickvals": [1, 2], "title": {"text": "T"}}

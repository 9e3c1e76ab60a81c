"""Plotly figure builders: a tidy DataFrame in, a ``go.Figure`` out. No Streamlit here.

Every figure uses the one rating order and palette from analytics/vocab.py, names each rating in
its legend and hover text (colour is never the only cue), and carries a short alt text in
``fig.layout.meta["alt"]`` for the page to show beside it.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics.vocab import RATING_COLOURS, RATING_NAMES

FONT = "Arial, Helvetica, sans-serif"


def _layout(fig: go.Figure, *, title: str, alt: str, height: int = 420) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        font={"family": FONT, "size": 13},
        height=height,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        legend={
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.0,
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


def ratings_by_year(df: pd.DataFrame, *, as_share: bool = False) -> go.Figure:
    """Stacked bars of overall ratings per year of publication.

    Parameters
    ----------
    df
        Output of ``rating_distribution(..., by="year")``.
    as_share
        Plot shares of each year's inspections instead of counts.
    """
    value = "share" if as_share else "n"
    fig = go.Figure()
    for rating in RATING_NAMES:
        part = df[df["rating"] == rating]
        fig.add_bar(
            x=part["year"].astype(str),
            y=part[value],
            name=rating,
            marker_color=RATING_COLOURS[rating],
            customdata=part[["n", "share"]].to_numpy(),
            hovertemplate=f"{rating}<br>%{{x}}: %{{customdata[0]}} inspections "
            "(%{customdata[1]:.0%})<extra></extra>",
        )
    years = df["year"].drop_duplicates().tolist()
    totals = df.groupby("year")["n"].sum()
    worst = (
        df[df["rating"] == "Inadequate"].set_index("year")["share"].idxmax()
        if not df.empty and totals.sum() > 0
        else None
    )
    alt = (
        f"Stacked bar chart of overall ratings per year, {years[0]} to {years[-1]}: "
        f"{int(totals.sum())} inspections"
        + (f"; the largest share rated Inadequate was in {worst}." if worst is not None else ".")
        if years
        else "No inspections in the selection."
    )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(type="category", title="Year published")
    fig.update_yaxes(
        title="Share of inspections" if as_share else "Inspections",
        tickformat=".0%" if as_share else ",d",
        # Counts are whole inspections: no 0.5 ticks on a short axis.
        dtick=None if as_share or (totals.max() if len(totals) else 0) > 10 else 1,
    )
    return _layout(fig, title="Overall ratings by year", alt=alt)

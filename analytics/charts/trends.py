"""Charts over time: rating shares per period, and changes between inspections."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics.charts.common import (
    FigureSpec,
    empty,
    layout,
    rating_legend,
    small_marker,
    small_note,
)
from analytics.vocab import RATING_COLOURS, RATING_NAMES


def ratings_over_time_chart(
    df: pd.DataFrame, events: pd.DataFrame, *, as_share: bool = True, freq: str = "year"
) -> go.Figure:
    """Stacked bars of rating shares (or counts) per period, mean points as a line on the right.

    Dated events are drawn as labelled vertical lines. ``df`` is the output of ``rating_trend``.
    """
    title = f"Overall ratings by {freq}"
    if df.empty:
        return empty(title, "No inspections match the filters.")
    value = "share" if as_share else "n"
    fig = rating_legend(small=bool(df["small_count"].any()))
    width_days = 300 if freq == "year" else 75
    for rating in RATING_NAMES:
        part = df[df["rating"] == rating]
        fig.add_bar(
            x=part["period_start"] + pd.Timedelta(days=width_days // 2 + 15),
            y=part[value],
            width=width_days * 24 * 3600 * 1000,
            name=rating,
            legendgroup=rating,
            showlegend=False,
            marker=small_marker(RATING_COLOURS[rating], part["small_count"]),
            customdata=part[["period", "n", "share", "inspections"]].to_numpy(),
            hovertemplate="%{customdata[0]}: "
            + rating
            + " %{customdata[1]} of %{customdata[3]} (%{customdata[2]:.0%})<extra></extra>",
        )
    periods = df.drop_duplicates("period")
    fig.add_scatter(
        x=periods["period_start"] + pd.Timedelta(days=width_days // 2 + 15),
        y=periods["mean_points"],
        yaxis="y2",
        name="Mean points (right axis)",
        mode="lines+markers",
        line={"color": "#222222", "width": 2},
        # an open diamond: a mean of fewer than 5 inspections
        marker={
            "symbol": ["diamond-open" if s else "diamond" for s in periods["small_count"]],
            "size": 8,
        },
        customdata=periods[["period", "inspections"]].to_numpy(),
        hovertemplate="%{customdata[0]}: mean %{y:.2f} points over %{customdata[1]} "
        "inspections<extra></extra>",
    )
    # Events are numbered on the chart and listed in full beside it: long labels would cover bars.
    span_end = periods["period_start"].max() + pd.Timedelta(days=366 if freq == "year" else 92)
    keyed = []
    for number, event in enumerate(events.itertuples(), start=1):
        if not periods["period_start"].min() <= event.event_date <= span_end:
            continue  # outside the bars: drawing it would only squeeze them
        keyed.append(f"{number} {event.date_text}: {event.event}")
        fig.add_vline(x=event.event_date, line={"color": "#555555", "dash": "dot", "width": 1})
        fig.add_annotation(
            x=event.event_date,
            y=1.0,
            yref="paper",
            yanchor="bottom",
            text=f"<b>{number}</b>",
            showarrow=False,
            font={"size": 11, "color": "#222222"},
            bgcolor="#ffffff",
            bordercolor="#555555",
            borderwidth=1,
            borderpad=2,
            hovertext=f"{event.date_text}: {event.event}",
        )
    fig.update_layout(
        barmode="stack",
        yaxis2={
            "overlaying": "y",
            "side": "right",
            "range": [0, 3],
            # no axis title: the legend's "Mean points (right axis)" names it, and on a phone
            # the room goes to the bars
            "showgrid": False,
            "tickvals": [0, 1, 2, 3],
        },
    )
    fig.update_yaxes(
        title="Share of inspections" if as_share else "Inspections",
        tickformat=".0%" if as_share else ",d",
        selector={"overlaying": None},
    )
    centres = periods["period_start"] + pd.Timedelta(days=width_days // 2 + 15)
    every = max(1, len(periods) // 16)  # keep quarter labels legible
    labels = periods["period"].astype(str)
    if as_share:
        # How many inspections each bar stands on (a 100% bar of one inspection is not a trend),
        # under its period: above the bars the counts ran into each other and into the event
        # numbers on a phone.
        labels = (
            labels + ("<br>n=" if freq == "year" else " · n=") + periods["inspections"].astype(str)
        )
    # Years read level; quarters, too many for that, stand on end with room made for them.
    fig.update_xaxes(
        title=None,
        type="date",
        tickvals=centres[::every],
        ticktext=labels[::every],
        tickangle=0 if freq == "year" else -90,
        automargin=True,
    )
    if as_share:
        fig.update_yaxes(range=[0, 1], selector={"overlaying": None})
    first, last = periods.iloc[0], periods.iloc[-1]
    inadequate = df[df["rating"] == "Inadequate"]
    worst = inadequate.loc[inadequate["share"].idxmax()]
    alt = (
        f"Ratings by {freq} from {first.period} to {last.period}: mean points went from "
        f"{first.mean_points:.2f} to {last.mean_points:.2f}; the highest share rated Inadequate "
        f"was {worst.share:.0%} in {worst.period}."
    )
    small = periods.loc[periods["small_count"], "period"].tolist()
    note = small_note(small, noun=freq, mark="Faded and hatched bars, open diamonds")
    # the legend at the foot of the figure, under the period labels however tall they are
    foot = {
        "legend": {"yref": "container", "yanchor": "bottom", "y": 0},
        "margin": {"t": 60, "b": 70},
    }
    out = layout(fig, title=title, alt=alt, height=480, note=note, override=foot)
    if keyed:  # what the numbers mean travels with an exported image (the page lists them)
        out.layout.meta = {**out.layout.meta, "key": "Events: " + "; ".join(keyed) + "."}
    return out


def rating_changes_chart(df: pd.DataFrame) -> go.Figure:
    """Counts of transitions between consecutive inspections (output of ``rating_changes``)."""
    title = "Rating at the previous inspection (rows) and the next one (columns)"
    if df["n"].sum() == 0:
        return empty(title, "No unit in the selection has a previous inspection to compare.")
    grid = df.pivot(index="from_rating", columns="to_rating", values="n").loc[
        list(RATING_NAMES), list(RATING_NAMES)
    ]
    fig = FigureSpec()
    fig.add_trace(
        {
            "type": "heatmap",
            "z": grid.to_numpy(),
            "x": list(RATING_NAMES),
            "y": list(RATING_NAMES),
            "text": grid.to_numpy(),
            "texttemplate": "%{text}",
            "colorscale": [[0, "#ffffff"], [1, "#525252"]],
            "showscale": False,
            "hovertemplate": "from %{y} to %{x}: %{z}<extra></extra>",
        }
    )
    fig.update_yaxes(autorange="reversed", title="Previous")
    fig.update_xaxes(title="Next", side="top")
    points = {r: i for i, r in enumerate(RATING_NAMES)}
    better = int(sum(r.n for r in df.itertuples() if points[r.to_rating] < points[r.from_rating]))
    worse = int(sum(r.n for r in df.itertuples() if points[r.to_rating] > points[r.from_rating]))
    total = int(df["n"].sum())
    alt = (
        f"Transition matrix of {total} pairs of consecutive inspections: {better} improved, "
        f"{worse} declined, {total - better - worse} unchanged."
    )
    return layout(fig, title=title, alt=alt, height=380)

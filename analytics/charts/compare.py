"""The comparison of 2 to 6 units: every overall rating of each on one shared time axis."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from analytics.charts.common import FigureSpec, empty, layout, wrap
from analytics.vocab import RATING_COLOURS, RATING_NAMES

TITLE = "Overall rating at each inspection, units side by side"
LABEL_CHARS = 34  # a row label's line


def compare_chart(history: pd.DataFrame, labels: list[str]) -> go.Figure:
    """Each unit a row, each inspection a dot in its rating's colour (from ``compare_history``).

    Parameters
    ----------
    history : pandas.DataFrame
        The output of ``compare_history``.
    labels : list of str
        Each compared unit's label, in the order compared (units without an inspection in the
        period keep their row, empty).
    """
    if history.empty:
        return empty(TITLE, "None of these units has an inspection in the selected period.")
    # Plotly reads tags in text: names from an import are shown, never parsed. Long names wrap
    # (the longest CRC's took half an exported image's width in one line).
    rows = [wrap(html.escape(label, quote=False), LABEL_CHARS) for label in labels]
    history = history.assign(row=[rows[p - 1] for p in history["position"]])
    # a unit's consecutive labels alternate above and below its dots: two inspections a few
    # months apart wrote "Requires improvement" over each other
    order = history.sort_values("published_date").groupby("position").cumcount()
    history = history.assign(
        label_at=order.map(lambda k: "top center" if k % 2 == 0 else "bottom center")
    )
    fig = FigureSpec()
    # legend entries only: each rating in its colour, and what a hollow dot means
    for rating in RATING_NAMES:
        fig.add_scatter(
            x=[None], y=[None], mode="markers", name=rating, legendgroup=rating,
            marker={"size": 12, "color": RATING_COLOURS[rating]},
        )  # fmt: skip
    if (history["date_basis"] != "stated").any():
        fig.add_scatter(
            x=[None], y=[None], mode="markers", name="Approximate date",
            marker={"size": 12, "symbol": "circle-open", "color": "#555555", "line": {"width": 3}},
        )  # fmt: skip
    for label in rows:
        part = history[history["row"] == label]
        fig.add_scatter(
            x=part["published_date"],
            y=part["row"],
            mode="lines",
            line={"color": "#bbbbbb", "width": 1},
            showlegend=False,
            hoverinfo="skip",
        )
    for rating in RATING_NAMES:
        for approximate in (False, True):
            part = history[
                (history["rating"] == rating) & ((history["date_basis"] != "stated") == approximate)
            ]
            if part.empty:
                continue
            fig.add_scatter(
                x=part["published_date"],
                y=part["row"],
                mode="markers+text",
                text=part["rating"],
                textposition=part["label_at"].tolist(),
                textfont={"size": 11},
                name=rating,
                legendgroup=rating,
                showlegend=False,
                marker={
                    "size": 14,
                    "symbol": "circle-open" if approximate else "circle",
                    "line": {"width": 3, "color": RATING_COLOURS[rating]},
                    "color": RATING_COLOURS[rating],
                },
                customdata=part[["row", "published", "rating"]].to_numpy(),
                hovertemplate="%{customdata[0]}<br>%{customdata[1]}"
                + (" (approximate)" if approximate else "")
                + ": %{customdata[2]}<extra></extra>",
            )
    dates = history["published_date"]
    year = pd.Timedelta(days=365)
    fig.update_xaxes(
        title="Published",
        type="date",
        tickformat="%Y",
        tick0="2000-01-01",
        dtick="M12",
        # most of a year either side: the first and last labels ("Requires improvement") are
        # centred on their points and would be cut at the plot's edge
        range=[dates.min() - year * 0.8, dates.max() + year * 0.8],
    )
    fig.update_yaxes(
        type="category",
        categoryorder="array",
        categoryarray=rows[::-1],  # the first unit named on top
        range=[-0.6, len(rows) - 0.3],
        title=None,
        gridcolor="#e5e5e5",
    )
    steps = "; ".join(
        f"{label}: "
        + (
            ", ".join(f"{r.published} {r.rating}" for r in part.itertuples())
            if len(part := history[history["position"] == i + 1])
            else "no inspection in the period"
        )
        for i, label in enumerate(labels)
    )
    alt = f"Overall ratings of {len(labels)} units over time. {steps}."
    return layout(fig, title=TITLE, alt=alt, height=160 + 60 * len(rows))

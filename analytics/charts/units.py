"""Charts of one unit: its ratings over time, and it against its region and the country."""

from __future__ import annotations

import html

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


def unit_timeline_chart(df: pd.DataFrame, *, unit_label: str) -> go.Figure:
    """A unit's overall ratings over time (from ``unit_history``); approximate dates hollow."""
    # Plotly reads tags in text (<b>, <a href>): a unit name from an import is shown, not parsed.
    title = f"{html.escape(unit_label, quote=False)}: overall rating at each inspection"
    overall = df[df["item"] == "Overall"]
    if overall.empty:
        return empty(title, "No inspections of this unit in the selected period.")
    fig = FigureSpec()
    # legend entries only, in grey: a marker in the legend takes its trace's first point's
    # colour, and a red "stated date" read as "stated dates are the Inadequate ones"
    stated = overall["date_basis"].eq("stated")
    for name, symbol, shown in (
        ("Stated date", "circle", stated.any()),
        ("Approximate date", "circle-open", not stated.all()),
    ):
        if shown:
            fig.add_scatter(
                x=[None], y=[None], mode="markers", name=name,
                marker={"size": 12, "symbol": symbol, "color": "#555555", "line": {"width": 3}},
            )  # fmt: skip
    # consecutive labels alternate above and below their dots: two inspections a few months
    # apart wrote "Outstanding" over each other
    overall = overall.sort_values("published_date")
    label_at = ["top center" if k % 2 == 0 else "bottom center" for k in range(len(overall))]
    overall = overall.assign(label_at=label_at)
    for approximate, symbol in ((False, "circle"), (True, "circle-open")):
        part = overall[(overall["date_basis"] != "stated") == approximate]
        if part.empty:
            continue
        fig.add_scatter(
            x=part["published_date"],
            y=part["points"],
            mode="markers+text",
            text=part["rating"],
            textposition=part["label_at"].tolist(),
            marker={
                "size": 16,
                "symbol": symbol,
                "line": {"width": 3},
                "color": [RATING_COLOURS[r] for r in part["rating"]],
            },
            name="approximate date" if approximate else "stated date",
            showlegend=False,
            customdata=part[["published", "rating"]].to_numpy(),
            hovertemplate="%{customdata[0]}: %{customdata[1]}<extra></extra>",
        )
    fig.add_scatter(
        x=overall["published_date"],
        y=overall["points"],
        mode="lines",
        line={"color": "#999999", "width": 1},
        showlegend=False,
        hoverinfo="skip",
    )
    fig.update_yaxes(
        range=[-0.5, 3.6],
        tickvals=[0, 1, 2, 3],
        ticktext=["Inadequate", "Requires improvement", "Good", "Outstanding"],
    )
    dates = overall["published_date"]
    year = pd.Timedelta(days=365)
    span_years = (dates.max() - dates.min()).days / 365 + 2
    fig.update_xaxes(
        title="Published",
        type="date",
        tickformat="%Y",
        # Ticks on 1 January only: left to itself, Plotly ticks a short span by the quarter and
        # the year labels repeat ("2022 2022 2022 2022").
        tick0="2000-01-01",
        dtick="M12" if span_years <= 12 else "M24",
        range=[dates.min() - year, dates.max() + year],
    )
    steps = ", ".join(f"{r.published} {r.rating}" for r in overall.itertuples())
    alt = f"Timeline of {unit_label}'s overall ratings: {steps}."
    return layout(fig, title=title, alt=alt, height=340)


def unit_benchmark_chart(df: pd.DataFrame, *, unit_label: str, unit_type: str) -> go.Figure:
    """The unit's latest ratings beside its region and the country (output of ``unit_benchmark``).

    One row per item; for each item, three stacked bars (unit, region, national) of rating shares.
    Each row says what it counts: the unit's latest inspection; every inspection (or standard
    rating) of a unit of its type in the period for the region and the country.
    """
    title = f"{html.escape(unit_label, quote=False)} against its region and England and Wales"
    if df.empty:
        return empty(title, "This unit has no inspection in the selected period.")
    scope_names = df.drop_duplicates("scope").set_index("scope")["scope_name"]
    region = str(scope_names.get("region", ""))
    # short row labels, the count on a second line: on a phone, "Overall · Region: Yorkshire and
    # the Humber (14 PDU inspections)" ran off the chart's left edge; the region is named in the
    # text beneath and on hover
    label = {"unit": "This unit (latest)", "region": "Region", "national": "England and Wales"}
    named = {"unit": "this unit (latest)", "region": region, "national": "England and Wales"}
    # the peers' rows carry their count and what it counts: a region's share of 2 ratings is not
    # one of 40, and 9 PDU inspections are not the region's 10 of every type
    count = df["ratings"].astype("int64").astype(str)
    noun = df["item"].eq("Overall").map({True: "inspections", False: "ratings"})
    kind = html.escape(unit_type, quote=False)
    df = df.assign(
        row=df["item"]
        + " · "
        + df["scope"].map(label)
        + ("<br>(" + count + f" {kind} " + noun + ")").where(df["scope"] != "unit", ""),
        who=df["scope"].map(named).map(lambda s: html.escape(s, quote=False)),
    )
    rows = df["row"].drop_duplicates().tolist()
    fig = rating_legend(small=bool(df["small_count"].any()), orientation="h")
    for rating in RATING_NAMES:
        part = df[df["rating"] == rating].set_index("row").loc[rows].reset_index()
        fig.add_bar(
            y=part["row"],
            x=part["share"],
            orientation="h",
            name=rating,
            legendgroup=rating,
            showlegend=False,
            marker=small_marker(RATING_COLOURS[rating], part["small_count"]),
            customdata=part[["n", "mean_points", "item", "who"]].to_numpy(),
            hovertemplate="%{customdata[2]} · %{customdata[3]}<br>" + rating + ": "
            "%{customdata[0]} (%{x:.0%}); mean points %{customdata[1]:.2f}<extra></extra>",
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title="Share of ratings", tickformat=".0%", range=[0, 1])
    fig.update_yaxes(autorange="reversed", title=None, gridcolor="rgba(0,0,0,0)")
    overall = (
        df[(df["item"] == "Overall")].drop_duplicates("scope").set_index("scope")["mean_points"]
    )
    alt = (
        f"{unit_label}'s latest ratings beside the same ratings in its region and nationally. "
        "Overall mean points: "
        + ", ".join(f"{named[s]} {overall[s]:.2f}" for s in overall.index)
        + f". Its region ({region}) and England and Wales count every inspection of a "
        f"{unit_type} in the period, earlier ones included."
    )
    small = df.loc[df["small_count"], "row"].drop_duplicates().tolist()
    note = small_note(small, noun="row")
    fig = layout(fig, title=title, alt=alt, height=max(260, 80 + 34 * len(rows)), note=note)
    # the rows say "Region": the line naming the unit in a downloaded image names it too
    if region:
        fig.layout.meta["selection"] = f"{unit_label}, in {region}"
    return fig

"""Plotly figure builders: a tidy DataFrame in, a ``go.Figure`` out. No Streamlit here.

Every figure uses the one rating order and palette from analytics/vocab.py, names each rating in
its legend and hover text (colour is never the only cue), and carries a short alt text in
``fig.layout.meta["alt"]`` for the page to show beside it.
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from analytics.vocab import RATING_COLOURS, RATING_NAMES

FONT = "Arial, Helvetica, sans-serif"


def _layout(fig: go.Figure, *, title: str, alt: str, height: int = 420) -> go.Figure:
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


def _pct(value: float) -> str:
    return "n/a" if pd.isna(value) else f"{value:.0%}"


def _empty(title: str, message: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, title=title, alt=message, height=200)


def ratings_by_region(df: pd.DataFrame, *, as_share: bool = True) -> go.Figure:
    """Horizontal stacked bars of overall ratings per region (output of distribution by region).

    Units without a region (CRCs, NPS divisions, national inspections) are left out: the chart is
    about the 12 regions. Clicking a segment selects that region (customdata[0]) and rating.
    """
    title = "Overall ratings by region"
    df = df[df["region"].notna()]
    if df.empty:
        return _empty(title, "No inspections of units in a region match the filters.")
    value = "share" if as_share else "n"
    # Worst first at the top: regions ordered by their share rated Inadequate.
    inadequate = df[df["rating"] == "Inadequate"].set_index("region")["share"]
    order = inadequate.sort_values(ascending=True, kind="stable").index.tolist()
    fig = go.Figure()
    for rating in RATING_NAMES:
        part = df[df["rating"] == rating].set_index("region").loc[order].reset_index()
        fig.add_bar(
            y=part["region"],
            x=part[value],
            orientation="h",
            name=rating,
            marker_color=RATING_COLOURS[rating],
            customdata=part[["region", "n", "share"]].assign(rating=rating).to_numpy(),
            hovertemplate="%{customdata[0]}<br>"
            + rating
            + ": %{customdata[1]} inspections (%{customdata[2]:.0%})<extra></extra>",
        )
    totals = df.groupby("region")["n"].sum()
    worst = inadequate.idxmax()
    alt = (
        f"Stacked bar chart of overall ratings in {len(order)} "
        f"region{'s' if len(order) != 1 else ''}, {int(totals.sum())} "
        f"inspections. Highest share rated Inadequate: {worst} ({_pct(inadequate[worst])} of "
        f"{int(totals[worst])})."
    )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(
        title="Share of the region's inspections" if as_share else "Inspections",
        tickformat=".0%" if as_share else ",d",
    )
    fig.update_yaxes(title=None, gridcolor="rgba(0,0,0,0)")
    return _layout(fig, title=title, alt=alt, height=max(300, 60 + 32 * len(order)))


def region_tile_map(df: pd.DataFrame, *, measure: str, measure_label: str) -> go.Figure:
    """The 12 regions as tiles laid out by tile_row/tile_col, coloured by ``measure``.

    ``df`` is the output of ``region_summary``. A region with no selected inspection is a blank
    tile saying "no inspections"; each tile shows its value and n. Clicking a tile selects its
    region (customdata[0]).
    """
    is_share = measure.startswith("share")
    rows, cols = int(df["tile_row"].max()) + 1, int(df["tile_col"].max()) + 1
    z = [[None] * cols for _ in range(rows)]
    text = [[""] * cols for _ in range(rows)]
    custom = [[["", None, 0]] * cols for _ in range(rows)]
    fmt = _pct if is_share else (lambda v: f"{v:.2f}")
    for r in df.itertuples():
        value = getattr(r, measure)
        known = r.inspections > 0 and pd.notna(value)
        z[r.tile_row][r.tile_col] = value if known else None
        text[r.tile_row][r.tile_col] = f"<b>{_wrap(r.region)}</b><br>" + (
            f"{fmt(value)}<br>n = {r.inspections}" if known else "no inspections"
        )
        custom[r.tile_row][r.tile_col] = [r.region, value if known else None, r.inspections]
    good, bad = RATING_COLOURS["Outstanding"], RATING_COLOURS["Inadequate"]
    # Dark red always means worse, whichever way the measure runs.
    ends = (good, bad) if measure == "share_inadequate" else (bad, good)
    fig = go.Figure(
        go.Heatmap(
            z=z,
            text=text,
            texttemplate="%{text}",
            textfont={"size": 11},
            customdata=custom,
            colorscale=[[0, ends[0]], [0.5, "#f7f7f7"], [1, ends[1]]],
            zmin=0,
            zmax=3 if measure == "mean_points" else 1,
            xgap=4,
            ygap=4,
            hoverongaps=False,
            colorbar={
                "title": {"text": measure_label, "side": "right"},
                "tickformat": ".0%" if is_share else ".1f",
                "thickness": 12,
            },
            hovertemplate="%{customdata[0]}<br>"
            + measure_label
            + (": %{customdata[1]:.0%}" if is_share else ": %{customdata[1]:.2f}")
            + "<br>n = %{customdata[2]}<extra></extra>",
        )
    )
    # Regions without inspections: outlined empty tiles, so the map keeps its shape.
    for r in df[~(df["inspections"] > 0)].itertuples():
        fig.add_shape(
            type="rect",
            x0=r.tile_col - 0.48,
            x1=r.tile_col + 0.48,
            y0=r.tile_row - 0.48,
            y1=r.tile_row + 0.48,
            line={"color": "#bdbdbd", "width": 1},
        )
        fig.add_annotation(
            x=r.tile_col,
            y=r.tile_row,
            showarrow=False,
            text=f"<b>{_wrap(r.region)}</b><br>no inspections",
            font={"size": 11, "color": "#737373"},
        )
    fig.update_xaxes(visible=False, range=[-0.5, cols - 0.5])
    fig.update_yaxes(visible=False, range=[rows - 0.5, -0.5])
    shown = df[(df["inspections"] > 0) & df[measure].notna()]
    if shown.empty:
        alt = "Tile map of the 12 probation regions: no inspections selected."
    else:
        best_first = measure != "share_inadequate"
        ranked = shown.sort_values(measure, ascending=not best_first, kind="stable")
        best, worst = ranked.iloc[0], ranked.iloc[-1]
        alt = (
            f"Tile map of the 12 probation regions coloured by {measure_label.lower()}; "
            f"{len(shown)} {'has' if len(shown) == 1 else 'have'} selected inspections. "
            f"Best: {best.region} ({fmt(best[measure])}); "
            f"worst: {worst.region} ({fmt(worst[measure])})."
        )
    return _layout(fig, title=f"Regions: {measure_label}", alt=alt, height=470)


def _wrap(name: str, width: int = 12) -> str:
    words, lines, line = name.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(lines)


def rating_trend_chart(
    df: pd.DataFrame, events: pd.DataFrame, *, as_share: bool = True, freq: str = "year"
) -> go.Figure:
    """Stacked bars of rating shares (or counts) per period, mean points as a line on the right.

    Dated events are drawn as labelled vertical lines. ``df`` is the output of ``rating_trend``.
    """
    title = f"Overall ratings by {freq}"
    if df.empty:
        return _empty(title, "No inspections match the filters.")
    value = "share" if as_share else "n"
    fig = go.Figure()
    width_days = 300 if freq == "year" else 75
    for rating in RATING_NAMES:
        part = df[df["rating"] == rating]
        fig.add_bar(
            x=part["period_start"] + pd.Timedelta(days=width_days // 2 + 15),
            y=part[value],
            width=width_days * 24 * 3600 * 1000,
            name=rating,
            marker_color=RATING_COLOURS[rating],
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
        marker={"symbol": "diamond", "size": 8},
        customdata=periods[["period", "inspections"]].to_numpy(),
        hovertemplate="%{customdata[0]}: mean %{y:.2f} points over %{customdata[1]} "
        "inspections<extra></extra>",
    )
    if as_share:
        # How many inspections each bar stands on: a 100% bar of one inspection is not a trend.
        fig.add_scatter(
            x=periods["period_start"] + pd.Timedelta(days=width_days // 2 + 15),
            y=[1.0] * len(periods),
            mode="text",
            text=[f"n={n}" for n in periods["inspections"]],
            textposition="top center",
            textfont={"size": 10, "color": "#444444"},
            showlegend=False,
            hoverinfo="skip",
        )
    # Events are numbered on the chart and listed in full beside it: long labels would cover bars.
    span_end = periods["period_start"].max() + pd.Timedelta(days=366 if freq == "year" else 92)
    for number, event in enumerate(events.itertuples(), start=1):
        if not periods["period_start"].min() <= event.event_date <= span_end:
            continue  # outside the bars: drawing it would only squeeze them
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
            "title": "Mean points",
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
    fig.update_xaxes(
        title=None, type="date", tickvals=centres[::every], ticktext=periods["period"][::every]
    )

    if as_share:
        fig.update_yaxes(range=[0, 1.08], selector={"overlaying": None})
    first, last = periods.iloc[0], periods.iloc[-1]
    inadequate = df[df["rating"] == "Inadequate"]
    worst = inadequate.loc[inadequate["share"].idxmax()]
    alt = (
        f"Ratings by {freq} from {first.period} to {last.period}: mean points went from "
        f"{first.mean_points:.2f} to {last.mean_points:.2f}; the highest share rated Inadequate "
        f"was {worst.share:.0%} in {worst.period}."
    )
    fig = _layout(fig, title=title, alt=alt, height=480)
    fig.update_layout(legend={"yanchor": "top", "y": -0.12}, margin={"t": 60, "b": 70})
    return fig


def standards_chart(df: pd.DataFrame) -> go.Figure:
    """Spread of ratings for each standard (output of ``standard_breakdown``), as shares of known.

    Each bar is labelled with how many inspections have that standard known; standards never
    known in the selection are listed as "not known" rather than drawn as zero.
    """
    title = "Ratings by standard (share of inspections where the standard is known)"
    known = df[df["known"] > 0]
    if known.empty:
        return _empty(title, "No standard-level ratings are known for the selected inspections.")
    standards = known["standard"].drop_duplicates().tolist()
    labels = {
        s: f"{s} (n={int(known.loc[known['standard'] == s, 'known'].iloc[0])})" for s in standards
    }
    fig = go.Figure()
    for rating in RATING_NAMES:
        part = known[known["rating"] == rating]
        fig.add_bar(
            y=part["standard"].map(labels),
            x=part["share"],
            orientation="h",
            name=rating,
            marker_color=RATING_COLOURS[rating],
            customdata=part[["standard", "n", "known", "domain"]].to_numpy(),
            hovertemplate="%{customdata[0]} (%{customdata[3]})<br>"
            + rating
            + ": %{customdata[1]} of %{customdata[2]} (%{x:.0%})<extra></extra>",
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(
        title="Share of inspections with the standard known", tickformat=".0%", range=[0, 1]
    )
    fig.update_yaxes(autorange="reversed", title=None, gridcolor="rgba(0,0,0,0)")
    per_standard = known.drop_duplicates("standard").set_index("standard")
    weakest = per_standard["share_good_or_better"].idxmin()
    alt = (
        f"Stacked bars of ratings for {len(standards)} standards with known ratings. Lowest "
        f"share Good or better: {weakest} "
        f"({_pct(per_standard.loc[weakest, 'share_good_or_better'])} "
        f"of {int(per_standard.loc[weakest, 'known'])})."
    )
    return _layout(fig, title=title, alt=alt, height=max(280, 90 + 34 * len(standards)))


def region_standard_heatmap(df: pd.DataFrame) -> go.Figure:
    """Region x standard mean points (output of ``region_standard_matrix``), n in each cell.

    Cells with no known rating stay blank (unknown, not zero).
    """
    title = "Mean points by region and standard (3 = Outstanding, 0 = Inadequate)"
    if df["n"].sum() == 0:
        return _empty(
            title, "No standard-level ratings are known for regional units in the selection."
        )
    standards = df["standard"].drop_duplicates().tolist()
    regions = df["region"].drop_duplicates().tolist()
    grid = df.pivot(index="region", columns="standard", values="mean_points").loc[
        regions, standards
    ]
    counts = df.pivot(index="region", columns="standard", values="n").loc[regions, standards]
    text = [
        [("" if n == 0 else f"{m:.1f}<br>n={int(n)}") for m, n in zip(mrow, nrow, strict=True)]
        for mrow, nrow in zip(grid.to_numpy(), counts.to_numpy(), strict=True)
    ]
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(),
            x=standards,
            y=regions,
            text=text,
            texttemplate="%{text}",
            zmin=0,
            zmax=3,
            colorscale=[
                [0, RATING_COLOURS["Inadequate"]],
                [1 / 3, RATING_COLOURS["Requires improvement"]],
                [2 / 3, RATING_COLOURS["Good"]],
                [1, RATING_COLOURS["Outstanding"]],
            ],
            colorbar={
                "title": {"text": "Mean points"},
                "tickvals": [0, 1, 2, 3],
                "ticktext": ["0 Inadequate", "1 Requires improvement", "2 Good", "3 Outstanding"],
            },
            hovertemplate="%{y}, %{x}: %{text}<extra></extra>",
            hoverongaps=False,
        )
    )
    fig.update_xaxes(tickangle=-30, side="bottom")
    fig.update_yaxes(autorange="reversed")
    filled = int((counts.to_numpy() > 0).sum())
    alt = (
        f"Heatmap of mean points for {len(regions)} regions by {len(standards)} standards; "
        f"{filled} of {grid.size} cells have at least one known rating, the rest are blank."
    )
    return _layout(fig, title=title, alt=alt, height=max(320, 140 + 34 * len(regions)))


def unit_timeline(df: pd.DataFrame, *, unit_label: str) -> go.Figure:
    """A unit's overall ratings over time (from ``unit_history``); approximate dates hollow."""
    # Plotly reads tags in text (<b>, <a href>): a unit name from an import is shown, not parsed.
    title = f"{html.escape(unit_label, quote=False)}: overall rating at each inspection"
    overall = df[df["item"] == "Overall"]
    if overall.empty:
        return _empty(title, "No inspections of this unit in the selected period.")
    fig = go.Figure()
    for approximate, symbol in ((False, "circle"), (True, "circle-open")):
        part = overall[(overall["date_basis"] != "stated") == approximate]
        if part.empty:
            continue
        fig.add_scatter(
            x=part["published_date"],
            y=part["points"],
            mode="markers+text",
            text=part["rating"],
            textposition="top center",
            marker={
                "size": 16,
                "symbol": symbol,
                "line": {"width": 3},
                "color": [RATING_COLOURS[r] for r in part["rating"]],
            },
            name="approximate date" if approximate else "stated date",
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
    return _layout(fig, title=title, alt=alt, height=340)


def unit_benchmark_chart(df: pd.DataFrame, *, unit_label: str) -> go.Figure:
    """The unit's latest ratings beside its region and the country (output of ``unit_benchmark``).

    One row per item; for each item, three stacked bars (unit, region, national) of rating shares.
    """
    title = f"{html.escape(unit_label, quote=False)} against its region and England and Wales"
    if df.empty:
        return _empty(title, "This unit has no inspection in the selected period.")
    scope_names = df.drop_duplicates("scope").set_index("scope")["scope_name"]
    label = {
        "unit": "This unit",
        "region": f"Region: {html.escape(str(scope_names.get('region', '')), quote=False)}",
        "national": "England and Wales",
    }
    df = df.assign(row=df["item"] + " · " + df["scope"].map(label))
    rows = df["row"].drop_duplicates().tolist()
    fig = go.Figure()
    for rating in RATING_NAMES:
        part = df[df["rating"] == rating].set_index("row").loc[rows].reset_index()
        fig.add_bar(
            y=part["row"],
            x=part["share"],
            orientation="h",
            name=rating,
            marker_color=RATING_COLOURS[rating],
            customdata=part[["n", "mean_points"]].to_numpy(),
            hovertemplate="%{y}<br>" + rating + ": %{customdata[0]} (%{x:.0%}); mean points "
            "%{customdata[1]:.2f}<extra></extra>",
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
        + ", ".join(f"{label[s]} {overall[s]:.2f}" for s in overall.index)
        + "."
    )
    return _layout(fig, title=title, alt=alt, height=max(260, 80 + 28 * len(rows)))


def transitions_heatmap(df: pd.DataFrame) -> go.Figure:
    """Counts of transitions between consecutive inspections (output of ``rating_changes``)."""
    title = "Rating at the previous inspection (rows) and the next one (columns)"
    if df["n"].sum() == 0:
        return _empty(title, "No unit in the selection has a previous inspection to compare.")
    grid = df.pivot(index="from_rating", columns="to_rating", values="n").loc[
        list(RATING_NAMES), list(RATING_NAMES)
    ]
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(),
            x=list(RATING_NAMES),
            y=list(RATING_NAMES),
            text=grid.to_numpy(),
            texttemplate="%{text}",
            colorscale=[[0, "#ffffff"], [1, "#525252"]],
            showscale=False,
            hovertemplate="from %{y} to %{x}: %{z}<extra></extra>",
        )
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
    return _layout(fig, title=title, alt=alt, height=380)


def rating_distribution_bar(df: pd.DataFrame) -> go.Figure:
    """One horizontal bar of the selected inspections split by overall rating.

    ``df`` is the output of ``rating_distribution`` without grouping. Clicking a segment selects
    its rating (customdata[0]).
    """
    title = "Overall ratings of the selected inspections"
    total = int(df["n"].sum())
    if total == 0:
        return _empty(title, "No inspections match the filters.")
    fig = go.Figure()
    for row in df.itertuples():
        fig.add_bar(
            y=["All selected"],
            x=[row.share],
            orientation="h",
            name=row.rating,
            marker_color=RATING_COLOURS[row.rating],
            text=[f"{row.rating}: {row.n} ({row.share:.0%})" if row.share >= 0.12 else ""],
            textposition="inside",
            insidetextanchor="middle",
            customdata=[[row.rating, row.n]],
            hovertemplate=f"{row.rating}: %{{customdata[1]}} of {total} (%{{x:.0%}})"
            "<extra></extra>",
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(tickformat=".0%", range=[0, 1], title=None)
    fig.update_yaxes(visible=False)
    alt = (
        f"Overall ratings of {total} selected inspections: "
        + ", ".join(f"{r.rating} {r.n} ({r.share:.0%})" for r in df.itertuples())
        + "."
    )
    return _layout(fig, title=title, alt=alt, height=200)

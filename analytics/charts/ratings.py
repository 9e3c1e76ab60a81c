"""Charts of overall ratings: the distribution, by region, the regions map."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics.analyses.breakdowns import Measure
from analytics.analyses.summary import regions_sentence
from analytics.charts.common import (
    FigureSpec,
    cell_text,
    empty,
    faded_heatmap,
    layout,
    rating_legend,
    small_marker,
    small_note,
    wrap,
)
from analytics.formats import percent
from analytics.vocab import RATING_COLOURS, RATING_NAMES


def ratings_chart(df: pd.DataFrame) -> go.Figure:
    """One horizontal bar of the selected inspections split by overall rating.

    ``df`` is the output of ``rating_distribution`` without grouping. Clicking a segment selects
    its rating (customdata[0]).
    """
    title = "Overall ratings of the selected inspections"
    total = int(df["n"].sum())
    if total == 0:
        return empty(title, "No inspections match the filters.")
    # one bar, faded whole or not at all: its legend symbols are faithful as they are
    fig = FigureSpec()
    for row in df.itertuples():
        fig.add_bar(
            y=["All selected"],
            x=[row.share],
            orientation="h",
            name=row.rating,
            marker=small_marker(RATING_COLOURS[row.rating], [row.small_count]),
            text=[f"{row.rating}: {row.n} ({row.share:.0%})" if row.share >= 0.12 else ""],
            textposition="inside",
            insidetextanchor="middle",
            # on a faded bar, white text would be too faint: black keeps it readable
            insidetextfont={"color": "#000000"} if row.small_count else None,
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
    note = small_note(["the whole bar"] if df["small_count"].any() else [], noun="bar")
    return layout(fig, title=title, alt=alt, height=200, note=note)


NOT_SELECTED_OPACITY = 0.3  # a region not selected, shown for comparison
# What a region's n counts, said by both region charts: not the unit benchmark's PDUs alone.
REGION_COUNT = (
    "A region's n counts every inspection in the period of a unit in it, of any type (its PDUs "
    "and the region itself), a unit's earlier inspections included."
)


def ratings_by_region_chart(
    df: pd.DataFrame, *, every: pd.DataFrame, as_share: bool = True
) -> go.Figure:
    """Horizontal stacked bars of overall ratings per region (output of distribution by region).

    Units without a region (CRCs, NPS divisions, national inspections) are left out: the chart is
    about the 12 regions. Clicking a segment selects that region (customdata[0]) and rating.
    ``every`` is ``region_summary`` of all regions under the same filters: the regions without
    inspections in the period keep a row at the foot, saying so, and the text alternative names
    the highest and lowest share Inadequate by the summary's rule.
    """
    title = "Overall ratings by region"
    df = df[df["region"].notna()]
    if "selected" not in df.columns:
        df = df.assign(selected=True)
    if not df["selected"].any():
        return empty(title, "No inspections of units in a region match the filters.")
    value = "share" if as_share else "n"
    # The selected regions on top, worst first (by share rated Inadequate); the others beneath,
    # faint, for comparison (Plotly draws the first category at the bottom).
    inadequate = df[df["rating"] == "Inadequate"].set_index("region")["share"]
    picked = set(df.loc[df["selected"], "region"])
    ranked = inadequate.sort_values(ascending=True, kind="stable").index.tolist()
    order = [r for r in ranked if r not in picked] + [r for r in ranked if r in picked]
    totals = df.groupby("region")["n"].sum()
    # each region's bar is labelled with its count: a share of 2 inspections is not one of 14
    # one line each: on a phone, longer labels left the bars a fifth of the width; the regions
    # not selected are said once, by a line and a heading above them
    labels = {r: f"{r} (n={int(totals[r])})" for r in order}
    fig = rating_legend(small=bool(df["small_count"].any()), orientation="h")
    # plain rows: a few dozen, where pandas' cost per operation made this chart 30 ms
    cell = {(r["region"], r["rating"]): r for r in df.to_dict("records")}
    for rating in RATING_NAMES:
        for chosen in (True, False):
            part = [r for r in (cell[g, rating] for g in order) if r["selected"] == chosen]
            if not part:
                continue
            fig.add_bar(
                y=[labels[r["region"]] for r in part],
                x=[r[value] for r in part],
                orientation="h",
                name=rating,
                legendgroup=rating,
                showlegend=False,
                marker=small_marker(RATING_COLOURS[rating], [r["small_count"] for r in part]),
                # the regions not selected: the same colours, faint behind the selected
                opacity=1 if chosen else NOT_SELECTED_OPACITY,
                customdata=[[r["region"], r["n"], r["share"], rating] for r in part],
                hovertemplate="%{customdata[0]}<br>"
                + rating
                + ": %{customdata[1]} inspections (%{customdata[2]:.0%})<extra></extra>",
            )
    shown = [r for r in order if r in picked]
    counted = int(totals[shown].sum())
    if len(shown) == 1:  # no superlative drawn from one region
        one = shown[0]
        said = f"{one}: {percent(inadequate[one])} rated Inadequate (of {int(totals[one])})."
    else:
        said = regions_sentence(every[every["region"].isin(picked)]) or ""
    without = every.loc[~(every["inspections"] > 0), "region"].tolist()
    others = len(order) - len(shown)
    absent_names = [r for r in without if r not in labels]
    sentences = [
        f"Stacked bar chart of overall ratings in {len(shown)} "
        f"region{'s' if len(shown) != 1 else ''}, {counted} "
        f"inspection{'s' if counted != 1 else ''}.",
        said,
        f"The {others} other region{'s' if others != 1 else ''} with inspections, not "
        "selected, are shown faint beneath for comparison."
        if others
        else "",
        f"No inspections in the period: {', '.join(absent_names)}." if absent_names else "",
        REGION_COUNT,
    ]
    alt = " ".join(s for s in sentences if s)
    fig.update_layout(barmode="stack")
    fig.update_xaxes(
        title="Share of inspections" if as_share else "Inspections",
        tickformat=".0%" if as_share else ",d",
    )
    absent = [f"{r} (no inspections)" for r in without if r not in labels]
    if absent:  # an empty bar holds each row, so the region is said, not dropped
        fig.add_bar(
            y=absent,
            x=[0] * len(absent),
            orientation="h",
            showlegend=False,
            hoverinfo="skip",
            marker={"color": "rgba(0,0,0,0)"},
        )
    # the bars' order, bottom to top, whatever trace draws a region first
    fig.update_yaxes(
        title=None,
        gridcolor="rgba(0,0,0,0)",
        categoryorder="array",
        categoryarray=absent[::-1] + [labels[r] for r in order],
    )
    if others:  # a rule between the selected regions and the others, with what it parts
        boundary = len(absent) + others - 0.5
        fig.add_shape(
            type="line",
            xref="paper",
            x0=0,  # over the bars only: the heading beside it is in the labels' margin
            x1=1,
            y0=boundary,
            y1=boundary,
            line={"color": "#595959", "width": 1, "dash": "dot"},
        )
        fig.add_annotation(
            xref="paper",
            x=0,
            xanchor="right",
            y=boundary,
            yanchor="middle",
            text="<i>Not selected, for comparison:</i>",
            showarrow=False,
            font={"size": 11, "color": "#595959"},
        )
    marked = set(df.loc[df["small_count"], "region"])
    small = [r for r in order if r in marked]
    note = small_note(small, noun="region")
    rows = len(order) + len(absent)
    # 36 px a row: on a phone the legend takes five lines of the height
    return layout(fig, title=title, alt=alt, height=max(360, 90 + 36 * rows), note=note)


def region_map_chart(df: pd.DataFrame, *, measure: str, named: Measure) -> go.Figure:
    """The 12 regions as tiles laid out by tile_row/tile_col, coloured by ``measure``.

    ``df`` is the output of ``region_summary``. A region with no selected inspection is a blank
    tile saying "no inspections"; each tile shows its value and n, and its hover the region
    (customdata[0]). A heatmap's cells cannot be selected, so the tiles do not filter on click.
    """
    is_share = measure.startswith("share")
    measure_label = named.label
    rows, cols = int(df["tile_row"].max()) + 1, int(df["tile_col"].max()) + 1
    z = [[None] * cols for _ in range(rows)]
    text = [[""] * cols for _ in range(rows)]
    custom = [[["", None, 0]] * cols for _ in range(rows)]
    small = [[False] * cols for _ in range(rows)]
    fmt = percent if is_share else (lambda v: f"{v:.2f}")
    # With regions selected, the others keep their tile and figure in grey, for comparison.
    chosen = df["selected"] if "selected" in df.columns else pd.Series(True, index=df.index)
    for r, picked in zip(df.itertuples(), chosen, strict=True):
        value = getattr(r, measure)
        known = r.inspections > 0 and pd.notna(value)
        z[r.tile_row][r.tile_col] = value if known and picked else None
        custom[r.tile_row][r.tile_col] = [r.region, value if known else None, r.inspections]
        if not picked:
            continue  # said by its annotation below
        if r.inspections > 0:  # a region without is said once, by its annotation below
            text[r.tile_row][r.tile_col] = f"<b>{wrap(r.region)}</b><br>" + (
                f"{fmt(value)}<br>n = {r.inspections}" if known else "no value"
            )
        small[r.tile_row][r.tile_col] = bool(known and r.small_count)
    good, bad = RATING_COLOURS["Outstanding"], RATING_COLOURS["Inadequate"]
    # Dark red always means worse, whichever way the measure runs.
    ends = (good, bad) if measure == "share_inadequate" else (bad, good)
    heatmap = dict(
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
    fig = FigureSpec(faded_heatmap(heatmap, small))
    marked = [(c, r) for r in range(rows) for c in range(cols) if small[r][c]]
    for c, r in marked:  # a dashed edge: a faded tile is not just a pale colour
        fig.add_shape(
            type="rect",
            x0=c - 0.47,
            x1=c + 0.47,
            y0=r - 0.47,
            y1=r + 0.47,
            line={"color": "#333333", "width": 1.5, "dash": "dash"},
        )
    if marked:
        fig.add_trace(
            cell_text(
                [c for c, _ in marked], [r for _, r in marked], [text[r][c] for c, r in marked], 11
            )
        )
    # Regions without inspections, and regions not selected: outlined tiles in grey, so the map
    # keeps its shape and a region's leader sees the others' figures beside their own.
    for r in df[~(df["inspections"] > 0) | ~chosen].itertuples():
        value = getattr(r, measure)
        said = (
            "no inspections"
            if not r.inspections > 0
            else f"{fmt(value)}, n = {r.inspections}<br>not selected"
            if pd.notna(value)
            else "not selected"
        )
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
            text=f"<b>{wrap(r.region)}</b><br>{said}",
            font={"size": 11, "color": "#595959"},
        )
    fig.update_xaxes(visible=False, range=[-0.5, cols - 0.5])
    fig.update_yaxes(visible=False, range=[rows - 0.5, -0.5])
    shown = df[(df["inspections"] > 0) & df[measure].notna() & chosen]
    others = df[(df["inspections"] > 0) & df[measure].notna() & ~chosen]
    compared = (
        f" The other regions, not selected, are in grey with their figures ({len(others)} with "
        "inspections)."
        if not chosen.all()
        else ""
    )
    if shown.empty:
        alt = "Tile map of the 12 probation regions: no inspections selected." + compared
    elif len(shown) == 1:  # no best and worst of one
        one = shown.iloc[0]
        alt = (
            f"Tile map of the 12 probation regions; {one.region} has selected inspections: "
            f"{named.words} {fmt(one[measure])} (n = {one.inspections})." + compared
        )
    else:
        alt = (
            f"Tile map of the 12 probation regions coloured by {named.words}; "
            f"{len(shown)} have selected inspections. "
            + (regions_sentence(shown, measure=measure, label=named.words) or "")
            + compared
        )
    if len(shown) or len(others):  # the tiles show an n
        alt = f"{alt} {REGION_COUNT}"
    note = small_note(
        shown.loc[shown["small_count"], "region"].tolist(),
        noun="region",
        mark="Faded tiles, dashed edges",
    )
    return layout(fig, title=f"Regions: {measure_label}", alt=alt, height=470, note=note)

"""Charts of the standards: ratings per standard, and mean points by region and standard."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics.analyses.summary import standards_sentence
from analytics.charts.common import (
    FigureSpec,
    cell_text,
    empty,
    faded_heatmap,
    layout,
    rating_legend,
    small_marker,
    small_note,
)
from analytics.vocab import RATING_COLOURS, RATING_NAMES


def standards_chart(df: pd.DataFrame) -> go.Figure:
    """Spread of ratings for each standard (output of ``standard_breakdown``), as shares of known.

    Each bar is labelled with how many inspections have that standard known; standards never
    known in the selection are listed as "not known" rather than drawn as zero.
    """
    title = "Ratings by standard (share of inspections where the standard is known)"
    known = df[df["known"] > 0]
    if known.empty:
        return empty(title, "No standard-level ratings are known for the selected inspections.")
    standards = known["standard"].drop_duplicates().tolist()
    labels = {
        s: f"{s} (n={int(known.loc[known['standard'] == s, 'known'].iloc[0])})" for s in standards
    }
    fig = rating_legend(small=bool(known["small_count"].any()), orientation="h")
    for rating in RATING_NAMES:
        part = known[known["rating"] == rating]
        fig.add_bar(
            y=part["standard"].map(labels),
            x=part["share"],
            orientation="h",
            name=rating,
            legendgroup=rating,
            showlegend=False,
            marker=small_marker(RATING_COLOURS[rating], part["small_count"]),
            customdata=part[["standard", "n", "known", "domain"]].to_numpy(),
            hovertemplate="%{customdata[0]} (%{customdata[3]})<br>"
            + rating
            + ": %{customdata[1]} of %{customdata[2]} (%{x:.0%})<extra></extra>",
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title="Share of known ratings", tickformat=".0%", range=[0, 1])
    fig.update_yaxes(autorange="reversed", title=None, gridcolor="rgba(0,0,0,0)")
    per_standard = known.drop_duplicates("standard").set_index("standard")
    # the weakest and strongest by the summary's one rule (small counts set aside), so the
    # caption, the paragraph and the report name the same standards
    ranked = standards_sentence(df)
    alt = f"Stacked bars of ratings for {len(standards)} standards with known ratings." + (
        f" {ranked}" if ranked else ""
    )
    small = per_standard.index[per_standard["small_count"]].tolist()
    note = small_note(small, noun="standard")
    height = max(280, 90 + 34 * len(standards))
    return layout(fig, title=title, alt=alt, height=height, note=note)


def region_standard_matrix_chart(df: pd.DataFrame) -> go.Figure:
    """Region x standard mean points (output of ``region_standard_matrix``), n in each cell.

    Cells with no known rating stay blank (unknown, not zero).
    """
    title = "Mean points by region and standard (3 = Outstanding, 0 = Inadequate)"
    if df["n"].sum() == 0:
        return empty(
            title, "No standard-level ratings are known for regional units in the selection."
        )
    standards = df["standard"].drop_duplicates().tolist()
    regions = df["region"].drop_duplicates().tolist()
    grid = df.pivot(index="region", columns="standard", values="mean_points").loc[
        regions, standards
    ]
    counts = df.pivot(index="region", columns="standard", values="n").loc[regions, standards]
    small = df.pivot(index="region", columns="standard", values="small_count").loc[
        regions, standards
    ]
    text = [
        [("" if n == 0 else f"{m:.1f}<br>n={int(n)}") for m, n in zip(mrow, nrow, strict=True)]
        for mrow, nrow in zip(grid.to_numpy(), counts.to_numpy(), strict=True)
    ]
    heatmap = dict(
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
    fig = FigureSpec(faded_heatmap(heatmap, small.to_numpy()))
    marked = [
        (standard, region, text[i][j])
        for i, region in enumerate(regions)
        for j, standard in enumerate(standards)
        if small.iloc[i, j]
    ]
    if marked:
        xs, ys, texts = zip(*marked, strict=True)
        fig.add_trace(cell_text(xs, ys, texts))
    fig.update_xaxes(tickangle=-30, side="bottom")
    fig.update_yaxes(autorange="reversed")
    filled = int((counts.to_numpy() > 0).sum())
    alt = (
        f"Heatmap of mean points for {len(regions)} regions by {len(standards)} standards; "
        f"{filled} of {grid.size} cells have at least one known rating, the rest are blank."
    )
    note = small_note([f"{s} in {r}" for s, r, _ in marked], noun="cell", mark="Faded cells")
    height = max(320, 140 + 34 * len(regions))
    return layout(fig, title=title, alt=alt, height=height, note=note)

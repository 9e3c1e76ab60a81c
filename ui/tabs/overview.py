"""The Overview tab."""

from __future__ import annotations

import streamlit as st

from analytics import breakdowns
from analytics.filters import Filters
from analytics.views import ViewOptions
from ui.components import league_rows, show_chart
from ui.data import Data
from ui.state import linked


def render(data: Data, filters: Filters) -> None:
    """Draw the Overview tab: ratings by region, the regions map, the distribution, the league."""
    gen = st.session_state["chart_gen"]
    left, right = st.columns([3, 2])
    with left:
        show_chart(
            data,
            filters,
            data.view("ratings-by-region", filters),
            f"chart_region_g{gen}",
            select=("f_region", 0),
        )
        st.caption("Click a region's bar to filter to that region.")
    with right:
        measure = st.selectbox(
            "Colour the regions by",
            tuple(breakdowns.REGION_MEASURES),
            format_func=lambda m: breakdowns.REGION_MEASURES[m],
            **linked("overview_measure"),
        )
        show_chart(
            data,
            filters,
            data.view("region-map", filters, ViewOptions(measure=measure or "mean_points")),
            # No click-to-filter here: Plotly cannot select a heatmap's cells, so a click on a
            # tile never reached Streamlit (the bars beside filter by region).
            f"chart_tiles_g{gen}",
        )
    show_chart(
        data,
        filters,
        data.view("ratings", filters),
        f"chart_ratings_g{gen}",
        select=("f_rating", 0),
    )
    st.caption("Click a rating to filter to it.")
    st.header("Latest rating of every unit")
    league_rows(data, filters, "latest_table")

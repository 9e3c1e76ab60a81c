"""The Overview tab."""

from __future__ import annotations

import streamlit as st

from analytics import breakdowns, charts
from analytics.filters import Filters
from ui.components import league_rows, show_chart
from ui.data import Data


def render(data: Data, filters: Filters) -> None:
    gen = st.session_state["chart_gen"]
    left, right = st.columns([3, 2])
    with left:
        by_region = data("distribution", filters, by="region")
        show_chart(
            data,
            filters,
            charts.ratings_by_region(by_region),
            f"chart_region_g{gen}",
            by_region,
            select=("f_region", 0),
        )
        st.caption("Click a region's bar to filter to that region.")
    with right:
        measure = st.selectbox(
            "Colour the regions by",
            list(breakdowns.REGION_MEASURES),
            format_func=breakdowns.REGION_MEASURES.get,
            key="overview_measure",
        )
        summary = data("region_summary", filters)
        fig = charts.region_tile_map(
            summary, measure=measure, measure_label=breakdowns.REGION_MEASURES[measure]
        )
        show_chart(
            data,
            filters,
            fig,
            f"chart_tiles_g{gen}",
            summary,
            select=("f_region", 0),
        )
        st.caption("Click a tile to filter to that region.")
    distribution = data("distribution", filters)
    show_chart(
        data,
        filters,
        charts.rating_distribution_bar(distribution),
        f"chart_ratings_g{gen}",
        distribution,
        select=("f_rating", 0),
    )
    st.caption("Click a rating to filter to it.")
    st.subheader("Latest rating of every unit")
    league_rows(data, filters, "latest_table")

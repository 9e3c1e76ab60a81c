"""The Overview tab."""

from __future__ import annotations

import streamlit as st

from analytics.analyses import breakdowns, viewspecs
from analytics.analyses.views import ViewOptions
from analytics.filter_fields import RATING, REGION
from analytics.filters import Filters
from ui.components import league_rows, show_chart, single_unit
from ui.data import Data
from ui.state import linked


def render(data: Data, filters: Filters) -> None:
    """Draw the Overview tab: ratings by region, the regions map, the distribution, the league."""
    gen = st.session_state["chart_gen"]
    unit = single_unit(data, filters, data(breakdowns.kpis, filters).iloc[0])
    if unit is not None:
        # one unit: itself against its region and the country, not one-bar region charts
        st.caption(
            "One unit is selected: here against its region and England and Wales; its "
            "inspections over time are on the Units tab."
        )
        about = ViewOptions(unit_type=unit.unit_type, unit_name=unit.unit_name)
        view = data.view(viewspecs.UNIT_BENCHMARK, filters, about)
        show_chart(data, filters, view, f"chart_overview_bench_g{gen}")
    else:
        regions(data, filters, gen)
    show_chart(
        data,
        filters,
        data.view(viewspecs.RATINGS, filters),
        f"chart_ratings_g{gen}",
        select=(RATING.widget, 0),
    )
    st.caption("Click a rating to filter to it.")
    st.header("Latest rating of every unit")
    league_rows(data, filters, "latest_table")


def regions(data: Data, filters: Filters, gen: int) -> None:
    """The regions chart and the tile map, side by side."""
    left, right = st.columns([3, 2])
    with left:
        show_chart(
            data,
            filters,
            data.view(viewspecs.RATINGS_BY_REGION, filters),
            f"chart_region_g{gen}",
            select=(REGION.widget, 0),
        )
        st.caption("Click a region's bar to filter to that region.")
    with right:
        measure = st.selectbox(
            "Colour the regions by",
            tuple(breakdowns.REGION_MEASURES),
            format_func=lambda m: breakdowns.REGION_MEASURES[m].label,
            **linked("overview_measure"),
        )
        show_chart(
            data,
            filters,
            data.view(viewspecs.REGION_MAP, filters, ViewOptions(measure=measure or "mean_points")),
            # No click-to-filter here: Plotly cannot select a heatmap's cells, so a click on a
            # tile never reached Streamlit (the bars beside filter by region).
            f"chart_tiles_g{gen}",
        )

"""The Domains tab."""

from __future__ import annotations

import streamlit as st

from analytics.analyses import breakdowns, viewspecs
from analytics.filters import Filters
from ui.components import downloads, show_chart
from ui.data import Data


def render(data: Data, filters: Filters) -> None:
    """Draw the Domains tab: ratings by standard, the region matrix and coverage."""
    gen = st.session_state["chart_gen"]
    standards = data.view(viewspecs.STANDARDS, filters)
    k = data(breakdowns.kpis, filters).iloc[0]
    coverage = data(breakdowns.coverage, filters)
    with_standards = int(coverage["with_standards"].sum()) if not coverage.empty else 0
    st.info(
        f"Standard ratings known for {with_standards} of {k.inspections} "
        f"inspection{'' if k.inspections == 1 else 's'}. HMIP prints "
        "them in report tables that could not all be read; a blank is unknown, never 'not rated'. "
        "Shares below are of the inspections where the standard is known (n on each bar)."
    )
    show_chart(data, filters, standards, f"chart_standards_g{gen}")
    not_known = (
        standards.table.loc[standards.table["known"] == 0, "standard"].drop_duplicates().tolist()
    )
    if not_known:
        st.caption("No rating known in this selection for: " + ", ".join(not_known) + ".")
    show_chart(
        data, filters, data.view(viewspecs.REGION_STANDARD_MATRIX, filters), f"chart_matrix_g{gen}"
    )
    st.markdown("**Coverage by type of service**")
    st.dataframe(
        coverage,
        hide_index=True,
        width="stretch",
        key="coverage_table",
        column_config={
            "unit_type": "Type",
            "inspections": "Inspections",
            "with_standards": "With standard ratings",
            "standard_ratings": "Standard ratings known",
            "approximate_dates": "Approximate dates",
        },
    )
    downloads(
        data, filters, "coverage_table", "coverage", "Data coverage by type of service", coverage
    )

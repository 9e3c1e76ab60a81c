"""The Trends tab."""

from __future__ import annotations

import streamlit as st

from analytics.analyses import trends, viewspecs
from analytics.analyses.views import ViewOptions
from analytics.filter_fields import PERIOD
from analytics.filters import Filters
from ui.components import EMPTY, show_chart
from ui.data import Data
from ui.state import linked
from ui.text import md_escape, md_link


def render(data: Data, filters: Filters) -> None:
    """Draw the Trends tab: ratings per year or quarter with the events numbered."""
    gen = st.session_state["chart_gen"]
    c1, c2 = st.columns(2)
    freq = c1.radio(
        "Period",
        ["year", "quarter"],
        **linked("trend_freq"),
        horizontal=True,
        format_func=str.capitalize,
    )
    as_share = (
        c2.radio("Show", ["Shares", "Counts"], **linked("trend_measure"), horizontal=True)
        == "Shares"
    )
    view = data.view(
        viewspecs.RATINGS_OVER_TIME, filters, ViewOptions(freq=freq, as_share=as_share)
    )
    events = data(trends.event_list, filters)
    excluded = data(trends.trend_excluded, filters, freq=freq)
    if view.table.empty:
        st.info(EMPTY)
    else:
        show_chart(data, filters, view, f"chart_trend_g{gen}", select=(PERIOD.widget, 0))
        st.caption("Click a bar to filter to that year.")
    if not excluded.empty:
        n = int(excluded["n"].sum())
        st.info(
            f"{n} inspection{'s' if n != 1 else ''} with year-only dates not shown by quarter "
            "(their sources give only the year); they are counted in the yearly view."
        )
    if not events.empty:
        st.markdown("**Events numbered on the chart**")
        lines = []
        for number, e in enumerate(events.itertuples(), start=1):
            link = f" ({md_link('source', e.source_url)})" if isinstance(e.source_url, str) else ""
            lines.append(f"{number}. {md_escape(e.date_text)}: {md_escape(e.event)}{link}")
        st.markdown("\n".join(lines))

"""The dashboard page: title, what the link asked for, the sidebar, the header and the tabs."""

from __future__ import annotations

import streamlit as st

from ui.boundary import boundary
from ui.data import open_database
from ui.header import header
from ui.sidebar import link_to_view, sidebar
from ui.state import TABS, init_state_from_url, show_link_problems, sync_url, undo_chart_filter
from ui.tabs import about, compare, domains, inspections, overview, trends, units
from ui.text import md_escape

TITLE = "Probation inspection ratings: England and Wales"


def render() -> None:
    """Draw the dashboard: title, sidebar filters, header and the open tab."""
    st.title(TITLE)
    data = open_database()
    vocab = data.vocabulary
    init_state_from_url(vocab)
    show_link_problems()
    filters = sidebar(data)
    sync_url(filters, vocab)
    if st.session_state.get("applied_from_chart"):
        c1, c2 = st.columns([5, 1])
        applied = md_escape(st.session_state["applied_from_chart"])
        c1.info(f"Filter applied from a chart click: {applied}.")
        c2.button("Undo", key="undo_chart", on_click=undo_chart_filter, width="stretch")
    header(data, filters)
    tabs = st.tabs(TABS, key="tab", bind="query-params")
    renderers = (overview, trends, domains, units, compare, inspections, about)
    for tab, module in zip(tabs, renderers, strict=True):
        # Only the open tab is drawn: a rerun computes one tab's charts, not six tabs'.
        if tab.open:
            with tab:
                module.render(data, filters)
    link_to_view()  # last: the tab's own choices are in the address by now


with boundary():
    render()

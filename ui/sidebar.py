"""The sidebar's filter widgets."""

from __future__ import annotations

import streamlit as st

from analytics.filters import Filters
from analytics.vocab import (
    RATING_NAMES,
    STANDARD_NAMES,
    UNIT_TYPE_LABELS,
    UNIT_TYPES,
)
from ui.data import Data
from ui.state import (
    _forget_exact_period,
    current_link,
    exact_period_note,
    filters_from_state,
    reset_filters,
)


def sidebar(data: Data) -> Filters:
    """Draw the filters in the sidebar and return the selection they make."""
    vocab = data.vocabulary
    with st.sidebar:
        st.header("Filters")
        st.multiselect(
            "Region",
            vocab.regions,
            key="f_region",
            placeholder="All regions",
            help="CRCs, NPS divisions and national inspections have no region: "
            "choosing a region leaves them out.",
        )
        st.multiselect(
            "Type of service",
            UNIT_TYPES,
            key="f_unit_type",
            format_func=lambda t: UNIT_TYPE_LABELS[t],
            placeholder="All types",
        )
        st.multiselect("Overall rating", RATING_NAMES, key="f_rating", placeholder="All ratings")
        first, last = vocab.years
        if first < last:
            st.slider(
                "Period (year published)",
                first,
                last,
                key="f_years",
                on_change=_forget_exact_period,
            )
        filters = filters_from_state(st.session_state, vocab)
        note = exact_period_note(filters, st.session_state)
        if note:
            st.caption(note)
        st.multiselect("Unit", vocab.unit_names, key="f_unit", placeholder="Search units by name")
        st.multiselect(
            "Standards (Domains tab)", STANDARD_NAMES, key="f_standard", placeholder="All standards"
        )
        st.checkbox(
            "Include inspections with approximate dates",
            key="f_approx",
            help="Dates no source page states: the year comes from the report's web "
            "address or the inspection round.",
        )
        st.button(
            "Reset filters", key="reset", on_click=reset_filters, args=(vocab,), width="stretch"
        )
    return filters


def link_to_view() -> None:
    """At the sidebar's foot: the address of this view, with a copy button (plain text)."""
    with st.sidebar:
        box = st.expander(
            "Copy link to this view", key="copy_link", icon=":material/link:", on_change="rerun"
        )
    with box:
        if box.open:  # made when opened: the address as it is then
            st.code(current_link(), language=None, wrap_lines=True)
            st.caption("It opens this tab with these filters and choices.")

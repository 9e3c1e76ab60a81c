"""The sidebar's filter widgets."""

from __future__ import annotations

import streamlit as st

from analytics.analyses.catalog import Vocabulary
from analytics.filter_fields import FILTERS, ChoiceFilter, PeriodFilter
from analytics.filters import Filters
from ui import choices
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
        for one in FILTERS:
            if isinstance(one, ChoiceFilter):
                _choice(one, data)
            elif isinstance(one, PeriodFilter):
                _period(one, vocab)
            else:
                st.checkbox(one.label, key=one.widget, help=one.help)
        st.button(
            "Reset filters", key="reset", on_click=reset_filters, args=(vocab,), width="stretch"
        )
    return filters_from_state(st.session_state, vocab)


def _choice(choice: ChoiceFilter, data: Data) -> None:
    # only the database's values grow with it (the fixed lists are a few): ui/choices.py
    fixed = choice.allowed
    values = fixed if fixed is not None else getattr(data.vocabulary, choice.vocabulary)
    long = fixed is None and choices.is_long(values)
    labels = choice.labels
    st.multiselect(
        choice.label,
        choices.listed(values, st.session_state.get(choice.widget, ())),
        key=choice.widget,
        format_func=(lambda v: labels.get(v, v)) if labels else str,
        placeholder=choice.placeholder,
        help=choice.help or None,
        **choices.typing(long),
        on_change=choices.take_typed if long else None,
        args=(choice.widget, data.typed(choice.vocabulary)) if long else None,
    )
    if long:
        choices.listing_caption(values)
    choices.say_unknown(choice.widget, choice.words)


def _period(period: PeriodFilter, vocab: Vocabulary) -> None:
    """The years' slider (when there is more than one year) and a link's exact days under it."""
    first, last = vocab.years
    if first < last:
        st.slider(period.label, first, last, key=period.widget, on_change=_forget_exact_period)
    note = exact_period_note(filters_from_state(st.session_state, vocab), st.session_state)
    if note:
        st.caption(note)


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

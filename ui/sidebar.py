"""The sidebar's filter widgets."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from analytics.analyses.catalog import Vocabulary
from analytics.filter_fields import FILTERS, ChoiceFilter, PeriodFilter
from analytics.filters import Filters
from ui.data import Data
from ui.state import (
    _forget_exact_period,
    current_link,
    exact_period_note,
    filters_from_state,
    reset_filters,
)
from ui.text import md_escape


def sidebar(data: Data) -> Filters:
    """Draw the filters in the sidebar and return the selection they make."""
    vocab = data.vocabulary
    with st.sidebar:
        st.header("Filters")
        for one in FILTERS:
            if isinstance(one, ChoiceFilter):
                _choice(one, vocab)
            elif isinstance(one, PeriodFilter):
                _period(one, vocab)
            else:
                st.checkbox(one.label, key=one.widget, help=one.help)
        st.button(
            "Reset filters", key="reset", on_click=reset_filters, args=(vocab,), width="stretch"
        )
    return filters_from_state(st.session_state, vocab)


# A multiselect sends every option to the browser on every run: the 100,000 unit names of a
# million inspections were 2.1 MB, and a warm page's first chart came at 6.5 s instead of 3.5 s
# (BENCHMARKS.md, issue 30). Beyond this many of the database's values the first ones are
# listed, with those chosen, and any other is typed in full.
LISTED_AT_MOST = 1000


def _choice(choice: ChoiceFilter, vocab: Vocabulary) -> None:
    values = choice.allowed if choice.allowed is not None else getattr(vocab, choice.vocabulary)
    labels = choice.labels
    # only the database's values grow with it (the fixed lists are a few)
    typed = choice.allowed is None and len(values) > LISTED_AT_MOST
    options = values
    if typed:
        listed = list(values[:LISTED_AT_MOST])
        shown = set(listed)
        options = listed + [v for v in st.session_state.get(choice.widget, ()) if v not in shown]
    st.multiselect(
        choice.label,
        options,
        key=choice.widget,
        format_func=(lambda v: labels.get(v, v)) if labels else str,
        placeholder=choice.placeholder,
        help=choice.help or None,
        accept_new_options=typed,
        on_change=_only_known if typed else None,
        args=(choice, values) if typed else None,
    )
    if typed:
        st.caption(
            f"The first {LISTED_AT_MOST:,} of {len(values):,} are listed: type any other's full "
            "name and press Enter."
        )
    unknown = st.session_state.pop(_UNKNOWN + choice.widget, ())
    if unknown:
        # a few names, each cut short: a client may send any number of any length
        said = ", ".join(md_escape(repr(n[:_SAID_CHARS])) for n in unknown[:_SAID_NAMES])
        more = f" and {len(unknown) - _SAID_NAMES:,} more" if len(unknown) > _SAID_NAMES else ""
        st.warning(f"No {choice.words} is called {said}{more}.")


_UNKNOWN = "typed_unknown_"  # + the widget: names typed that no value has, to say once
_SAID_NAMES, _SAID_CHARS = 3, 80


def _only_known(choice: ChoiceFilter, values: Sequence[str]) -> None:
    """A long choice's callback: typed names become the values they name (any case); names that
    are no value are dropped and said.
    """
    named = {v.casefold(): v for v in values}
    picked = st.session_state.get(choice.widget, [])
    st.session_state[choice.widget] = list(
        dict.fromkeys(named[p.casefold()] for p in picked if p.casefold() in named)
    )
    st.session_state[_UNKNOWN + choice.widget] = [p for p in picked if p.casefold() not in named]


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

"""Choices among values that grow with the database (its regions, unit names, units): the
sidebar's filters, the Units tab's unit and the Compare tab's units.

A picker sends every option to the browser on every run: the 100,000 units of a million
inspections were 2.1 MB a picker, and a warm page's first chart came at 6.5 s instead of 3.5 s
(BENCHMARKS.md, issue 30). Beyond :data:`LISTED_AT_MOST` values a picker lists the first ones,
with those chosen, and takes any other typed in full (any case) and Enter; a text that names no
value is dropped and said under the picker.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence, Sized
from typing import Literal, TypedDict, TypeVar

import streamlit as st

from analytics.analyses.catalog import typed_value
from ui.text import md_escape

LISTED_AT_MOST = 1000
# said after a unit typed that names none (a bare name two types share names none)
UNIT_HINT = " Where units of two types share a name, type it as listed, as 'Name (PDU)'."
V = TypeVar("V")

_UNKNOWN = "typed_unknown_"  # + the widget's key: texts typed that name no value, to say once
_SAID_NAMES, _SAID_CHARS = 3, 80


def is_long(values: Sized) -> bool:
    """Whether a picker of ``values`` lists only the first ones (and takes others typed)."""
    return len(values) > LISTED_AT_MOST


def listed(values: Sequence[V], chosen: Iterable[V]) -> list[V]:
    """A picker's options: every value, or of a long choice the first ones and those chosen."""
    if not is_long(values):
        return list(values)
    first = list(values[:LISTED_AT_MOST])
    shown = set(first)
    return first + [v for v in dict.fromkeys(chosen) if v not in shown]


class Typing(TypedDict):
    """A picker's arguments for what typing does (``st.multiselect(..., **typing(long))``)."""

    accept_new_options: bool
    filter_mode: Literal["fuzzy", "contains"]


def typing(long: bool) -> Typing:
    """How a picker takes typing: a long one (:func:`is_long`) adds any text typed (Enter), and
    filters the listed values by what they contain. Streamlit's fuzzy match (any letters in
    order) turned "SYNTHETIC PDU 7 (PDU)", typed in full, into the first listed unit with a 7.
    """
    return Typing(accept_new_options=long, filter_mode="contains" if long else "fuzzy")


def listing_caption(values: Sized) -> None:
    """Under a long choice's picker: that only the first values are listed, and how to pick any
    other.
    """
    if is_long(values):
        st.caption(
            f"The first {LISTED_AT_MOST:,} of {len(values):,} are listed: type any other's full "
            "name and press Enter."
        )


def take_typed(key: str, typed: Mapping[str, V]) -> None:
    """A long multiselect's callback: each text in it becomes the value it names (``typed``:
    catalog's typed_names or typed_units); texts naming none are dropped, to be said. Values
    that are not text (picked from a list of units) are kept as they are.
    """
    kept: list[V] = []
    unknown: list[str] = []
    for picked in st.session_state.get(key, []):
        value = typed_value(typed, picked) if isinstance(picked, str) else picked
        if value is None:
            unknown.append(picked)
        else:
            kept.append(value)
    st.session_state[key] = list(dict.fromkeys(kept))
    st.session_state[_UNKNOWN + key] = unknown


def typed_one(key: str, text: str, typed: Mapping[str, V]) -> V | None:
    """The value a text typed into a long selectbox names, else None (the text is to be said)."""
    value = typed_value(typed, text)
    if value is None:
        st.session_state[_UNKNOWN + key] = [text]
    return value


def say_unknown(key: str, words: str, hint: str = "") -> None:
    """Under a picker, once: the texts typed into it that name no value (``words`` says what a
    value is, as "unit"). A few, each cut short: a client may send any number of any length.
    """
    unknown = st.session_state.pop(_UNKNOWN + key, ())
    if unknown:
        said = ", ".join(md_escape(repr(t[:_SAID_CHARS])) for t in unknown[:_SAID_NAMES])
        more = f" and {len(unknown) - _SAID_NAMES:,} more" if len(unknown) > _SAID_NAMES else ""
        st.warning(f"No {md_escape(words)} is called {said}{more}.{md_escape(hint)}")

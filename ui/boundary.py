"""The one error boundary: an analytics error is a message on the page, never a traceback."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import streamlit as st

from analytics.errors import AnalyticsError
from ui.text import md_escape


@contextlib.contextmanager
def boundary() -> Iterator[None]:
    """Run a page: an analytics error becomes one plain-text message and the page stops."""
    try:
        yield
    except AnalyticsError as exc:
        st.error(md_escape(exc))
        st.stop()

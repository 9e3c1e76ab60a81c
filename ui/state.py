"""Filters between the widgets, the session and the URL: the only place that reads or writes
URL state.
"""

from __future__ import annotations

import datetime as dt
import urllib.parse
from typing import Literal, TypedDict

import streamlit as st

from analytics.analyses.catalog import Vocabulary, unit_label
from analytics.analyses.picked_units import MAX_COMPARED, link_values, units_from_link
from analytics.fields import shown
from analytics.filter_fields import APPROXIMATE, CHOICES, FILTER_PARAMS, PERIOD
from analytics.filters import Filters, parse_query_params, single_value
from ui.text import md_escape

MAX_URL_WARNINGS = 10  # one warning per ignored value, then a count
# Streamlit drops a query string of more than 1,000 parameters before the script sees it (an
# empty one reaches us), so only the browser can tell: this fixed snippet (no data in it)
# counts the address bar's parameters and shows a warning when the link was dropped.
TOO_MANY_PARAMS_CHECK = """
<div id="too-many-params" role="alert" hidden
     style="padding:0.75rem 1rem;border-radius:0.5rem;background:#fff8e1;color:#4a3800">
  Ignored in the link: it has <span></span> parameters, more than the 1,000 the dashboard reads,
  so none of its filters apply and the page shows every inspection.
</div>
<script>
(() => {
  const query = window.location.search.slice(1);
  const count = query ? query.split("&").length : 0;
  const box = document.getElementById("too-many-params");
  if (box && count > 1000) {
    box.querySelector("span").textContent = count.toLocaleString("en-GB");
    box.hidden = false;
  }
})();
</script>
"""
TABS = ("Overview", "Trends", "Domains", "Units", "Compare", "Data", "About")
COMPARE = "compare_units"  # the compared units, (unit_type, unit_name), kept across tabs
UNIT_PICK = "unit_pick"  # the Units tab's picker
# The page's other choices, each carried by the link under its widget's key (Streamlit binds a
# widget to the query parameter of its key): a copied link reopens the same view.
LINKED: tuple[str, ...] = (
    "overview_measure",
    "trend_freq",
    "trend_measure",
    UNIT_PICK,
    "league_older",
    "latest_table_former",
    "league_table_former",
)
EXACT = "f_exact"  # exact days from a link, kept beside the slider's years (not a widget)
FILTER_KEYS = (*(c.widget for c in CHOICES), PERIOD.widget, APPROXIMATE.widget, EXACT)


# --- filters: sidebar widgets <-> Filters <-> URL ------------------------------------------------


def _defaults(vocab: Vocabulary) -> dict[str, object]:
    return _state_from_filters(Filters(), vocab)


def _state_from_filters(filters: Filters, vocab: Vocabulary) -> dict[str, object]:
    first, last = vocab.years
    y0 = filters.date_from.year if filters.date_from else first
    y1 = filters.date_to.year if filters.date_to else last
    y0, y1 = max(first, min(y0, last)), min(last, max(y1, first))
    years = (y0, max(y0, y1))
    state: dict[str, object] = {c.widget: list(getattr(filters, c.field)) for c in CHOICES}
    state |= {
        PERIOD.widget: years,
        APPROXIMATE.widget: filters.include_approximate,
        EXACT: None,
    }
    if filters.date_from or filters.date_to:
        # The slider holds whole years; a link's exact days are kept beside it and apply until
        # the slider is moved, so `from=2024-06-15` never silently widens to all of 2024.
        state[EXACT] = (years, filters.date_from, filters.date_to)
    return state


def filters_from_state(state, vocab: Vocabulary) -> Filters:
    """The Filters the widgets' state selects."""
    first, last = vocab.years
    years = state.get(PERIOD.widget, (first, last))
    # A client that sends no slider state (or a malformed one) gets the whole period, not a crash.
    if not (isinstance(years, tuple | list) and len(years) == 2):
        years = (first, last)
    y0, y1 = years
    date_from = dt.date(y0, 1, 1) if y0 > first else None
    date_to = dt.date(y1, 12, 31) if y1 < last else None
    exact = state.get(EXACT)
    if exact and tuple(exact[0]) == (y0, y1):
        date_from, date_to = exact[1], exact[2]
    return Filters(
        **{c.field: tuple(state.get(c.widget, ())) for c in CHOICES},
        date_from=date_from,
        date_to=date_to,
        include_approximate=state.get(APPROXIMATE.widget, True),
    )


def exact_period_note(filters: Filters, state) -> str | None:
    """Words for a period the slider cannot show (exact days from a link), or None."""
    if not state.get(EXACT):
        return None
    return (
        f"Period from the link: {filters.describe_period()} (exact days). "
        "Moving the slider replaces it with whole years."
    )


def init_state_from_url(vocab: Vocabulary) -> None:
    """On a session's first run, set the filter widgets from the URL; remember what was ignored."""
    if st.session_state.get("initialised"):
        return
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    st.session_state["link_was_empty"] = not params
    filters, problems = parse_query_params(
        params,
        known_regions=vocab.regions,
        known_units=vocab.unit_names,
        other_params=("tab", "compare", *LINKED),
    )
    compared, compare_problems = units_from_link(params.get("compare", []), vocab.units)
    problems.extend(compare_problems)
    # Streamlit opens the tab a link names last (st.tabs bound to the parameter)
    tab = single_value(params, "tab", problems, last=True)
    if tab is not None and tab not in TABS:
        problems.append(
            f"unknown tab '{shown(tab)}' (allowed: {', '.join(TABS)}); showing {TABS[0]}"
        )
    st.session_state.update(_state_from_filters(filters, vocab))
    st.session_state[COMPARE] = list(compared)
    st.session_state["url_problems"] = problems
    st.session_state["undo"] = []
    st.session_state["chart_gen"] = 0
    st.session_state["initialised"] = True


def sync_url(filters: Filters, vocab: Vocabulary) -> None:
    """Mirror the filters and the compared units in the URL (the tab binds itself)."""
    wanted = filters.to_query_params()
    compared = tuple(st.session_state.get(COMPARE, ()))
    if compared:
        wanted["compare"] = link_values(compared, vocab.units)
    for key in (*FILTER_PARAMS, "compare"):
        current = st.query_params.get_all(key)
        if key in wanted and current != wanted[key]:
            st.query_params[key] = wanted[key]
        elif key not in wanted and current:
            del st.query_params[key]


def reset_filters(vocab: Vocabulary) -> None:
    """Put every filter back to its default and forget the chart-click undo history."""
    st.session_state.update(_defaults(vocab))
    st.session_state["undo"] = []


def _forget_exact_period() -> None:
    st.session_state[EXACT] = None


def apply_from_chart(chart_key: str, field: str, position: int) -> None:
    """Chart click callback: apply the clicked value as a filter, remembering the old one."""
    points = st.session_state[chart_key].selection.points
    if not points:
        return
    value = points[0].get("customdata", [None])[position]
    if value is None:
        return
    st.session_state["undo"].append({k: st.session_state.get(k) for k in FILTER_KEYS})
    if field == PERIOD.widget:
        year = int(str(value)[:4])
        st.session_state[PERIOD.widget] = (year, year)
        st.session_state[EXACT] = None
        label = f"period = {year}"
    else:
        st.session_state[field] = [value]
        label = f"{field.removeprefix('f_').replace('_', ' ')} = {value}"
    st.session_state["applied_from_chart"] = label
    st.session_state["chart_gen"] += 1  # new chart keys: the old click is not re-applied


def undo_chart_filter() -> None:
    """Undo the last filter a chart click applied."""
    if st.session_state["undo"]:
        st.session_state.update(st.session_state["undo"].pop())
    st.session_state.pop("applied_from_chart", None)


def show_link_problems() -> None:
    """Warn about what the link asked for and the dashboard ignored (plain text, at most ten)."""
    problems = st.session_state.get("url_problems", [])
    for problem in problems[:MAX_URL_WARNINGS]:
        st.warning(f"Ignored in the link: {md_escape(problem)}")
    if len(problems) > MAX_URL_WARNINGS:
        st.warning(f"Ignored in the link: {len(problems) - MAX_URL_WARNINGS:,} more values.")
    if st.session_state.get("link_was_empty"):
        st.html(TOO_MANY_PARAMS_CHECK, unsafe_allow_javascript=True)


# --- the compared units: kept in the session (the Compare tab's picker exists only while open) ---


def compared_units() -> tuple[tuple[str, str], ...]:
    """The units being compared, ``(unit_type, unit_name)`` in the order picked."""
    return tuple(st.session_state.get(COMPARE, ()))


def add_to_compare(units: list[tuple[str, str]]) -> None:
    """Button callback: add ``units`` to the comparison, up to its 6, keeping the order."""
    current = list(compared_units())
    for unit in units:
        if unit not in current and len(current) < MAX_COMPARED:
            current.append((unit[0], unit[1]))
    st.session_state[COMPARE] = current


def compare_picked(key: str) -> None:
    """The Compare tab's picker changed: it becomes the comparison."""
    st.session_state[COMPARE] = [tuple(u) for u in st.session_state[key]]


def seed_compare_picker(key: str) -> None:
    """Give the picker the comparison before it is drawn (after a link, a button or a tab)."""
    if [tuple(u) for u in st.session_state.get(key, [])] != list(compared_units()):
        st.session_state[key] = list(compared_units())


def current_tab() -> str:
    """The open tab: the tabs' own state, or on a page's first run (the header is drawn before
    the tabs) the tab its link names (the last ``tab=``, as Streamlit opens it), else the first.
    """
    tab = st.session_state.get("tab")
    if tab is None:
        named = st.query_params.get_all("tab")
        tab = named[-1] if named else None
    return tab if tab in TABS else TABS[0]


class Linked(TypedDict):
    """A widget's key and its binding (``st.selectbox(..., **linked(KEY))``)."""

    key: str
    bind: Literal["query-params"]


def current_link() -> str:
    """The address that reopens this view: the page's address with every query parameter the
    page holds now (filters, compared units, the tab and each choice in :data:`LINKED`).
    """
    page = urllib.parse.urlsplit(st.context.url or "")
    base = urllib.parse.urlunsplit((page.scheme, page.netloc, page.path or "/", "", ""))
    pairs = [(k, v) for k in st.query_params for v in st.query_params.get_all(k)]
    tab = current_tab()
    if tab != TABS[0] and "tab" not in st.query_params:
        pairs.append(("tab", tab))
    return base + ("?" + urllib.parse.urlencode(pairs) if pairs else "")


def linked(key: str) -> Linked:
    """A widget's ``key`` and its binding to the link's parameter of that name (one of
    :data:`LINKED`).
    """
    if key not in LINKED:
        raise KeyError(f"{key} is not one of the choices a link carries (ui/state.py LINKED)")
    return Linked(key=key, bind="query-params")


def linked_value(key: str) -> str | None:
    """A linked widget's value: its state, or on a page's first run, before the widget is drawn
    (the header is drawn before the tabs), the value its link carries (the last, as Streamlit
    reads it). The caller checks it is one of the widget's options.
    """
    if key not in LINKED:
        raise KeyError(f"{key} is not one of the choices a link carries (ui/state.py LINKED)")
    if key in st.session_state:
        return st.session_state[key]
    named = st.query_params.get_all(key)
    return named[-1] if named else None


def open_tab(name: str) -> None:
    """Button callback: switch to tab ``name`` (the tabs read their key, bound to the URL)."""
    st.session_state["tab"] = name


def compare_status() -> str:
    """What is being compared, in words (plain text)."""
    units = compared_units()
    if not units:
        return "Nothing in Compare yet."
    names = ", ".join(unit_label(t, n) for t, n in units)
    return f"In Compare ({len(units)} of {MAX_COMPARED}): {names}."

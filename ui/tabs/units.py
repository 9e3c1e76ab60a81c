"""The Units tab."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import streamlit as st

from analytics.analyses import summary, trends, units, viewspecs
from analytics.analyses.catalog import unit_label
from analytics.analyses.league import league_table
from analytics.analyses.views import ViewOptions
from analytics.export.readable import FIGURE_KINDS
from analytics.filters import Filters, period_only
from analytics.vocab import REPORT_FIGURE_BY_NAME
from ui import choices
from ui.components import (
    compare_buttons,
    league_rows,
    show_chart,
    unit_in_picker,
    unit_order,
)
from ui.data import Data
from ui.state import UNIT_PICK, linked, linked_value
from ui.tables import DISPLAY_ROWS
from ui.text import md_escape, md_link


def unit_age(data: Data, filters: Filters, unit_type: str, unit_name: str) -> str | None:
    """How old the unit's latest rating in the period is, in words (None: no inspection)."""
    one = dataclasses.replace(period_only(filters), unit_types=(unit_type,), units=(unit_name,))
    # today's date in the cache key: months since the latest inspection grow with it
    league = data(league_table, one, as_of=dt.date.today())
    if league.empty:
        return None
    u = league.iloc[0]
    approx = " (approx.)" if u.months_approximate else ""
    return (
        f"Latest inspection: {u.months_since_latest}{approx} months ago (rating age {u.freshness})."
    )


def standards_known(benchmark: pd.DataFrame) -> bool:
    """Whether the unit has any standard rating known (its ``unit-benchmark`` table)."""
    own = benchmark[(benchmark["scope"] == "unit") & (benchmark["item"] != "Overall")]
    return bool((own["n"] > 0).any())


NO_FIGURES = f"Figures these reports state ({FIGURE_KINDS}): not stated in this data."


def report_lines(reports: pd.DataFrame, figures: pd.DataFrame) -> list[str]:
    """One Markdown list item per source report, with the figures stated about it beneath.

    Every text from the data is escaped here, once; links only through md_link.
    """
    stated = {iid: group for iid, group in figures.groupby("inspection_id", sort=False)}
    lines = []
    for r in reports.itertuples():
        when = r.published + (" (approximate date)" if r.date_basis != "stated" else "")
        src = md_link("source report", r.source_url)
        lines.append(f"- {md_escape(when)}: {md_escape(r.rating)}, {src}")
        for f in stated.get(r.inspection_id, figures.iloc[:0]).itertuples():
            words = REPORT_FIGURE_BY_NAME[f.figure].words(int(f.value))
            lines.append(f"    - {md_escape(words)} ({md_link('source', f.source_url)})")
    if figures.empty and lines:
        lines.append("")  # a paragraph after the list, not an item of it
        lines.append(md_escape(NO_FIGURES))
    return lines


_SETTLED = "unit_pick_settled"  # the link's text a run was repeated for (once each)


def _settle_typed(data: Data, held: tuple[str, str] | None) -> None:
    """Before a long picker is drawn: a unit typed into it (or named by the link) in another
    case, or by its name alone, becomes its label; a text naming no unit is said, and the
    picker holds its first unit.
    """
    text = linked_value(UNIT_PICK)
    if not isinstance(text, str) or (held is not None and text == unit_label(*held)):
        return
    choices.typed_one(UNIT_PICK, text, data.typed("units"))
    st.session_state[UNIT_PICK] = unit_label(*held) if held else None


def render(data: Data, filters: Filters) -> None:
    """Draw the Units tab: one unit's timeline and benchmark, the league and rating changes."""
    gen = st.session_state["chart_gen"]
    ordered, first = unit_order(data, filters)
    held = unit_in_picker(data, ordered)
    long = choices.is_long(ordered)
    if long:
        _settle_typed(data, held)
    lookup = {unit_label(*u): u for u in choices.listed(ordered, [held] if held else [])}
    labels = list(lookup)
    # the picker and its Compare buttons share a row: the unit's chart stays on the first screen
    with st.container(horizontal=True, vertical_alignment="bottom", gap="small"):
        picked = st.selectbox(
            "Unit",
            labels,
            **linked(UNIT_PICK),
            index=0 if labels else None,
            placeholder="Choose a unit",
            **choices.typing(long),
            help=f"Units with inspections in the current selection ({first:,}"
            f"{' or more' if first == DISPLAY_ROWS else ''}) come first.",
        )
        # a link's text on a page's first run: Streamlit seeds a linked widget from the link
        # over the state _settle_typed set, which holds from the next run on. One more run,
        # once for a text (guarded: whatever Streamlit does, never a loop)
        unsettled = long and picked is not None and picked not in lookup
        if unsettled and st.session_state.get(_SETTLED) != picked:
            st.session_state[_SETTLED] = picked
            st.rerun()
        shown = lookup.get(picked, held) if picked is not None else None
        if shown:
            compare_buttons(UNIT_PICK, [shown], status=False)
    if long:
        choices.listing_caption(ordered)
    choices.say_unknown(UNIT_PICK, "unit", choices.UNIT_HINT)
    if shown:
        unit_type, unit_name = shown
        unit = ViewOptions(unit_type=unit_type, unit_name=unit_name)
        timeline = data.view(viewspecs.UNIT_TIMELINE, filters, unit)
        show_chart(data, filters, timeline, f"chart_timeline_g{gen}")
        bench = data.view(viewspecs.UNIT_BENCHMARK, filters, unit)
        show_chart(data, filters, bench, f"chart_bench_g{gen}")
        reports = timeline.table.drop_duplicates("inspection_id")
        if not reports.empty and not standards_known(bench.table):
            # "which standards fell short?" has no answer here: said, with where to look
            url = reports.iloc[-1].source_url
            where = (
                md_escape("see ") + md_link("the latest source report", url)
                if isinstance(url, str) and url
                else md_escape("no source page is recorded")
            )
            st.markdown(
                md_escape(
                    f"No standard rating is known for {unit_name}'s inspections in this period "
                    "(HMIP prints them in report tables that could not all be read): "
                )
                + where
                + "."
            )
        age = unit_age(data, filters, unit_type, unit_name)
        if age:
            st.markdown(md_escape(age))
        if not reports.empty:
            figures = data(units.report_figures, filters, unit_type=unit_type, unit_name=unit_name)
            st.markdown("**Source reports**")
            st.markdown("\n".join(report_lines(reports, figures)))
    st.header("League table: latest inspection of each unit")
    older = st.number_input(
        "Latest inspection older than N years (0: all)",
        min_value=0,
        max_value=50,
        step=1,
        **linked("league_older"),
        help="Keeps units whose latest selected inspection was published at least this many "
        "years (12 whole months each) ago; ranks stay those among all selected units.",
        width=320,
    )
    league_rows(data, filters, "league_table", older_than=int(older))
    st.header("Rating changes between consecutive inspections")
    st.markdown(md_escape(summary.change_sentence(data(trends.rating_change_counts, filters))))
    changes = data.view(viewspecs.RATING_CHANGES, filters)
    empty = changes.figure is None or changes.figure.layout.meta.get("empty")
    if not empty:  # else the sentence above has said it
        show_chart(data, filters, changes, f"chart_changes_g{gen}")

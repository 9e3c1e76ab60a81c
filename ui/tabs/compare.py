"""The Compare tab: 2 to 6 units side by side, and their regions and the country beside them."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from analytics.analyses import picked_units, viewspecs
from analytics.analyses.catalog import unit_label
from analytics.analyses.units import report_figures
from analytics.analyses.views import ViewOptions
from analytics.export.readable import (
    FIGURES_NOTE,
    PEERS_NOTE,
    compare_side_by_side,
    compared_figures,
    peers_side_by_side,
    standards_note,
)
from analytics.filters import Filters
from ui import choices
from ui.components import downloads, show_chart
from ui.data import Data
from ui.state import compare_picked, compared_units, seed_compare_picker
from ui.tables import freshness_styled
from ui.text import md_escape

PICKER = "compare_pick"


def _typed_picked(key: str, typed: dict[str, tuple[str, str]]) -> None:
    """A long picker changed: the units typed into it become units, then the comparison."""
    choices.take_typed(key, typed)
    compare_picked(key)


def render(data: Data, filters: Filters) -> None:
    """Draw the Compare tab: the picker, the shared timeline, the table and the peers."""
    gen = st.session_state["chart_gen"]
    every = data.vocabulary.units
    long = choices.is_long(every)
    seed_compare_picker(PICKER)
    st.multiselect(
        f"Units to compare ({picked_units.MIN_COMPARED} to {picked_units.MAX_COMPARED}, any type)",
        choices.listed(every, compared_units()),
        key=PICKER,
        # a unit typed into a long picker is text until _typed_picked makes it a unit
        format_func=lambda u: u if isinstance(u, str) else unit_label(*u),
        max_selections=picked_units.MAX_COMPARED,
        on_change=_typed_picked if long else compare_picked,
        args=(PICKER, data.typed("units")) if long else (PICKER,),
        placeholder="Choose units",
        **choices.typing(long),
        help="Or pick a unit on the Units tab, or rows of a league table, and press "
        "Add to Compare.",
    )
    if long:
        choices.listing_caption(every)
    choices.say_unknown(PICKER, "unit", choices.UNIT_HINT)
    units = compared_units()
    if len(units) < picked_units.MIN_COMPARED:
        st.info(
            f"Pick {picked_units.MIN_COMPARED} to {picked_units.MAX_COMPARED} units to see them "
            f"side by side ({len(units)} picked)."
        )
        return
    st.caption(
        "Only the sidebar's period applies here: the units are named, so the region, type, "
        "rating and standard filters do not narrow them."
    )
    # today's date in the cache key: months since the latest inspection grow with it
    opts = ViewOptions(compare=units, as_of=dt.date.today())
    view = data.view(viewspecs.COMPARE, filters, opts)
    show_chart(data, filters, view, f"chart_compare_g{gen}", table_toggle=False)
    st.header("Latest ratings side by side")
    table, unknown = compare_side_by_side(view.table)
    st.dataframe(
        freshness_styled(table),
        hide_index=True,
        width="stretch",
        key="compare_table",
        height="content",  # every row in view: a board paper reads the whole column
        # wide enough for "Implementation and delivery", the longest standard
        column_config={"Measure": st.column_config.TextColumn("Measure", pinned=True, width=190)},
    )
    st.caption(
        md_escape(standards_note(unknown))
    )  # its downloads are the chart's (Table as CSV, Excel)
    st.header("What their latest reports state")
    stated = {u: data(report_figures, filters, unit_type=u[0], unit_name=u[1]) for u in units}
    st.dataframe(
        compared_figures(view.table, stated),
        hide_index=True,
        width="stretch",
        key="compare_figures",
        column_config={"Source": st.column_config.LinkColumn("Source", display_text="source")},
    )
    st.caption(md_escape(FIGURES_NOTE))
    peers = data.view(viewspecs.COMPARE_PEERS, filters, opts)
    st.header("Their regions and England and Wales, same period and types")
    st.dataframe(
        peers_side_by_side(peers.table), hide_index=True, width="stretch", key="compare_peers"
    )
    st.caption(md_escape(PEERS_NOTE))
    downloads(data, filters, "compare_peers", peers.name, peers.title, peers.table)

"""The Compare tab: 2 to 6 units side by side, and their regions and the country beside them."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from analytics import compared, vocab
from analytics.catalog import unit_label
from analytics.filters import Filters
from analytics.views import COMPARE_COLUMNS, ViewOptions
from ui.components import downloads, freshness_styled, show_chart
from ui.data import Data
from ui.state import compare_picked, compared_units, seed_compare_picker
from ui.text import md_escape

PICKER = "compare_pick"
NOT_KNOWN = "not known"
NONE_EARLIER = "— (none earlier)"

# The rows of the side-by-side table, in the order a board paper reads them.
ROWS = (
    ("unit_type", "Type"),
    ("region", "Region"),
    ("inspections", "Inspections in the period"),
    ("rating", "Latest overall rating"),
    ("published", "Published"),
    ("previous_rating", "Previous overall rating"),
    ("change", "Change"),
    ("months_since_latest", "Months since latest"),
    ("freshness", "Rating age"),
)


def side_by_side(wide: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The comparison as the page shows it: a column per unit, a row per measure.

    Standards no compared unit has a rating for are left out of the rows and returned by name,
    so the page can say they are unknown rather than show rows of blanks.

    Parameters
    ----------
    wide : pandas.DataFrame
        The ``compare`` view's table (a row per unit, a column per standard).

    Returns
    -------
    tuple
        The display table (first column ``Measure``) and the standards with no rating known.
    """
    standards = [c for c in wide.columns if c not in COMPARE_COLUMNS]
    known = [s for s in standards if wide[s].notna().any()]
    inspected = wide["inspections"] > 0
    approx = wide["date_basis"].isin(["url", "derived"])
    cells = pd.DataFrame(
        {
            "unit_type": wide["unit_type"],
            "region": wide["region"].fillna("—"),
            "inspections": wide["inspections"].astype(int).astype(str),
            "rating": wide["rating"].where(inspected, "no inspection in the period"),
            # as strings: with no compared unit inspected in the period the column is all blank
            "published": (
                wide["published"].astype("string")
                + approx.map({True: " (approx.)", False: ""}).astype("string")
            ).where(inspected, "—"),
            "previous_rating": wide["previous_rating"].where(
                wide["previous_rating"].notna(), NONE_EARLIER
            ),
            "change": wide["change"].where(inspected, "—"),
            "months_since_latest": (
                wide["months_since_latest"].astype("string")
                + wide["months_approximate"].map({True: " (approx.)", False: ""}).astype("string")
            ).fillna("—"),
            "freshness": wide["freshness"].where(inspected, "—"),
            **{s: wide[s].where(wide[s].notna(), NOT_KNOWN) for s in known},
        }
    )
    labels = [unit_label(t, n) for t, n in zip(wide["unit_type"], wide["unit_name"], strict=True)]
    names = dict(ROWS) | {s: s for s in known}
    table = cells.set_axis(labels).T.rename(index=names).rename_axis("Measure").reset_index()
    return table, [s for s in standards if s not in known]


def peers_side_by_side(peers: pd.DataFrame) -> pd.DataFrame:
    """The peers' shares as the page shows them: a row per region (then the country), a column
    per rating holding its share and count (``"67% (6)"``), and the inspections counted.
    """
    # a region with no inspections in the period has no shares (0 of 0): a dash, said in Note
    percent = (peers["share"] * 100).round().astype("Int64").astype("string")
    cell = (percent + "% (" + peers["n"].astype("string") + ")").fillna("—")
    wide = (
        peers.assign(cell=cell)
        .pivot(index="scope_name", columns="rating", values="cell")
        .reindex(index=peers["scope_name"].drop_duplicates(), columns=list(vocab.RATING_NAMES))
    )
    totals = peers.drop_duplicates("scope_name").set_index("scope_name")
    small = (
        totals["small_count"]
        .map({True: "fewer than 5 inspections", False: ""})
        .where(totals["inspections"] > 0, "no inspections in this period")
    )
    return (
        wide.assign(Inspections=totals["inspections"].astype(int), Note=small)
        .rename_axis(index="Region or country", columns=None)
        .reset_index()
    )


def render(data: Data, filters: Filters) -> None:
    """Draw the Compare tab: the picker, the shared timeline, the table and the peers."""
    gen = st.session_state["chart_gen"]
    options = list(data.vocabulary.units)
    seed_compare_picker(PICKER)
    st.multiselect(
        f"Units to compare ({compared.MIN_COMPARED} to {compared.MAX_COMPARED}, any type)",
        options,
        key=PICKER,
        format_func=lambda u: unit_label(*u),
        max_selections=compared.MAX_COMPARED,
        on_change=compare_picked,
        args=(PICKER,),
        placeholder="Choose units",
        help="Or pick a unit on the Units tab, or rows of a league table, and press "
        "Add to Compare.",
    )
    units = compared_units()
    if len(units) < compared.MIN_COMPARED:
        st.info(
            f"Pick {compared.MIN_COMPARED} to {compared.MAX_COMPARED} units to see them side by "
            f"side ({len(units)} picked)."
        )
        return
    st.caption(
        "Only the sidebar's period applies here: the units are named, so the region, type, "
        "rating and standard filters do not narrow them."
    )
    # today's date in the cache key: months since the latest inspection grow with it
    opts = ViewOptions(compare=units, as_of=dt.date.today())
    view = data.view("compare", filters, opts)
    show_chart(data, filters, view, f"chart_compare_g{gen}", table_toggle=False)
    st.header("Latest ratings side by side")
    table, unknown = side_by_side(view.table)
    st.dataframe(
        freshness_styled(table),
        hide_index=True,
        width="stretch",
        key="compare_table",
        height="content",  # every row in view: a board paper reads the whole column
        column_config={"Measure": st.column_config.TextColumn("Measure", pinned=True)},
    )
    notes = [
        "Standards: the latest rating known in the period; a date in brackets when it came "
        f"from an earlier inspection than the latest; '{NOT_KNOWN}' where HMIP's pages give none."
    ]
    if unknown:
        notes.append(f"No rating known for any of these units: {', '.join(unknown)}.")
    st.caption(md_escape(" ".join(notes)))  # its downloads are the chart's (Table as CSV, Excel)
    peers = data.view("compare-peers", filters, opts)
    st.header("Their regions and England and Wales, same period and types")
    st.dataframe(
        peers_side_by_side(peers.table), hide_index=True, width="stretch", key="compare_peers"
    )
    st.caption(
        md_escape(
            "Share of each overall rating (number of inspections in brackets) among "
            "inspections of the same types of unit in the same period."
        )
    )
    downloads(data, filters, "compare_peers", peers.name, peers.title, peers.table)

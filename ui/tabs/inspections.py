"""The Data tab: the selected inspections, each with its source, and their downloads."""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from analytics.analyses import breakdowns, units
from analytics.filters import Filters
from analytics.vocab import (
    DATE_BASIS_LABELS,
)
from ui.components import EMPTY, downloads
from ui.data import Data
from ui.tables import DISPLAY_ROWS, published_label
from ui.text import md_escape


def render(data: Data, filters: Filters) -> None:
    """Draw the Data tab: the selected inspections and their downloads."""
    table = data(units.inspections, filters, limit=DISPLAY_ROWS)
    total = int(data(breakdowns.kpis, filters).iloc[0].inspections)
    shown_note = (
        f" Showing the newest {len(table):,}; download the table for all of them."
        if total > len(table)
        else ""
    )
    st.caption(f"{total:,} inspections ({md_escape(filters.describe())}).{shown_note}")
    if table.empty:
        st.info(EMPTY)
        return
    downloads(
        data,
        filters,
        "inspections_table",
        "inspections",
        "Inspections",
        functools.partial(units.inspections, data.con, filters),
        rows=total,
    )
    shown = table.assign(
        published=published_label(table),
        precision=table["published_precision"],
        date_basis=table["date_basis"],
        # a blank cell reads "None" in the grid: said in words instead
        region=table["region"].fillna("—"),
        fieldwork=table["fieldwork"].fillna("not stated"),
        score=[
            f"{s}/{m}" if pd.notna(s) else ""
            for s, m in zip(table["score"], table["score_max"], strict=True)
        ],
    )[
        [
            "published",
            "precision",
            "date_basis",
            "unit_type",
            "unit_name",
            "region",
            "rating",
            "score",
            "standards_known",
            "fieldwork",
            "source_url",
        ]
    ]
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        key="inspections_table",
        column_config={
            "published": st.column_config.TextColumn(
                "Published", help="As precise as the source; (approx.) = no page states the date"
            ),
            "precision": st.column_config.TextColumn("Precision", help="day, month or year"),
            "date_basis": st.column_config.TextColumn(
                "Date basis", help="; ".join(f"{k}: {v}" for k, v in DATE_BASIS_LABELS.items())
            ),
            "unit_type": "Type",
            "unit_name": "Unit",
            "region": st.column_config.TextColumn(
                "Region", help="— : none (CRCs, NPS divisions and national inspections)"
            ),
            "rating": "Overall rating",
            "score": st.column_config.TextColumn("Score", help="Where stated (2021-23: out of 27)"),
            "standards_known": st.column_config.NumberColumn("Standards known"),
            "fieldwork": st.column_config.TextColumn(
                "Fieldwork", help="When HMIP's fieldwork took place, where a page states it"
            ),
            "source_url": st.column_config.LinkColumn(
                "Source report", display_text="open source", help="Blank: no source recorded"
            ),
        },
    )

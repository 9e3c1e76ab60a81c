"""How the page shows tables: the league's columns (rating age shaded by band), publication
dates marked approximate, rating-age bands in their colours. No data access here: ui/data.py
caches the league as shown.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from analytics import vocab

DISPLAY_ROWS = 1000  # rows a table shows on the page; downloads hold them all

# Seven columns that fit the page at 1366 px beside the sidebar (eleven ran 320 px out of sight):
# the rank (ties make it jump), the previous rating and the band's name are in the downloads; the
# type is named where it is not a PDU.
LEAGUE_COLUMNS: dict[str, Any] = {
    "unit": st.column_config.TextColumn(
        "Unit", help="A PDU unless its type is named: (Region), (National), (CRC), (NPS division)"
    ),
    "region": st.column_config.TextColumn(
        "Region", help="— : no region (CRC, NPS division, national)"
    ),
    "rating": "Latest rating",
    "published": "Published",
    "change": st.column_config.TextColumn(
        "Change", help="The latest rating against the unit's previous one"
    ),
    "source_url": st.column_config.LinkColumn("Source", display_text="report", width=64),
}


def rating_age(league: pd.DataFrame) -> pd.Series:
    """Months since each latest inspection in words ("about" where the date is approximate)."""
    months = league["months_since_latest"].astype(int)
    words = months.astype(str) + months.map(lambda m: " month" if m == 1 else " months")
    return league["months_approximate"].map({True: "about ", False: ""}) + words


def age_column(ages: pd.Series, bands: pd.Series) -> Any:
    """The rating age as a category shaded by its band, darker = older (the shown rows' ages).

    A coloured category, not a pandas Styler: styling every cell cost a third of a warm Overview
    rerun (BENCHMARKS.md, per-visit cost), for one column's colours.
    """
    shade = dict(zip(ages, bands.map(vocab.FRESHNESS_COLOURS), strict=True))
    options = list(shade)
    return st.column_config.MultiselectColumn(
        "Rating age",
        help="Whole months since the latest inspection was published (about: counted from the "
        "first day of its month or year, or from a date no page states); shaded "
        + ", ".join(vocab.FRESHNESS_NAMES)
        + ", darker = older",
        options=options,
        color=[shade[o] for o in options],
    )


def league_view(league: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The league table as the page shows it (blanks named, dates marked approximate), and its
    columns' configuration.
    """
    ages = rating_age(league)
    table = league.assign(
        # a PDU by its name (nearly every row), any other unit with its type
        unit=league["unit_name"].where(
            league["unit_type"] == "PDU", league["unit_name"] + " (" + league["unit_type"] + ")"
        ),
        published=published_label(league),
        region=league["region"].fillna("—"),
        # one age per cell, as the category column holds it
        age=[[a] for a in ages],
    )[["unit", "region", "rating", "published", "change", "age", "source_url"]]
    return table, {**LEAGUE_COLUMNS, "age": age_column(ages, league["freshness"])}


def published_label(df: pd.DataFrame) -> pd.Series:
    """Publication dates as precise as their source, approximate ones marked."""
    return df["published"] + df["date_basis"].map(
        {"stated": "", "url": " (approx.)", "derived": " (approx.)"}
    )


def freshness_styled(table: pd.DataFrame):
    """``table`` with every cell naming a rating-age band in the bands' colour scale (light =
    recent): for small tables (a Styler restyles every cell on every rerun).
    """

    def paint(value: object) -> str:
        colour = vocab.FRESHNESS_COLOURS.get(value) if isinstance(value, str) else None
        if colour is None:
            return ""
        # text that keeps 4.5:1 contrast on the band's grey: black on light, white on dark
        text = "#000000" if int(colour[1:3], 16) > 0x80 else "#ffffff"
        return f"background-color: {colour}; color: {text}"

    return table.style.map(paint)

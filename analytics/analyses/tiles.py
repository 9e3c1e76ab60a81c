"""The KPI tiles' figures in words: one computation for the dashboard's header and the report.

A tile is plain data (label, value, change); ``ui.tiles`` draws it on the page and the report
prints it, so the page and a board paper say the same.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from analytics.analyses import breakdowns
from analytics.analyses.catalog import Vocabulary
from analytics.filters import Filters
from analytics.formats import percent
from analytics.vocab import GOOD_OR_BETTER

# How a change is coloured, as st.metric's delta_color: "normal" when a rise is good, "inverse"
# when a rise is bad, "off" when a change is neither.
Tone = Literal["normal", "inverse", "off"]


@dataclass(frozen=True)
class Tile:
    """One tile: ``change`` is a whole number of ``unit`` (e.g. -8 "pts"), or None for none."""

    key: str
    label: str
    value: str
    change: int | None = None
    unit: str = ""
    tone: Tone = "off"
    help: str | None = None


def change_text(tile: Tile) -> str | None:
    """The change as a reader sees it: an arrow for its direction, then the signed number."""
    if tile.change is None:
        return None
    arrow = "↑ " if tile.change > 0 else "↓ " if tile.change < 0 else ""
    unit = f" {tile.unit}" if tile.unit else ""
    return f"{arrow}{tile.change:+d}{unit}"


def previous_period(filters: Filters, vocab: Vocabulary) -> tuple[Filters, str] | None:
    """The same filters over the period of equal length just before this one.

    None when there is nothing to compare with: the selection starts at the data's first year
    (its previous period lies before any inspection) or lies outside the data's years.
    """
    first, last = vocab.years
    y0 = max(first, filters.date_from.year) if filters.date_from else first
    y1 = min(last, filters.date_to.year) if filters.date_to else last
    if y0 > y1 or y0 <= first:
        return None
    length = y1 - y0 + 1
    p0, p1 = y0 - length, y0 - 1
    label = f"{p0}" if p0 == p1 else f"{p0} to {p1}"
    return filters.replace(date_from=dt.date(p0, 1, 1), date_to=dt.date(p1, 12, 31)), label


def previous_kpis(
    run: Callable[..., pd.DataFrame], filters: Filters, vocab: Vocabulary
) -> tuple[pd.Series, str] | None:
    """The previous period's ``kpis`` and its label ("2020 to 2022"), only when that period
    has inspections to compare with (``run`` runs an analysis by name).
    """
    previous = previous_period(filters, vocab)
    if previous is None:
        return None
    p = run(breakdowns.kpis, previous[0]).iloc[0]
    return (p, previous[1]) if p.inspections > 0 else None


def unit_tiles(unit: pd.Series, k: pd.Series) -> list[Tile]:
    """Tiles for one unit (its ``league`` row, the selection's ``kpis``): what its manager asks
    first.
    """
    approximate = " (approx.)" if unit.date_basis != "stated" else ""
    counted = (
        "from the first day of its month or year, or from a date no page states"
        if unit.months_approximate
        else "from its publication date"
    )
    first = pd.isna(unit.previous_rating)
    return [
        Tile("latest", "Latest rating", unit.rating),
        Tile("published", "Published", f"{unit.published}{approximate}"),
        Tile(
            "months",
            "Months since",
            f"{unit.months_since_latest}{' (approx.)' if unit.months_approximate else ''}",
            help=f"Whole months since the latest inspection was published, counted {counted}. "
            f"Rating age: {unit.freshness}.",
        ),
        Tile(
            "previous",
            "Previous rating",
            "First inspection" if first else unit.previous_rating,
            help="This is the unit's first inspection."
            if first
            else f"Published {unit.previous_published}; the change is {unit.change}.",
        ),
        Tile(
            "inspections",
            "Inspections",
            f"{k.inspections:,}",
            help="Of this unit, in the selected period.",
        ),
    ]


# (count column, label, tone): more Inadequate is worse, more Good or better is better
SHARE_TILES: tuple[tuple[str, str, Tone], ...] = (
    ("inadequate", "Inadequate", "inverse"),
    ("requires_improvement", "Requires improvement", "off"),
    ("good_or_better", "Good or better", "normal"),
)


def selection_tiles(k: pd.Series, p: pd.Series | None) -> list[Tile]:
    """Tiles for a selection (its ``kpis``): its size and its shares, changed since ``p`` (the
    previous period's ``kpis``, or None).
    """

    def change(column: str, *, share: bool) -> int | None:
        if p is None or pd.isna(k[column]) or pd.isna(p[column]):
            return None
        return int(round((k[column] - p[column]) * 100)) if share else int(k[column] - p[column])

    # what each counts, said where a manager could set it beside the league (each unit's latest
    # rating) or a unit's benchmark (PDUs only)
    tiles = [
        Tile(
            "inspections",
            "Inspections",
            f"{k.inspections:,}",
            change("inspections", share=False),
            help="Every inspection selected, of every type of unit: a unit inspected twice "
            "counts twice.",
        ),
        Tile(
            "units",
            "Units",
            f"{k.units:,}",
            change("units", share=False),
            help="Units of every type with an inspection selected.",
        ),
    ]
    for count, label, tone in SHARE_TILES:
        share = f"share_{count}"
        tiles.append(
            Tile(
                count,
                label,
                percent(k[share]),
                change(share, share=True),
                unit="pts",
                tone=tone,
                help=f"{k[count]:,} of the {k.inspections:,} inspections selected (every "
                "inspection, not only each unit's latest).",
            )
        )
    return tiles


def compared_tiles(table: pd.DataFrame) -> list[Tile]:
    """Tiles for compared units (the ``compare`` view's table): how many, their inspections in
    the period, and how many were last rated Inadequate, Requires improvement, Good or better.
    """
    n = len(table)
    latest = table.loc[table["inspections"] > 0, "rating"]
    good = int(latest.isin(GOOD_OR_BETTER).sum())
    return [
        Tile("units", "Units compared", f"{n:,}"),
        Tile("inspections", "Inspections", f"{int(table['inspections'].sum()):,}"),
        Tile("inadequate", "Latest Inadequate", f"{int((latest == 'Inadequate').sum())} of {n}"),
        Tile(
            "requires_improvement",
            "Latest Requires improvement",
            f"{int((latest == 'Requires improvement').sum())} of {n}",
        ),
        Tile("good_or_better", "Latest Good or better", f"{good} of {n}"),
    ]

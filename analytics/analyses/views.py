"""How each view is built: the analyses it runs and the chart it draws from them.

A builder takes ``run`` (analysis, filters, **options -> table; the analysis given by its
function, so a reader follows it to its SQL), so the dashboard builds a view through its cache
and the CLI straight on the connection, and both get the same figure.
The views are listed, with their titles and report places, in :mod:`analytics.analyses.viewspecs`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from analytics import charts
from analytics.analyses import breakdowns, trends, units
from analytics.analyses import compare as comparisons
from analytics.errors import InvalidFilterError
from analytics.filters import Filters

# An analysis runner: (analysis function, filters, **options) -> its table. The CLI's runs the
# SQL directly; the dashboard's is cached (under the registry's name for the function).
Runner = Callable[..., pd.DataFrame]


@dataclass(frozen=True)
class ViewOptions:
    """What a view may be asked for beyond the filters (each view reads the ones it uses)."""

    freq: str = "year"
    measure: str = "mean_points"
    as_share: bool = True
    unit_type: str | None = None
    unit_name: str | None = None
    # the compared units, (unit_type, unit_name) in the order compared
    compare: tuple[tuple[str, str], ...] = ()
    # the date months since the latest inspection count to (None: today); a long-running
    # dashboard passes it so a cached comparison is not one day behind after midnight
    as_of: dt.date | None = None


@dataclass(frozen=True)
class View:
    """A built view: its name, title, the table it shows and (for charts) its figure."""

    name: str
    title: str
    table: pd.DataFrame
    figure: go.Figure | None = None
    # the units it is of, in words ("Sheffield (PDU)", "4 units compared: ..."); "" for a view
    # of the filters' selection
    selection: str = ""


def with_other_regions(
    run: Runner, analysis: Callable[..., pd.DataFrame], f: Filters, **options
) -> pd.DataFrame:
    """``analysis`` of every region: with regions selected, the others are kept for
    comparison ("my region against the others", under the same other filters) and a column
    ``selected`` says which are selected.
    """
    if not f.regions:
        return run(analysis, f, **options)
    df = run(analysis, f.replace(regions=()), **options)
    return df.assign(selected=df["region"].isin(f.regions))


def ratings_by_region(run: Runner, f: Filters, _o: ViewOptions):
    """Overall ratings by region: the distribution by region as stacked bars (the regions not
    selected, if any, greyed beside the selected).
    """
    df = with_other_regions(run, breakdowns.rating_distribution, f, by="region")
    # regions with no inspection in the period are said, not dropped
    every = run(breakdowns.region_summary, f.replace(regions=()) if f.regions else f)
    return df, charts.ratings_by_region_chart(df, every=every)


def region_map(run: Runner, f: Filters, o: ViewOptions):
    """The regions map, coloured by ``o.measure``."""
    if o.measure not in breakdowns.REGION_MEASURES:
        raise InvalidFilterError(
            f"unknown measure '{o.measure}' (allowed: {', '.join(breakdowns.REGION_MEASURES)})"
        )
    df = with_other_regions(run, breakdowns.region_summary, f)
    return df, charts.region_map_chart(
        df, measure=o.measure, named=breakdowns.REGION_MEASURES[o.measure]
    )


def ratings(run: Runner, f: Filters, _o: ViewOptions):
    """Overall ratings of the selection as one bar."""
    df = run(breakdowns.rating_distribution, f)
    return df, charts.ratings_chart(df)


def ratings_over_time(run: Runner, f: Filters, o: ViewOptions):
    """Ratings per ``o.freq`` with the events marked, as shares or counts."""
    df = run(trends.rating_trend, f, freq=o.freq)
    events = run(trends.event_list, f)
    return df, charts.ratings_over_time_chart(df, events, as_share=o.as_share, freq=o.freq)


def standards(run: Runner, f: Filters, _o: ViewOptions):
    """Ratings per standard."""
    df = run(breakdowns.standard_breakdown, f)
    return df, charts.standards_chart(df)


def region_standard_matrix(run: Runner, f: Filters, _o: ViewOptions):
    """Mean points by region and standard as a heatmap."""
    df = run(breakdowns.region_standard_matrix, f)
    return df, charts.region_standard_matrix_chart(df)


def rating_changes(run: Runner, f: Filters, _o: ViewOptions):
    """Rating changes between consecutive inspections as a heatmap."""
    df = run(trends.rating_changes, f)
    return df, charts.rating_changes_chart(df)


def unit(o: ViewOptions) -> dict[str, str]:
    """The unit options of a one-unit view."""
    if not o.unit_type or not o.unit_name:
        raise InvalidFilterError("this view needs a unit (its type and name)")
    return {"unit_type": o.unit_type, "unit_name": o.unit_name}


def unit_timeline(run: Runner, f: Filters, o: ViewOptions):
    """One unit's ratings over time."""
    df = run(units.unit_history, f, **unit(o))
    return df, charts.unit_timeline_chart(df, unit_label=f"{o.unit_name} ({o.unit_type})")


def unit_benchmark(run: Runner, f: Filters, o: ViewOptions):
    """One unit against its region and the country."""
    df = run(units.unit_benchmark, f, **unit(o))
    return df, charts.unit_benchmark_chart(
        df, unit_label=f"{o.unit_name} ({o.unit_type})", unit_type=str(o.unit_type)
    )


def compared(o: ViewOptions) -> tuple[tuple[str, str], ...]:
    """The units of a comparison view."""
    if not o.compare:
        raise InvalidFilterError("this view needs the units to compare")
    return o.compare


# The comparison table's columns, in the order a board paper reads them.
COMPARE_COLUMNS = (
    "unit_name",
    "unit_type",
    "region",
    "inspections",
    "rating",
    "published",
    "date_basis",
    "previous_rating",
    "previous_published",
    "change",
    "months_since_latest",
    "months_approximate",
    "freshness",
)


def compare_wide(table: pd.DataFrame, standards: pd.DataFrame) -> pd.DataFrame:
    """One row per compared unit: ``compare_table``'s columns, then one column per standard.

    A standard's cell is its latest known rating in the period, with the date of the inspection
    that gave it when that was not the unit's latest (``"Good (2019-03)"``); blank where no
    rating is known.
    """
    known = standards.dropna(subset=["rating"])
    cell = known["rating"].where(
        known["from_latest"].fillna(False).astype(bool),
        known["rating"] + " (" + known["published"].astype(str) + ")",
    )
    wide = (
        known.assign(cell=cell)
        .pivot(index="position", columns="standard", values="cell")
        .reindex(index=table["position"], columns=standards["standard"].drop_duplicates())
    )
    out = table.set_index("position")[list(COMPARE_COLUMNS)]
    return pd.concat([out, wide], axis=1).reset_index(drop=True)


def compare(run: Runner, f: Filters, o: ViewOptions):
    """2 to 6 units side by side: their ratings on one time axis, and the comparison table."""
    units = compared(o)
    history = run(comparisons.compare_history, f, units=units)
    table = run(comparisons.compare_table, f, units=units, as_of=o.as_of)
    standards = run(comparisons.compare_standards, f, units=units)
    labels = [f"{name} ({unit_type})" for unit_type, name in units]
    return compare_wide(table, standards), charts.compare_chart(history, labels)


def compare_peers(run: Runner, f: Filters, o: ViewOptions):
    """The compared units' regions and the country: overall rating shares in the same period."""
    return run(comparisons.compare_peers, f, units=compared(o)), None


def table(analysis: Callable[..., pd.DataFrame]) -> Callable:
    """A builder of a view that is only the table of ``analysis`` (and named as it is)."""

    def build(run: Runner, f: Filters, _o: ViewOptions):
        return run(analysis, f), None

    build.__name__ = build.__qualname__ = analysis.__name__
    return build

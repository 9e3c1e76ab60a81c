"""The dashboard's views by name: the table behind each, and its chart where it has one.

The CLI's ``export`` builds a view here; the dashboard draws the same charts from the same
analyses, so a scheduled export and a button click give the same file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import pandas as pd
import plotly.graph_objects as go

from analytics import breakdowns, charts, trends, units
from analytics.errors import InvalidFilterError
from analytics.filters import Filters


@dataclass(frozen=True)
class View:
    """A named view: its title, the table it shows and (for charts) its figure."""

    name: str
    title: str
    table: pd.DataFrame
    figure: go.Figure | None = None


@dataclass(frozen=True)
class ViewOptions:
    freq: str = "year"
    measure: str = "mean_points"
    as_share: bool = True
    unit_type: str | None = None
    unit_name: str | None = None


def _region_bars(con, f, _options):
    df = breakdowns.rating_distribution(con, f, by="region")
    return df, charts.ratings_by_region(df)


def _region_map(con, f, o):
    if o.measure not in breakdowns.REGION_MEASURES:
        raise InvalidFilterError(
            f"unknown measure '{o.measure}' (allowed: {', '.join(breakdowns.REGION_MEASURES)})"
        )
    df = breakdowns.region_summary(con, f)
    label = breakdowns.REGION_MEASURES[o.measure]
    return df, charts.region_tile_map(df, measure=o.measure, measure_label=label)


def _ratings(con, f, _options):
    df = breakdowns.rating_distribution(con, f)
    return df, charts.rating_distribution_bar(df)


def _trend(con, f, o):
    df = trends.rating_trend(con, f, freq=o.freq)
    events = trends.event_list(con, f)
    return df, charts.rating_trend_chart(df, events, as_share=o.as_share, freq=o.freq)


def _standards(con, f, _options):
    df = breakdowns.standard_breakdown(con, f)
    return df, charts.standards_chart(df)


def _matrix(con, f, _options):
    df = breakdowns.region_standard_matrix(con, f)
    return df, charts.region_standard_heatmap(df)


def _changes(con, f, _options):
    df = trends.rating_changes(con, f)
    return df, charts.transitions_heatmap(df)


def _unit(o) -> tuple[str, str]:
    if not o.unit_type or not o.unit_name:
        raise InvalidFilterError("this view needs a unit (its type and name)")
    return o.unit_type, o.unit_name


def _timeline(con, f, o):
    unit_type, unit_name = _unit(o)
    df = units.unit_history(con, f, unit_type=unit_type, unit_name=unit_name)
    return df, charts.unit_timeline(df, unit_label=f"{unit_name} ({unit_type})")


def _benchmark(con, f, o):
    unit_type, unit_name = _unit(o)
    df = units.unit_benchmark(con, f, unit_type=unit_type, unit_name=unit_name)
    return df, charts.unit_benchmark_chart(df, unit_label=f"{unit_name} ({unit_type})")


def _table(function):
    return lambda con, f, _options: (function(con, f), None)


# name -> (title, builder(con, filters, options) -> (table, figure or None))
VIEWS: dict[str, tuple[str, Callable]] = {
    "ratings-by-region": ("Overall ratings by region", _region_bars),
    "region-map": ("Regions map", _region_map),
    "ratings": ("Overall ratings of the selected inspections", _ratings),
    "ratings-over-time": ("Overall ratings over time", _trend),
    "standards": ("Ratings by standard", _standards),
    "region-standard-matrix": ("Mean points by region and standard", _matrix),
    "rating-changes": ("Rating changes between consecutive inspections", _changes),
    "unit-timeline": ("A unit's ratings over time", _timeline),
    "unit-benchmark": ("A unit against its region and the country", _benchmark),
    "league-table": ("Latest rating of every unit", _table(units.league_table)),
    "inspections": ("Inspections", _table(units.inspection_list)),
    "coverage": ("Data coverage by type of service", _table(breakdowns.coverage)),
}
CHART_VIEWS: tuple[str, ...] = tuple(
    n for n in VIEWS if n not in {"league-table", "inspections", "coverage"}
)


def build_view(
    con: duckdb.DuckDBPyConnection, name: str, filters: Filters, options: ViewOptions | None = None
) -> View:
    """Compute a view's table and figure.

    Raises
    ------
    InvalidFilterError
        For an unknown view name or option.
    """
    if name not in VIEWS:
        raise InvalidFilterError(f"unknown view '{name}' (allowed: {', '.join(VIEWS)})")
    title, builder = VIEWS[name]
    table, figure = builder(con, filters, options or ViewOptions())
    if figure is not None:
        title = figure.layout.title.text or title
    return View(name=name, title=title, table=table, figure=figure)

"""Every view (an analysis with its chart or table, by the name its downloads carry), each
listed once.

The CLI's ``probation-ratings export`` choices, the report and the dashboard read this table, so
a chart is wired in one place: a builder in :mod:`analytics.charts` and :mod:`.views`, then one
:class:`ViewSpec` entry here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import duckdb
import pandas as pd
import plotly.graph_objects as go

from analytics.analyses import breakdowns, league, units, views
from analytics.analyses.registry import runner
from analytics.analyses.views import Runner, View, ViewOptions
from analytics.errors import InvalidFilterError
from analytics.filters import Filters


@dataclass(frozen=True)
class ViewSpec:
    """One view: its title, how it is built, and where the report shows it.

    Attributes
    ----------
    title : str
        The title when its figure has none (and of tables).
    build : callable
        ``(run, filters, options) -> (table, figure or None)``; ``run`` runs analyses, each
        given by its function. Its name is the view's.
    report : int or None
        Its place in the report (charts, then tables), or None when the report leaves it out.
    report_columns : tuple of str or None
        The columns a report table shows (None: all).
    rows : str or None
        For a table that grows with the data (one row per inspection or unit): the ``kpis``
        column that counts its rows, so that a file too large to make is refused before the
        table is built. None: a table of a few summary rows.
    """

    title: str
    build: Callable[[Runner, Filters, ViewOptions], tuple[pd.DataFrame, go.Figure | None]]
    report: int | None = None
    report_columns: tuple[str, ...] | None = None
    rows: str | None = None

    @property
    def name(self) -> str:
        """The name in download file names and ``probation-ratings export VIEW``: its builder's
        (one name per view; a chart view's figure comes from ``charts.<builder>_chart``).
        """
        return self.build.__name__.replace("_", "-")


# Each view, a constant the dashboard names it by (a reference, not its name).
RATINGS_BY_REGION = ViewSpec("Overall ratings by region", views.ratings_by_region, report=2)
REGION_MAP = ViewSpec("Regions map", views.region_map, report=3)
RATINGS = ViewSpec("Overall ratings of the selected inspections", views.ratings, report=1)
RATINGS_OVER_TIME = ViewSpec("Overall ratings over time", views.ratings_over_time, report=4)
STANDARDS = ViewSpec("Ratings by standard", views.standards, report=5)
REGION_STANDARD_MATRIX = ViewSpec(
    "Mean points by region and standard",
    views.region_standard_matrix,
    report=6,
)
RATING_CHANGES = ViewSpec(
    "Rating changes between consecutive inspections",
    views.rating_changes,
    report=7,
)
UNIT_TIMELINE = ViewSpec("A unit's ratings over time", views.unit_timeline)
UNIT_BENCHMARK = ViewSpec("A unit against its region and the country", views.unit_benchmark)
COMPARE = ViewSpec("Units compared", views.compare, report=10)
COMPARE_PEERS = ViewSpec(
    "Regions and England and Wales in the same period",
    views.compare_peers,
    report=11,
)
LEAGUE_TABLE = ViewSpec(
    "Latest rating of every unit",
    views.table(league.league_table),
    report=8,
    report_columns=(
        "rank",
        "unit_name",
        "unit_type",
        "region",
        "rating",
        "published",
        "previous_rating",
        "change",
    ),
    rows="units",
)
INSPECTIONS = ViewSpec(
    "Inspections",
    views.table(units.inspections),
    report=9,
    report_columns=(
        "published",
        "date_basis",
        "unit_type",
        "unit_name",
        "region",
        "rating",
        "source_url",
    ),
    rows="inspections",
)
COVERAGE = ViewSpec("Data coverage by type of service", views.table(breakdowns.coverage))

VIEWS: Mapping[str, ViewSpec] = MappingProxyType(
    {
        v.name: v
        for v in (
            RATINGS_BY_REGION,
            REGION_MAP,
            RATINGS,
            RATINGS_OVER_TIME,
            STANDARDS,
            REGION_STANDARD_MATRIX,
            RATING_CHANGES,
            UNIT_TIMELINE,
            UNIT_BENCHMARK,
            COMPARE,
            COMPARE_PEERS,
            LEAGUE_TABLE,
            INSPECTIONS,
            COVERAGE,
        )
    }
)
TABLE_VIEWS: frozenset[str] = frozenset(
    v.name for v in (LEAGUE_TABLE, INSPECTIONS, COVERAGE, COMPARE_PEERS)
)
# Views of the compared units: the report shows them only when units are being compared.
COMPARE_VIEWS: frozenset[str] = frozenset({COMPARE.name, COMPARE_PEERS.name})
CHART_VIEWS: tuple[str, ...] = tuple(n for n in VIEWS if n not in TABLE_VIEWS)
REPORT_VIEWS: tuple[str, ...] = tuple(
    n for _, n in sorted((v.report, n) for n, v in VIEWS.items() if v.report is not None)
)
# A selection's report (and gallery): the report's views but the comparison's.
SELECTION_VIEWS: tuple[str, ...] = tuple(n for n in REPORT_VIEWS if n not in COMPARE_VIEWS)
# One unit's: its history, its standards (of its inspections), its benchmark.
UNIT_VIEWS: tuple[str, ...] = tuple(v.name for v in (UNIT_TIMELINE, STANDARDS, UNIT_BENCHMARK))


def build_view(
    source: duckdb.DuckDBPyConnection | Runner,
    name: str,
    filters: Filters,
    options: ViewOptions | None = None,
) -> View:
    """Compute a view's table and figure.

    Parameters
    ----------
    source : DuckDBPyConnection or callable
        A connection (analyses run on it uncached) or a runner ``(name, filters, **options)``.
    name : str
        The view, a key of :data:`VIEWS`.
    filters : Filters
        The selection.
    options : ViewOptions, optional
        Period, measure, shares or counts, and the unit for unit views.

    Returns
    -------
    View
        The title is the figure's own where it has one.

    Raises
    ------
    InvalidFilterError
        For an unknown view name or option.
    """
    if name not in VIEWS:
        raise InvalidFilterError(f"unknown view '{name}' (allowed: {', '.join(VIEWS)})")
    spec = VIEWS[name]
    run = runner(source) if isinstance(source, duckdb.DuckDBPyConnection) else source
    options = options or ViewOptions()
    table, figure = spec.build(run, filters, options)
    meta = (figure.layout.meta or {}) if figure is not None else {}
    title = meta.get("title") or spec.title
    # a figure may say its units more fully than the options can (a unit with its region)
    said = meta.get("selection") or selection(name, options)
    return View(name=name, title=title, table=table, figure=figure, selection=said)


def selection(name: str, options: ViewOptions) -> str:
    """The units view ``name`` is of, in words: the compared units, or the one unit ("" for a
    view of the filters' selection).
    """
    if name in COMPARE_VIEWS and options.compare:
        labels = ", ".join(f"{n} ({t})" for t, n in options.compare)
        return f"{len(options.compare)} units compared: {labels}"
    if name.startswith("unit-") and options.unit_name:
        return f"{options.unit_name} ({options.unit_type})"
    return ""

"""Every analysis and every view, each listed once.

The CLI's choices and help (``probation-ratings query``/``export``), the benchmark
(``probation-ratings bench``), the oracle tests, the report and the dashboard all read these two
tables, so an analysis or a chart is wired in one place. A new analysis is a function in
breakdowns/trends/units, its pandas reference in :mod:`analytics.reference`, one
:class:`Analysis` entry here and its tests; a new chart is a builder in :mod:`analytics.charts` and
one :class:`ViewSpec` entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import duckdb
import pandas as pd
import plotly.graph_objects as go

from analytics import breakdowns, compare, reference, summary, trends, units, views
from analytics.errors import InvalidFilterError
from analytics.filters import Filters
from analytics.views import Runner, View, ViewOptions


def _frozen(mapping: Mapping) -> Mapping:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class Analysis:
    """One analysis and everything that lists it.

    Attributes
    ----------
    name : str
        Its name in the CLI (``query NAME``) and the dashboard.
    function : callable
        ``(con, filters, **options) -> DataFrame``: the SQL analysis.
    reference : callable
        The plain-pandas oracle with the same signature and result.
    help : str
        One line for the CLI's help.
    options : mapping
        Option name -> every value the oracle tests run it with.
    bench : mapping
        Benchmark case name -> the options of that case. A ``limit`` compares with the first rows
        of the reference (the page shows the first rows; the reference computes them all).
    in_cli : bool
        Whether ``probation-ratings query`` offers it.
    needs_unit : bool
        Whether it is of one unit (it takes ``unit_type`` and ``unit_name``).
    needs_units : bool
        Whether it compares units (it takes ``units``: 2 to 6 ``(unit_type, unit_name)``).
    """

    name: str
    function: Callable[..., pd.DataFrame]
    reference: Callable[..., pd.DataFrame]
    help: str
    options: Mapping[str, tuple]
    bench: Mapping[str, Mapping]
    in_cli: bool
    needs_unit: bool
    needs_units: bool = False


def _analysis(
    name,
    function,
    ref,
    help,
    *,
    options=None,
    bench=None,
    in_cli=True,
    needs_unit=False,
    needs_units=False,
) -> Analysis:
    return Analysis(
        name,
        function,
        ref,
        help,
        _frozen(options or {}),
        _frozen({c: _frozen(o) for c, o in ({name: {}} if bench is None else bench).items()}),
        in_cli,
        needs_unit,
        needs_units,
    )


_ALL_FREQS = {"freq": trends.FREQS}

# In the order of the CLI's help.
ANALYSES: Mapping[str, Analysis] = _frozen(
    {
        a.name: a
        for a in (
            _analysis("kpis", breakdowns.kpis, reference.kpis, "headline counts and shares"),
            _analysis(
                "distribution",
                breakdowns.rating_distribution,
                reference.rating_distribution,
                "count and share per rating, optionally --by region|unit_type|year",
                options={"by": (None, *breakdowns.DISTRIBUTION_GROUPS)},
                bench={
                    "distribution": {},
                    "distribution_by_region": {"by": "region"},
                    "distribution_by_year": {"by": "year"},
                },
            ),
            _analysis(
                "trend",
                trends.rating_trend,
                reference.rating_trend,
                "rating shares per --freq year|quarter",
                options=_ALL_FREQS,
                bench={"trend_year": {"freq": "year"}, "trend_quarter": {"freq": "quarter"}},
            ),
            _analysis(
                "standards",
                breakdowns.standard_breakdown,
                reference.standard_breakdown,
                "ratings per standard with coverage",
            ),
            _analysis(
                "matrix",
                breakdowns.region_standard_matrix,
                reference.region_standard_matrix,
                "region x standard mean points",
            ),
            _analysis(
                "league",
                units.league_table,
                reference.league_table,
                "latest rating of every unit, with months since it (--older-than N years)",
                options={
                    # a fixed day (the oracle compares both sides on it) and today
                    "as_of": (dt.date(2026, 12, 2), None),
                    "older_than_years": (None, 2, 5),
                },
                # the page asks for the first 1,001 rows (1,000 shown, one to know there are more)
                bench={"league": {}, "league_page": {"limit": 1001}},
            ),
            _analysis(
                "units",
                units.unit_list,
                reference.unit_list,
                "units with selected inspections",
                # the Units tab lists the first 1,000 units in the selection before the others
                bench={"unit_list_page": {"limit": 1000}},
            ),
            _analysis(
                "history",
                units.unit_history,
                reference.unit_history,
                "every rating of one --unit",
                needs_unit=True,
            ),
            _analysis(
                "benchmark",
                units.unit_benchmark,
                reference.unit_benchmark,
                "one --unit against its region and the country",
                needs_unit=True,
            ),
            _analysis(
                "changes", trends.rating_changes, reference.rating_changes, "rating transitions"
            ),
            _analysis(
                "change_counts",
                trends.rating_change_counts,
                reference.rating_change_counts,
                "units whose latest rating improved, held or fell since their previous one",
            ),
            _analysis(
                "compare",
                compare.compare_table,
                reference.compare_table,
                "2 to 6 --unit side by side: latest rating, previous, months since",
                options={"as_of": (dt.date(2026, 12, 2),)},
                bench={},
                needs_units=True,
            ),
            _analysis(
                "compare_history",
                compare.compare_history,
                reference.compare_history,
                "every overall rating of 2 to 6 --unit",
                bench={},
                needs_units=True,
            ),
            _analysis(
                "compare_standards",
                compare.compare_standards,
                reference.compare_standards,
                "each standard's latest known rating of 2 to 6 --unit",
                bench={},
                needs_units=True,
            ),
            _analysis(
                "compare_peers",
                compare.compare_peers,
                reference.compare_peers,
                "rating shares in the regions of 2 to 6 --unit and nationally",
                bench={},
                needs_units=True,
            ),
            _analysis(
                "summary",
                summary.view_summary,
                reference.view_summary,
                "what the selection shows, one sentence per row",
                bench={},
            ),
            _analysis(
                "coverage",
                breakdowns.coverage,
                reference.coverage,
                "data completeness per unit type",
            ),
            _analysis(
                "region_summary",
                breakdowns.region_summary,
                reference.region_summary,
                "per region: inspections, mean points and shares (the regions map)",
                in_cli=False,
            ),
            _analysis(
                "trend_excluded",
                trends.trend_excluded,
                reference.trend_excluded,
                "inspections too coarsely dated for --freq",
                options=_ALL_FREQS,
                bench={"trend_excluded": {"freq": "quarter"}},
                in_cli=False,
            ),
            _analysis(
                "events",
                trends.event_list,
                reference.event_list,
                "events marked on the trend chart",
                bench={},
                in_cli=False,
            ),
            _analysis(
                "inspections",
                units.inspection_list,
                reference.inspection_list,
                "the selected inspections, newest first",
                # the page shows the newest 1,000 rows
                bench={"inspections_page": {"limit": 1000}},
                in_cli=False,
            ),
        )
    }
)
CLI_ANALYSES: tuple[str, ...] = tuple(n for n, a in ANALYSES.items() if a.in_cli)


def analysis(name: str) -> Analysis:
    """The analysis called ``name``.

    Raises
    ------
    InvalidFilterError
        For an unknown name, listing the known ones.
    """
    if name not in ANALYSES:
        raise InvalidFilterError(f"unknown analysis '{name}' (allowed: {', '.join(ANALYSES)})")
    return ANALYSES[name]


def runner(con: duckdb.DuckDBPyConnection) -> Runner:
    """Run analyses by name on ``con``, uncached (the CLI's and the report's runner)."""

    def run(name: str, filters: Filters, **options) -> pd.DataFrame:
        return analysis(name).function(con, filters, **options)

    return run


# --- views: an analysis with its chart, by the name its downloads carry --------------------------


@dataclass(frozen=True)
class ViewSpec:
    """One view: its title, how it is built, and where the report shows it.

    Attributes
    ----------
    name : str
        The name in download file names and ``probation-ratings export VIEW``.
    title : str
        The title when its figure has none (and of tables).
    build : callable
        ``(run, filters, options) -> (table, figure or None)``; ``run`` runs analyses by name.
    report : int or None
        Its place in the report (charts, then tables), or None when the report leaves it out.
    report_columns : tuple of str or None
        The columns a report table shows (None: all).
    """

    name: str
    title: str
    build: Callable[[Runner, Filters, ViewOptions], tuple[pd.DataFrame, go.Figure | None]]
    report: int | None = None
    report_columns: tuple[str, ...] | None = None


VIEWS: Mapping[str, ViewSpec] = _frozen(
    {
        v.name: v
        for v in (
            ViewSpec("ratings-by-region", "Overall ratings by region", views.region_bars, report=2),
            ViewSpec("region-map", "Regions map", views.region_map, report=3),
            ViewSpec(
                "ratings", "Overall ratings of the selected inspections", views.ratings, report=1
            ),
            ViewSpec("ratings-over-time", "Overall ratings over time", views.trend, report=4),
            ViewSpec("standards", "Ratings by standard", views.standards, report=5),
            ViewSpec(
                "region-standard-matrix",
                "Mean points by region and standard",
                views.matrix,
                report=6,
            ),
            ViewSpec(
                "rating-changes",
                "Rating changes between consecutive inspections",
                views.changes,
                report=7,
            ),
            ViewSpec("unit-timeline", "A unit's ratings over time", views.timeline),
            ViewSpec(
                "unit-benchmark", "A unit against its region and the country", views.benchmark
            ),
            ViewSpec("compare", "Units compared", views.compare, report=10),
            ViewSpec(
                "compare-peers",
                "Regions and England and Wales in the same period",
                views.compare_peers,
                report=11,
            ),
            ViewSpec(
                "league-table",
                "Latest rating of every unit",
                views.table("league"),
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
            ),
            ViewSpec(
                "inspections",
                "Inspections",
                views.table("inspections"),
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
            ),
            ViewSpec("coverage", "Data coverage by type of service", views.table("coverage")),
        )
    }
)
TABLE_VIEWS: frozenset[str] = frozenset(
    {"league-table", "inspections", "coverage", "compare-peers"}
)
# Views of the compared units: the report shows them only when units are being compared.
COMPARE_VIEWS: frozenset[str] = frozenset({"compare", "compare-peers"})
CHART_VIEWS: tuple[str, ...] = tuple(n for n in VIEWS if n not in TABLE_VIEWS)
REPORT_VIEWS: tuple[str, ...] = tuple(
    n for _, n in sorted((v.report, n) for n, v in VIEWS.items() if v.report is not None)
)


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
    table, figure = spec.build(run, filters, options or ViewOptions())
    title = (figure.layout.title.text if figure is not None else None) or spec.title
    return View(name=name, title=title, table=table, figure=figure)

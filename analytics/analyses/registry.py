"""Every analysis, each listed once (the views that chart them: :mod:`.viewspecs`).

The CLI's choices and help (``probation-ratings query``), the benchmark (``probation-ratings
bench``), the oracle tests, the report and the dashboard all read this table, so an analysis is
wired in one place. A new analysis is a function in breakdowns/trends/units, its pandas reference
in :mod:`analytics.reference`, one :class:`Analysis` entry here and its tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from types import MappingProxyType

import duckdb
import pandas as pd

from analytics import reference
from analytics.analyses import breakdowns, compare, league, summary, trends, units
from analytics.analyses.views import Runner
from analytics.errors import InvalidFilterError
from analytics.filters import Filters


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
    function,
    help,
    *,
    ref=None,
    options=None,
    bench=None,
    in_cli=True,
    needs_unit=False,
    needs_units=False,
) -> Analysis:
    # one name per analysis: its function's, which its pandas reference also carries
    name = function.__name__
    return Analysis(
        name,
        function,
        getattr(reference, name) if ref is None else ref,
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
            _analysis(breakdowns.kpis, "headline counts and shares"),
            _analysis(
                breakdowns.rating_distribution,
                "count and share per rating, optionally --by region|unit_type|year",
                options={"by": (None, *breakdowns.DISTRIBUTION_GROUPS)},
                bench={
                    "rating_distribution": {},
                    "rating_distribution_by_region": {"by": "region"},
                    "rating_distribution_by_year": {"by": "year"},
                },
            ),
            _analysis(
                trends.rating_trend,
                "rating shares per --freq year|quarter",
                options=_ALL_FREQS,
                bench={
                    "rating_trend_year": {"freq": "year"},
                    "rating_trend_quarter": {"freq": "quarter"},
                },
            ),
            _analysis(
                breakdowns.standard_breakdown,
                "ratings per standard with coverage",
            ),
            _analysis(
                breakdowns.region_standard_matrix,
                "region x standard mean points",
            ),
            _analysis(
                league.league_table,
                "latest rating of every unit, with months since it (--older-than N years)",
                options={
                    # a fixed day (the oracle compares both sides on it) and today
                    "as_of": (dt.date(2026, 12, 2), None),
                    "older_than_years": (None, 2, 5),
                },
                # the page asks for the first 1,001 rows (1,000 shown, one to know there are more)
                bench={"league_table": {}, "league_table_page": {"limit": 1001}},
            ),
            _analysis(
                units.unit_list,
                "units with selected inspections",
                # the Units tab lists the first 1,000 units in the selection before the others
                bench={"unit_list_page": {"limit": 1000}},
            ),
            _analysis(
                units.unit_history,
                "every rating of one --unit",
                needs_unit=True,
            ),
            _analysis(
                units.report_figures,
                "numbers stated about one --unit's reports: recommendations, % of cases sufficient",
                needs_unit=True,
            ),
            _analysis(
                units.unit_benchmark,
                "one --unit against its region and the country",
                needs_unit=True,
            ),
            _analysis(trends.rating_changes, "rating transitions"),
            _analysis(
                trends.rating_change_counts,
                "units whose latest rating improved, held or fell since their previous one",
            ),
            _analysis(
                compare.compare_table,
                "2 to 6 --unit side by side: latest rating, previous, months since",
                options={"as_of": (dt.date(2026, 12, 2),)},
                needs_units=True,
            ),
            _analysis(
                compare.compare_history,
                "every overall rating of 2 to 6 --unit",
                needs_units=True,
            ),
            _analysis(
                compare.compare_standards,
                "each standard's latest known rating of 2 to 6 --unit",
                needs_units=True,
            ),
            _analysis(
                compare.compare_peers,
                "rating shares in the regions of 2 to 6 --unit and nationally",
                needs_units=True,
            ),
            _analysis(
                summary.view_summary,
                "what the selection shows, one sentence per row",
                # the same sentences, each analysis answered by its own reference
                ref=partial(reference.view_summary, reference_of=lambda fn: of(fn).reference),
            ),
            _analysis(
                breakdowns.coverage,
                "data completeness per unit type",
            ),
            _analysis(
                breakdowns.region_summary,
                "per region: inspections, mean points and shares (the regions map)",
                in_cli=False,
            ),
            _analysis(
                trends.trend_excluded,
                "inspections too coarsely dated for --freq",
                options=_ALL_FREQS,
                bench={"trend_excluded": {"freq": "quarter"}},
                in_cli=False,
            ),
            _analysis(
                trends.event_list,
                "events marked on the trend chart",
                bench={},
                in_cli=False,
            ),
            _analysis(
                units.inspections,
                "the selected inspections, newest first",
                # the page shows the newest 1,000 rows
                bench={"inspections_page": {"limit": 1000}},
                in_cli=False,
            ),
        )
    }
)
CLI_ANALYSES: tuple[str, ...] = tuple(n for n, a in ANALYSES.items() if a.in_cli)
# The names the command line and the data API knew analyses by before each took its function's
# name (December 2026): still understood, so scripts and saved links keep working, never shown.
FORMER_NAMES: Mapping[str, str] = _frozen(
    {
        "distribution": breakdowns.rating_distribution.__name__,
        "trend": trends.rating_trend.__name__,
        "standards": breakdowns.standard_breakdown.__name__,
        "matrix": breakdowns.region_standard_matrix.__name__,
        "league": league.league_table.__name__,
        "units": units.unit_list.__name__,
        "history": units.unit_history.__name__,
        "benchmark": units.unit_benchmark.__name__,
        "changes": trends.rating_changes.__name__,
        "change_counts": trends.rating_change_counts.__name__,
        "compare": compare.compare_table.__name__,
        "summary": summary.view_summary.__name__,
        "events": trends.event_list.__name__,
    }
)
# Each analysis by its function: code names an analysis by the function it runs.
BY_FUNCTION: Mapping[Callable[..., pd.DataFrame], Analysis] = _frozen(
    {a.function: a for a in ANALYSES.values()}
)


def current_name(name: str) -> str:
    """``name``, or the analysis's name if ``name`` is one it was known by before."""
    return FORMER_NAMES.get(name, name)


def analysis(name: str) -> Analysis:
    """The analysis called ``name`` (or formerly so).

    Raises
    ------
    InvalidFilterError
        For an unknown name, listing the known ones.
    """
    name = current_name(name)
    if name not in ANALYSES:
        raise InvalidFilterError(f"unknown analysis '{name}' (allowed: {', '.join(ANALYSES)})")
    return ANALYSES[name]


def of(function: Callable[..., pd.DataFrame]) -> Analysis:
    """The registered analysis that runs ``function``.

    Raises
    ------
    InvalidFilterError
        For a function that is no registered analysis.
    """
    if function not in BY_FUNCTION:
        raise InvalidFilterError(f"{function.__qualname__} is not a registered analysis")
    return BY_FUNCTION[function]


def runner(con: duckdb.DuckDBPyConnection) -> Runner:
    """Run analyses on ``con`` (the CLI's and the report's runner), each once: a second call
    with the same analysis, filters and options answers from the first, so a report's tiles,
    charts and summary share what they have in common (the dashboard's cache does the same
    across reruns). Each caller gets its own copy of the table.
    """
    done: dict[tuple, pd.DataFrame] = {}

    def run(function: Callable[..., pd.DataFrame], filters: Filters, **options) -> pd.DataFrame:
        # options hold dates, numbers, text and the compared units' pairs: repr is exact
        key = (function, filters, repr(sorted(options.items())))
        if key not in done:
            done[key] = of(function).function(con, filters, **options)
        return done[key].copy()

    return run

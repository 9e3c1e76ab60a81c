"""Every analysis again, in plain pandas: the oracle the SQL analyses are tested against.

Each function has the signature, output columns, sort order and meaning of its namesake in
:mod:`analytics.analyses.breakdowns`, :mod:`analytics.analyses.compare`,
:mod:`analytics.analyses.trends` or :mod:`analytics.analyses.units` (one module here
per module there); their docstrings are the specification (inspection-level analyses ignore
``filters.standards``, as theirs do). The only SQL is ``select * from <table>`` in
:func:`~analytics.reference.common.load`: filtering, joining and aggregating all happen in pandas,
so a benchmark comparing the two measures DuckDB against an honest, vectorised pandas
implementation.
"""

from analytics.reference.breakdowns import (
    coverage,
    kpis,
    rating_distribution,
    region_standard_matrix,
    region_summary,
    standard_breakdown,
)
from analytics.reference.common import apply_filters, load
from analytics.reference.compare import (
    compare_history,
    compare_peers,
    compare_standards,
    compare_table,
)
from analytics.reference.league import league_table
from analytics.reference.summary import view_summary
from analytics.reference.trends import (
    event_list,
    rating_change_counts,
    rating_changes,
    rating_trend,
    trend_excluded,
)
from analytics.reference.units import (
    inspections,
    report_figures,
    unit_benchmark,
    unit_history,
    unit_list,
)

__all__ = [
    "apply_filters",
    "compare_history",
    "compare_peers",
    "compare_standards",
    "compare_table",
    "coverage",
    "event_list",
    "inspections",
    "report_figures",
    "kpis",
    "league_table",
    "load",
    "rating_change_counts",
    "rating_changes",
    "rating_distribution",
    "rating_trend",
    "region_standard_matrix",
    "region_summary",
    "standard_breakdown",
    "trend_excluded",
    "unit_benchmark",
    "unit_history",
    "unit_list",
    "view_summary",
]

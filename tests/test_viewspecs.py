"""Every view listed once (analytics/analyses/viewspecs.py): named by its builder, drawing its
namesake chart, in the report's order.
"""

from __future__ import annotations

import inspect

from analytics import charts
from analytics.analyses import (
    views,
    viewspecs,
)


def test_each_view_is_named_by_its_builder_and_draws_its_namesake_chart():
    chart_views = [
        v.build.__name__ for v in viewspecs.VIEWS.values() if v.name not in viewspecs.TABLE_VIEWS
    ]
    assert [f"{name}_chart" for name in chart_views] == [
        "ratings_by_region_chart",
        "region_map_chart",
        "ratings_chart",
        "ratings_over_time_chart",
        "standards_chart",
        "region_standard_matrix_chart",
        "rating_changes_chart",
        "unit_timeline_chart",
        "unit_benchmark_chart",
        "compare_chart",
    ]
    assert sorted(charts.__all__) == sorted(f"{name}_chart" for name in chart_views)
    for name in chart_views:
        assert f"charts.{name}_chart(" in inspect.getsource(getattr(views, name))
    # a table view carries its analysis's name
    assert [viewspecs.LEAGUE_TABLE.name, viewspecs.INSPECTIONS.name, viewspecs.COVERAGE.name] == [
        "league-table",
        "inspections",
        "coverage",
    ]


def test_the_report_shows_charts_then_tables_in_page_order():
    assert viewspecs.REPORT_VIEWS == (
        "ratings",
        "ratings-by-region",
        "region-map",
        "ratings-over-time",
        "standards",
        "region-standard-matrix",
        "rating-changes",
        "league-table",
        "inspections",
        "compare",
        "compare-peers",
    )
    # shown only when units are compared
    assert {"compare", "compare-peers"} == viewspecs.COMPARE_VIEWS

"""The benchmark (analytics/analyses/bench.py): every registered analysis's cases with their
options, the summary timed as a report makes it, and the report's table.
"""

from __future__ import annotations

from analytics import reference
from analytics.analyses import bench, summary, trends
from analytics.filters import Filters


def test_bench_cases_come_from_the_registry():
    picked = [("PDU", "Sunderland"), ("CRC", "Wales")]
    cases = bench._cases(picked)
    assert list(cases) == [
        "kpis",
        "rating_distribution",
        "rating_distribution_by_region",
        "rating_distribution_by_year",
        "rating_trend_year",
        "rating_trend_quarter",
        "standard_breakdown",
        "region_standard_matrix",
        "league_table",
        "league_table_page",
        "unit_list_page",
        "unit_history",
        "report_figures",
        "unit_benchmark",
        "rating_changes",
        "rating_change_counts",
        "compare_table",
        "compare_history",
        "compare_standards",
        "compare_peers",
        "view_summary",
        "coverage",
        "region_summary",
        "trend_excluded",
        "inspections_page",
    ]
    assert cases["unit_history"][2] == {"unit_type": "PDU", "unit_name": "Sunderland"}
    assert cases["compare_peers"][2] == {"units": [("PDU", "Sunderland"), ("CRC", "Wales")]}
    assert cases["league_table_page"][2] == {"limit": 1001}
    assert cases["rating_trend_quarter"][:2] == (trends.rating_trend, reference.rating_trend)


def test_the_shared_summary_is_timed_on_a_runner_that_made_its_report_first(con):
    timing = bench._shared_summary(con, Filters(), 2)
    standalone = summary.view_summary(con, Filters())
    assert (timing.analysis, timing.filtered, timing.runs, timing.rows) == (
        "view_summary_shared",
        False,
        2,
        len(standalone),
    )
    assert timing.reference_median_ms is None and timing.median_ms > 0


def test_the_report_aligns_long_case_names():
    report = {
        "inspections": 1000,
        "seed": 1,
        "rows": {"standard_ratings": 12000},
        "build_seconds": 0.5,
        "database_mib": 3.0,
        "peak_rss_mib_bench_process": 200.0,
        "analyses": [
            {
                "analysis": "rating_distribution_by_region",
                "filtered": True,
                "median_ms": 18.25,
                "p95_ms": 19.5,
                "reference_median_ms": 1374.0,
                "speedup": 75.3,
                "rows": 52,
            }
        ],
    }
    assert bench.format_report(report).splitlines()[3:] == [
        "analysis                       filter    median ms   p95 ms  pandas ms x faster    rows",
        "rating_distribution_by_region  yes            18.2     19.5       1374     75.3      52",
    ]

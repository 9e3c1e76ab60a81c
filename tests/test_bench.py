"""The benchmark's cases: every registered analysis's, with the options of each case."""

from __future__ import annotations

from analytics import reference
from analytics.analyses import (
    bench,
    trends,
)


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

"""The registry: every analysis and view listed once, and every reader of it sees the same list."""

from __future__ import annotations

import functools
import inspect

import pytest
from pandas.testing import assert_frame_equal

from analytics import charts, cli, reference
from analytics.analyses import (
    bench,
    breakdowns,
    compare,
    league,
    registry,
    summary,
    trends,
    units,
    views,
    viewspecs,
)
from analytics.errors import InvalidFilterError
from analytics.filters import Filters


def _public_analyses(module) -> set[str]:
    """Functions of an analysis module that take (con, filters, ...): the analyses themselves."""
    return {
        name
        for name, fn in inspect.getmembers(module, inspect.isfunction)
        if fn.__module__ == module.__name__
        and not name.startswith("_")
        and list(inspect.signature(fn).parameters)[:2] == ["con", "filters"]
    }


def test_every_analysis_function_is_registered_once():
    registered = [a.function.__name__ for a in registry.ANALYSES.values()]
    assert len(registered) == len(set(registered)) == 22
    assert set(registered) == (
        _public_analyses(breakdowns)
        | _public_analyses(trends)
        | _public_analyses(units)
        | _public_analyses(league)
        | _public_analyses(compare)
        | _public_analyses(summary)
    )


def test_every_analysis_has_its_namesake_reference():
    for a in registry.ANALYSES.values():
        # the summary's reference is bound to the registry's references (of the analyses it reads)
        ref = a.reference.func if isinstance(a.reference, functools.partial) else a.reference
        assert ref is getattr(reference, a.function.__name__)
        # ``limit`` pages the SQL; a reference computes every row and its caller cuts them.
        sql = [p for p in inspect.signature(a.function).parameters if p != "limit"]
        bound = getattr(a.reference, "keywords", {})
        assert [p for p in inspect.signature(a.reference).parameters if p not in bound] == sql


def test_the_cli_offers_the_registry_analyses_in_order():
    assert registry.CLI_ANALYSES == (
        "kpis",
        "rating_distribution",
        "rating_trend",
        "standard_breakdown",
        "region_standard_matrix",
        "league_table",
        "unit_list",
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
    )
    query = next(
        a
        for a in cli.build_parser()._subparsers._group_actions[0].choices["query"]._actions
        if a.dest == "analysis"
    )
    assert tuple(query.choices) == registry.CLI_ANALYSES


def test_former_analysis_names_still_answer_as_the_current_ones(fixture_db, capsys):
    """Scripts and links written before analyses took their functions' names keep working."""
    assert {old: registry.analysis(old).name for old in registry.FORMER_NAMES} == {
        "distribution": "rating_distribution",
        "trend": "rating_trend",
        "standards": "standard_breakdown",
        "matrix": "region_standard_matrix",
        "league": "league_table",
        "units": "unit_list",
        "history": "unit_history",
        "benchmark": "unit_benchmark",
        "changes": "rating_changes",
        "change_counts": "rating_change_counts",
        "compare": "compare_table",
        "summary": "view_summary",
        "events": "event_list",
    }
    printed = []
    for name in ("trend", "rating_trend"):
        args = ["query", name, "--freq", "quarter", "--format", "csv", "--db", str(fixture_db)]
        assert cli.main(args) == 0
        printed.append(capsys.readouterr().out)
    assert printed[0] == printed[1]
    assert printed[0].splitlines()[0] == (
        "period,period_start,rating,n,share,inspections,mean_points,small_count"
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


def test_unit_analyses_are_the_three_of_one_unit():
    assert [a.name for a in registry.ANALYSES.values() if a.needs_unit] == [
        "unit_history",
        "report_figures",
        "unit_benchmark",
    ]


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


def test_unknown_names_are_refused_with_the_allowed_ones(con):
    with pytest.raises(InvalidFilterError) as info:
        registry.analysis("pie")
    assert str(info.value).startswith(
        "unknown analysis 'pie' (allowed: kpis, rating_distribution, "
    )
    with pytest.raises(InvalidFilterError) as info:
        viewspecs.build_view(registry.runner(con), "pie", Filters())
    assert str(info.value).startswith("unknown view 'pie' (allowed: ratings-by-region, ")


@pytest.mark.parametrize("name", list(viewspecs.VIEWS))
def test_a_view_built_through_a_runner_equals_one_built_on_the_connection(con, name):
    """The dashboard builds views through its cached runner, the CLI on the connection."""
    options = views.ViewOptions(
        unit_type="PDU", unit_name="Alpha", compare=(("PDU", "Alpha"), ("Region", "North"))
    )
    calls = []

    def run(analysis, filters, **kw):
        calls.append(analysis)
        return analysis(con, filters, **kw)

    via_runner = viewspecs.build_view(run, name, Filters(), options)
    direct = viewspecs.build_view(con, name, Filters(), options)
    # each analysis is named by its function, a registered one
    assert calls and set(calls) <= set(registry.BY_FUNCTION)
    assert via_runner.title == direct.title
    assert_frame_equal(via_runner.table, direct.table)
    assert (via_runner.figure is None) == (name in viewspecs.TABLE_VIEWS)


def test_a_unit_view_without_a_unit_says_so(con):
    with pytest.raises(InvalidFilterError) as info:
        viewspecs.build_view(con, "unit-timeline", Filters())
    assert str(info.value) == "this view needs a unit (its type and name)"


def test_league_analysis_is_the_units_module_function():
    assert registry.analysis("league_table").function is league.league_table


def test_duckdb_errors_become_one_plain_error_with_the_cause_chained(con, caplog):
    import duckdb

    from analytics.analyses.sql import QUERY_FAILED, fetch_batches, fetch_df
    from analytics.errors import QueryError

    with pytest.raises(QueryError) as failed:
        fetch_df(con, "select no_such_column from inspection_facts")
    assert str(failed.value) == QUERY_FAILED
    assert isinstance(failed.value.__cause__, duckdb.BinderException)
    with pytest.raises(QueryError, match="could not be computed"):
        list(fetch_batches(con, "select no_such_column from inspection_facts"))
    assert caplog.text.count("query failed: Binder Error") == 2

"""The registry: every analysis and view listed once, and every reader of it sees the same list."""

from __future__ import annotations

import dataclasses
import functools
import inspect

import pytest

from analytics import cli, reference
from analytics.analyses import (
    breakdowns,
    compare,
    league,
    registry,
    summary,
    trends,
    units,
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


def test_unit_analyses_are_the_three_of_one_unit():
    assert [a.name for a in registry.ANALYSES.values() if a.needs_unit] == [
        "unit_history",
        "report_figures",
        "unit_benchmark",
    ]


def test_unknown_names_are_refused_with_the_allowed_ones(con):
    with pytest.raises(InvalidFilterError) as info:
        registry.analysis("pie")
    assert str(info.value).startswith(
        "unknown analysis 'pie' (allowed: kpis, rating_distribution, "
    )
    with pytest.raises(InvalidFilterError) as info:
        viewspecs.build_view(registry.runner(con), "pie", Filters())
    assert str(info.value).startswith("unknown view 'pie' (allowed: ratings-by-region, ")


def test_league_analysis_is_the_units_module_function():
    assert registry.analysis("league_table").function is league.league_table


def test_a_runner_runs_each_analysis_once_and_hands_out_copies(con, monkeypatch):
    """A report's tiles, charts and summary share one runner: what they share runs once."""
    calls = []
    real = breakdowns.kpis

    def counted(con_, filters, **options):
        calls.append(filters)
        return real(con_, filters, **options)

    entry = dataclasses.replace(registry.of(breakdowns.kpis), function=counted)
    monkeypatch.setattr(registry, "of", lambda _function: entry)
    run = registry.runner(con)
    first = run(breakdowns.kpis, Filters())
    first.loc[0, "inspections"] = -1  # a caller's change stays its own
    again = run(breakdowns.kpis, Filters())
    other = run(breakdowns.kpis, Filters(regions=("North",)))
    assert calls == [Filters(), Filters(regions=("North",))]
    assert (int(again.iloc[0].inspections), int(other.iloc[0].inspections)) == (10, 5)

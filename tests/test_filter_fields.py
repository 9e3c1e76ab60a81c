"""The filters' one declaration (issue 29, point 2): Filters, the sidebar, the command line and
the derived tables follow it, and no other list in the tree spells the filter parameters out.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from analytics import filter_fields
from analytics.cli import queries
from analytics.cli.parser import build_parser
from analytics.filter_fields import APPROXIMATE, CHOICES, FILTER_PARAMS, PERIOD
from analytics.filters import Filters, parse_query_params
from tests.code_scan import spelled_out


def test_each_field_of_filters_is_one_declared_filter():
    declared = [c.field for c in CHOICES] + [*PERIOD.fields, APPROXIMATE.field]
    assert sorted(f.name for f in dataclasses.fields(Filters)) == sorted(declared)


def test_a_selection_of_every_filter_round_trips_through_a_link_and_the_command_line():
    picked = {c.field: (c.allowed or ("North East",))[:1] for c in CHOICES}
    every = Filters(
        **picked,
        date_from=dt.date(2024, 1, 1),
        date_to=dt.date(2024, 12, 31),
        include_approximate=False,
    )
    params = every.to_query_params()
    assert list(params) == list(FILTER_PARAMS)
    assert parse_query_params(params) == (every, [])
    argv = ["query", "kpis", APPROXIMATE.flag]
    for choice in CHOICES:
        argv += [choice.flag, *params[choice.param]]
    for param in PERIOD.params:
        argv += [f"--{param}", *params[param]]
    assert queries._filters(build_parser().parse_args(argv)) == every


def test_the_standard_facts_carry_every_filters_column(con):
    columns = {r[0] for r in con.execute("describe standard_facts").fetchall()}
    assert set(filter_fields.FILTER_COLUMNS) <= columns
    counts = {r[0] for r in con.execute("describe standard_counts").fetchall()}
    assert {PERIOD.column, APPROXIMATE.column} <= counts


def test_the_filter_parameters_are_written_out_once_in_the_whole_tree():
    # the one place: test_filters' expected link of a selection that uses every filter
    spelled = spelled_out(FILTER_PARAMS, dict_keys=True)
    assert [where.split(":")[0] for where in spelled] == ["tests/test_filters.py"]
    widgets = {c.widget for c in CHOICES}
    assert spelled_out(widgets, dict_keys=True) == []

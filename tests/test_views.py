"""The view builders (analytics/analyses/views.py): built the same through any runner (cached or
not), and a one-unit view asked without a unit says so.
"""

from __future__ import annotations

import pytest
from pandas.testing import assert_frame_equal

from analytics.analyses import (
    registry,
    views,
    viewspecs,
)
from analytics.errors import InvalidFilterError
from analytics.filters import Filters


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

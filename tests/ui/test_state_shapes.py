"""filters_from_state (ui/state.py) when a client sends a slider state no browser would."""

from __future__ import annotations

import datetime as dt

import pytest

from analytics.analyses.catalog import Vocabulary
from analytics.filters import Filters
from ui.state import filters_from_state

VOCAB = Vocabulary(regions=["North"], unit_names=["A"], units=[("PDU", "A")], years=(2018, 2025))


@pytest.mark.parametrize("years", [2018, (2019,), [], (2018, 2019, 2020)])
def test_a_slider_state_of_the_wrong_shape_selects_the_whole_period(years):
    assert filters_from_state({"f_years": years, "f_region": ["North"]}, VOCAB) == Filters(
        regions=("North",)
    )


def test_a_pair_of_years_selects_them():
    assert filters_from_state({"f_years": (2019, 2020)}, VOCAB) == Filters(
        date_from=dt.date(2019, 1, 1), date_to=dt.date(2020, 12, 31)
    )

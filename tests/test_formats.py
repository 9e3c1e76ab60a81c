"""analytics/formats.py: the one percent format of tiles, charts and reports."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.formats import percent


@pytest.mark.parametrize(
    ("share", "shown"),
    [(0.351, "35%"), (0.0, "0%"), (1.0, "100%"), (0.004, "0%"), (0.996, "100%"), (2 / 3, "67%")],
)
def test_a_share_is_a_whole_percent(share, shown):
    assert percent(share) == shown


@pytest.mark.parametrize("nothing", [None, float("nan"), pd.NA])
def test_a_share_of_nothing_is_a_dash_never_a_made_up_zero(nothing):
    assert percent(nothing) == "–"

"""analytics/summary.py: each sentence from literal count tables, and from the fixture database."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analytics import summary, trends
from analytics.filters import Filters

KINDS = ["improved", "unchanged", "declined", "first inspection"]


def counts(*units_of_each: int) -> pd.DataFrame:
    return pd.DataFrame({"change": KINDS, "units": list(units_of_each)})


@pytest.mark.parametrize(
    ("table", "sentence"),
    [
        (
            counts(3, 13, 3, 76),
            "Against their previous inspection, of 19 units inspected before: 3 improved, "
            "13 unchanged, 3 declined; 76 units had a first inspection.",
        ),
        (
            counts(1, 0, 0, 1),
            "Against their previous inspection, of 1 unit inspected before: 1 improved, "
            "0 unchanged, 0 declined; 1 unit had a first inspection.",
        ),
        (
            counts(0, 1200, 2, 0),
            "Against their previous inspection, of 1,202 units inspected before: 0 improved, "
            "1,200 unchanged, 2 declined.",
        ),
        (
            counts(0, 0, 0, 2),
            "None of the 2 units selected has an earlier inspection to compare with.",
        ),
        (counts(0, 0, 0, 0), "No units are selected."),
    ],
)
def test_change_sentence(table, sentence):
    assert summary.change_sentence(table) == sentence


def test_change_sentence_of_the_fixture(con):
    # PDUs from 2024: Alpha (I -> RI) improved and Beta (RI -> I) declined
    table = trends.rating_change_counts(
        con, Filters(unit_types=("PDU",), date_from=dt.date(2024, 1, 1))
    )
    assert summary.change_sentence(table) == (
        "Against their previous inspection, of 2 units inspected before: 1 improved, "
        "0 unchanged, 1 declined."
    )

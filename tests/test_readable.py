"""Tables as a person reads them (analytics/export/readable.py) and the tiles of compared units."""

from __future__ import annotations

import pandas as pd

from analytics.analyses import summary
from analytics.analyses.tiles import compared_tiles
from analytics.export.readable import for_people


def test_a_table_for_people_has_plain_headers_whole_percents_and_words():
    df = pd.DataFrame(
        {
            "published": ["2019-06", "2023-02-09", None],
            "date_basis": ["url", "stated", "stated"],
            "rating": ["Good", "Inadequate", None],
            "n": [3, 1200, 0],
            "share": [0.3333, 0.666, float("nan")],
            "mean_points": [1.23456, 0.0, None],
            "small_count": [True, False, None],
        }
    )
    out = for_people(df, headers={"n": "Inspections"})
    assert out.columns.tolist() == [
        "Published",
        "Rating",
        "Inspections",
        "Share",
        "Mean points (0-3)",
        "Small count",
    ]
    assert out.to_dict("records") == [
        {
            "Published": "2019-06 (approx.)",
            "Rating": "Good",
            "Inspections": "3",
            "Share": "33%",
            "Mean points (0-3)": "1.23",
            "Small count": "fewer than 5 inspections",
        },
        {
            "Published": "2023-02-09",
            "Rating": "Inadequate",
            "Inspections": "1,200",
            "Share": "67%",
            "Mean points (0-3)": "0.00",
            "Small count": "",
        },
        {
            "Published": "",
            "Rating": "",
            "Inspections": "0",
            "Share": "",
            "Mean points (0-3)": "",
            "Small count": "",
        },
    ]


COMPARED = pd.DataFrame(
    {
        "unit_name": ["A", "B", "C", "D"],
        "inspections": [2, 1, 0, 3],
        "rating": ["Inadequate", "Good", None, "Inadequate"],
    }
)


def test_compared_units_in_one_sentence_and_five_tiles():
    assert summary.compared_sentence(COMPARED) == (
        "Of the 4 units compared, the latest overall ratings are 2 Inadequate, 1 Good; "
        "1 had no inspection in this period."
    )
    assert [(t.label, t.value) for t in compared_tiles(COMPARED)] == [
        ("Units compared", "4"),
        ("Inspections", "6"),
        ("Latest Inadequate", "2 of 4"),
        ("Latest Requires improvement", "0 of 4"),
        ("Latest Good or better", "1 of 4"),
    ]


def test_compared_units_none_inspected_in_the_period():
    none = COMPARED.assign(inspections=0, rating=None)
    assert summary.compared_sentence(none) == (
        "Of the 4 units compared, none has an inspection in this period."
    )

"""A validated dataset keyed for updates (analytics/pipeline/records.py) and the tables made from
it: inspection ids in publication order, rows in file order, blanks kept blank.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from analytics.pipeline.records import Records


def _inspection(name: str, published: str, day: dt.date, rating: str, score=None) -> dict:
    precision = {4: "year", 7: "month"}.get(len(published), "day")
    return {
        "import_id": None,
        "unit_type": "PDU",
        "unit_name": name,
        "region": "North",
        "published": published,
        "published_precision": precision,
        "published_date": day,
        "date_basis": "stated",
        "fieldwork": None,
        "overall_rating": rating,
        "score": score,
        "score_max": 27 if score is not None else None,
        "source_url": None,
    }


# in file order: the newest first, then two of the same first day (a year's, then a day's)
LATER = ("PDU", "Beta", "2024-05-01")
YEAR = ("PDU", "Alpha", "2023")
DAY = ("PDU", "Alpha", "2023-01-01")
RECORDS = Records(
    regions=[{"region": "North", "tile_row": 0, "tile_col": 0, "pdus_stated": None}],
    units={
        ("PDU", "Beta"): {
            "unit_type": "PDU",
            "unit_name": "Beta",
            "region": "North",
            "former_names": None,
        },
        ("PDU", "Alpha"): {
            "unit_type": "PDU",
            "unit_name": "Alpha",
            "region": "North",
            "former_names": None,
        },
    },
    inspections={
        LATER: _inspection("Beta", "2024-05-01", dt.date(2024, 5, 1), "Inadequate", 9),
        YEAR: _inspection("Alpha", "2023", dt.date(2023, 1, 1), "Good"),
        DAY: _inspection("Alpha", "2023-01-01", dt.date(2023, 1, 1), "Requires improvement"),
    },
    standards={(DAY, "Leadership"): "Good", (LATER, "Leadership"): "Inadequate"},
    events=[],
    figures={(LATER, "Recommendations"): {"value": 7, "source_url": None}},
)


def test_inspection_ids_follow_publication_and_rows_keep_file_order():
    tables = RECORDS.to_dataset()
    inspections = tables.inspections
    # the first day of 2023 twice: "2023" (the year) sorts before "2023-01-01"
    assert inspections[["inspection_id", "unit_name", "published"]].values.tolist() == [
        [3, "Beta", "2024-05-01"],
        [1, "Alpha", "2023"],
        [2, "Alpha", "2023-01-01"],
    ]
    assert tables.standard_ratings.values.tolist() == [
        [2, "Leadership", "Good"],
        [3, "Leadership", "Inadequate"],
    ]
    assert tables.report_figures.values.tolist() == [[3, "Recommendations", 7, None]]
    assert tables.units["unit_name"].tolist() == ["Beta", "Alpha"]


def test_a_blank_whole_number_stays_blank_not_zero():
    inspections = RECORDS.to_dataset().inspections
    assert str(inspections["score"].dtype) == "Int64"
    assert inspections["score"].tolist() == [9, pd.NA, pd.NA]
    assert inspections["score_max"].tolist() == [27, pd.NA, pd.NA]
    assert inspections["import_id"].isna().all()

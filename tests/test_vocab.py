"""analytics/vocab.py against HMIP's own scale and the shipped data: the vocabularies every
table, chart and legend reads.
"""

from __future__ import annotations

import csv
from pathlib import Path

from analytics import vocab

DATA = Path(__file__).resolve().parents[1] / "data"


def _column(file: str, column: str) -> set[str]:
    with (DATA / file).open(encoding="utf-8", newline="") as handle:
        return {row[column] for row in csv.DictReader(handle)}


def test_the_four_point_scale_best_first():
    # HMIP: Outstanding, Good, Requires improvement, Inadequate score 3, 2, 1, 0
    assert [(r.name, r.points) for r in vocab.RATINGS] == [
        ("Outstanding", 3),
        ("Good", 2),
        ("Requires improvement", 1),
        ("Inadequate", 0),
    ]
    assert vocab.GOOD_OR_BETTER == ("Outstanding", "Good")
    assert len(set(vocab.RATING_COLOURS.values())) == 4


def test_every_value_the_shipped_data_uses_is_in_its_vocabulary():
    assert _column("inspections.csv", "overall_rating") <= set(vocab.RATING_NAMES)
    assert _column("inspections.csv", "unit_type") <= set(vocab.UNIT_TYPES)
    assert _column("inspections.csv", "date_basis") == set(vocab.DATE_BASES)
    assert _column("standard_ratings.csv", "standard") <= set(vocab.STANDARD_NAMES)
    assert _column("report_figures.csv", "figure") <= set(vocab.REPORT_FIGURE_NAMES)


def test_types_and_date_bases_are_partitioned_as_the_dashboard_reads_them():
    assert vocab.CURRENT_UNIT_TYPES == ("PDU", "Region", "National")
    assert set(vocab.FORMER_UNIT_TYPES) | set(vocab.CURRENT_UNIT_TYPES) == set(vocab.UNIT_TYPES)
    # every PDU and region sits in one of the 12 regions; the rest have none
    assert {"CRC", "NPS division", "National"} == vocab.UNIT_TYPES_WITHOUT_REGION
    assert "stated" in vocab.DATE_BASES and "stated" not in vocab.APPROXIMATE_DATE_BASES
    assert set(vocab.APPROXIMATE_DATE_BASES) == set(vocab.DATE_BASES) - {"stated"}
    assert set(vocab.STANDARD_DOMAIN.values()) == set(vocab.DOMAINS)

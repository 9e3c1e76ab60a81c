"""A tiny literal dataset in the shipped CSV format, for unit tests (not real ratings).

Ten inspections of seven units over every unit type, precision and date basis, with known
transitions: Old One RI -> Good, Alpha Inadequate -> RI, Beta RI -> Inadequate.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from analytics.errors import DataValidationError
from analytics.pipeline import db, source_tables

REGIONS = [
    # region, tile_row, tile_col, pdus_stated
    ("North", "0", "0", "2"),
    ("South", "1", "0", ""),
]
UNITS = [
    # unit_type, unit_name, region, former_names
    ("PDU", "Alpha", "North", ""),
    ("PDU", "Beta", "North", "Old Beta"),
    ("PDU", "Gamma", "South", ""),
    ("Region", "North", "North", ""),
    ("CRC", "Old One", "", ""),
    ("NPS division", "Old Div", "", ""),
    ("National", "England and Wales", "", ""),
]
INSPECTIONS = [
    # unit_type, unit_name, region, published, date_basis, fieldwork, overall_rating, score,
    # score_max, source_url
    (
        "CRC",
        "Old One",
        "",
        "2019-03-05",
        "stated",
        "2018-11",
        "Requires improvement",
        "",
        "",
        "https://example.org/old-one-2019",
    ),
    (
        "NPS division",
        "Old Div",
        "",
        "2019-06",
        "stated",
        "",
        "Good",
        "",
        "",
        "https://example.org/old-div",
    ),
    (
        "CRC",
        "Old One",
        "",
        "2020",
        "derived",
        "",
        "Good",
        "",
        "",
        "https://example.org/old-one-2020",
    ),
    (
        "PDU",
        "Alpha",
        "North",
        "2022-02-10",
        "stated",
        "",
        "Inadequate",
        "3",
        "27",
        "https://example.org/alpha-2022",
    ),
    (
        "PDU",
        "Beta",
        "North",
        "2022-05",
        "stated",
        "",
        "Requires improvement",
        "",
        "",
        "https://example.org/beta-2022",
    ),
    ("PDU", "Gamma", "South", "2023", "url", "", "Good", "", "", "https://example.org/gamma"),
    (
        "PDU",
        "Alpha",
        "North",
        "2024-11",
        "stated",
        "2024-08",
        "Requires improvement",
        "",
        "",
        "https://example.org/alpha-2024",
    ),
    (
        "PDU",
        "Beta",
        "North",
        "2024",
        "derived",
        "",
        "Inadequate",
        "",
        "",
        "https://example.org/beta-2024",
    ),
    (
        "Region",
        "North",
        "North",
        "2024-07-01",
        "stated",
        "",
        "Outstanding",
        "",
        "",
        "https://example.org/north",
    ),
    (
        "National",
        "England and Wales",
        "",
        "2025-04-29",
        "stated",
        "",
        "Requires improvement",
        "",
        "",
        "",
    ),
]
# The boundaries the ten inspections leave out, added where a test needs them (so the hand-written
# expectations of the ten stay as they are): Gamma rated Good again, an unchanged transition.
UNCHANGED = ("PDU", "Gamma", "South", "2025-03-01", "stated", "", "Good", "", "", "")
STANDARD_RATINGS = [
    # unit_type, unit_name, published, standard, rating
    ("PDU", "Alpha", "2022-02-10", "Leadership", "Inadequate"),
    ("PDU", "Alpha", "2022-02-10", "Assessment", "Inadequate"),
    ("PDU", "Alpha", "2024-11", "Leadership", "Requires improvement"),
    ("PDU", "Alpha", "2024-11", "Assessment", "Good"),
    ("PDU", "Beta", "2022-05", "Leadership", "Good"),
    ("CRC", "Old One", "2019-03-05", "Unpaid work", "Outstanding"),
    ("Region", "North", "2024-07-01", "Victim work", "Outstanding"),
]
REPORT_FIGURES = [
    # unit_type, unit_name, published, figure, value, source_url
    ("PDU", "Alpha", "2024-11", "Recommendations", "6", "https://example.org/alpha-2024"),
    (
        "PDU",
        "Alpha",
        "2024-11",
        "Assessment: keeping people safe (% of cases sufficient)",
        "34",
        "https://example.org/news/alpha",
    ),
    ("Region", "North", "2024-07-01", "Recommendations", "0", "https://example.org/north"),
]
EVENTS = [
    ("2021-06-26", "Probation services unified", "https://example.org/unified"),
    ("2020-03", "Inspections paused", ""),
]

HEADERS = source_tables.HEADERS
ROWS = {
    "regions.csv": REGIONS,
    "units.csv": UNITS,
    "inspections.csv": INSPECTIONS,
    "standard_ratings.csv": STANDARD_RATINGS,
    "events.csv": EVENTS,
    "report_figures.csv": REPORT_FIGURES,
}


def write_csvs(directory: Path, rows: dict[str, list[tuple]] | None = None) -> Path:
    """Write the fixture (or ``rows`` overriding some files) as CSV files into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, header in HEADERS.items():
        with (directory / name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            writer.writerows((rows or {}).get(name, ROWS[name]))
    return directory


def build_with(tmp_path, **extra_rows):
    """Build from the fixture plus some bad rows; return the raised problems as text."""
    rows = {f"{k}.csv": ROWS[f"{k}.csv"] + v for k, v in extra_rows.items()}
    csv_dir = write_csvs(tmp_path / "csv", rows)
    with pytest.raises(DataValidationError) as info:
        db.build(csv_dir, tmp_path / "out.duckdb")
    assert not (tmp_path / "out.duckdb").exists()
    return [str(p) for p in info.value.problems]

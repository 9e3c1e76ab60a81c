"""Validation of the shipped CSVs (analytics/pipeline/validate.py): every problem by file, row and
column.
"""

from __future__ import annotations

import pytest

from analytics.errors import DataValidationError
from analytics.pipeline import db
from tests import fixture_data as fx
from tests.fixture_data import build_with


@pytest.mark.parametrize(
    ("extra_rows", "expected"),
    [
        (
            {"inspections": [("PDU", "Alpha", "North", "2023", "stated", "", "Gd", "", "", "")]},
            [
                "inspections.csv:12:overall_rating: unknown value 'Gd' (allowed: Outstanding, Good, "
                "Requires improvement, Inadequate)"
            ],
        ),
        (
            {
                "inspections": [
                    ("PDU", "Nowhere", "North", "2023-01", "stated", "", "Good", "", "", "")
                ]
            },
            ["inspections.csv:12:unit_name: unit PDU 'Nowhere' is not in units.csv"],
        ),
        (
            {
                "inspections": [
                    ("PDU", "Alpha", "North", "2023-13", "stated", "", "Good", "", "", "")
                ]
            },
            ["inspections.csv:12:published: '2023-13' is not a real date (month must be in 1..12)"],
        ),
        (
            {
                "inspections": [
                    ("PDU", "Alpha", "North", "March 2023", "stated", "", "Good", "", "", "")
                ]
            },
            [
                "inspections.csv:12:published: 'March 2023' is not a date of the form YYYY, YYYY-MM or "
                "YYYY-MM-DD"
            ],
        ),
        (
            {"inspections": [fx.INSPECTIONS[3]]},
            [
                "inspections.csv:12:published: duplicate inspection PDU 'Alpha' published 2022-02-10 "
                "(first at row 5)"
            ],
        ),
        (
            {"inspections": [("PDU", "Alpha", "Narnia", "2023", "stated", "", "Good", "", "", "")]},
            ["inspections.csv:12:region: unknown region 'Narnia' (not in regions.csv)"],
        ),
        (
            {"inspections": [("PDU", "Alpha", "South", "2023", "stated", "", "Good", "", "", "")]},
            [
                "inspections.csv:12:region: 'South' differs from the unit's region in units.csv "
                "('North')"
            ],
        ),
        (
            {"inspections": [("PDU", "Alpha", "North", "2023", "guessed", "", "Good", "", "", "")]},
            [
                "inspections.csv:12:date_basis: unknown value 'guessed' (allowed: stated, url, derived)"
            ],
        ),
        (
            {
                "inspections": [
                    ("PDU", "Alpha", "North", "2023", "stated", "", "Good", "28", "27", "")
                ]
            },
            ["inspections.csv:12:score: score 28 is greater than score_max 27"],
        ),
        (
            {"inspections": [("PDU", "Alpha", "North", "2023", "stated", "", "Good", "5", "", "")]},
            [
                "inspections.csv:12:score_max: is blank; score and score_max are given together or "
                "not at all"
            ],
        ),
        (
            {"inspections": [("PDU", "Alpha", "North", "2023", "stated", "", "", "", "", "")]},
            ["inspections.csv:12:overall_rating: is blank; a value is required"],
        ),
        (
            {
                "inspections": [
                    (
                        "PDU",
                        "Alpha",
                        "North",
                        "2023",
                        "stated",
                        "",
                        "Good",
                        "",
                        "",
                        "javascript:alert(1)",
                    )
                ]
            },
            ["inspections.csv:12:source_url: 'javascript:alert(1)' is not an http(s) web address"],
        ),
        (
            {"standard_ratings": [("PDU", "Gamma", "2023", "Leadershp", "Good")]},
            [
                "standard_ratings.csv:9:standard: unknown value 'Leadershp' (allowed: Leadership, "
                "Staffing, Services, Information and facilities, Court work, Assessment, Planning, "
                "Implementation and delivery, Reviewing, Unpaid work, Through the Gate, Victim work)"
            ],
        ),
        (
            {"standard_ratings": [("PDU", "Alpha", "2021", "Leadership", "Good")]},
            [
                "standard_ratings.csv:9:published: no inspection of PDU 'Alpha' published 2021 in "
                "inspections.csv"
            ],
        ),
        (
            {"units": [("CRC", "Old One", "", "")]},
            ["units.csv:9:unit_name: duplicate unit CRC 'Old One'"],
        ),
        (
            {"units": [("CRC", "Older", "North", "")]},
            ["units.csv:9:region: a CRC predates the 12 regions; leave region blank"],
        ),
        (
            {"events": [("sometime", "x", "")]},
            ["events.csv:4:date: 'sometime' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"],
        ),
    ],
    ids=[
        "unknown-rating",
        "unknown-unit",
        "impossible-date",
        "unparseable-date",
        "duplicate-key",
        "unknown-region",
        "region-mismatch",
        "unknown-date-basis",
        "score-over-max",
        "score-without-max",
        "blank-rating",
        "bad-url",
        "unknown-standard",
        "dangling-standard",
        "duplicate-unit",
        "crc-with-region",
        "bad-event-date",
    ],
)
def test_bad_input_is_reported_by_file_row_and_column(tmp_path, extra_rows, expected):
    assert build_with(tmp_path, **extra_rows) == expected


def test_every_problem_is_reported_not_just_the_first(tmp_path):
    bad = [
        ("PDU", "Alpha", "North", "2023", "stated", "", "Great", "", "", ""),
        ("PDU", "Beta", "North", "2023-02-30", "stated", "", "Good", "", "", ""),
    ]
    assert build_with(tmp_path, inspections=bad) == [
        "inspections.csv:12:overall_rating: unknown value 'Great' (allowed: Outstanding, Good, "
        "Requires improvement, Inadequate)",
        "inspections.csv:13:published: '2023-02-30' is not a real date (day is out of range for "
        "month)",
    ]


def test_missing_and_unexpected_columns(tmp_path):
    csv_dir = fx.write_csvs(tmp_path / "csv")
    (csv_dir / "events.csv").write_text("date,what,source_url\n2020,x,\n", encoding="utf-8")
    (csv_dir / "regions.csv").unlink()
    with pytest.raises(DataValidationError) as info:
        db.build(csv_dir, tmp_path / "out.duckdb")
    problems = [str(p) for p in info.value.problems]
    assert problems[0] == "regions.csv: file not found"
    assert problems[-2:] == [
        "events.csv:1:event: required column is missing",
        "events.csv:1:what: unexpected column (expected date, event, source_url)",
    ]
    assert str(info.value) == f"regions.csv: file not found (and {len(problems) - 1} more problems)"


def test_not_utf8_is_reported(tmp_path):
    csv_dir = fx.write_csvs(tmp_path / "csv")
    (csv_dir / "events.csv").write_bytes(b"date,event,source_url\n2020,caf\xe9,\n")
    with pytest.raises(DataValidationError) as info:
        db.build(csv_dir, tmp_path / "out.duckdb")
    assert [str(p) for p in info.value.problems] == [
        "events.csv:2:event: is not UTF-8 text (byte 31 is 0xe9: invalid continuation byte): "
        "save the file as CSV UTF-8"
    ]

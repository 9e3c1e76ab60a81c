"""Planning an import (analytics/pipeline/planning.py): every validation rule with its exact message,
whole-file refusals.
"""

from __future__ import annotations

import io

import pytest

from analytics.errors import DataValidationError
from analytics.pipeline import db, planning
from analytics.pipeline.readers import IMPORT_COLUMNS
from tests.import_files import HEADER, NEW, plan, problems

# --- each rule, with its exact message -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            ",".join(c for c in IMPORT_COLUMNS if c != "fieldwork") + "\n",
            ["new.csv:1:fieldwork: required column is missing"],
        ),
        (
            HEADER + ",Colour\n" + NEW + ",red\n",
            [
                f"new.csv:1:Colour: unexpected column (expected {', '.join(IMPORT_COLUMNS)}, "
                "then standard names)"
            ],
        ),
        (
            HEADER + "\n" + NEW.replace("Inadequate", "Inadequat") + "\n",
            [
                "new.csv:2:overall_rating: unknown value 'Inadequat' (allowed: Outstanding, Good, "
                "Requires improvement, Inadequate)"
            ],
        ),
        (
            HEADER + "\n" + NEW.replace("PDU", "Prison") + "\n",
            [
                "new.csv:2:unit_type: unknown value 'Prison' (allowed: PDU, Region, National, CRC, NPS "
                "division)"
            ],
        ),
        (
            HEADER + "\n" + NEW.replace("2025-06-01", "1 June 2025") + "\n",
            [
                "new.csv:2:published: '1 June 2025' is not a date of the form YYYY, YYYY-MM or "
                "YYYY-MM-DD"
            ],
        ),
        (
            HEADER + "\n" + NEW.replace("South", "Narnia") + "\n",
            ["new.csv:2:region: unknown region 'Narnia' (not in regions.csv)"],
        ),
        (
            HEADER + "\n" + NEW.replace("South", "North") + "\n",
            ["new.csv:2:region: 'North' differs from the unit's region ('South')"],
        ),
        (
            HEADER + "\n" + NEW + "\n" + NEW + "\n",
            [
                "new.csv:3:published: duplicate inspection PDU 'Gamma' published 2025-06-01 (first at "
                "row 2)"
            ],
        ),
        (
            HEADER + "\n" + NEW.replace("Gamma", "Delta") + "\n",
            [
                "new.csv:2:unit_name: unit PDU 'Delta' is not known; check the name, or allow new "
                "units (--allow-new-units) to add it"
            ],
        ),
        (
            HEADER
            + "\nPDU,Alpha,North,2024-11,stated,2024-08,Good,,,https://example.org/alpha-2024\n",
            [
                "new.csv:2:overall_rating: inspection PDU 'Alpha' published 2024-11 already exists with "
                "different values (overall_rating: 'Requires improvement' -> 'Good'); replace it "
                "(--replace) or correct the row"
            ],
        ),
        (
            HEADER + ",Leadership\n" + NEW + ",Brilliant\n",
            [
                "new.csv:2:Leadership: unknown value 'Brilliant' (allowed: Outstanding, Good, Requires "
                "improvement, Inadequate)"
            ],
        ),
        (
            HEADER + "\n" + NEW.replace(",,,https", ",9,,https") + "\n",
            ["new.csv:2:score_max: is blank; score and score_max are given together or not at all"],
        ),
        (HEADER + "\n", ["new.csv: holds no inspections (only a header)"]),
        ("", ["new.csv: file is empty; expected a header row"]),
    ],
    ids=[
        "missing-column",
        "unexpected-column",
        "unknown-rating",
        "unknown-unit-type",
        "bad-date",
        "unknown-region",
        "region-differs",
        "duplicate-in-file",
        "unknown-unit",
        "exists-differs",
        "bad-standard-rating",
        "score-alone",
        "header-only",
        "empty",
    ],
)
def test_each_rule_has_its_exact_message(store, text, expected):
    _, db_path = store
    assert problems(db_path, text) == expected


def test_every_problem_in_a_file_is_listed(store):
    _, db_path = store
    text = (
        HEADER
        + "\n"
        + NEW.replace("Inadequate", "Awful")
        + "\n"
        + NEW.replace("2025-06-01", "2025-13").replace("Gamma", "Beta").replace("South", "North")
        + "\n"
    )
    assert problems(db_path, text) == [
        "new.csv:2:overall_rating: unknown value 'Awful' (allowed: Outstanding, Good, Requires "
        "improvement, Inadequate)",
        "new.csv:3:published: '2025-13' is not a real date (month must be in 1..12)",
    ]


def test_case_and_spaces_are_forgiven_nothing_else(store):
    _, db_path = store
    text = (
        HEADER
        + ",leadership, REVIEWING \n"
        + " pdu , Gamma ,South,2025-06-01, Stated ,,requires IMPROVEMENT,,,, good ,inadequate\n"
    )
    p = plan(db_path, text)
    [row] = p.rows
    assert row.key == ("PDU", "Gamma", "2025-06-01")
    assert (row.record["overall_rating"], row.record["date_basis"]) == (
        "Requires improvement",
        "stated",
    )
    assert row.standards == {"Leadership": "Good", "Reviewing": "Inadequate"}
    # names of units are not guessed: case differs, so it is another unit
    assert problems(db_path, HEADER + "\n" + NEW.replace("Gamma", "gamma") + "\n") == [
        "new.csv:2:unit_name: unit PDU 'gamma' is not known; check the name, or allow new units "
        "(--allow-new-units) to add it"
    ]


def test_too_large_binary_and_disguised_files_are_refused(store):
    _, db_path = store
    con = db.connect(db_path)
    try:
        cases = {
            "big.csv": b"x" * (5 * 1024 * 1024 + 1),
            "binary.csv": b"\x00\x01\x02binary",
            "zipped.csv": b"PK\x03\x04rest",
            "fake.xlsx": b"unit_type,unit_name\n",
        }
        messages = {}
        for name, data in cases.items():
            with pytest.raises(DataValidationError) as info:
                planning.plan_import(con, data, name)
            messages[name] = [str(p) for p in info.value.problems]
    finally:
        con.close()
    assert messages == {
        "big.csv": ["big.csv: is 5,242,881 bytes; the limit is 5,242,880 (5 MB)"],
        "binary.csv": ["binary.csv: is a binary file, not CSV text (a NUL byte at byte 1)"],
        "zipped.csv": [
            "zipped.csv: looks like an Excel or zip file; name it .xlsx, or save as CSV"
        ],
        "fake.xlsx": ["fake.xlsx: is not a valid .xlsx file (not a zip archive)"],
    }


def test_an_xlsx_bomb_is_refused_before_unpacking(store):
    import zipfile

    _, db_path = store
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    assert len(buffer.getvalue()) < 200_000
    assert problems(db_path, "", "bomb.xlsx") != []
    con = db.connect(db_path)
    try:
        with pytest.raises(DataValidationError) as info:
            planning.plan_import(con, buffer.getvalue(), "bomb.xlsx")
    finally:
        con.close()
    assert [str(p) for p in info.value.problems] == [
        "bomb.xlsx: unpacks to 62,914,560 bytes; the limit is 52,428,800"
    ]


def test_a_new_units_rows_keep_the_region_of_its_first(store):
    _, db_path = store
    delta = NEW.replace("Gamma", "Delta")
    later = delta.replace("South", "North").replace("2025-06-01", "2025-07-01")
    text = HEADER + "\n" + delta + "\n" + later + "\n"
    assert problems(db_path, text, allow_new_units=True) == [
        "new.csv:3:region: 'North' differs from this new unit's region at row 2 ('South')"
    ]

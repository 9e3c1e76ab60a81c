"""One input file's rows (analytics/pipeline/rows.py): numbered as a spreadsheet shows them,
each cell trimmed and checked, every problem said as FILE:ROW:COLUMN, a cell's first only.
"""

from __future__ import annotations

from analytics.pipeline.rows import Rows

COLUMNS = ("unit", "rating")


def _read(data: bytes, **limits) -> tuple[Rows, list[str], list[str]]:
    problems: list = []
    rows = Rows("in.csv", problems)
    header = rows.read_csv(data, COLUMNS, **limits)
    return rows, header, [str(p) for p in problems]


def test_rows_are_numbered_as_a_spreadsheet_shows_them_and_trimmed():
    data = b"unit,rating\n Alpha , Good\n,\nGamma,Outstanding\n"
    rows, header, problems = _read(data)
    assert header == ["unit", "rating"]
    assert problems == []
    # the blank row 3 carries nothing and is passed over
    assert rows.rows == [
        (2, {"unit": "Alpha", "rating": "Good"}),
        (4, {"unit": "Gamma", "rating": "Outstanding"}),
    ]


def test_a_cell_with_a_line_break_or_control_character_is_one_problem():
    # the quoted cell spanning two lines is one row, as a spreadsheet shows it
    rows, _, problems = _read(b'unit,rating\n"Beta\nWest",Good\nGam\x07ma,Good\n')
    assert [r for r, _ in rows.rows] == [2, 3]
    assert problems == [
        "in.csv:2:unit: contains a line break (U+000A) at character 5; a cell holds one line of "
        "plain text",
        "in.csv:3:unit: contains a control character (U+0007) at character 4; a cell holds one "
        "line of plain text",
    ]
    # a cell's first problem is its only one: the blank it became is not reported again
    rows.required(2, rows.rows[0][1], "unit")
    assert len(rows.problems) == 2


def test_a_header_it_cannot_use_is_refused_column_by_column():
    rows, header, problems = _read(b"unit,colour,unit\nAlpha,red,Alpha\n")
    assert header == []
    assert rows.rows == []
    assert problems == [
        "in.csv:1: has 3 columns; at most 2 are allowed",
    ]
    _, header, problems = _read(b"unit,colour\nAlpha,red\n")
    assert (header, problems) == (
        [],
        [
            "in.csv:1:rating: required column is missing",
            "in.csv:1:colour: unexpected column (expected unit, rating)",
        ],
    )


def test_files_that_are_not_utf8_csv_text_say_what_they_are():
    assert _read(b"\xff\xfeu\x00n\x00")[2] == [
        "in.csv: is UTF-16 text, not UTF-8: save it as CSV UTF-8"
    ]
    assert _read(b"unit,rating\nAl\x00pha,Good\n")[2] == [
        "in.csv: is a binary file, not CSV text (a NUL byte at byte 15)"
    ]
    assert _read(b"unit,rating\nAlpha,Go\xe9d\n")[2] == [
        "in.csv:2:rating: is not UTF-8 text (byte 21 is 0xe9: invalid continuation byte): "
        "save the file as CSV UTF-8"
    ]
    assert _read(b"")[2] == ["in.csv: file is empty; expected a header row"]


def test_a_row_of_another_width_and_a_file_past_its_row_limit_are_refused():
    rows, _, problems = _read(b"unit,rating\nAlpha\nBeta,Good\n")
    assert problems == ["in.csv:2: has 1 fields, the header has 2"]
    assert rows.rows == [(3, {"unit": "Beta", "rating": "Good"})]
    rows, header, problems = _read(b"unit,rating\nA,Good\nB,Good\nC,Good\n", max_rows=2)
    assert (header, rows.rows) == ([], [])
    assert problems == ["in.csv: has more than 2 rows; the limit is 2"]

"""Hostile import files, as a hand-typed spreadsheet or an attacker would make them.

Each is refused by the CLI with exit 2 and FILE:ROW:COLUMN (or FILE: where no row applies); the
database and the journal are byte-identical afterwards, and `info` still works. Also: races
between imports, journal entries that no longer build, dry runs that change nothing, journal
temporaries of killed imports, and formula-like text in the CLI's CSV output.
"""

from __future__ import annotations

import pytest

from tests.import_files import HEADER, NEW, refused, run, with_cell

HOSTILE_CELLS = [
    # (column, value, the error line)
    (
        "score",
        "2147483648",
        "error: new.csv:2:score: 2147483648 is more than 2,147,483,647, the largest allowed here",
    ),
    (
        "score",
        "100000000000000000000",
        "error: new.csv:2:score: 100000000000000000000 is more than 2,147,483,647, the largest allowed here",
    ),
    (
        "score_max",
        "2147483648",
        "error: new.csv:2:score_max: 2147483648 is more than 27, the largest allowed here",
    ),
    (
        "published",
        "1000",
        "error: new.csv:2:published: '1000' is before 2018, when HMIP's ratings of probation began",
    ),
    (
        "published",
        "0001",
        "error: new.csv:2:published: '0001' is before 2018, when HMIP's ratings of probation began",
    ),
    (
        "published",
        "2999-01-01",
        "error: new.csv:2:published: '2999-01-01' is in the future (today is {today})",
    ),
    (
        "fieldwork",
        "2025-07",
        "error: new.csv:2:fieldwork: fieldwork '2025-07' is after the publication date '2025-06-01'",
    ),
    (
        "published",
        "２０２４-10-24",
        "error: new.csv:2:published: '２０２４-10-24' uses digits other than 0-9; type it with 0-9",
    ),
    (
        "score_max",
        "١٢",
        "error: new.csv:2:score_max: '١٢' uses digits other than 0-9; type it with 0-9",
    ),
    (
        "unit_name",
        "Gam\x0bma",
        "error: new.csv:2:unit_name: contains a control character (U+000B) at character 4; a cell holds one line of plain text",
    ),
    (
        "unit_name",
        '"Gam\nma"',
        "error: new.csv:2:unit_name: contains a line break (U+000A) at character 4; a cell holds one line of plain text",
    ),
    (
        "source_url",
        "https://x)![i](http://evil.example/p.png)",
        "error: new.csv:2:source_url: 'https://x)![i](http://evil.example/p.png)' is not an http(s) web address (contains ')')",
    ),
    (
        "source_url",
        "https://x/ [Sign in](https://evil.example/)",
        "error: new.csv:2:source_url: 'https://x/ [Sign in](https://evil.example/)' is not an http(s) web address (contains a space)",
    ),
]


@pytest.mark.parametrize(("column", "value", "line"), HOSTILE_CELLS)
def test_a_hostile_cell_is_refused_and_changes_nothing(
    store, capsys, tmp_path, column, value, line
):
    import datetime as dt

    # A score and its maximum come together; the other one is a valid 27 or 20.
    pair = {"score": {"score_max": "27"}, "score_max": {"score": "20"}}.get(column, {})
    data = with_cell(column, value, **pair).encode()
    errors = refused(store, capsys, tmp_path, "new.csv", data)
    assert errors == [line.format(today=dt.date.today().isoformat())]


@pytest.mark.parametrize(
    ("data", "where"),
    [
        # Latin-1 (Excel's "CSV" on some machines): the row and column of the first bad byte
        (f"{HEADER}\n{NEW}\n".replace("Gamma", "G\u00e2mma", 1).encode("latin-1"), "2:unit_name:"),
        # in a header cell
        (b"unit_type,unit_n\xe2me\n", "1:"),
        # a bad byte that begins a row
        (f"{HEADER}\n".encode() + b"\xe2" + NEW.encode(), "2:unit_type:"),
        # after a quoted cell spanning two lines: rows are a spreadsheet's, not the file's lines
        (
            f"{HEADER}\n{NEW.replace('Gamma', chr(34) + 'Gam' + chr(10) + 'ma' + chr(34))}\n".encode()
            + NEW.replace("Gamma", "G\u00e2mma").encode("latin-1"),
            "3:unit_name:",
        ),
    ],
    ids=["latin-1", "header", "row-start", "after-multi-line-cell"],
)
def test_text_that_is_not_utf8_is_placed_by_row_and_column(store, capsys, tmp_path, data, where):
    at = data.index(b"\xe2")
    [error] = refused(store, capsys, tmp_path, "new.csv", data)
    assert error == (
        f"error: new.csv:{where} is not UTF-8 text (byte {at + 1:,} is 0xe2: invalid "
        "continuation byte): save the file as CSV UTF-8"
    )


@pytest.mark.parametrize(
    ("encoding", "name"), [("utf-16", "UTF-16"), ("utf-16-le", "UTF-16"), ("utf-32", "UTF-32")]
)
def test_unicode_text_from_a_spreadsheet_is_named_as_such(store, capsys, tmp_path, encoding, name):
    data = f"{HEADER}\n{NEW}\n".encode(encoding)
    assert refused(store, capsys, tmp_path, "new.csv", data) == [
        f"error: new.csv: is {name} text, not UTF-8: save it as CSV UTF-8"
    ]


def test_a_nul_byte_after_the_first_4_kb_is_refused(store, capsys, tmp_path):
    data = (HEADER + "\n" + "\n" * 5000 + NEW.replace("Gamma", "Gam\x00ma") + "\n").encode()
    at = len(HEADER) + 1 + 5000 + len("PDU,Gam") + 1
    assert data[at - 1] == 0
    assert refused(store, capsys, tmp_path, "new.csv", data) == [
        f"error: new.csv: is a binary file, not CSV text (a NUL byte at byte {at:,})"
    ]


def test_full_width_digits_cannot_bypass_the_duplicate_check(store, capsys, tmp_path):
    """`２０２４-10-24` once became a second inspection beside the real 2024-10-24 one."""
    csv_dir, db_path = store
    first = with_cell("published", "2024-10-24", fieldwork="2024-07")
    path = tmp_path / "first.csv"
    path.write_text(first, encoding="utf-8")
    assert run(capsys, "import", str(path), "--data", str(csv_dir), "--db", str(db_path))[0] == 0
    errors = refused(
        store,
        capsys,
        tmp_path,
        "new.csv",
        with_cell("published", "２０２４-10-24", fieldwork="2024-07").encode(),
    )
    assert errors == [
        "error: new.csv:2:published: '２０２４-10-24' uses digits other than 0-9; type it with 0-9"
    ]


def test_standard_columns_differing_only_in_case_are_refused(store, capsys, tmp_path):
    data = (HEADER + ",Leadership,leadership\n" + NEW + ",Good,Inadequate\n").encode()
    assert refused(store, capsys, tmp_path, "new.csv", data) == [
        "error: new.csv:1:Leadership: column appears more than once ('Leadership', 'leadership' "
        "are the same standard)"
    ]


def test_rows_are_numbered_as_a_spreadsheet_shows_them_after_a_multi_line_cell(
    store, capsys, tmp_path
):
    two_lines = with_cell("unit_name", '"Gam\nma"').splitlines(keepends=True)
    data = "".join(two_lines) + NEW.replace("Inadequate", "Awful") + "\n"
    assert refused(store, capsys, tmp_path, "new.csv", data.encode()) == [
        "error: new.csv:2:unit_name: contains a line break (U+000A) at character 4; a cell holds "
        "one line of plain text",
        "error: new.csv:3:overall_rating: unknown value 'Awful' (allowed: Outstanding, Good, "
        "Requires improvement, Inadequate)",
    ]

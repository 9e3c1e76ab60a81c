"""The rows of one input file, read as CSV and checked cell by cell, with its problems.

:class:`Rows` is shared by every reader (the shipped CSVs, import files, journal entries): it
numbers rows as a spreadsheet shows them, refuses a header it cannot use, and reports each
problem as ``FILE:ROW:COLUMN: message``, a cell's first problem being its only one.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections import Counter
from pathlib import Path

from analytics import fields
from analytics.errors import Problem, ProblemLog
from analytics.fields import FieldError, parse_partial_date, shown


class Rows:
    """The rows of one input file and the problems found in them, with checks for its fields."""

    def __init__(self, name: str, problems: list[Problem] | ProblemLog):
        self.name = name
        self.problems = problems
        self.rows: list[tuple[int, dict[str, str]]] = []
        self._reported: set[tuple[int, str]] = set()

    @classmethod
    def from_dir(
        cls,
        csv_dir: Path,
        name: str,
        problems: list[Problem] | ProblemLog,
        columns: tuple[str, ...],
    ) -> Rows:
        """Read ``csv_dir/name``, which must have exactly ``columns``."""
        rows = cls(name, problems)
        path = csv_dir / name
        if not path.exists():
            rows.problem(None, None, "file not found")
            return rows
        rows.read_csv(path.read_bytes(), columns)
        return rows

    def read_csv(
        self,
        data: bytes,
        expected: tuple[str, ...],
        *,
        optional=(),
        max_columns: int | None = None,
        max_rows: int | None = None,
    ) -> list[str]:
        """Parse CSV bytes; return the header (empty if the file is unusable).

        Columns in ``optional`` may appear after the expected ones; any other is a problem. Rows
        are numbered as a spreadsheet shows them (header = 1), also after a quoted cell that
        spans lines; reading stops with a problem past ``max_rows`` data rows.
        """
        wide = _wide_encoding(data)
        if wide:
            # Excel's "Unicode text" and some exports: every other byte is NUL, so it once read
            # as "a binary file"
            self.problem(None, None, f"is {wide} text, not UTF-8: save it as CSV UTF-8")
            return []
        nul = data.find(b"\x00")
        if nul >= 0:
            # Looked for in the whole file: a NUL byte is never text, wherever it hides.
            self.problem(
                None, None, f"is a binary file, not CSV text (a NUL byte at byte {nul + 1:,})"
            )
            return []
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            row, column = _cell_at(data, exc.start)
            self.problem(
                row,
                column,
                f"is not UTF-8 text (byte {exc.start + 1:,} is 0x{data[exc.start]:02x}: "
                f"{exc.reason}): save the file as CSV UTF-8",
            )
            return []
        try:
            reader = csv.reader(io.StringIO(text, newline=""), strict=True)
            header = next(reader, None)
            if header is None:
                self.problem(None, None, "file is empty; expected a header row")
                return []
            header = self.check_header(
                [h.strip() for h in header], expected, optional, max_columns=max_columns
            )
            if not header:
                return []
            # Counted before any row is checked: an over-long file gets one problem, not
            # thousands about rows it would never have imported. Blank rows carry nothing and
            # are not counted (a spreadsheet saved with trailing empty rows is not "longer").
            limit = None if max_rows is None else max_rows + 1
            filled = ((n, r) for n, r in enumerate(reader, start=2) if any(c.strip() for c in r))
            records = list(itertools.islice(filled, limit))
            if max_rows is not None and len(records) > max_rows:
                self.problem(
                    None, None, f"has more than {max_rows:,} rows; the limit is {max_rows:,}"
                )
                return []
            for row, record in records:
                self.add(row, record, header)
        except csv.Error as exc:
            self.problem(None, None, f"is not valid CSV ({exc})")
            return []
        return header

    def check_header(
        self, header: list[str], expected, optional=(), *, max_columns: int | None = None
    ) -> list[str]:
        """The header if usable, else report each missing or unexpected column and return [].

        Linear in the header's width, and a header wider than ``max_columns`` (default: the
        expected columns) is refused with one problem before any column is looked at.
        """
        limit = max_columns if max_columns is not None else len(expected)
        if len(header) > limit:
            self.problem(
                1,
                None,
                f"has {len(header):,} columns; at most {limit} are allowed"
                + (" (the inspection columns, then one per standard)" if optional else ""),
            )
            return []
        problems_before = len(self.problems)
        for column in header:
            try:
                fields.plain_text(column)
            except FieldError as exc:
                self.problem(1, shown(column) or "(blank)", f"column name {exc}")
        # Standard columns match in any letter case, so "Leadership" and "leadership" are one.
        keys = [c.casefold() if c in optional else c for c in header]
        counts = Counter(keys)
        present = set(keys)
        expected_set = set(expected)
        for column in expected:
            if column not in present:
                self.problem(1, column, "required column is missing")
        what = ", ".join(expected) + (", then standard names" if optional else "")
        for column in header:
            if column not in expected_set and column not in optional:
                self.problem(1, shown(column) or "(blank)", f"unexpected column (expected {what})")
        reported = set()
        for column, key in zip(header, keys, strict=True):
            if key and counts[key] > 1 and key not in reported:
                reported.add(key)
                spellings = sorted({c for c, k in zip(header, keys, strict=True) if k == key})
                self.problem(
                    1,
                    column,
                    "column appears more than once"
                    + (
                        f" ({', '.join(repr(c) for c in spellings)} are the same standard)"
                        if len(spellings) > 1
                        else ""
                    ),
                )
        return [] if len(self.problems) > problems_before else header

    def add(self, row: int, cells: list[str], header: list[str]) -> None:
        """Keep one data row (blank rows carry nothing and are passed over)."""
        if not any(str(cell).strip() for cell in cells):
            return
        if len(cells) != len(header):
            self.problem(row, None, f"has {len(cells)} fields, the header has {len(header)}")
            return
        self.rows.append((row, self.plain(row, dict(zip(header, cells, strict=True)))))

    def plain(self, row: int, record: dict[str, str]) -> dict[str, str]:
        """A row's cells trimmed, each checked to be one line of plain text."""
        out = {}
        for column, cell in record.items():
            value = str(cell).strip()
            try:
                out[column] = fields.plain_text(value)
            except FieldError as exc:
                self.problem(row, column, str(exc))
                out[column] = ""  # reported; the row is refused with the file
        return out

    def problem(self, row: int | None, column: str | None, message: str) -> None:
        """Report a problem; a cell's first problem is its only one (a refused control
        character is not also reported as a blank or an unknown value).
        """
        if row is not None and column is not None:
            if (row, column) in self._reported:
                return
            self._reported.add((row, column))
        self.problems.append(Problem(self.name, row, column, message))

    def required(self, row: int, record: dict[str, str], column: str) -> str | None:
        """The cell's text, or None with a problem when it is blank."""
        value = record[column]
        if not value:
            self.problem(row, column, "is blank; a value is required")
            return None
        return value

    def choice(
        self, row: int, record: dict[str, str], column: str, allowed, *, forgiving: bool = False
    ) -> str | None:
        """The value if allowed; with ``forgiving``, letter case is forgiven (spaces always are)."""
        value = self.required(row, record, column)
        if value is not None and forgiving and value not in allowed:
            value = {a.casefold(): a for a in allowed}.get(value.casefold(), value)
        if value is not None and value not in allowed:
            self.problem(
                row, column, f"unknown value '{shown(value)}' (allowed: {', '.join(allowed)})"
            )
            return None
        return value

    def integer(
        self,
        row: int,
        record: dict[str, str],
        column: str,
        *,
        required: bool,
        maximum: int,
        minimum: int = 0,
    ) -> int | None:
        """The cell as a whole number within its bounds, or None with a problem."""
        value = record[column]
        if not value:
            if required:
                self.problem(row, column, "is blank; a whole number is required")
            return None
        return self.checked(
            row, column, fields.whole_number, value, maximum=maximum, minimum=minimum
        )

    def checked(self, row: int, column: str, check, value: str, *args, **kwargs):
        """``check(value, ...)``, or None after reporting its FieldError at row and column."""
        try:
            return check(value, *args, **kwargs)
        except FieldError as exc:
            self.problem(row, column, str(exc))
            return None

    def date(self, row: int, record: dict[str, str], column: str, check=parse_partial_date):
        """A required date checked by ``check`` (a function of :mod:`analytics.fields`)."""
        value = self.required(row, record, column)
        if value is None:
            return None
        return self.checked(row, column, check, value)

    def url(self, row: int, record: dict[str, str], column: str) -> str | None:
        """The cell as a checked web address, or None (blank, or with a problem)."""
        value = record[column]
        if not value:
            return None  # a missing source is shown as missing, never invented
        return self.checked(row, column, fields.web_address, value)


# Byte-order marks of the encodings a spreadsheet may save "Unicode text" in.
_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def _wide_encoding(data: bytes) -> str | None:
    """The name of a UTF-16 or UTF-32 text's encoding (by its byte-order mark, or, without one,
    NUL as every other byte of its first bytes), else None.
    """
    for bom, name in _WIDE_BOMS:
        if data.startswith(bom):
            return name
    head = data[:200]
    if len(head) >= 4 and (head[1::2].count(0) == len(head[1::2]) or not any(head[::2])):
        return "UTF-16"
    return None


def _cell_at(data: bytes, offset: int) -> tuple[int | None, str | None]:
    """The spreadsheet row and column name of the cell holding byte ``offset`` (None where the
    text before it does not tell). Linear: the bytes before the first bad one are valid UTF-8.
    """
    before = data[:offset].decode("utf-8-sig", errors="replace")
    try:
        records = list(csv.reader(io.StringIO(before, newline="")))
    except csv.Error:
        return None, None
    if not records or before.endswith(("\n", "\r")):
        records.append([""])  # the bad byte starts a new row
    row = len(records)
    header = records[0] if row > 1 else []
    index = len(records[-1]) - 1
    return row, header[index].strip() if index < len(header) else None

"""Reading import files (CSV or .xlsx) within stated limits, cheaply refusing what exceeds them.

Each limit is checked before the work it bounds: the size before the file is read whole, the
width before any column is looked at, the rows before any row is checked, an .xlsx's unpacked
size and shared strings before openpyxl reads it. README lists the limits.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import os
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from analytics.errors import (
    CorruptDataError,
    DataValidationError,
    InvalidInputError,
    Problem,
    ProblemLog,
)
from analytics.pipeline.rows import Rows
from analytics.pipeline.validate import COLUMNS
from analytics.vocab import STANDARD_NAMES

IMPORT_COLUMNS: tuple[str, ...] = COLUMNS["inspections.csv"]
# The limits of one import file, checked before the work they bound (README lists them).
MAX_FILE_BYTES = 5 * 1024 * 1024
# An .xlsx is a zip: refuse one that would unpack to more than this (a "zip bomb").
MAX_XLSX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = len(IMPORT_COLUMNS) + len(STANDARD_NAMES)
# A workbook cannot need more distinct strings than it has cells; openpyxl reads every shared
# string before the first row, so a tiny file of millions of empty strings is refused unread.
MAX_SHARED_STRINGS = (MAX_ROWS + 1) * MAX_COLUMNS
# openpyxl also parses the styles part whole before the first row (37 MB of styles cost 17 s and
# 645 MB); an import's formatting needs a few kilobytes.
MAX_XLSX_STYLES_BYTES = 2 * 1024 * 1024
# Excel's last row: blank rows are passed over without counting towards MAX_ROWS, up to here.
EXCEL_MAX_ROWS = 1_048_576
# openpyxl finds the shared strings and styles through [Content_Types].xml, whatever the parts
# are called: the limits follow the same map (a renamed shared-strings part once went uncounted).
CONTENT_TYPES = "[Content_Types].xml"
MAX_CONTENT_TYPES_BYTES = 1024 * 1024
_SPREADSHEETML = "application/vnd.openxmlformats-officedocument.spreadsheetml."
SHARED_STRINGS_TYPE = _SPREADSHEETML + "sharedStrings+xml"
STYLES_TYPE = _SPREADSHEETML + "styles+xml"
WORKSHEET_TYPE = _SPREADSHEETML + "worksheet+xml"
# openpyxl parses every cell of a row it reads, however far right: 10,000,000 empty cells in one
# row (a 44 KB file) cost 21 s. A worksheet may hold twice the cells an import can have (room for
# formatted blank cells beside the data).
MAX_SHEET_CELLS = 2 * MAX_SHARED_STRINGS


def _cell_text(value) -> str:
    """An Excel cell as the text a CSV would hold (dates as YYYY-MM-DD, whole numbers bare)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_rows(
    data: bytes, file_name: str, problems: list[Problem] | ProblemLog
) -> tuple[Rows, list[str]]:
    """Read an import file's rows; problems about the file as a whole go to ``problems``."""
    rows = Rows(file_name, problems)
    if len(data) > MAX_FILE_BYTES:
        rows.problem(None, None, f"is {len(data):,} bytes; the limit is {MAX_FILE_BYTES:,} (5 MB)")
        return rows, []
    optional = _standard_headers()
    if file_name.lower().endswith(".xlsx"):
        return rows, _read_xlsx(rows, data, optional)
    if data[:4] == b"PK\x03\x04":
        rows.problem(None, None, "looks like an Excel or zip file; name it .xlsx, or save as CSV")
        return rows, []
    header = rows.read_csv(
        data, IMPORT_COLUMNS, optional=optional, max_columns=MAX_COLUMNS, max_rows=MAX_ROWS
    )
    rows.rows = [(n, {_canonical_header(k): v for k, v in rec.items()}) for n, rec in rows.rows]
    return rows, [_canonical_header(h) for h in header]


def read_file(path: Path) -> bytes:
    """An import file's bytes, refusing one over the size limit before reading it whole.

    Raises
    ------
    DataValidationError
        If the file is larger than ``MAX_FILE_BYTES`` (it is never read past the limit).
    InvalidInputError
        If the file cannot be read.
    """
    try:
        with Path(path).open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
            size = os.fstat(handle.fileno()).st_size
    except OSError as exc:
        raise InvalidInputError(f"{path}: cannot read ({exc.strerror})") from None
    if len(data) > MAX_FILE_BYTES:
        raise DataValidationError(
            [
                Problem(
                    Path(path).name,
                    None,
                    None,
                    f"is {max(size, len(data)):,} bytes; the limit is {MAX_FILE_BYTES:,} (5 MB)",
                )
            ]
        )
    return data


class _StandardHeaders:
    """Standard column names in any letter case: "leadership" and "LEADERSHIP" are Leadership."""

    names = frozenset(s.casefold() for s in STANDARD_NAMES)

    def __contains__(self, header: object) -> bool:
        return isinstance(header, str) and header.casefold() in self.names

    def __bool__(self) -> bool:
        return True


def _standard_headers() -> _StandardHeaders:
    return _StandardHeaders()


def _canonical_header(name: str) -> str:
    return {s.casefold(): s for s in STANDARD_NAMES}.get(name.casefold(), name)


_SHARED_STRING = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")


def part_types(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each part's content type, as [Content_Types].xml declares it (by name, else by extension).

    Raises
    ------
    CorruptDataError
        If the declaration is too large or not XML (the file is then refused).
    """
    try:
        info = archive.getinfo(CONTENT_TYPES)
    except KeyError:
        return {}  # no declaration: openpyxl refuses the file itself
    if info.file_size > MAX_CONTENT_TYPES_BYTES:
        raise CorruptDataError(f"{CONTENT_TYPES} unpacks to {info.file_size:,} bytes")
    try:
        root = ET.fromstring(archive.read(info))  # noqa: S314 -- bounded above; expat expands no external entity
    except ET.ParseError as exc:
        raise CorruptDataError(f"{CONTENT_TYPES} is not XML ({exc})") from None
    defaults, overrides = {}, {}
    for element in root:
        tag = element.tag.rsplit("}", 1)[-1]
        kind = element.get("ContentType", "")
        if tag == "Default":
            defaults[element.get("Extension", "").lower()] = kind
        elif tag == "Override":
            overrides[element.get("PartName", "").lstrip("/").lower()] = kind
    return {
        i.filename: overrides.get(
            i.filename.lower(), defaults.get(i.filename.rsplit(".", 1)[-1].lower(), "")
        )
        for i in archive.infolist()
    }


def _xlsx_refusal(archive: zipfile.ZipFile) -> str | None:
    """Why openpyxl must not read this workbook, or None: each limit checked on the parts openpyxl
    would read, found as it finds them.
    """
    members = archive.infolist()
    unpacked = sum(i.file_size for i in members)
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        return f"unpacks to {unpacked:,} bytes; the limit is {MAX_XLSX_UNPACKED_BYTES:,}"
    try:
        types = part_types(archive)
    except CorruptDataError as exc:
        return f"is not a valid .xlsx file ({exc})"
    for info in members:
        if types.get(info.filename) == STYLES_TYPE and info.file_size > MAX_XLSX_STYLES_BYTES:
            return (
                f"has a styles part of {info.file_size:,} bytes; the limit is "
                f"{MAX_XLSX_STYLES_BYTES:,}: copy the rows into a new workbook, or save as CSV"
            )
    for info in members:
        if types.get(info.filename) == WORKSHEET_TYPE:
            # counted to one past the limit, no further
            cells = _CELL.finditer(archive.read(info))
            if next(itertools.islice(cells, MAX_SHEET_CELLS, None), None) is not None:
                return (
                    f"has a worksheet ({info.filename}) of more than {MAX_SHEET_CELLS:,} cells "
                    f"(twice the cells an import of {MAX_ROWS:,} rows by {MAX_COLUMNS} columns "
                    "can have)"
                )
    strings = sum(
        len(_SHARED_STRING.findall(archive.read(i)))
        for i in members
        if types.get(i.filename) == SHARED_STRINGS_TYPE
        or i.filename.lower().endswith("sharedstrings.xml")
    )
    if strings > MAX_SHARED_STRINGS:
        return (
            f"holds {strings:,} shared strings, more than the {MAX_SHARED_STRINGS:,} cells an "
            f"import of {MAX_ROWS:,} rows by {MAX_COLUMNS} columns can have"
        )
    return None


def _read_xlsx(rows: Rows, data: bytes, optional: _StandardHeaders) -> list[str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            refusal = _xlsx_refusal(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError):
        rows.problem(None, None, "is not a valid .xlsx file (not a zip archive)")
        return []
    if refusal:
        rows.problem(None, None, refusal)
        return []
    import openpyxl  # only .xlsx imports need it

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 -- openpyxl raises many types for a bad file
        rows.problem(None, None, f"is not a readable .xlsx file ({exc.__class__.__name__})")
        return []
    try:
        sheet = book.worksheets[0]
        first = next(sheet.iter_rows(max_row=1, values_only=True), None)
        if first is None:
            rows.problem(None, None, "file is empty; expected a header row")
            return []
        header = [_cell_text(c).strip() for c in first]
        while header and not header[-1]:
            header.pop()  # trailing empty header cells are formatting, not columns
        header = rows.check_header(header, IMPORT_COLUMNS, optional, max_columns=MAX_COLUMNS)
        if not header:
            return []
        header = [_canonical_header(h) for h in header]
        values = sheet.iter_rows(
            min_row=2, max_row=EXCEL_MAX_ROWS, max_col=len(header), values_only=True
        )
        records = list(
            itertools.islice(
                (
                    (n, c)
                    for n, c in enumerate(values, start=2)
                    if any(_cell_text(v).strip() for v in c)
                ),
                MAX_ROWS + 1,
            )
        )
        if len(records) > MAX_ROWS:
            rows.problem(None, None, f"has more than {MAX_ROWS:,} rows; the limit is {MAX_ROWS:,}")
            return []
        for number, cells in records:
            cells = [_cell_text(c) for c in cells[: len(header)]]
            cells += [""] * (len(header) - len(cells))
            rows.add(number, cells, header)
        return header
    finally:
        book.close()

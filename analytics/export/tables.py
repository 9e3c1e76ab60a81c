"""Tables as files: CSV and Excel, with formula-like text neutralised for spreadsheets."""

from __future__ import annotations

import io
import re

import duckdb
import pandas as pd

from analytics.analyses import breakdowns, viewspecs
from analytics.analyses.registry import runner
from analytics.analyses.views import Runner
from analytics.errors import (
    ExportTooLargeError,
)
from analytics.export import columns
from analytics.export.context import Context
from analytics.filters import Filters
from analytics.pipeline import db

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """A copy where no text cell can run as a spreadsheet formula.

    Text beginning with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading
    apostrophe (OWASP's advice for CSV injection); numbers and dates are left alone.
    """
    out = df.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series):
            out[column] = series.map(
                lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_PREFIXES) else v
            )
    return out


def for_files(df: pd.DataFrame) -> pd.DataFrame:
    """A copy ready for a file: formulas neutralised, dates as ISO text."""
    out = neutralise_formulas(df)
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.date
    return out


# The most rows a table file holds (the dashboard's downloads and `probation-ratings export`):
# every file is built in memory, and a download's bytes stay in the server for the session's
# life. A workbook past ~100,000 rows costs more than a page should wait for (Excel's own limit
# is 1,048,576); a CSV of 200,000 rows is about 40 MB (one of 1,000,000 held 1.3 GB). The whole
# data stays available: `probation-ratings export-data`, and `query league_table` streamed.
MAX_ROWS: dict[str, int] = {"csv": 200_000, "xlsx": 100_000}
FORMAT_NAMES = {"csv": "CSV", "xlsx": "Excel"}
LARGER = {
    "csv": "for the whole data use `probation-ratings export-data` or `query league_table`",
    "xlsx": "download it as CSV",
}


def size_refusal(fmt: str, rows: int) -> str | None:
    """Why a table of ``rows`` rows cannot be a ``fmt`` file (csv, xlsx), or None when it can."""
    if rows <= MAX_ROWS[fmt]:
        return None
    return (
        f"{FORMAT_NAMES[fmt]} downloads hold at most {MAX_ROWS[fmt]:,} rows and this table has "
        f"{rows:,}: {LARGER[fmt]}"
    )


def file_refusal(
    source: duckdb.DuckDBPyConnection | Runner, name: str, filters: Filters, fmt: str
) -> str | None:
    """Why view ``name``'s table cannot be a ``fmt`` file (csv, xlsx), or None when it can:
    known from a count before the table is built (``ViewSpec.rows`` in analyses/viewspecs.py).
    """
    spec = viewspecs.VIEWS[name]
    if spec.rows is None or fmt not in MAX_ROWS:
        return None
    run = runner(source) if isinstance(source, duckdb.DuckDBPyConnection) else source
    return size_refusal(fmt, int(run(breakdowns.kpis, filters).iloc[0][spec.rows]))


def _refuse_large(fmt: str, df: pd.DataFrame) -> None:
    refusal = size_refusal(fmt, len(df))
    if refusal:
        raise ExportTooLargeError(refusal)


def table_csv(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with a byte-order mark, so Excel reads accents right): a header, then the rows.

    Lines end in CRLF (RFC 4180), which also makes the writer quote a cell holding a carriage
    return instead of letting it split the row.

    Raises
    ------
    ExportTooLargeError
        If the table has more than ``MAX_ROWS["csv"]`` rows.
    """
    _refuse_large("csv", df)
    return for_files(df).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


EXCEL_FORMATS = {
    columns.SHARE: "0%",
    columns.MEAN: "0.00",
    columns.COUNT: "0",
    columns.DATE: "yyyy-mm-dd",
}


def table_xlsx(df: pd.DataFrame, ctx: Context) -> bytes:
    """An Excel workbook for people: sheet ``About`` (the view in words, source, licence, the
    date made, the small-count rule, what a blank means and each column's meaning), then
    ``Data`` with plain headers (a frozen row), shares as per cent and numbers as numbers (cell
    number formats, not text), flags in words, and column widths that fit.

    Written row by row (openpyxl's write-only mode), so time and memory grow with the table.

    Raises
    ------
    ExportTooLargeError
        If the table has more than ``MAX_ROWS["xlsx"]`` rows.
    KeyError
        If a column is not declared in :mod:`analytics.export.columns`.
    """
    _refuse_large("xlsx", df)
    import openpyxl  # only Excel downloads need it
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    described = [columns.column(c) for c in df.columns]
    book = openpyxl.Workbook(write_only=True)
    about = book.create_sheet("About")
    about.column_dimensions["A"].width = 24
    about.column_dimensions["B"].width = 100
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")

    def line(sheet, values, *, header: bool = False) -> None:
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=_excel_cell(value))
            cell.alignment = wrap
            if header:
                cell.font = bold
            cells.append(cell)
        sheet.append(cells)

    kind = ctx.source if not ctx.synthetic else db.SYNTHETIC_LABEL
    for item, value in (
        ("View", ctx.title),
        ("Filters", ctx.filters_text),
        ("Source", kind),
        ("Licence", f"{ctx.licence} ({db.LICENCE_URL})"),
        ("Made on", ctx.generated.isoformat()),
        ("Rows", f"{len(df):,}"),
        ("Small counts", SMALL_COUNT_RULE),
        ("Blank cells", BLANK_RULE),
        ("Shares", "Shown as per cent. The CSV download holds the same shares as fractions."),
    ):
        line(about, [item, value], header=False)
    about.append([])
    line(about, ["Column", "Meaning"], header=True)
    for c in described:
        line(about, [c.label, c.meaning])

    data = book.create_sheet("Data")
    data.freeze_panes = "A2"
    frame = neutralise_formulas(df)
    for letter, width in zip(
        _column_letters(len(described)), _widths(frame, described), strict=True
    ):
        data.column_dimensions[letter].width = width
    line(data, [c.label for c in described], header=True)
    formats = [EXCEL_FORMATS.get(c.kind) for c in described]
    for row in frame.itertuples(index=False, name=None):
        cells = []
        for value, c, fmt in zip(row, described, formats, strict=True):
            shown = _for_people(value, c)
            if fmt is None or shown is None:
                cells.append(shown)
                continue
            cell = WriteOnlyCell(data, value=shown)
            cell.number_format = fmt
            cells.append(cell)
        data.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


SMALL_COUNT_RULE = (
    f"A share or mean resting on {columns.SMALL_NOTE} is marked '{columns.SMALL_NOTE}' in the "
    "Small count column: with so few, one inspection moves it a long way."
)
BLANK_RULE = (
    "A blank cell is not known: no source states it. It never means zero or 'not rated' (in "
    "the Small count and Months approximate columns, blank means no)."
)


def _for_people(value, col: columns.Column):
    """A cell as a person reads it: a flag in words (blank when false), a date as a date."""
    value = _excel_cell(value)
    if value is None:
        return None
    if col.kind == columns.FLAG:
        return col.when_true if bool(value) else None
    if col.kind == columns.DATE and isinstance(value, pd.Timestamp):
        return value.date()
    if col.kind in (columns.COUNT, columns.SHARE, columns.MEAN) and not isinstance(value, str):
        return value.item() if hasattr(value, "item") else value
    return value


def _widths(frame: pd.DataFrame, described: list[columns.Column]) -> list[float]:
    # From the header and the first 200 rows: enough to read, never a full scan. A share reads
    # as "35%", a flag as its words.
    head = frame.head(200)
    widths: list[float] = []
    for name, c in zip(frame.columns, described, strict=True):
        shown = [_for_people(v, c) for v in head[name]]
        longest = max([len(c.label), *(len(_shown_text(v, c)) for v in shown if v is not None)])
        widths.append(min(max(8, longest + 2), 60))
    return widths


def _shown_text(value, col: columns.Column) -> str:
    if col.kind == columns.SHARE and isinstance(value, int | float):
        return f"{value:.0%}"
    if col.kind == columns.MEAN and isinstance(value, int | float):
        return f"{value:.2f}"
    return str(value)


def _column_letters(n: int) -> list[str]:
    from openpyxl.utils import get_column_letter

    return [get_column_letter(i) for i in range(1, n + 1)]


# Characters an .xlsx cannot hold (XML 1.0 forbids them). Imports refuse them, so only data
# from elsewhere (a synthetic or hand-built database) can carry one: it is written visibly.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _excel_cell(value):
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, str):
        return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
    return value

"""Tables as files: CSV and Excel, with formula-like text neutralised for spreadsheets."""

from __future__ import annotations

import io
import re

import duckdb
import pandas as pd

from analytics import db, viewspecs
from analytics.errors import (
    ExportTooLargeError,
)
from analytics.export.context import Context
from analytics.filters import Filters
from analytics.registry import runner
from analytics.views import Runner

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
# data stays available: `probation-ratings export-data`, and `query league` streamed.
MAX_ROWS: dict[str, int] = {"csv": 200_000, "xlsx": 100_000}
FORMAT_NAMES = {"csv": "CSV", "xlsx": "Excel"}
LARGER = {
    "csv": "for the whole data use `probation-ratings export-data` or `query league`",
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
    known from a count before the table is built (:attr:`analytics.viewspecs.ViewSpec.rows`).
    """
    spec = viewspecs.VIEWS[name]
    if spec.rows is None or fmt not in MAX_ROWS:
        return None
    run = runner(source) if isinstance(source, duckdb.DuckDBPyConnection) else source
    return size_refusal(fmt, int(run("kpis", filters).iloc[0][spec.rows]))


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


def table_xlsx(df: pd.DataFrame, ctx: Context) -> bytes:
    """An Excel workbook: sheet ``Data`` holds the rows, sheet ``About`` the context.

    Written row by row (openpyxl's write-only mode), so time and memory grow with the table.

    Raises
    ------
    ExportTooLargeError
        If the table has more than ``MAX_ROWS["xlsx"]`` rows.
    """
    _refuse_large("xlsx", df)
    import openpyxl  # only Excel downloads need it

    about = pd.DataFrame(
        [
            ("Title", ctx.title),
            ("Filters", ctx.filters_text),
            (
                "Source",
                ctx.source if not ctx.synthetic else db.SYNTHETIC_LABEL,
            ),
            ("Licence", ctx.licence),
            ("Licence terms", db.LICENCE_URL),
            ("Generated", ctx.generated.isoformat()),
            ("Rows", str(len(df))),
        ],
        columns=["Item", "Value"],
    )
    book = openpyxl.Workbook(write_only=True)
    for name, frame in (("Data", for_files(df)), ("About", neutralise_formulas(about))):
        sheet = book.create_sheet(name)
        # Widths from the header and the first 200 rows: enough to read, never a full scan.
        for letter, width in zip(_column_letters(len(frame.columns)), _widths(frame), strict=True):
            sheet.column_dimensions[letter].width = width
        sheet.append([str(c) for c in frame.columns])
        for row in frame.itertuples(index=False, name=None):
            sheet.append([_excel_cell(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _widths(frame: pd.DataFrame) -> list[float]:
    head = frame.head(200)
    return [
        min(max(10, max([len(str(c)), *(len(str(v)) for v in head[c] if v is not None)]) + 2), 60)
        for c in frame.columns
    ]


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

"""Files for download: tables as CSV and Excel, charts as PNG, SVG and HTML, and a report.

Every file carries its context (what was filtered, source, licence, date): in its name, and in the
image, sheet or page itself. Chart images and the PDF are drawn by Chromium (through kaleido, or
Chromium's own print); without it they raise :class:`ExportUnavailableError` and everything else
still works.
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import concurrent.futures
import contextlib
import datetime as dt
import html
import io
import re
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import plotly.graph_objects as go

from analytics import db, views
from analytics.errors import (
    ExportError,
    ExportTooLargeError,
    ExportUnavailableError,
)
from analytics.filters import Filters
from analytics.settings import Settings

CHROMIUM_HINT = (
    "Chart images and PDF need Chromium: install Debian's chromium "
    "(sudo apt-get install -y chromium), then restart"
)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "svg": "image/svg+xml",
    "html": "text/html",
    "pdf": "application/pdf",
}


@dataclass(frozen=True)
class Context:
    """What an exported file says about itself."""

    title: str
    filters: Filters
    source: str
    licence: str
    synthetic: bool
    generated: dt.date

    @property
    def filters_text(self) -> str:
        return self.filters.describe()

    @property
    def source_line(self) -> str:
        kind = "SYNTHETIC test data, not real ratings" if self.synthetic else self.source
        return (
            f"Source: {kind}. Licence: {self.licence}. Filters: {self.filters_text}. "
            f"Generated {self.generated.isoformat()}."
        )


def context_for(
    con: duckdb.DuckDBPyConnection, title: str, filters: Filters, *, today: dt.date | None = None
) -> Context:
    """The context of an export from the open database."""
    info = db.dataset_info(con)
    return Context(
        title=title,
        filters=filters,
        source=info.source,
        licence=info.licence,
        synthetic=info.synthetic,
        generated=today or dt.date.today(),
    )


# --- names --------------------------------------------------------------------------------------


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def export_filename(view: str, filters: Filters, ext: str, *, today: dt.date) -> str:
    """``VIEW_FILTERS_DATE.EXT``, e.g. ``ratings-by-region_north-east_2026-11-28.csv``.

    The filter part lists the selected values (regions, types, ratings, period, units, standards),
    each slugged; it is left out when nothing is filtered and cut at 80 characters.
    """
    parts = [
        *filters.regions,
        *filters.unit_types,
        *filters.ratings,
        *filters.units,
        *filters.standards,
    ]
    if filters.date_from or filters.date_to:
        start = filters.date_from.isoformat() if filters.date_from else "start"
        end = filters.date_to.isoformat() if filters.date_to else "end"
        parts.append(f"{start}-to-{end}")
    if not filters.include_approximate:
        parts.append("stated-dates")
    selection = "_".join(s for s in (_slug(p) for p in parts) if s)[:80].strip("-_")
    stem = "_".join(x for x in (_slug(view) or "export", selection, today.isoformat()) if x)
    return f"{stem}.{ext}"


# --- tables -------------------------------------------------------------------------------------


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


def _for_files(df: pd.DataFrame) -> pd.DataFrame:
    out = neutralise_formulas(df)
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.date
    return out


def table_csv(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with a byte-order mark, so Excel reads accents right): a header, then the rows.

    Lines end in CRLF (RFC 4180), which also makes the writer quote a cell holding a carriage
    return instead of letting it split the row.
    """
    return _for_files(df).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


# Excel downloads stop here: a workbook is built in memory, and past ~100,000 rows it costs more
# than a page should wait for (Excel's own limit is 1,048,576). CSV has no limit.
MAX_EXCEL_ROWS = 100_000


def excel_refusal(rows: int) -> str | None:
    """Why a table of ``rows`` rows cannot be an Excel download, or None when it can."""
    if rows <= MAX_EXCEL_ROWS:
        return None
    return (
        f"Excel downloads hold at most {MAX_EXCEL_ROWS:,} rows and this table has {rows:,}: "
        "download it as CSV"
    )


def table_xlsx(df: pd.DataFrame, ctx: Context) -> bytes:
    """An Excel workbook: sheet ``Data`` holds the rows, sheet ``About`` the context.

    Written row by row (openpyxl's write-only mode), so time and memory grow with the table.

    Raises
    ------
    ExportTooLargeError
        If the table has more than ``MAX_EXCEL_ROWS`` rows.
    """
    refusal = excel_refusal(len(df))
    if refusal:
        raise ExportTooLargeError(refusal)
    import openpyxl  # only Excel downloads need it

    about = pd.DataFrame(
        [
            ("Title", ctx.title),
            ("Filters", ctx.filters_text),
            (
                "Source",
                ctx.source if not ctx.synthetic else "SYNTHETIC test data, not real ratings",
            ),
            ("Licence", ctx.licence),
            ("Licence terms", db.LICENCE_URL),
            ("Generated", ctx.generated.isoformat()),
            ("Rows", str(len(df))),
        ],
        columns=["Item", "Value"],
    )
    book = openpyxl.Workbook(write_only=True)
    for name, frame in (("Data", _for_files(df)), ("About", neutralise_formulas(about))):
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


# --- charts -------------------------------------------------------------------------------------


def chromium_path() -> str | None:
    """Chromium's path if installed: ``$BROWSER_PATH``, else ``chromium`` on the PATH."""
    configured = Settings.from_env().browser_path
    if configured and configured.exists():
        return str(configured)
    return shutil.which("chromium") or shutil.which("chromium-browser")


def decorate(fig: go.Figure, ctx: Context) -> go.Figure:
    """A copy of ``fig`` carrying its title, the filters in words, source, licence and date."""
    out = go.Figure(fig)
    # Plotly reads <, > and & as markup and decodes their entities, but not &quot;.
    title = html.escape(ctx.title, quote=False)
    out.update_layout(
        title={
            "text": f"<b>{title}</b><br><span style='font-size:12px'>"
            f"{html.escape(ctx.filters_text, quote=False)}</span>",
            "x": 0.02,
            "xref": "container",
            "y": 0.97,
            "yref": "container",
            "yanchor": "top",
        },
        margin={"l": 60, "r": 40, "t": 130, "b": 90},
        height=(fig.layout.height or 420) + 100,
        width=1100,
    )
    out.add_annotation(
        text=html.escape(ctx.source_line, quote=False),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-60,
        xanchor="left",
        yanchor="top",
        showarrow=False,
        font={"size": 10, "color": "#555555"},
        align="left",
    )
    return out


RENDER_TIMEOUT_S = 90  # per image, a cold Chromium start included


class _ImageRenderer:
    """One Chromium (through kaleido) drawing every chart image of this process.

    Starting Chromium takes seconds, so one is kept running. kaleido's own shared server hands
    results back through a single queue: two sessions exporting at once could each receive the
    other's chart, and a Chromium that died would leave every later caller waiting for ever. Here
    each image is its own future on one event loop, bounded by a time limit, and a renderer that
    fails is shut down so the next image starts a fresh one.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._kaleido = None
        self._stop_at_exit = False

    def render(self, fig: go.Figure, fmt: str, scale: float, timeout_s: float) -> bytes:
        loop, kaleido = self._running(timeout_s)
        opts = {"format": fmt, "scale": scale}
        future = asyncio.run_coroutine_threadsafe(kaleido.calc_fig(fig.to_dict(), opts), loop)
        try:
            return future.result(timeout_s)
        except concurrent.futures.TimeoutError:
            future.cancel()
            self.stop(kaleido)
            raise ExportError(f"the chart image was not ready within {timeout_s:g} s") from None
        except Exception:
            self.stop(kaleido)
            raise

    def _running(self, timeout_s: float):
        with self._lock:
            if self._kaleido is not None:
                return self._loop, self._kaleido
            path = chromium_path()
            if path is None:
                raise ExportUnavailableError(CHROMIUM_HINT)
            import kaleido  # only image exports need it

            loop = asyncio.new_event_loop()
            loop.set_exception_handler(_quiet_when_closed)
            threading.Thread(target=_serve, args=(loop,), name="chart-images", daemon=True).start()

            async def start():
                # mathjax=False: no fetch from a CDN (no LaTeX here, and there may be no network).
                renderer = kaleido.Kaleido(n=1, timeout=timeout_s, mathjax=False, path=path)
                await renderer.open()
                return renderer

            try:
                self._kaleido = asyncio.run_coroutine_threadsafe(start(), loop).result(timeout_s)
            except BaseException as exc:
                loop.call_soon_threadsafe(loop.stop)
                if isinstance(exc, concurrent.futures.TimeoutError):
                    raise ExportError(f"Chromium did not start within {timeout_s:g} s") from None
                raise
            self._loop = loop
            if not self._stop_at_exit:
                # Registered after Chromium's temporary profile exists, so at exit this runs first
                # (LIFO) and closes Chromium before Python sweeps up leftover temporary folders.
                atexit.register(self.stop)
                self._stop_at_exit = True
            return loop, self._kaleido

    def stop(self, only=None) -> None:
        """Close Chromium (``only``: if it is still that instance, not a fresh replacement)."""
        with self._lock:
            loop, kaleido = self._loop, self._kaleido
            if kaleido is None or (only is not None and kaleido is not only):
                return
            self._loop = self._kaleido = None
        # An unresponsive or already gone Chromium fails to close politely; it is dropped anyway.
        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(kaleido.close(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)


def _serve(loop: asyncio.AbstractEventLoop) -> None:
    """The renderer's thread: run its loop until stopped, then unwind what is left and close."""
    asyncio.set_event_loop(loop)
    loop.run_forever()
    pending = asyncio.all_tasks(loop)
    for task in pending:
        task.cancel()
    loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    loop.run_until_complete(loop.shutdown_asyncgens())
    loop.close()


def _quiet_when_closed(loop: asyncio.AbstractEventLoop, context: dict) -> None:
    # A render cut short (timed out, or Chromium gone) leaves kaleido's inner tasks failing with
    # "channel closed"; the caller already has its error, so only other surprises are logged.
    if type(context.get("exception")).__name__ != "ChannelClosedError":
        loop.default_exception_handler(context)


_RENDERER = _ImageRenderer()


def figure_image(
    fig: go.Figure, ctx: Context, fmt: str, *, timeout_s: float = RENDER_TIMEOUT_S
) -> bytes:
    """The decorated chart as PNG (scale 2) or SVG.

    Safe to call from many threads at once (one Streamlit session per thread).

    Raises
    ------
    ExportUnavailableError
        If Chromium is not installed.
    ExportError
        If Chromium does not start or draw the image within ``timeout_s`` seconds.
    """
    if fmt not in {"png", "svg"}:
        raise ValueError(f"unknown image format {fmt!r}")
    return _RENDERER.render(decorate(fig, ctx), fmt, 2 if fmt == "png" else 1, timeout_s)


def figure_html(fig: go.Figure, ctx: Context) -> bytes:
    """A self-contained interactive HTML file of the decorated chart (plotly.js inlined)."""
    decorated = decorate(fig, ctx)
    decorated.update_layout(width=None)
    return decorated.to_html(
        full_html=True,
        include_plotlyjs=True,
        config={"displaylogo": False, "responsive": True},
    ).encode("utf-8")


# --- the report ---------------------------------------------------------------------------------


REPORT_CSS = """
@page { size: A4; margin: 14mm 12mm; }
body { font-family: Arial, Helvetica, sans-serif; color: #222; margin: 0 auto; max-width: 190mm;
       font-size: 10.5pt; }
h1 { font-size: 18pt; margin: 0 0 4pt; }
h2 { font-size: 13pt; margin: 14pt 0 4pt; break-after: avoid; }
.meta { color: #555; font-size: 9pt; }
.kpis { display: flex; gap: 8pt; margin: 10pt 0; }
.kpi { flex: 1; border: 1px solid #ccc; padding: 6pt; }
.kpi .label { font-size: 8.5pt; color: #555; }
.kpi .value { font-size: 16pt; font-weight: bold; }
figure { margin: 8pt 0; break-inside: avoid; }
figure img, figure svg { width: 100%; height: auto; }
figcaption { font-size: 8.5pt; color: #555; }
table { border-collapse: collapse; width: 100%; font-size: 8pt; }
th, td { border: 1px solid #ccc; padding: 2pt 4pt; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
tr { break-inside: avoid; }
.note { font-size: 8.5pt; color: #555; }
"""


@dataclass(frozen=True)
class ReportChart:
    title: str
    figure: go.Figure
    alt: str


@dataclass(frozen=True)
class ReportTable:
    title: str
    table: pd.DataFrame


def report_html(
    ctx: Context,
    *,
    kpis: list[tuple[str, str]],
    charts: list[ReportChart],
    tables: list[ReportTable],
    notes: list[str] = (),
    max_table_rows: int = 200,
) -> str:
    """One self-contained HTML page of a view that prints cleanly to A4.

    Charts are embedded as images (PNG) when Chromium is available; otherwise as interactive
    charts with plotly.js inlined, and the page says so.
    """
    esc = html.escape
    images = chromium_path() is not None
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{esc(ctx.title)}</title><style>{REPORT_CSS}</style></head><body>",
        f"<h1>{esc(ctx.title)}</h1>",
        f"<p class='meta'>Filters: {esc(ctx.filters_text)}<br>{esc(ctx.source_line)}</p>",
        "<div class='kpis'>",
        *(
            f"<div class='kpi'><div class='label'>{esc(label)}</div>"
            f"<div class='value'>{esc(value)}</div></div>"
            for label, value in kpis
        ),
        "</div>",
    ]
    parts += [f"<p class='note'>{esc(n)}</p>" for n in notes]
    if not images:
        parts.append(
            f"<p class='note'>Charts are interactive: {esc(CHROMIUM_HINT)} for images.</p>"
        )
    for i, chart in enumerate(charts):
        parts.append(f"<figure><h2>{esc(chart.title)}</h2>")
        if images:
            chart_ctx = Context(
                chart.title, ctx.filters, ctx.source, ctx.licence, ctx.synthetic, ctx.generated
            )
            png = figure_image(chart.figure, chart_ctx, "png")
            parts.append(
                f"<img alt='{esc(chart.alt, quote=True)}' "
                f"src='data:image/png;base64,{base64.b64encode(png).decode()}'>"
            )
        else:
            parts.append(
                chart.figure.to_html(
                    full_html=False, include_plotlyjs=(i == 0), config={"staticPlot": True}
                )
            )
        parts.append(f"<figcaption>{esc(chart.alt)}</figcaption></figure>")
    for table in tables:
        shown = _for_files(table.table)
        shown = shown.astype(object).where(shown.notna(), "")
        parts.append(f"<h2>{esc(table.title)}</h2>")
        if shown.empty:
            parts.append("<p class='note'>No rows for these filters.</p>")
            continue
        parts.append(
            shown.head(max_table_rows).to_html(index=False, na_rep="", escape=True, border=0)
        )
        if len(shown) > max_table_rows:
            parts.append(
                f"<p class='note'>First {max_table_rows} of {len(shown)} rows; download the "
                "table as CSV or Excel for all of them.</p>"
            )
    parts.append(
        f"<h2>Sources and licence</h2><p class='note'>{esc(ctx.source_line)} Contains public "
        f"sector information licensed under the <a href='{db.LICENCE_URL}'>{esc(ctx.licence)}</a>."
        " Not an official HMIP dataset: check a rating against its source report.</p>"
    )
    parts.append("</body></html>")
    return "\n".join(parts)


def report_pdf(report: str, *, timeout_s: float = 120) -> bytes:
    """Print an HTML report to A4 PDF with Chromium.

    Raises
    ------
    ExportUnavailableError
        If Chromium is not installed or fails to print.
    """
    path = chromium_path()
    if path is None:
        raise ExportUnavailableError(CHROMIUM_HINT)
    with tempfile.TemporaryDirectory(prefix="probation-report-") as tmp:
        page = Path(tmp) / "report.html"
        pdf = Path(tmp) / "report.pdf"
        page.write_text(report, encoding="utf-8")
        command = [
            path,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            f"--user-data-dir={Path(tmp) / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ]
        result = subprocess.run(  # noqa: S603 -- fixed arguments, our own temporary files
            command, capture_output=True, timeout=timeout_s, check=False
        )
        if result.returncode != 0 or not pdf.exists():
            raise ExportUnavailableError(
                f"Chromium could not print the report (exit {result.returncode})"
            )
        return pdf.read_bytes()


# Charts and tables of the dashboard's report, in page order.
REPORT_CHARTS: tuple[str, ...] = (
    "ratings",
    "ratings-by-region",
    "region-map",
    "ratings-over-time",
    "standards",
    "region-standard-matrix",
    "rating-changes",
)
REPORT_TABLES: tuple[str, ...] = ("league-table", "inspections")
REPORT_TABLE_COLUMNS: dict[str, list[str]] = {
    "league-table": [
        "rank",
        "unit_name",
        "unit_type",
        "region",
        "rating",
        "published",
        "previous_rating",
        "change",
    ],
    "inspections": [
        "published",
        "date_basis",
        "unit_type",
        "unit_name",
        "region",
        "rating",
        "source_url",
    ],
}


def build_report(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    *,
    view: str | None = None,
    options: views.ViewOptions | None = None,
    today: dt.date | None = None,
) -> str:
    """The HTML report of the dashboard for ``filters``, or of one view if ``view`` is given.

    KPIs come first, then every chart (as an image when Chromium is available), then the key
    tables, then sources and licence.
    """
    from analytics import breakdowns  # imported here: breakdowns is only needed for reports

    k = breakdowns.kpis(con, filters).iloc[0]

    def pct(v) -> str:
        return "–" if pd.isna(v) else f"{v:.0%}"

    kpi_tiles = [
        ("Inspections", f"{k.inspections:,}"),
        ("Units", f"{k.units:,}"),
        ("Inadequate", pct(k.share_inadequate)),
        ("Requires improvement", pct(k.share_requires_improvement)),
        ("Good or better", pct(k.share_good_or_better)),
    ]
    chart_names = REPORT_CHARTS if view is None else (view,) if view in views.CHART_VIEWS else ()
    table_names = REPORT_TABLES if view is None else (view,) if view not in chart_names else ()
    built = [views.build_view(con, n, filters, options) for n in chart_names]
    charts = [ReportChart(v.title, v.figure, v.figure.layout.meta["alt"]) for v in built]
    tables = []
    for name in table_names:
        v = views.build_view(con, name, filters, options)
        columns = [
            c for c in REPORT_TABLE_COLUMNS.get(name, list(v.table.columns)) if c in v.table.columns
        ]
        tables.append(ReportTable(v.title, v.table[columns]))
    title = "Probation inspection ratings" if view is None else views.VIEWS[view][0]
    ctx = context_for(con, title, filters, today=today)
    notes = [
        f"{k.approximate_dates} of {k.inspections} inspections have approximate dates "
        "(no source page states them). Standard ratings are known for only some inspections; "
        "a blank is unknown, never 'not rated'."
    ]
    return report_html(ctx, kpis=kpi_tiles, charts=charts, tables=tables, notes=notes)

"""The report: one self-contained HTML page of the dashboard or a view, and its PDF."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import html
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import plotly.graph_objects as go

from analytics import db, registry, summary, viewspecs
from analytics.errors import ExportUnavailableError, InvalidFilterError
from analytics.export import images
from analytics.export.context import Context, context_for
from analytics.export.tables import for_files
from analytics.filters import Filters
from analytics.formats import percent
from analytics.views import ViewOptions

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
.summary { font-size: 11pt; margin: 8pt 0; }
"""


@dataclass(frozen=True)
class ReportChart:
    """A chart of the report: its title, figure and text alternative."""

    title: str
    figure: go.Figure
    alt: str
    selection: str = ""  # the units the chart is of, in words (its image says them)


@dataclass(frozen=True)
class ReportTable:
    """A table of the report: its title and rows."""

    title: str
    table: pd.DataFrame


def report_html(
    ctx: Context,
    *,
    kpis: list[tuple[str, str]],
    charts: list[ReportChart],
    tables: list[ReportTable],
    notes: Sequence[str] = (),
    summary: str = "",
    max_table_rows: int = 200,
) -> str:
    """One self-contained HTML page of a view that prints cleanly to A4.

    Charts are embedded as images (PNG) when Chromium is available; otherwise as interactive
    charts with plotly.js inlined, and the page says so.
    """
    esc = html.escape
    as_images = images.chromium_path() is not None
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{esc(ctx.title)}</title><style>{REPORT_CSS}</style></head><body>",
        f"<h1>{esc(ctx.title)}</h1>",
        f"<p class='meta'>Filters: {esc(ctx.filters_text)}<br>{esc(ctx.source_line)}</p>",
        *([f"<p class='summary'>{esc(summary)}</p>"] if summary else []),
        "<div class='kpis'>",
        *(
            f"<div class='kpi'><div class='label'>{esc(label)}</div>"
            f"<div class='value'>{esc(value)}</div></div>"
            for label, value in kpis
        ),
        "</div>",
    ]
    parts += [f"<p class='note'>{esc(n)}</p>" for n in notes]
    if not as_images:
        parts.append(
            f"<p class='note'>Charts are interactive: {esc(images.CHROMIUM_HINT)} for images.</p>"
        )
    for i, chart in enumerate(charts):
        parts.append(f"<figure><h2>{esc(chart.title)}</h2>")
        if as_images:
            chart_ctx = dataclasses.replace(ctx, title=chart.title, selection=chart.selection)
            png = images.figure_image(chart.figure, chart_ctx, "png")
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
        shown = for_files(table.table)
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
    path = images.chromium_path()
    if path is None:
        raise ExportUnavailableError(images.CHROMIUM_HINT)
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


def build_report(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    *,
    view: str | None = None,
    options: ViewOptions | None = None,
    today: dt.date | None = None,
) -> str:
    """The HTML report of the dashboard for ``filters``, or of one view if ``view`` is given.

    KPIs come first, then every chart (as an image when Chromium is available), then the key
    tables, then sources and licence.
    """
    k = registry.analysis("kpis").function(con, filters).iloc[0]

    kpi_tiles = [
        ("Inspections", f"{k.inspections:,}"),
        ("Units", f"{k.units:,}"),
        ("Inadequate", percent(k.share_inadequate)),
        ("Requires improvement", percent(k.share_requires_improvement)),
        ("Good or better", percent(k.share_good_or_better)),
    ]
    compare = bool(options and options.compare)
    if view is None:
        # the comparison's section only when units are being compared
        names = tuple(
            n for n in viewspecs.REPORT_VIEWS if compare or n not in viewspecs.COMPARE_VIEWS
        )
    elif view not in viewspecs.VIEWS:
        raise InvalidFilterError(f"unknown view '{view}' (allowed: {', '.join(viewspecs.VIEWS)})")
    else:
        names = (view,)
    built = [viewspecs.build_view(con, n, filters, options) for n in names]
    charts = [
        ReportChart(v.title, v.figure, v.figure.layout.meta["alt"], v.selection)
        for v in built
        if v.figure is not None
    ]
    tables = []
    for v in built:
        if v.figure is None or v.name in viewspecs.COMPARE_VIEWS:
            wanted = viewspecs.VIEWS[v.name].report_columns or tuple(v.table.columns)
            tables.append(
                ReportTable(v.title, v.table[[c for c in wanted if c in v.table.columns]])
            )
    title = "Probation inspection ratings" if view is None else viewspecs.VIEWS[view].title
    ctx = context_for(con, title, filters, today=today)
    notes = [
        f"{k.approximate_dates} of {k.inspections} inspections have approximate dates "
        "(no source page states them). Standard ratings are known for only some inspections; "
        "a blank is unknown, never 'not rated'."
    ]
    paragraph = summary.paragraph(registry.analysis("summary").function(con, filters))
    return report_html(
        ctx, kpis=kpi_tiles, charts=charts, tables=tables, notes=notes, summary=paragraph
    )

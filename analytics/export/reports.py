"""The report: one self-contained HTML page of the dashboard or a view, and its PDF."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import html
import subprocess
import tempfile
from pathlib import Path

import duckdb
import pandas as pd

from analytics.analyses import viewspecs
from analytics.analyses.tiles import Tile, change_text
from analytics.analyses.views import ViewOptions
from analytics.errors import ExportUnavailableError, InvalidFilterError
from analytics.export import briefs, images
from analytics.export.briefs import Brief, ReportTable
from analytics.export.context import Context, context_for
from analytics.filters import Filters
from analytics.pipeline import db

REPORT_CSS = """
@page { size: A4; margin: 14mm 12mm; }
body { font-family: Arial, Helvetica, sans-serif; color: #222; margin: 0 auto; max-width: 186mm;
       font-size: 10.5pt; }
h1 { font-size: 18pt; margin: 0 0 4pt; }
h2 { font-size: 13pt; margin: 14pt 0 4pt; break-after: avoid; }
.meta { color: #555; font-size: 9pt; }
.kpis { display: flex; gap: 8pt; margin: 10pt 0; }
.kpi { flex: 1 1 0; min-width: 0; border: 1px solid #ccc; padding: 6pt; }
.kpi .label { font-size: 8.5pt; color: #555; }
.kpi .value { font-size: 15pt; font-weight: bold; }
.kpi .change { font-size: 8.5pt; color: #333; }
figure { margin: 8pt 0; break-inside: avoid; }
figure img, figure svg { width: 100%; height: auto; }
figcaption { font-size: 8.5pt; color: #555; }
table { border-collapse: collapse; width: 100%; font-size: 8pt; overflow-wrap: break-word; }
td.link { word-break: break-all; font-size: 7pt; }
td.nb { white-space: nowrap; }
h2.appendix { break-before: page; font-size: 15pt; }
th, td { border: 1px solid #ccc; padding: 2pt 4pt; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
tr { break-inside: avoid; }
.note { font-size: 8.5pt; color: #555; }
.summary { font-size: 11pt; margin: 8pt 0; }
"""


MAX_TABLE_ROWS = 200
NO_BREAK_CHARS = 18
BLANK_NOTE = "A blank cell is not known (no source states it): never zero or 'not rated'."


def report_html(ctx: Context, brief: Brief, *, max_table_rows: int = MAX_TABLE_ROWS) -> str:
    """One self-contained HTML page of a brief that prints cleanly to A4 (portrait).

    Charts are embedded as images (PNG) when Chromium is available; otherwise as interactive
    charts with plotly.js inlined, and the page says so.
    """
    esc = html.escape
    as_images = images.chromium_path() is not None
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{esc(ctx.title)}</title><style>{REPORT_CSS}</style></head><body>",
        f"<h1>{esc(ctx.title)}</h1>",
        f"<p class='meta'>{esc(ctx.selection_line)}<br>{esc(ctx.provenance)}</p>",
        "<div class='kpis'>",
        *(_tile_html(t) for t in brief.tiles),
        "</div>",
        *([f"<p class='summary'>{esc(brief.paragraph)}</p>"] if brief.paragraph else []),
    ]
    if not as_images and brief.charts:
        parts.append(
            f"<p class='note'>Charts are interactive: {esc(images.CHROMIUM_HINT)} for images.</p>"
        )
    for i, view in enumerate(brief.charts):
        figure = view.figure
        if figure is None:  # a brief's charts are views with a figure
            continue
        meta = figure.layout.meta or {}
        if meta.get("empty"):  # nothing to draw: the chart's one sentence, not empty axes
            parts.append(f"<h2>{esc(view.title)}</h2><p>{esc(meta.get('alt', ''))}</p>")
            continue
        parts.append(f"<figure><h2>{esc(view.title)}</h2>")
        if as_images:
            chart_ctx = dataclasses.replace(ctx, title=view.title, selection=view.selection)
            png = images.figure_image(figure, chart_ctx, "png")
            parts.append(
                f"<img alt='{esc(meta.get('alt', ''), quote=True)}' "
                f"src='data:image/png;base64,{base64.b64encode(png).decode()}'>"
            )
        else:
            parts.append(
                figure.to_html(
                    full_html=False, include_plotlyjs=(i == 0), config={"staticPlot": True}
                )
            )
        caption = " ".join(t for t in (meta.get("alt"), meta.get("note"), meta.get("key")) if t)
        parts.append(f"<figcaption>{esc(caption)}</figcaption></figure>")
    parts += [_table_html(t, max_table_rows) for t in brief.tables]
    if brief.appendix:
        parts.append("<h2 class='appendix'>Appendix</h2>")
        parts += [_table_html(t, max_table_rows) for t in brief.appendix]
    parts.append(
        f"<h2>Sources and licence</h2><p class='note'>{esc(ctx.provenance)} Contains public "
        f"sector information licensed under the <a href='{db.LICENCE_URL}'>{esc(ctx.licence)}</a>."
        " Not an official HMIP dataset: check a rating against its source report. "
        f"{esc(BLANK_NOTE)}</p>"
    )
    parts.append("</body></html>")
    return "\n".join(parts)


def _tile_html(tile: Tile) -> str:
    esc = html.escape
    change = change_text(tile)
    return (
        f"<div class='kpi'><div class='label'>{esc(tile.label)}</div>"
        f"<div class='value'>{esc(tile.value)}</div>"
        + (f"<div class='change'>{esc(change)}</div>" if change else "")
        + "</div>"
    )


def _table_html(table: ReportTable, max_rows: int) -> str:
    esc = html.escape
    parts = [f"<section class='table'><h2>{esc(table.title)}</h2>"]
    frame = table.table
    if frame.empty:
        parts.append(f"<p class='note'>{esc(table.empty)}</p></section>")
        return "".join(parts)
    links = {i for i, c in enumerate(frame.columns) if c in table.links}
    parts.append("<table><thead><tr>")
    parts += [f"<th>{esc(str(c))}</th>" for c in frame.columns]
    parts.append("</tr></thead><tbody>")
    for row in frame.head(max_rows).itertuples(index=False, name=None):
        parts.append("<tr>")
        for i, value in enumerate(row):
            text = (
                ""
                if value is None or (not isinstance(value, str) and pd.isna(value))
                else str(value)
            )
            if i in links and text.startswith(("https://", "http://")):
                parts.append(
                    f"<td class='link'><a href='{esc(text, quote=True)}'>{esc(text)}</a></td>"
                )
            elif len(text) <= NO_BREAK_CHARS and " " not in text:
                # a date or a number is never broken at its hyphen ("2023-02-" over "09")
                parts.append(f"<td class='nb'>{esc(text)}</td>")
            else:
                parts.append(f"<td>{esc(text)}</td>")
        parts.append("</tr>")
    parts.append("</tbody></table>")
    notes = [table.note] if table.note else []
    if len(frame) > max_rows:
        notes.append(
            f"First {max_rows} of {len(frame)} rows; download the table as CSV or Excel for all "
            "of them."
        )
    parts += [f"<p class='note'>{esc(n)}</p>" for n in notes]
    parts.append("</section>")
    return "".join(parts)


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
    """The HTML report (a board brief) of the view on screen, or of one view if ``view`` is given.

    Which brief: compared units (``options.compare``) get the comparison; one unit (named by
    ``options`` or the only unit the filters select) gets its history, standards and benchmark;
    any other selection gets the dashboard's charts, with the units' latest ratings and the
    inspections and their sources as an appendix.

    Raises
    ------
    InvalidFilterError
        For an unknown view name.
    """
    options = options or ViewOptions()
    today = today or dt.date.today()
    if view is not None:
        if view not in viewspecs.VIEWS:
            raise InvalidFilterError(
                f"unknown view '{view}' (allowed: {', '.join(viewspecs.VIEWS)})"
            )
        brief = briefs.view_brief(con, filters, view, options)
    else:
        brief = briefs.brief(con, filters, options, today=today)
    ctx = context_for(con, brief.title, filters, today=today, selection=brief.selection)
    return report_html(ctx, brief)

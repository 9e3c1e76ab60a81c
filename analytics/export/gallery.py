"""The gallery: every export of a fixed set of views in one folder, with an index.html that
shows them all, so what a manager takes away can be looked at in one place (and tested).

The views are chosen from the data by rule, so the gallery of any database (the shipped one, a
synthetic one) has the same shape: everything, the region with most inspections, the PDU with the
longest name among those inspected twice or more, the PDU with the longest name among those
inspected once, the six units with the longest names compared, and the standards of case
supervision.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from analytics import vocab
from analytics.analyses import picked_units, viewspecs
from analytics.analyses.catalog import unit_label
from analytics.analyses.views import ViewOptions
from analytics.errors import ExportUnavailableError
from analytics.export import images, reports, tables
from analytics.export.context import context_for
from analytics.filters import Filters
from analytics.pipeline import db

CASE_SUPERVISION = tuple(s for s, d in vocab.STANDARDS if d == "Case supervision")


@dataclass(frozen=True)
class Scene:
    """One view of the gallery: what it shows, its filters and options, and its views."""

    slug: str
    title: str
    filters: Filters
    options: ViewOptions
    views: tuple[str, ...]


def scenes(con: duckdb.DuckDBPyConnection) -> tuple[Scene, ...]:
    """The gallery's views of this database, chosen by rule (see the module's docstring).

    A view the data cannot give (no PDU inspected once, fewer than two units) is left out.
    """
    units = con.execute(
        "select unit_type, unit_name, count(*) as n from inspections group by all"
    ).fetchall()
    region = con.execute(
        "select region from inspections where region is not null "
        "group by region order by count(*) desc, region limit 1"
    ).fetchone()

    def longest(rows) -> list[tuple[str, str]]:
        return [(t, n) for t, n, _ in sorted(rows, key=lambda r: (-len(r[1]), r[1], r[0]))]

    out = [Scene("everything", "Everything", Filters(), ViewOptions(), viewspecs.SELECTION_VIEWS)]
    if region:
        out.append(
            Scene(
                "region",
                f"One region: {region[0]}",
                Filters(regions=(region[0],)),
                ViewOptions(),
                viewspecs.SELECTION_VIEWS,
            )
        )
    for slug, title, wanted in (
        ("unit-long-name", "One unit with a long name", lambda n: n >= 2),
        ("unit-one-inspection", "A unit with one inspection", lambda n: n == 1),
    ):
        picked = longest([u for u in units if u[0] == "PDU" and wanted(u[2])])
        if picked:
            t, n = picked[0]
            out.append(
                Scene(
                    slug,
                    f"{title}: {unit_label(t, n)}",
                    Filters(units=(n,), unit_types=(t,)),
                    ViewOptions(unit_type=t, unit_name=n),
                    viewspecs.UNIT_VIEWS,
                )
            )
    many = tuple(longest(units)[: picked_units.MAX_COMPARED])
    if len(many) >= picked_units.MIN_COMPARED:
        out.append(
            Scene(
                "compare",
                f"{len(many)} units with long names compared",
                Filters(),
                ViewOptions(compare=many),
                tuple(sorted(viewspecs.COMPARE_VIEWS)),
            )
        )
    out.append(
        Scene(
            "domains",
            "The Domains tab with a standards filter: " + ", ".join(CASE_SUPERVISION),
            Filters(standards=CASE_SUPERVISION),
            ViewOptions(),
            (viewspecs.STANDARDS.name, viewspecs.REGION_STANDARD_MATRIX.name),
        )
    )
    return tuple(out)


def write_gallery(
    con: duckdb.DuckDBPyConnection,
    out: Path,
    *,
    today: dt.date | None = None,
    say: Callable[[str], None] = lambda _: None,
) -> list[Path]:
    """Write every export of every scene into ``out`` (made if missing), then ``index.html``.

    Each file is written under a temporary name and renamed, so none is ever half-written.

    Returns
    -------
    list of Path
        The files written, index.html last.

    Raises
    ------
    ExportUnavailableError
        If Chromium is not installed (the images and PDFs need it).
    """
    if images.chromium_path() is None:
        raise ExportUnavailableError(images.CHROMIUM_HINT)
    today = today or dt.date.today()
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def put(name: str, data: bytes) -> str:
        path = out / name
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)
        written.append(path)
        return name

    sections = []
    for scene in scenes(con):
        say(f"{scene.slug}: report")
        page = reports.build_report(con, scene.filters, options=scene.options, today=today)
        files = {
            "report.html": put(f"{scene.slug}_report.html", page.encode("utf-8")),
            "report.pdf": put(f"{scene.slug}_report.pdf", reports.report_pdf(page)),
        }
        shown = []
        for name in scene.views:
            say(f"{scene.slug}: {name}")
            view = viewspecs.build_view(con, name, scene.filters, scene.options)
            ctx = context_for(con, view.title, scene.filters, today=today, selection=view.selection)
            made = {
                "csv": put(f"{scene.slug}_{name}.csv", tables.table_csv(view.table)),
                "xlsx": put(f"{scene.slug}_{name}.xlsx", tables.table_xlsx(view.table, ctx)),
            }
            if view.figure is not None:
                for fmt in ("png", "svg"):
                    data = images.figure_image(view.figure, ctx, fmt)
                    made[fmt] = put(f"{scene.slug}_{name}.{fmt}", data)
                made["html"] = put(
                    f"{scene.slug}_{name}.html", images.figure_html(view.figure, ctx)
                )
            shown.append((view, made))
        sections.append((scene, files, shown))
    put("index.html", _index(con, sections, today).encode("utf-8"))
    return written


def _index(con: duckdb.DuckDBPyConnection, sections, today: dt.date) -> str:
    esc = html.escape
    info = db.dataset_info(con)
    source = db.SYNTHETIC_LABEL if info.synthetic else info.source
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<title>Gallery of exports</title><style>",
        "body{font-family:Arial,Helvetica,sans-serif;margin:2em;max-width:1200px;color:#222}",
        "img{max-width:100%;border:1px solid #ccc}h2{border-top:2px solid #333;padding-top:.5em}",
        "</style></head><body><h1>Gallery of exports</h1>",
        f"<p>Every download of a fixed set of views. Source: {esc(source)}. "
        f"Made {today.isoformat()}.</p><ul>",
        *(f"<li><a href='#{s.slug}'>{esc(s.title)}</a></li>" for s, _, _ in sections),
        "</ul>",
    ]
    for scene, files, shown in sections:
        parts.append(f"<section id='{scene.slug}'><h2>{esc(scene.title)}</h2>")
        parts.append(
            f"<p>Report: <a href='{files['report.html']}'>HTML</a> · "
            f"<a href='{files['report.pdf']}'>PDF</a></p>"
        )
        for view, made in shown:
            parts.append(f"<h3>{esc(view.title)}</h3>")
            if "png" in made:
                alt = (view.figure.layout.meta or {}).get("alt", "")
                parts.append(f"<img src='{made['png']}' alt='{esc(alt, quote=True)}'>")
            links = " · ".join(f"<a href='{name}'>{fmt.upper()}</a>" for fmt, name in made.items())
            parts.append(f"<p>{links}</p>")
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts)

"""The header above the tabs: provenance, KPI tiles with their changes, and the report downloads."""

from __future__ import annotations

import datetime as dt
import functools

import pandas as pd
import streamlit as st

from analytics import db
from analytics.catalog import Vocabulary
from analytics.export import images, names, reports
from analytics.filters import Filters
from analytics.formats import percent
from ui.data import Data
from ui.text import md_escape

# --- header ---------------------------------------------------------------------------------------


def previous_period(filters: Filters, vocab: Vocabulary) -> tuple[Filters, str] | None:
    """The same filters over the period of equal length just before this one.

    None when there is nothing to compare with: the selection starts at the data's first year
    (its previous period lies before any inspection) or lies outside the data's years.
    """
    first, last = vocab.years
    y0 = max(first, filters.date_from.year) if filters.date_from else first
    y1 = min(last, filters.date_to.year) if filters.date_to else last
    if y0 > y1 or y0 <= first:
        return None
    length = y1 - y0 + 1
    p0, p1 = y0 - length, y0 - 1
    label = f"{p0}" if p0 == p1 else f"{p0} to {p1}"
    return filters.replace(date_from=dt.date(p0, 1, 1), date_to=dt.date(p1, 12, 31)), label


def header(data: Data, filters: Filters) -> pd.Series:
    """Draw the header (provenance, KPI tiles, report downloads); return the KPIs."""
    vocab = data.vocabulary
    k = data("kpis", filters).iloc[0]
    info = data.info
    kind = f"**{db.SYNTHETIC_LABEL}**" if info.synthetic else info.source
    if not k.inspections:
        years = "no inspections"
    elif k.first_published.year == k.latest_published.year:
        years = f"{k.inspections} inspections published in {k.first_published:%Y}"
    else:
        years = (
            f"{k.inspections} inspections published {k.first_published:%Y} to "
            f"{k.latest_published:%Y}"
        )
    st.caption(
        f"Source: {kind}. Licence: [{db.LICENCE}]({db.LICENCE_URL}). Showing {years} "
        f"({md_escape(filters.describe())}). {k.approximate_dates} of {k.inspections} "
        f"inspections have approximate dates. Database built {info.built_at:%Y-%m-%d %H:%M} UTC."
    )
    compared = previous_period(filters, vocab)
    # The previous period's KPIs, only when it has inspections to compare with.
    p = data("kpis", compared[0]).iloc[0] if compared else None
    p = p if p is not None and p.inspections > 0 else None

    def delta(column: str, *, share: bool):
        if p is None:
            return None
        now, before = k[column], p[column]
        if pd.isna(now) or pd.isna(before):
            return None
        return f"{(now - before) * 100:+.0f} pts" if share else f"{int(now - before):+d}"

    cols = st.columns(5)
    cols[0].metric(
        "Inspections",
        f"{k.inspections:,}",
        delta("inspections", share=False),
        delta_color="off",
    )
    cols[1].metric("Units", f"{k.units:,}", delta("units", share=False), delta_color="off")
    # (label, count column, delta colour): more Inadequate is worse, more Good or better is better
    for col, (tile, count, colour) in zip(
        cols[2:],
        (
            ("Inadequate", "inadequate", "inverse"),
            ("Requires improvement", "requires_improvement", "off"),
            ("Good or better", "good_or_better", "normal"),
        ),
        strict=True,
    ):
        share = f"share_{count}"
        col.metric(
            tile,
            percent(k[share]),
            delta(share, share=True),
            delta_color=colour,  # type: ignore[arg-type]  # one of the three literals above
            help=f"{k[count]} of {k.inspections} inspections",
        )
    # A comparison is said only where it means something: a previous period with inspections.
    if compared and p is not None:
        st.caption(
            f"Changes are against the previous period of equal length ({compared[1]}: "
            f"{p.inspections} inspections)."
        )
    return k


def _report_html(con, filters: Filters) -> bytes:
    return reports.build_report(con, filters).encode("utf-8")


def _report_pdf(con, filters: Filters) -> bytes:
    return reports.report_pdf(reports.build_report(con, filters))


def report_downloads(data: Data, filters: Filters) -> None:
    """The whole view as one file: KPIs, every chart, the key tables, sources (A4 when printed)."""
    today = dt.date.today()
    pdf_ok = images.chromium_path() is not None
    with st.popover("Download report", key="report_downloads"):
        st.download_button(
            "Report (HTML, prints to A4)",
            data=functools.partial(_report_html, data.con, filters),
            file_name=names.export_filename("dashboard-report", filters, "html", today=today),
            mime=names.MIME["html"],
            key="report_html",
            on_click="ignore",
        )
        st.download_button(
            "Report (PDF)",
            data=functools.partial(_report_pdf, data.con, filters),
            file_name=names.export_filename("dashboard-report", filters, "pdf", today=today),
            mime=names.MIME["pdf"],
            key="report_pdf",
            on_click="ignore",
            disabled=not pdf_ok,
            help=None if pdf_ok else images.CHROMIUM_HINT + ".",
        )
        if not pdf_ok:
            st.caption(images.CHROMIUM_HINT + ". The HTML report works without it.")

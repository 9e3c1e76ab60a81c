"""The header above the tabs: provenance, KPI tiles with their changes, and the report downloads."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable

import pandas as pd
import streamlit as st

from analytics.analyses import breakdowns, picked_units, summary
from analytics.analyses.tiles import previous_kpis, selection_tiles, unit_tiles
from analytics.analyses.views import ViewOptions
from analytics.export import images, names, reports
from analytics.filters import Filters
from analytics.pipeline import db
from analytics.vocab import SMALL_COUNT_NOTE
from ui.components import picked_unit, single_unit
from ui.data import Data
from ui.state import compared_units, current_tab
from ui.text import md_escape
from ui.tiles import Tile, draw, tile_row

# --- header ---------------------------------------------------------------------------------------


def provenance(data: Data, filters: Filters, k: pd.Series) -> None:
    """One line of where the figures come from, with the details behind a "Details" popover."""
    info = data.info
    # synthetic data is not HMIP's and carries no licence of theirs. "Details" is text a keyboard
    # user sees on Enter; its one link (the licence) is also in the About tab, where Tab reaches
    # it (a popover's content is drawn at the end of the page, out of Tab's order).
    kind = (
        f"**{db.SYNTHETIC_LABEL}**" if info.synthetic else f"HMIP inspection reports ({db.LICENCE})"
    )
    counted = f"{k.inspections:,} inspection{'' if k.inspections == 1 else 's'}"
    if not k.inspections:
        years = "no inspections"
    elif k.first_published.year == k.latest_published.year:
        years = f"{counted} published in {k.first_published:%Y}"
    else:
        years = f"{counted} published {k.first_published:%Y} to {k.latest_published:%Y}"
    # the period once: the years just said are those of the inspections the period holds
    rest = filters.replace(date_from=None, date_to=None)
    selection = "" if rest.is_empty else f" ({md_escape(rest.describe())})"
    approximate = (
        f" · {k.approximate_dates:,} with approximate dates" if k.approximate_dates else ""
    )
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        st.caption(f"Source: {kind} · {years}{selection}{approximate}", width="content")
        with st.popover("Details", key="provenance_details", type="tertiary"):
            source = db.SYNTHETIC_LABEL if info.synthetic else info.source
            st.markdown(
                f"Source: {md_escape(source)}. Licence: [{db.LICENCE}]({db.LICENCE_URL}). "
                f"Showing {years} ({md_escape(filters.describe())}). {k.approximate_dates} of "
                f"{k.inspections} inspections have approximate dates (shown as approximate: "
                "their month or year comes from the report's address or another page). "
                f"Database built {info.built_at:%Y-%m-%d %H:%M} UTC."
            )


def tiles_and_reports(data: Data, filters: Filters, tiles: list[Tile]) -> None:
    """The tiles in one row with the report buttons beside them."""
    with tile_row():
        for tile in tiles:
            draw(tile)
        report_downloads(data, filters)


def in_words(data: Data, filters: Filters, k: pd.Series) -> None:
    """What this view shows in plain words: the first sentence as the heading, the paragraph
    (with a copy button) beneath it.

    The heading is written from the KPIs the tiles already hold; the other sentences' analyses
    run only while it is open (a rerun on opening), as the Download menus do.
    """
    first = summary.selection_sentence(k)
    words = st.expander(md_escape(first), key="view_summary", on_change="rerun")
    with words:
        if not words.open:
            return
        text = summary.paragraph(summary.summary_sentences(data, filters))
        # st.code is plain text with a copy button: the paragraph once, ready for a board paper
        st.code(text, language=None, wrap_lines=True)


def header(data: Data, filters: Filters) -> pd.Series:
    """Draw the header (provenance, KPI tiles, report downloads); return the KPIs."""
    vocab = data.vocabulary
    k = data(breakdowns.kpis, filters).iloc[0]
    provenance(data, filters, k)
    unit = single_unit(data, filters, k)
    if unit is not None:
        tiles_and_reports(data, filters, unit_tiles(unit, k))
        in_words(data, filters, k)
        return k
    previous = previous_kpis(data, filters, vocab)
    p = previous[0] if previous else None
    tiles_and_reports(data, filters, selection_tiles(k, p))
    notes = []
    if k.small_count:
        notes.append(f"These shares rest on {SMALL_COUNT_NOTE}.")
    # A comparison is said only where it means something: a previous period with inspections.
    if previous:
        notes.append(
            f"Changes are against the previous period of equal length ({previous[1]}: "
            f"{previous[0].inspections} inspections)."
        )
    if notes:
        st.caption(" ".join(notes))
    in_words(data, filters, k)
    return k


def _report_html(con, filters: Filters, options: ViewOptions) -> bytes:
    return reports.build_report(con, filters, options=options).encode("utf-8")


def _report_pdf(con, filters: Filters, options: ViewOptions) -> bytes:
    return reports.report_pdf(reports.build_report(con, filters, options=options))


def report_options(
    tab: str | None,
    units: tuple[tuple[str, str], ...],
    picked: Callable[[], tuple[str, str] | None],
) -> ViewOptions:
    """What the report is of: the compared ``units`` on the Compare tab (two or more), the unit
    the Units tab shows (``picked()``: (unit_type, unit_name), asked only there), else the
    filters' selection (one unit when they select one).
    """
    if tab == "Compare" and len(units) >= picked_units.MIN_COMPARED:
        return ViewOptions(compare=units)
    if tab == "Units" and (unit := picked()) is not None:
        return ViewOptions(unit_type=unit[0], unit_name=unit[1])
    return ViewOptions()


def report_downloads(data: Data, filters: Filters) -> None:
    """The whole view as one file: KPIs, every chart, the key tables, sources (A4 when printed).

    Two buttons, not a menu: a popover's content is out of the keyboard's reach (see
    ``ui.components.downloads``), and two choices need no menu.
    """
    today = dt.date.today()
    pdf_ok = images.chromium_path() is not None
    # stacked and borderless (ui/style.py trims their height): the pair is as tall as a tile
    # and stays in the tiles' row
    with st.container(key="report_buttons", gap=None, width="content"):
        _report_buttons(data, filters, today, pdf_ok)


def _report_buttons(data: Data, filters: Filters, today: dt.date, pdf_ok: bool) -> None:
    # the open tab and the Units tab's unit, as the tabs will draw them (they come after)
    options = report_options(
        current_tab(), compared_units(), functools.partial(picked_unit, data, filters)
    )
    st.download_button(
        "Report (HTML)",
        data=functools.partial(_report_html, data.con, filters, options),
        file_name=names.export_filename("dashboard-report", filters, "html", today=today),
        mime=names.MIME["html"],
        key="report_html",
        on_click="ignore",
        type="tertiary",
        icon=":material/download:",
        help="The view on screen as a brief for a board paper: filters, tiles and summary, "
        "its charts, its key tables for people. On the Compare tab, the compared units; on "
        "the Units tab, the picked unit. It prints to A4.",
    )
    st.download_button(
        "Report (PDF)",
        data=functools.partial(_report_pdf, data.con, filters, options),
        file_name=names.export_filename("dashboard-report", filters, "pdf", today=today),
        mime=names.MIME["pdf"],
        key="report_pdf",
        on_click="ignore",
        type="tertiary",
        icon=":material/download:",
        disabled=not pdf_ok,
        help="The same report as a PDF." if pdf_ok else images.CHROMIUM_HINT + ".",
    )

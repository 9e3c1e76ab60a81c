"""Streamlit front end: widgets, layout, caching, errors. Every number comes from analytics/.

Run with ``make run`` (or ``streamlit run dashboard.py``). The filters live in the sidebar and in
the page URL (``?region=London&rating=Inadequate&from=2024-01-01``), so a copied link reopens the
same view; the active tab is in the URL too (``tab=Trends``).
"""

from __future__ import annotations

import datetime as dt
import functools
import hmac
import html
import math
import os
import re
import string
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from analytics import breakdowns, charts, db, export, ingest, trends, units
from analytics.errors import AnalyticsError, DatabaseError, DataValidationError
from analytics.fields import is_web_address, shown
from analytics.filters import Filters, parse_query_params
from analytics.throttle import Backoff
from analytics.vocab import (
    DATE_BASIS_LABELS,
    RATING_COLOURS,
    RATING_NAMES,
    RATINGS,
    STANDARD_NAMES,
    STANDARDS,
    UNIT_TYPE_LABELS,
    UNIT_TYPES,
)

TITLE = "Probation inspection ratings: England and Wales"
MAX_URL_WARNINGS = 10  # one warning per ignored value, then a count
# Streamlit drops a query string of more than 1,000 parameters before the script sees it (an
# empty one reaches us), so only the browser can tell: this fixed snippet (no data in it)
# counts the address bar's parameters and shows a warning when the link was dropped.
TOO_MANY_PARAMS_CHECK = """
<div id="too-many-params" role="alert" hidden
     style="padding:0.75rem 1rem;border-radius:0.5rem;background:#fff8e1;color:#4a3800">
  Ignored in the link: it has <span></span> parameters, more than the 1,000 the dashboard reads,
  so none of its filters apply and the page shows every inspection.
</div>
<script>
(() => {
  const query = window.location.search.slice(1);
  const count = query ? query.split("&").length : 0;
  const box = document.getElementById("too-many-params");
  if (box && count > 1000) {
    box.querySelector("span").textContent = count.toLocaleString("en-GB");
    box.hidden = false;
  }
})();
</script>
"""
TABS = ("Overview", "Trends", "Domains", "Units", "Data", "About")
FILTER_KEYS = (
    "f_region",
    "f_unit_type",
    "f_rating",
    "f_years",
    "f_unit",
    "f_standard",
    "f_approx",
    "f_exact",  # exact days from a link, kept beside the slider's years (not a widget)
)

ANALYSES = {
    "kpis": breakdowns.kpis,
    "distribution": breakdowns.rating_distribution,
    "region_summary": breakdowns.region_summary,
    "standards": breakdowns.standard_breakdown,
    "matrix": breakdowns.region_standard_matrix,
    "coverage": breakdowns.coverage,
    "trend": trends.rating_trend,
    "trend_excluded": trends.trend_excluded,
    "changes": trends.rating_changes,
    "events": trends.event_list,
    "league": units.league_table,
    "history": units.unit_history,
    "benchmark": units.unit_benchmark,
    "inspections": units.inspection_list,
    "unit_list": units.unit_list,
}


# --- data access: the only place that caches -----------------------------------------------------


@st.cache_resource(show_spinner="Building the ratings database from data/*.csv ...")
def _ensure_built(data_dir: str, db_path: str, csv_hash: str) -> None:
    """Rebuild once per CSV content; the hash in the key makes an edited CSV trigger a rebuild."""
    del csv_hash  # only part of the cache key
    db.ensure_database(Path(data_dir), Path(db_path))


@st.cache_resource(show_spinner=False)
def _connection(db_path: str, mtime_ns: int):
    """One read-only connection per database file version; queries take a cursor each."""
    del mtime_ns  # only part of the cache key: a replaced file gets a new connection
    return db.connect(Path(db_path))


@st.cache_data(show_spinner=False, max_entries=1024)
def _query(_con, db_key: tuple, name: str, filters: Filters, **options) -> pd.DataFrame:
    del db_key  # only part of the cache key
    return ANALYSES[name](_con, filters, **options)


@st.cache_data(show_spinner=False, max_entries=16)
def _vocabulary(_con, db_key: tuple) -> dict[str, list]:
    """Values the filters offer: regions, inspected units, and the years with inspections."""
    del db_key
    cur = db.cursor(_con)
    regions = [r for (r,) in cur.execute("select region from regions order by region").fetchall()]
    unit_names = [
        n
        for (n,) in cur.execute("select distinct unit_name from inspections order by 1").fetchall()
    ]
    units_by_type = cur.execute(
        "select distinct i.unit_type, i.unit_name, t.sort_order from inspections i "
        "join unit_types t using (unit_type) order by t.sort_order, i.unit_name"
    ).fetchall()
    first, last = cur.execute(
        "select min(year(published_date)), max(year(published_date)) from inspections"
    ).fetchone()
    return {
        "regions": regions,
        "unit_names": unit_names,
        "units": [(t, n) for t, n, _ in units_by_type],
        "years": (first, last) if first is not None else (dt.date.today().year,) * 2,
    }


class Data:
    """The open database for this rerun: runs cached analyses and shows analytics errors."""

    def __init__(self, con, key: tuple):
        self.con = con
        self.key = key

    def __call__(self, name: str, filters: Filters, **options) -> pd.DataFrame:
        try:
            return _query(self.con, self.key, name, filters, **options)
        except AnalyticsError as exc:
            st.error(md_escape(exc))
            st.stop()

    @property
    def vocabulary(self) -> dict[str, list]:
        return _vocabulary(self.con, self.key)

    @property
    def info(self) -> db.DatasetInfo:
        return db.dataset_info(self.con)


REBUILD_HINT = "Rebuild it with `probation-ratings build-db` (or `make run`)."


def _journal_hint(exc: DataValidationError) -> str:
    """How to take out journalled imports that no longer fit (their problems name the entry)."""
    ids = sorted(
        {
            p.file[len("import-") : -len(".json")]
            for p in exc.problems
            if p.file.startswith("import-")
        }
    )
    if not ids:
        return ""
    commands = ", ".join(f"`probation-ratings undo-import {int(i)}`" for i in ids if i.isdigit())
    return f"\n\nAn import no longer fits the data: take it out with {commands}."


SERVE_ONLY_ENV = "PROBATION_RATINGS_SERVE_ONLY"


def _built_and_connected(data_dir: Path, db_path: Path, csv_hash: str):
    # A serving process of a fleet is handed its database: it never rebuilds it from local CSVs.
    if not os.environ.get(SERVE_ONLY_ENV):
        _ensure_built(str(data_dir), str(db_path), csv_hash)
    mtime = db_path.stat().st_mtime_ns
    return _connection(str(db_path), mtime), mtime


def open_database() -> Data:
    """Rebuild if the CSVs changed, then connect; on failure say what to do and stop.

    A damaged or deleted database is rebuilt; a data folder the app cannot write to is served
    from a copy built in the temporary folder; bad CSVs keep the previous database in service.
    """
    data_dir, db_path = db.default_data_dir(), db.default_db_path()
    csv_hash = db.content_hash(data_dir, ingest.imports_dir_for(db_path))
    try:
        try:
            con, mtime = _built_and_connected(data_dir, db_path, csv_hash)
        except (DatabaseError, FileNotFoundError):
            # Replaced, deleted or damaged since it was checked: check again, once.
            _ensure_built.clear()
            con, mtime = _built_and_connected(data_dir, db_path, csv_hash)
    except DataValidationError as exc:
        st.error(
            "The data files could not be loaded:\n\n"
            + "\n".join(f"- {md_escape(p)}" for p in exc.problems[:20])
            + (f"\n\n(and {exc.total - 20:,} more)" if exc.total > 20 else "")
            + _journal_hint(exc)
        )
        if not db_path.exists():
            st.error(f"There is no database to show instead. {REBUILD_HINT}")
            st.stop()
        st.warning("Showing the database built before these files changed.")
        try:
            mtime = db_path.stat().st_mtime_ns
            con = _connection(str(db_path), mtime)
        except (DatabaseError, FileNotFoundError) as err:
            st.error(f"{md_escape(err)} {REBUILD_HINT}")
            st.stop()
    except PermissionError as exc:
        fallback = db.fallback_db_path(csv_hash)
        try:
            con, mtime = _built_and_connected(data_dir, fallback, csv_hash)
        except OSError as err:
            st.error(
                md_escape(
                    f"The database {db_path} could not be written ({exc.strerror}), nor a copy "
                    f"in {fallback.parent} ({err.strerror})."
                )
                + f" {REBUILD_HINT}"
            )
            st.stop()
        st.info(
            "The data folder is read-only, so the dashboard serves a copy built in "
            + md_escape(f"{fallback.parent}.")
        )
        db_path = fallback
    except (DatabaseError, OSError) as exc:
        st.error(f"The ratings database could not be opened: {md_escape(exc)}. {REBUILD_HINT}")
        st.stop()
    return Data(con, (str(db_path), mtime))


# --- filters: sidebar widgets <-> Filters <-> URL ------------------------------------------------


def _defaults(vocab: dict) -> dict[str, object]:
    return {
        "f_region": [],
        "f_unit_type": [],
        "f_rating": [],
        "f_years": tuple(vocab["years"]),
        "f_unit": [],
        "f_standard": [],
        "f_approx": True,
        "f_exact": None,
    }


def _state_from_filters(filters: Filters, vocab: dict) -> dict[str, object]:
    first, last = vocab["years"]
    y0 = filters.date_from.year if filters.date_from else first
    y1 = filters.date_to.year if filters.date_to else last
    y0, y1 = max(first, min(y0, last)), min(last, max(y1, first))
    years = (y0, max(y0, y1))
    state: dict[str, object] = {
        "f_region": list(filters.regions),
        "f_unit_type": list(filters.unit_types),
        "f_rating": list(filters.ratings),
        "f_years": years,
        "f_unit": list(filters.units),
        "f_standard": list(filters.standards),
        "f_approx": filters.include_approximate,
        "f_exact": None,
    }
    if filters.date_from or filters.date_to:
        # The slider holds whole years; a link's exact days are kept beside it and apply until
        # the slider is moved, so `from=2024-06-15` never silently widens to all of 2024.
        state["f_exact"] = (years, filters.date_from, filters.date_to)
    return state


def filters_from_state(state, vocab: dict) -> Filters:
    first, last = vocab["years"]
    y0, y1 = state.get("f_years", (first, last))
    date_from = dt.date(y0, 1, 1) if y0 > first else None
    date_to = dt.date(y1, 12, 31) if y1 < last else None
    exact = state.get("f_exact")
    if exact and tuple(exact[0]) == (y0, y1):
        date_from, date_to = exact[1], exact[2]
    return Filters(
        regions=tuple(state.get("f_region", ())),
        unit_types=tuple(state.get("f_unit_type", ())),
        ratings=tuple(state.get("f_rating", ())),
        date_from=date_from,
        date_to=date_to,
        units=tuple(state.get("f_unit", ())),
        standards=tuple(state.get("f_standard", ())),
        include_approximate=state.get("f_approx", True),
    )


def exact_period_note(filters: Filters, state) -> str | None:
    """Words for a period the slider cannot show (exact days from a link), or None."""
    if not state.get("f_exact"):
        return None
    return (
        f"Period from the link: {filters.describe_period()} (exact days). "
        "Moving the slider replaces it with whole years."
    )


def init_state_from_url(vocab: dict) -> None:
    """On a session's first run, set the filter widgets from the URL; remember what was ignored."""
    if st.session_state.get("initialised"):
        return
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    st.session_state["link_was_empty"] = not params
    filters, problems = parse_query_params(
        params,
        known_regions=vocab["regions"],
        known_units=vocab["unit_names"],
        other_params=("tab",),
    )
    tabs = params.get("tab", [])
    if tabs and tabs[0] not in TABS:
        problems.append(
            f"unknown tab '{shown(tabs[0])}' (allowed: {', '.join(TABS)}); showing {TABS[0]}"
        )
    st.session_state.update(_state_from_filters(filters, vocab))
    st.session_state["url_problems"] = problems
    st.session_state["undo"] = []
    st.session_state["chart_gen"] = 0
    st.session_state["initialised"] = True


def sync_url(filters: Filters) -> None:
    """Mirror the filters in the URL, touching only filter parameters (the tab binds itself)."""
    wanted = filters.to_query_params()
    for key in ("region", "unit_type", "rating", "unit", "standard", "from", "to", "approximate"):
        current = st.query_params.get_all(key)
        if key in wanted and current != wanted[key]:
            st.query_params[key] = wanted[key]
        elif key not in wanted and current:
            del st.query_params[key]


def reset_filters(vocab: dict) -> None:
    st.session_state.update(_defaults(vocab))
    st.session_state["undo"] = []


def _forget_exact_period() -> None:
    st.session_state["f_exact"] = None


def apply_from_chart(chart_key: str, field: str, position: int) -> None:
    """Chart click callback: apply the clicked value as a filter, remembering the old one."""
    points = st.session_state[chart_key].selection.points
    if not points:
        return
    value = points[0].get("customdata", [None])[position]
    if value is None:
        return
    st.session_state["undo"].append({k: st.session_state.get(k) for k in FILTER_KEYS})
    if field == "f_years":
        year = int(str(value)[:4])
        st.session_state["f_years"] = (year, year)
        st.session_state["f_exact"] = None
        label = f"period = {year}"
    else:
        st.session_state[field] = [value]
        label = f"{field.removeprefix('f_').replace('_', ' ')} = {value}"
    st.session_state["applied_from_chart"] = label
    st.session_state["chart_gen"] += 1  # new chart keys: the old click is not re-applied


def undo_chart_filter() -> None:
    if st.session_state["undo"]:
        st.session_state.update(st.session_state["undo"].pop())
    st.session_state.pop("applied_from_chart", None)


def sidebar(data: Data) -> Filters:
    vocab = data.vocabulary
    with st.sidebar:
        st.header("Filters")
        st.multiselect(
            "Region",
            vocab["regions"],
            key="f_region",
            placeholder="All regions",
            help="CRCs, NPS divisions and national inspections have no region: "
            "choosing a region leaves them out.",
        )
        st.multiselect(
            "Type of service",
            UNIT_TYPES,
            key="f_unit_type",
            format_func=lambda t: UNIT_TYPE_LABELS[t],
            placeholder="All types",
        )
        st.multiselect("Overall rating", RATING_NAMES, key="f_rating", placeholder="All ratings")
        first, last = vocab["years"]
        if first < last:
            st.slider(
                "Period (year published)",
                first,
                last,
                key="f_years",
                on_change=_forget_exact_period,
            )
        filters = filters_from_state(st.session_state, vocab)
        note = exact_period_note(filters, st.session_state)
        if note:
            st.caption(note)
        st.multiselect(
            "Unit", vocab["unit_names"], key="f_unit", placeholder="Search units by name"
        )
        st.multiselect(
            "Standards (Domains tab)", STANDARD_NAMES, key="f_standard", placeholder="All standards"
        )
        st.checkbox(
            "Include inspections with approximate dates",
            key="f_approx",
            help="Dates no source page states: the year comes from the report's web "
            "address or the inspection round.",
        )
        st.button(
            "Reset filters", key="reset", on_click=reset_filters, args=(vocab,), width="stretch"
        )
    return filters


# --- shared display helpers ----------------------------------------------------------------------


# CommonMark lets any ASCII punctuation be backslash-escaped, and an escaped character is always
# literal: escaping all of it stops links, images, emphasis, code, HTML, headings, lists, maths
# and Streamlit's :colour[...] directives, without listing Markdown's rules one by one.
_MARKDOWN_SPECIALS = str.maketrans({c: "\\" + c for c in string.punctuation})
# Line breaks would start new paragraphs (a heading, a list); no input text needs them.
_LINE_BREAKS = str.maketrans({"\n": " ", "\r": " ", "\u2028": " ", "\u2029": " "})
# GFM finds bare web and e-mail addresses in the text after escapes are resolved, so escaping
# cannot stop them becoming live links: an invisible word joiner (U+2060) inside "://", "www."
# and before "@" can.
_AUTOLINKS = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?=@)", re.IGNORECASE)
WORD_JOINER = "\u2060"


def md_escape(text: object) -> str:
    """Text from a URL, a file or the data, shown literally in Markdown: the one escape.

    Everything shown through Streamlit's Markdown (st.markdown, captions, st.error, st.warning,
    tables) that did not come from this file's own templates passes through here once.
    """
    text = _AUTOLINKS.sub(WORD_JOINER, str(text).translate(_LINE_BREAKS))
    return text.translate(_MARKDOWN_SPECIALS)


def md_link(label: str, url: object, *, missing: str = "no source recorded") -> str:
    """A Markdown link built by code: ``label`` (our own words) to a checked web address.

    The address is checked again with the importer's rule (a real URL parser; no spaces,
    brackets, parentheses, quotes), so nothing in it can close the link early. Anything else is
    shown as plain text, never as a link.
    """
    if not isinstance(url, str) or not url:
        return missing
    if not is_web_address(url):
        return f"{missing} (an invalid address: {md_escape(url[:80])})"
    return f"[{label}]({url})"


def percent(value) -> str:
    return "–" if pd.isna(value) else f"{value:.0%}"


# Chart key prefix -> the view it shows (analytics/views.py), which names its downloads.
CHART_VIEWS = {
    "chart_region": "ratings-by-region",
    "chart_tiles": "region-map",
    "chart_ratings": "ratings",
    "chart_trend": "ratings-over-time",
    "chart_standards": "standards",
    "chart_matrix": "region-standard-matrix",
    "chart_timeline": "unit-timeline",
    "chart_bench": "unit-benchmark",
    "chart_changes": "rating-changes",
}


def show_chart(
    data: Data,
    filters: Filters,
    fig,
    key: str,
    table: pd.DataFrame,
    *,
    select: tuple[str, int] | None = None,
) -> None:
    """A chart, its alt text, its downloads, and a "Show as table" alternative.

    ``select`` = (filter key, customdata position) makes a click on the chart apply that filter.
    """
    base = key.rsplit("_g", 1)[0]  # without the generation suffix: stable across chart clicks
    view = CHART_VIEWS[base]
    config = {
        **PLOTLY_CONFIG,
        "toImageButtonOptions": {
            "scale": 2,
            "filename": export.export_filename(view, filters, "png", today=dt.date.today())[:-4],
        },
    }
    if select is not None:
        st.plotly_chart(
            fig,
            key=key,
            on_select=functools.partial(apply_from_chart, key, *select),
            selection_mode="points",
            alt=fig.layout.meta["alt"],
            width="stretch",
            config=config,
        )
    else:
        st.plotly_chart(fig, key=key, width="stretch", config=config, alt=fig.layout.meta["alt"])
    st.caption(md_escape(fig.layout.meta["alt"]))
    with st.container(horizontal=True, vertical_alignment="center", gap="medium"):
        downloads(data, filters, base, view, fig.layout.title.text, table, fig)
        shown = st.toggle("Show as table", key=f"{base}_table")
    if shown:
        st.dataframe(table, hide_index=True, width="stretch")


def downloads(
    data: Data,
    filters: Filters,
    key: str,
    view: str,
    title: str,
    table: pd.DataFrame | Callable[[], pd.DataFrame],
    fig=None,
    *,
    rows: int | None = None,
) -> None:
    """A "Download" menu: the chart as PNG, SVG and HTML (if a chart), the table as CSV and Excel.

    Files are made only when clicked (deferred), so a rerun never renders images nobody asked for.
    ``rows`` is the full table's length when ``table`` is a callable: an Excel file of more rows
    than it may hold is offered as CSV instead of failing after the click.
    """
    too_big = export.excel_refusal(len(table) if rows is None else rows)
    ctx = export.context_for(data.con, title, filters)
    today = ctx.generated

    def full() -> pd.DataFrame:
        # A callable gives the whole table only when a download is clicked: the page may show
        # just its first rows.
        return table() if callable(table) else table

    def name(ext: str) -> str:
        return export.export_filename(view, filters, ext, today=today)

    with st.popover("Download", key=f"{key}_downloads"):
        if fig is not None:
            images = export.chromium_path() is not None
            for fmt, label in (("png", "Chart as PNG"), ("svg", "Chart as SVG")):
                st.download_button(
                    label,
                    data=functools.partial(export.figure_image, fig, ctx, fmt),
                    file_name=name(fmt),
                    mime=export.MIME[fmt],
                    key=f"{key}_{fmt}",
                    on_click="ignore",
                    disabled=not images,
                    help=None if images else export.CHROMIUM_HINT + ".",
                )
            if not images:
                st.caption(export.CHROMIUM_HINT + ". HTML, CSV and Excel work without it.")
            st.download_button(
                "Interactive chart (HTML)",
                data=functools.partial(export.figure_html, fig, ctx),
                file_name=name("html"),
                mime=export.MIME["html"],
                key=f"{key}_html",
                on_click="ignore",
            )
        st.download_button(
            "Table as CSV",
            data=lambda: export.table_csv(full()),
            file_name=name("csv"),
            mime=export.MIME["csv"],
            key=f"{key}_csv",
            on_click="ignore",
        )
        st.download_button(
            "Table as Excel",
            data=lambda: export.table_xlsx(full(), ctx),
            file_name=name("xlsx"),
            mime=export.MIME["xlsx"],
            key=f"{key}_xlsx",
            on_click="ignore",
            disabled=too_big is not None,
            help=too_big,
        )
        if too_big:
            st.caption(too_big + ".")


PLOTLY_CONFIG = {"displaylogo": False}


def rating_badge(rating: str) -> str:
    colour = RATING_COLOURS.get(rating, "#999999")
    return (
        f'<span style="display:inline-block;width:0.8em;height:0.8em;background:{colour};'
        f'margin-right:0.3em;border-radius:2px"></span>{html.escape(rating)}'
    )


# --- header ---------------------------------------------------------------------------------------


def previous_period(filters: Filters, vocab: dict) -> tuple[Filters, str] | None:
    """The same filters over the period of equal length just before this one (None when the
    selection lies outside the data's years, as a link's dates may)."""
    first, last = vocab["years"]
    y0 = max(first, filters.date_from.year) if filters.date_from else first
    y1 = min(last, filters.date_to.year) if filters.date_to else last
    if y0 > y1:
        return None
    length = y1 - y0 + 1
    p0, p1 = y0 - length, y0 - 1
    label = f"{p0}" if p0 == p1 else f"{p0} to {p1}"
    return filters.replace(date_from=dt.date(p0, 1, 1), date_to=dt.date(p1, 12, 31)), label


def header(data: Data, filters: Filters) -> pd.Series:
    vocab = data.vocabulary
    k = data("kpis", filters).iloc[0]
    info = data.info
    kind = "**SYNTHETIC test data, not real ratings**" if info.synthetic else info.source
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
    p = data("kpis", compared[0]).iloc[0] if compared else None
    have_previous = p is not None and p.inspections > 0

    def delta(column: str, *, share: bool):
        if not have_previous:
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
            delta_color=colour,
            help=f"{k[count]} of {k.inspections} inspections",
        )
    if compared:
        label = compared[1]
        st.caption(
            f"Changes are against the previous period of equal length ({label}: "
            f"{p.inspections} inspections)."
            if have_previous
            else f"No change shown: no inspections match these filters in the previous period "
            f"of equal length ({label})."
        )
    return k


# --- tabs ---------------------------------------------------------------------------------------


def overview_tab(data: Data, filters: Filters) -> None:
    gen = st.session_state["chart_gen"]
    left, right = st.columns([3, 2])
    with left:
        by_region = data("distribution", filters, by="region")
        show_chart(
            data,
            filters,
            charts.ratings_by_region(by_region),
            f"chart_region_g{gen}",
            by_region,
            select=("f_region", 0),
        )
        st.caption("Click a region's bar to filter to that region.")
    with right:
        measure = st.selectbox(
            "Colour the regions by",
            list(breakdowns.REGION_MEASURES),
            format_func=breakdowns.REGION_MEASURES.get,
            key="overview_measure",
        )
        summary = data("region_summary", filters)
        fig = charts.region_tile_map(
            summary, measure=measure, measure_label=breakdowns.REGION_MEASURES[measure]
        )
        show_chart(
            data,
            filters,
            fig,
            f"chart_tiles_g{gen}",
            summary,
            select=("f_region", 0),
        )
        st.caption("Click a tile to filter to that region.")
    distribution = data("distribution", filters)
    show_chart(
        data,
        filters,
        charts.rating_distribution_bar(distribution),
        f"chart_ratings_g{gen}",
        distribution,
        select=("f_rating", 0),
    )
    st.caption("Click a rating to filter to it.")
    st.subheader("Latest rating of every unit")
    league_rows(data, filters, "latest_table")


DISPLAY_ROWS = 1000  # rows a table shows on the page; downloads hold them all


def league_rows(data: Data, filters: Filters, key: str) -> None:
    """The league table (its first rows on the page, every unit in the downloads)."""
    league = data("league", filters, limit=DISPLAY_ROWS + 1)
    if league.empty:
        st.info(EMPTY)
        return
    if len(league) > DISPLAY_ROWS:
        st.caption(f"Showing the first {DISPLAY_ROWS:,} units; download the table for all of them.")
    st.dataframe(
        league_view(league.head(DISPLAY_ROWS)),
        hide_index=True,
        width="stretch",
        column_config=LEAGUE_COLUMNS,
        key=key,
    )
    downloads(
        data,
        filters,
        key,
        "league-table",
        "Latest rating of every unit",
        functools.partial(units.league_table, data.con, filters),
        rows=int(data("kpis", filters).iloc[0].units),
    )


EMPTY = "No inspections match these filters. Widen the period or remove a filter (or press Reset)."

LEAGUE_COLUMNS = {
    "rank": st.column_config.NumberColumn("Rank", help="1 = best; equal ratings share a rank"),
    "unit": "Unit",
    "unit_type": "Type",
    "region": st.column_config.TextColumn(
        "Region", help="— : no region (CRC, NPS division, national)"
    ),
    "rating": "Latest rating",
    "published": "Published",
    "previous_rating": st.column_config.TextColumn(
        "Previous rating", help="— : no earlier inspection in this dataset"
    ),
    "change": "Change",
    "source_url": st.column_config.LinkColumn("Source", display_text="report"),
}


def league_view(league: pd.DataFrame) -> pd.DataFrame:
    return league.assign(
        unit=league["unit_name"],
        published=published_label(league),
        region=league["region"].fillna("—"),
        previous_rating=league["previous_rating"].fillna("—"),
    )[
        [
            "rank",
            "unit",
            "unit_type",
            "region",
            "rating",
            "published",
            "previous_rating",
            "change",
            "source_url",
        ]
    ]


def published_label(df: pd.DataFrame) -> pd.Series:
    """Publication dates as precise as their source, approximate ones marked."""
    return df["published"] + df["date_basis"].map(
        {"stated": "", "url": " (approx.)", "derived": " (approx.)"}
    )


def trends_tab(data: Data, filters: Filters) -> None:
    gen = st.session_state["chart_gen"]
    c1, c2 = st.columns(2)
    freq = c1.radio(
        "Period", ["year", "quarter"], key="trend_freq", horizontal=True, format_func=str.capitalize
    )
    as_share = (
        c2.radio("Show", ["Shares", "Counts"], key="trend_measure", horizontal=True) == "Shares"
    )
    trend = data("trend", filters, freq=freq)
    events = data("events", filters)
    excluded = data("trend_excluded", filters, freq=freq)
    if trend.empty:
        st.info(EMPTY)
    else:
        show_chart(
            data,
            filters,
            charts.rating_trend_chart(trend, events, as_share=as_share, freq=freq),
            f"chart_trend_g{gen}",
            trend,
            select=("f_years", 0),
        )
        st.caption("Click a bar to filter to that year.")
    if not excluded.empty:
        n = int(excluded["n"].sum())
        st.info(
            f"{n} inspection{'s' if n != 1 else ''} with year-only dates not shown by quarter "
            "(their sources give only the year); they are counted in the yearly view."
        )
    if not events.empty:
        st.markdown("**Events numbered on the chart**")
        lines = []
        for number, e in enumerate(events.itertuples(), start=1):
            link = f" ({md_link('source', e.source_url)})" if isinstance(e.source_url, str) else ""
            lines.append(f"{number}. {md_escape(e.date_text)}: {md_escape(e.event)}{link}")
        st.markdown("\n".join(lines))


def domains_tab(data: Data, filters: Filters) -> None:
    gen = st.session_state["chart_gen"]
    standards = data("standards", filters)
    k = data("kpis", filters).iloc[0]
    coverage = data("coverage", filters)
    with_standards = int(coverage["with_standards"].sum()) if not coverage.empty else 0
    st.info(
        f"Standard ratings known for {with_standards} of {k.inspections} inspections. HMIP prints "
        "them in report tables that could not all be read; a blank is unknown, never 'not rated'. "
        "Shares below are of the inspections where the standard is known (n on each bar)."
    )
    show_chart(
        data, filters, charts.standards_chart(standards), f"chart_standards_g{gen}", standards
    )
    not_known = standards.loc[standards["known"] == 0, "standard"].drop_duplicates().tolist()
    if not_known:
        st.caption("No rating known in this selection for: " + ", ".join(not_known) + ".")
    matrix = data("matrix", filters)
    show_chart(
        data, filters, charts.region_standard_heatmap(matrix), f"chart_matrix_g{gen}", matrix
    )
    st.markdown("**Coverage by type of service**")
    st.dataframe(
        coverage,
        hide_index=True,
        width="stretch",
        key="coverage_table",
        column_config={
            "unit_type": "Type",
            "inspections": "Inspections",
            "with_standards": "With standard ratings",
            "standard_ratings": "Standard ratings known",
            "approximate_dates": "Approximate dates",
        },
    )
    downloads(
        data, filters, "coverage_table", "coverage", "Data coverage by type of service", coverage
    )


def units_tab(data: Data, filters: Filters) -> None:
    gen = st.session_state["chart_gen"]
    # Units in the current selection first (a North East manager's filter picks a North East
    # unit by default), then every other inspected unit.
    selected = data("unit_list", filters, limit=DISPLAY_ROWS)
    first = list(zip(selected["unit_type"], selected["unit_name"], strict=True))
    in_first = set(first)
    ordered = first + [u for u in data.vocabulary["units"] if u not in in_first]
    choices = [f"{name} ({unit_type})" for unit_type, name in ordered]
    lookup = dict(zip(choices, ordered, strict=True))
    picked = st.selectbox(
        "Unit",
        choices,
        key="unit_pick",
        index=0 if choices else None,
        placeholder="Choose a unit",
        help=f"Units with inspections in the current selection ({len(first):,}"
        f"{' or more' if len(first) == DISPLAY_ROWS else ''}) come first.",
    )
    if picked:
        unit_type, unit_name = lookup[picked]
        history = data("history", filters, unit_type=unit_type, unit_name=unit_name)
        bench = data("benchmark", filters, unit_type=unit_type, unit_name=unit_name)
        label = f"{unit_name} ({unit_type})"
        show_chart(
            data,
            filters,
            charts.unit_timeline(history, unit_label=label),
            f"chart_timeline_g{gen}",
            history,
        )
        show_chart(
            data,
            filters,
            charts.unit_benchmark_chart(bench, unit_label=label),
            f"chart_bench_g{gen}",
            bench,
        )
        reports = history.drop_duplicates("inspection_id")
        if not reports.empty:
            st.markdown("**Source reports**")
            for r in reports.itertuples():
                when = r.published + (" (approximate date)" if r.date_basis != "stated" else "")
                src = md_link("source report", r.source_url)
                st.markdown(f"- {md_escape(when)}: {md_escape(r.rating)}, {src}")
    st.subheader("League table: latest inspection of each unit")
    league_rows(data, filters, "league_table")
    st.subheader("Rating changes between consecutive inspections")
    changes = data("changes", filters)
    show_chart(data, filters, charts.transitions_heatmap(changes), f"chart_changes_g{gen}", changes)


def data_tab(data: Data, filters: Filters) -> None:
    table = data("inspections", filters, limit=DISPLAY_ROWS)
    total = int(data("kpis", filters).iloc[0].inspections)
    shown_note = (
        f" Showing the newest {len(table):,}; download the table for all of them."
        if total > len(table)
        else ""
    )
    st.caption(f"{total:,} inspections ({md_escape(filters.describe())}).{shown_note}")
    if table.empty:
        st.info(EMPTY)
        return
    downloads(
        data,
        filters,
        "inspections_table",
        "inspections",
        "Inspections",
        functools.partial(units.inspection_list, data.con, filters),
        rows=total,
    )
    shown = table.assign(
        published=published_label(table),
        precision=table["published_precision"],
        date_basis=table["date_basis"],
        score=[
            f"{s}/{m}" if pd.notna(s) else ""
            for s, m in zip(table["score"], table["score_max"], strict=True)
        ],
    )[
        [
            "published",
            "precision",
            "date_basis",
            "unit_type",
            "unit_name",
            "region",
            "rating",
            "score",
            "standards_known",
            "fieldwork",
            "source_url",
        ]
    ]
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        key="inspections_table",
        column_config={
            "published": st.column_config.TextColumn(
                "Published", help="As precise as the source; (approx.) = no page states the date"
            ),
            "precision": st.column_config.TextColumn("Precision", help="day, month or year"),
            "date_basis": st.column_config.TextColumn(
                "Date basis", help="; ".join(f"{k}: {v}" for k, v in DATE_BASIS_LABELS.items())
            ),
            "unit_type": "Type",
            "unit_name": "Unit",
            "region": st.column_config.TextColumn(
                "Region", help="Blank for CRCs, NPS divisions and national inspections"
            ),
            "rating": "Overall rating",
            "score": st.column_config.TextColumn("Score", help="Where stated (2021-23: out of 27)"),
            "standards_known": st.column_config.NumberColumn("Standards known"),
            "fieldwork": "Fieldwork",
            "source_url": st.column_config.LinkColumn(
                "Source report", display_text="open source", help="Blank: no source recorded"
            ),
        },
    )


def about_tab(data: Data, filters: Filters) -> None:
    del filters  # the About tab is the same for every selection
    info = data.info
    missing = int(data("kpis", Filters()).iloc[0].without_source)
    scale = "\n".join(f"| {rating_badge(r.name)} | {r.points} |" for r in RATINGS)
    types = "\n".join(f"| {t} | {UNIT_TYPE_LABELS[t]} |" for t in UNIT_TYPES)
    bases = "\n".join(f"| {k} | {v} |" for k, v in DATE_BASIS_LABELS.items())
    domains = "\n".join(f"| {d} | {s} |" for s, d in STANDARDS)
    st.markdown(
        f"""
### The rating scale
HM Inspectorate of Probation rates each unit overall and on each standard on a four-point scale.
Mean points average these over inspections or ratings.

| Rating | Points |
|---|---|
{scale}

2021-2023 PDU inspections were also scored out of 27 (shown as Score where a source states it).

### Types of service and eras
Before June 2021 probation was split between Community Rehabilitation Companies (CRCs) and the
National Probation Service (NPS), inspected by company and division; since the unification on
26 June 2021 HMIP inspects Probation Delivery Units (PDUs) in 12 regions, the regions themselves,
and national arrangements. CRCs and NPS divisions have no region here: their areas predate the 12.

| Type | Meaning |
|---|---|
{types}

### Standards and domains
| Domain | Standard |
|---|---|
{domains}

### Dates
Publication dates are as precise as their source (`2024`, `2024-05` or `2024-05-17`). By quarter,
inspections known only to the year are left out and counted, never guessed into a quarter.

| date_basis | Meaning |
|---|---|
{bases}

### Sources and licence
{md_escape(info.source)}. Every inspection links to its source page where one is recorded
({missing} {"has" if missing == 1 else "have"} none). Contains public sector information
licensed under the [Open Government Licence v3.0]({db.LICENCE_URL}). Not an official HMIP
dataset: check a rating against its source report before relying on it.

### Known gaps
- Standard-level ratings are known for only some inspections; a blank is unknown, not "not rated".
- Not every PDU is listed: London, West Midlands, North West and South Central are incomplete.
- The second inspection of Hull and East Riding PDU (2024) is missing.
- No rating or date is ever guessed.
""",
        unsafe_allow_html=True,
    )


def _report_html(con, filters: Filters) -> bytes:
    return export.build_report(con, filters).encode("utf-8")


def _report_pdf(con, filters: Filters) -> bytes:
    return export.report_pdf(export.build_report(con, filters))


def report_downloads(data: Data, filters: Filters) -> None:
    """The whole view as one file: KPIs, every chart, the key tables, sources (A4 when printed)."""
    today = dt.date.today()
    pdf_ok = export.chromium_path() is not None
    with st.popover("Download report", key="report_downloads"):
        st.download_button(
            "Report (HTML, prints to A4)",
            data=functools.partial(_report_html, data.con, filters),
            file_name=export.export_filename("dashboard-report", filters, "html", today=today),
            mime=export.MIME["html"],
            key="report_html",
            on_click="ignore",
        )
        st.download_button(
            "Report (PDF)",
            data=functools.partial(_report_pdf, data.con, filters),
            file_name=export.export_filename("dashboard-report", filters, "pdf", today=today),
            mime=export.MIME["pdf"],
            key="report_pdf",
            on_click="ignore",
            disabled=not pdf_ok,
            help=None if pdf_ok else export.CHROMIUM_HINT + ".",
        )
        if not pdf_ok:
            st.caption(export.CHROMIUM_HINT + ". The HTML report works without it.")


def dashboard_page() -> None:
    st.title(TITLE)
    data = open_database()
    vocab = data.vocabulary
    init_state_from_url(vocab)
    problems = st.session_state.get("url_problems", [])
    for problem in problems[:MAX_URL_WARNINGS]:
        st.warning(f"Ignored in the link: {md_escape(problem)}")
    if len(problems) > MAX_URL_WARNINGS:
        st.warning(f"Ignored in the link: {len(problems) - MAX_URL_WARNINGS:,} more values.")
    if st.session_state.get("link_was_empty"):
        st.html(TOO_MANY_PARAMS_CHECK, unsafe_allow_javascript=True)
    filters = sidebar(data)
    sync_url(filters)
    if st.session_state.get("applied_from_chart"):
        c1, c2 = st.columns([5, 1])
        applied = md_escape(st.session_state["applied_from_chart"])
        c1.info(f"Filter applied from a chart click: {applied}.")
        c2.button("Undo", key="undo_chart", on_click=undo_chart_filter, width="stretch")
    header(data, filters)
    report_downloads(data, filters)
    tabs = st.tabs(TABS, key="tab", bind="query-params")
    renderers = (overview_tab, trends_tab, domains_tab, units_tab, data_tab, about_tab)
    for tab, render in zip(tabs, renderers, strict=True):
        # Only the open tab is drawn: a rerun computes one tab's charts, not six tabs'.
        if tab.open:
            with tab:
                render(data, filters)


# --- adding inspections (admin) -------------------------------------------------------------------

PASSWORD_ENV = "PROBATION_RATINGS_ADMIN_PASSWORD"  # noqa: S105 -- the variable's name, not a password


def admin_password() -> str | None:
    """The configured admin password: the environment first, then Streamlit secrets."""
    env = os.environ.get(PASSWORD_ENV)
    if env:
        return env
    try:
        value = st.secrets.get("admin_password")
    except StreamlitSecretNotFoundError:
        return None
    return str(value) if value else None


def sign_in(expected: str) -> bool:
    """Ask for the admin password; True once this session has given it."""
    if st.session_state.get("admin"):
        return True
    with st.form("sign_in"):
        given = st.text_input("Admin password", type="password", key="admin_password")
        submitted = st.form_submit_button("Sign in")
    if submitted:
        backoff, client = _sign_in_backoff(), _client_key()
        left = backoff.wait_left(client)
        if left > 0:
            # Not even compared: parallel sessions from one address get no extra guesses.
            st.error(f"Too many wrong passwords: try again in {math.ceil(left)} s.")
            return False
        # Constant-time comparison: the time taken says nothing about how much was right.
        if hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8")):
            backoff.succeeded(client)
            st.session_state["admin"] = True
            st.rerun()
        # Each wrong guess from an address waits longer (0.5 s, 1 s, 2 s ... up to 8 s), across
        # reloads and sessions: the count is the process's, not the session's.
        _pause(backoff.failed(client))
        st.error("Wrong password.")
    return False


@st.cache_resource(show_spinner=False)
def _sign_in_backoff() -> Backoff:
    """One back-off for the whole process (a cached resource outlives every session)."""
    return Backoff()


def _pause(seconds: float) -> None:
    time.sleep(seconds)


def _client_key() -> str:
    # The connection's address (None for localhost). Behind a proxy every client shares the
    # proxy's address, and so one back-off: slower for all, never weaker. Forwarded headers are
    # not trusted, as anyone can send them.
    address = st.context.ip_address
    return address if isinstance(address, str) and address else "local"


def problems_table(exc: DataValidationError) -> pd.DataFrame:
    """Every kept problem as a row; text escaped, as st.table renders its cells as Markdown."""
    return pd.DataFrame(
        [
            (md_escape(p.file), p.row, md_escape(p.column or ""), md_escape(p.message))
            for p in exc.problems
        ],
        columns=["file", "row", "column", "problem"],
    ).astype({"row": "Int64"})


def show_problems(name: str, exc: DataValidationError) -> None:
    """An import's problems: how many, the first ones in a table, and how many are not listed."""
    total = exc.total
    st.error(
        f"{md_escape(name)} was not imported: {total:,} problem{'s' if total != 1 else ''}. "
        "Nothing was changed."
    )
    # A static table wraps long messages; every problem must be readable in full.
    st.table(problems_table(exc), hide_index=True)
    more = exc.omitted_line()
    if more:
        st.caption(md_escape(more))


def add_inspections_page() -> None:
    st.title("Add inspections")
    expected = admin_password()
    if not expected:
        st.info(
            "Adding inspections is turned off. An administrator turns it on by setting the "
            f"environment variable `{PASSWORD_ENV}` (or `admin_password` in "
            "`.streamlit/secrets.toml`) and restarting the dashboard."
        )
        return
    if not sign_in(expected):
        return
    data_dir, db_path = db.default_data_dir(), db.default_db_path()
    st.markdown(
        "Upload a CSV or Excel (.xlsx) file with the columns of `data/inspections.csv`, optionally "
        "followed by one column per standard holding its rating. Every row is checked before "
        "anything changes; a clean file is added whole, and can be undone."
    )
    with st.container(horizontal=True):
        for fmt, label in (("csv", "Template (CSV)"), ("xlsx", "Template (Excel)")):
            st.download_button(
                label,
                data=ingest.template(fmt),
                file_name=f"inspections-template.{fmt}",
                mime=export.MIME[fmt],
                key=f"template_{fmt}",
                on_click="ignore",
            )
    upload = st.file_uploader(
        "Inspections file",
        type=["csv", "xlsx"],
        key="import_file",
        max_upload_size=5,
        help="5 MB at most",
    )
    replace = st.checkbox(
        "Replace inspections that already exist with different values", key="import_replace"
    )
    allow_new = st.checkbox("Allow units not yet known (new PDUs)", key="import_new_units")
    if upload is not None:
        _check_upload(
            upload, data_dir=data_dir, db_path=db_path, replace=replace, allow_new=allow_new
        )
    st.subheader("Imports so far")
    log = ingest.import_log(db_path)
    if log.empty:
        st.caption("No imports yet.")
        return
    st.dataframe(log, hide_index=True, width="stretch", key="import_log")
    active = log.loc[log["undone_at"] == "", "import_id"].tolist()
    if active:
        with st.container(horizontal=True, vertical_alignment="bottom"):
            chosen = st.selectbox("Undo import", active, key="undo_pick")
            if st.button("Undo", key="undo_import"):
                try:
                    ingest.undo_import(int(chosen), csv_dir=data_dir, db_path=db_path)
                except AnalyticsError as exc:
                    st.error(md_escape(exc))
                else:
                    st.success(f"Import {chosen} undone.")
                    st.rerun()


def _check_upload(upload, *, data_dir: Path, db_path: Path, replace: bool, allow_new: bool) -> None:
    """Check an uploaded file, show what it would do, and import it when confirmed."""
    name = upload.name
    content = upload.getvalue()
    if len(content) > ingest.MAX_FILE_BYTES:
        st.error(f"{md_escape(name)} is {len(content):,} bytes; the limit is 5 MB.")
        return
    try:
        with ingest.current_data(data_dir, db_path) as con:
            plan = ingest.plan_import(
                con, content, name, replace=replace, allow_new_units=allow_new
            )
    except DataValidationError as exc:
        show_problems(name, exc)
        return
    st.success(f"{md_escape(name)} is valid: {plan.summary}.")
    st.dataframe(plan.preview(), hide_index=True, width="stretch", key="import_preview")
    changes = plan.changes
    if st.button(
        f"Import {changes} inspection{'s' if changes != 1 else ''}",
        key="import_confirm",
        type="primary",
        disabled=changes == 0,
    ):
        try:
            entry = ingest.apply_import(plan, csv_dir=data_dir, db_path=db_path)
        except DataValidationError as exc:
            show_problems(name, exc)
            return
        st.success(
            f"Imported as import {entry['import_id']}: {plan.summary}. The dashboard shows it now."
        )


def guarded(page: Callable[[], None]) -> Callable[[], None]:
    """A page behind the one error boundary: an analytics error is a message, not a traceback."""

    @functools.wraps(page)
    def run() -> None:
        try:
            page()
        except AnalyticsError as exc:
            st.error(md_escape(exc))
            st.stop()

    return run


def main() -> None:
    st.set_page_config(page_title="Probation ratings", layout="wide")
    pages = [
        st.Page(guarded(dashboard_page), title="Dashboard", default=True),
        st.Page(guarded(add_inspections_page), title="Add inspections", url_path="add-inspections"),
    ]
    st.navigation(pages).run()


# Streamlit runs this file as __main__; tests import it to drive single pages.
if __name__ == "__main__":
    main()

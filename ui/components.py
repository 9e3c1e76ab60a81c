"""Pieces every tab uses: a chart with its alt text, downloads and "Show as table", and the
league table.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable

import pandas as pd
import streamlit as st

from analytics import vocab
from analytics.analyses import breakdowns, picked_units, units, viewspecs
from analytics.analyses.catalog import typed_value, unit_label
from analytics.analyses.league import league_table
from analytics.analyses.views import View
from analytics.export import images, names, tables
from analytics.filters import Filters
from ui import choices
from ui.data import Data
from ui.state import (
    UNIT_PICK,
    add_to_compare,
    apply_from_chart,
    compare_status,
    compared_units,
    linked,
    linked_value,
    open_tab,
)
from ui.tables import DISPLAY_ROWS
from ui.text import md_escape


def show_chart(
    data: Data,
    filters: Filters,
    view: View,
    key: str,
    *,
    select: tuple[str, int] | None = None,
    table_toggle: bool = True,
) -> None:
    """A view's chart, its alt text, its downloads, and a "Show as table" alternative.

    ``key`` names the chart's widgets (``chart_NAME_gN``: the generation suffix changes when a
    chart click is undone); ``select`` = (filter key, customdata position) makes a click on the
    chart apply that filter; ``table_toggle=False`` leaves out "Show as table" where the page
    shows the view's table anyway.
    """
    base = key.rsplit("_g", 1)[0]  # without the generation suffix: stable across chart clicks
    fig, table = view.figure, view.table
    if fig is None:
        raise TypeError(f"the view {view.name} is a table, not a chart")
    if (fig.layout.meta or {}).get("empty"):
        # nothing to draw: its one sentence, no empty axes and no Download menu
        st.info(md_escape(fig.layout.meta["alt"]))
        return
    # the title as a heading (it wraps, and a screen reader can jump to it), not in the picture;
    # a section's level under the page's title, sized as a chart's title (ui/style.py)
    with st.container(key=f"{CHART_TITLE_PREFIX}{base}"):
        st.markdown(f"## {md_escape(view.title)}")
    config = PLOTLY_CONFIG
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
    # top: an opened Download menu grows downward and the toggle stays beside its heading
    with st.container(horizontal=True, vertical_alignment="top", gap="medium"):
        downloads(data, filters, base, view.name, view.title, table, fig, selection=view.selection)
        shown = table_toggle and st.toggle("Show as table", key=f"{base}_table")
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
    selection: str = "",
) -> None:
    """A "Download" menu: the chart as PNG, SVG and HTML (if a chart), the table as CSV and Excel.

    The menu is an expander, not a popover: Streamlit draws a popover's content at the end of
    the page, where Tab from its button never arrives, while an expander's buttons follow its
    heading in the page, so the keyboard reaches them next. Files are made only when clicked
    (deferred), so a rerun never renders images nobody asked for. ``rows`` is the full table's
    length when ``table`` is a callable: a file of more rows than its format holds here is
    refused before it is made, its button disabled with the reason, instead of failing (or
    holding the whole table in the server) after the click.
    """
    length = rows if rows is not None else 0 if callable(table) else len(table)
    too_big = {fmt: tables.size_refusal(fmt, length) for fmt in tables.MAX_ROWS}

    def full() -> pd.DataFrame:
        # A callable gives the whole table only when a download is clicked: the page may show
        # just its first rows.
        return table() if callable(table) else table

    # Drawn only while open (a rerun on opening): five buttons under every chart, mounted on a
    # fresh page, held its first paint back by about half a second.
    menu = st.expander(
        "Download", key=f"{key}_downloads", icon=":material/download:", on_change="rerun"
    )
    with menu:
        if not menu.open:
            return
        ctx = data.context(title, filters, selection)
        drawable = images.chromium_path() is not None

        def name(ext: str) -> str:
            return names.export_filename(view, filters, ext, today=ctx.generated)

        with st.container(horizontal=True, wrap=True, gap="small"):
            if fig is not None:
                for fmt, label in (("png", "Chart as PNG"), ("svg", "Chart as SVG")):
                    st.download_button(
                        label,
                        data=functools.partial(images.figure_image, fig, ctx, fmt),
                        file_name=name(fmt),
                        mime=names.MIME[fmt],
                        key=f"{key}_{fmt}",
                        on_click="ignore",
                        disabled=not drawable,
                        help=None if drawable else images.CHROMIUM_HINT + ".",
                    )
                st.download_button(
                    "Interactive chart (HTML)",
                    data=functools.partial(images.figure_html, fig, ctx),
                    file_name=name("html"),
                    mime=names.MIME["html"],
                    key=f"{key}_html",
                    on_click="ignore",
                )
            st.download_button(
                "Table as CSV",
                data=lambda: tables.table_csv(full()),
                file_name=name("csv"),
                mime=names.MIME["csv"],
                key=f"{key}_csv",
                on_click="ignore",
                disabled=too_big["csv"] is not None,
                help=too_big["csv"],
            )
            st.download_button(
                "Table as Excel",
                data=lambda: tables.table_xlsx(full(), ctx),
                file_name=name("xlsx"),
                mime=names.MIME["xlsx"],
                key=f"{key}_xlsx",
                on_click="ignore",
                disabled=too_big["xlsx"] is not None,
                help=too_big["xlsx"],
            )
        if fig is not None and not drawable:
            st.caption(images.CHROMIUM_HINT + ". HTML, CSV and Excel work without it.")
        for said in filter(None, too_big.values()):
            st.caption(said + ".")


CHART_TITLE_PREFIX = "chart_title_"  # a chart's heading's container (its CSS class)
# No toolbar: on a phone it sat over every chart's title, and its 8 buttons were 8 Tab stops per
# chart; every file it offered is in the chart's Download menu.
PLOTLY_CONFIG = {"displaylogo": False, "displayModeBar": False}


def single_unit(data: Data, filters: Filters, k: pd.Series) -> pd.Series | None:
    """The latest inspection of the one unit the selection holds (``?unit=``), else None."""
    if len(filters.units) != 1 or k.units != 1:
        return None
    # today's date in the cache key: months since the latest inspection grow with it
    league = data(league_table, filters, as_of=dt.date.today())
    return league.iloc[0] if len(league) == 1 else None


def unit_order(data: Data, filters: Filters) -> tuple[list[tuple[str, str]], int]:
    """The Units tab's picker's units in order, and how many come first because the selection
    has inspections of them (a North East manager's filter picks a North East unit by default);
    then every other inspected unit.
    """
    selected = data(units.unit_list, filters, limit=DISPLAY_ROWS)
    first = list(zip(selected["unit_type"], selected["unit_name"], strict=True))
    in_first = set(first)
    return first + [u for u in data.vocabulary.units if u not in in_first], len(first)


def unit_in_picker(data: Data, ordered: list[tuple[str, str]]) -> tuple[str, str] | None:
    """The unit the Units tab's picker holds (also before it is drawn: from the link): the one
    picked, else the first; None when there is no unit at all. A long picker (ui/choices.py)
    takes a unit typed as its name or label in any case; a short one, as Streamlit does, only
    a label it lists.
    """
    label = linked_value(UNIT_PICK)
    if isinstance(label, str):
        if choices.is_long(ordered):
            unit = typed_value(data.typed("units"), label)
        else:
            unit = next((u for u in ordered if unit_label(*u) == label), None)
        if unit is not None:
            return unit
    return ordered[0] if ordered else None


def picked_unit(data: Data, filters: Filters) -> tuple[str, str] | None:
    """The unit the Units tab shows, as its picker will (the header asks before it is drawn)."""
    return unit_in_picker(data, unit_order(data, filters)[0])


def league_rows(data: Data, filters: Filters, key: str, *, older_than: int | None = None) -> None:
    """The league table (its first rows on the page, every unit in the downloads).

    ``older_than`` keeps only units whose latest inspection is at least that many years old.
    """
    filters = current_units(filters, key)
    # today's date in the cache key: months since the latest inspection grow with it
    today, older = dt.date.today(), older_than or None
    page = data.league_page(filters, as_of=today, older_than_years=older)
    if page.rows.empty:
        st.info(EMPTY)
        return
    if page.more:
        st.caption(f"Showing the first {DISPLAY_ROWS:,} units; download the table for all of them.")
    shown = page.rows
    event = st.dataframe(
        page.table,
        hide_index=True,
        width="stretch",
        column_config=page.columns,
        key=key,
        on_select="rerun",
        selection_mode="multi-row",
    )
    rows = event.selection.rows if event is not None else []
    picked = [(shown["unit_type"].iat[i], shown["unit_name"].iat[i]) for i in rows]
    compare_buttons(key, picked, "Tick rows of the table to add them to Compare.")
    downloads(
        data,
        filters,
        key,
        viewspecs.LEAGUE_TABLE.name,
        viewspecs.LEAGUE_TABLE.title,
        functools.partial(league_table, data.con, filters, as_of=today, older_than_years=older),
        rows=int(data(breakdowns.kpis, filters).iloc[0].units),
    )


def current_units(filters: Filters, key: str) -> Filters:
    """The league's selection: by default the units of today's structure (PDUs, regions, the
    national inspection), with a toggle for the CRCs and NPS divisions they replaced in June 2021
    (which otherwise rank first on their old ratings); a type filter, when set, decides instead.
    """
    if filters.unit_types:
        return filters
    former = st.toggle(
        "Include CRCs and NPS divisions (2018 to 2021)",
        **linked(f"{key}_former"),
        help="They were replaced in June 2021 by the Probation Service's regions and PDUs.",
    )
    st.caption(
        "Best latest rating first, then by type and name. The download adds each unit's rank "
        "(equal ratings share one), its previous rating and its rating age's band by name."
    )
    return filters if former else filters.replace(unit_types=vocab.CURRENT_UNIT_TYPES)


EMPTY = "No inspections match these filters. Widen the period or remove a filter (or press Reset)."


def compare_buttons(
    key: str, picked: list[tuple[str, str]], hint: str = "", *, status: bool = True
) -> None:
    """The buttons "Add to Compare" for the ``picked`` units and "Open Compare", and what
    Compare holds.

    ``status=False`` leaves out the line saying what Compare holds (it is then the help of
    "Open Compare"), for a row that has no room for it.
    """
    current = compared_units()
    new = [u for u in picked if u not in current]
    room = picked_units.MAX_COMPARED - len(current)
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        st.button(
            f"Add to Compare ({len(new)})" if len(new) > 1 else "Add to Compare",
            key=f"{key}_add_compare",
            icon=":material/add:",
            on_click=add_to_compare,
            args=(new,),
            disabled=not new or room <= 0,
        )
        st.button(
            "Open Compare",
            key=f"{key}_open_compare",
            icon=":material/compare_arrows:",
            on_click=open_tab,
            args=("Compare",),
            disabled=not current,
            help=None if status else md_escape(compare_status()),
        )
        if status:
            said = compare_status() if picked or not hint else f"{hint} {compare_status()}"
            st.caption(md_escape(said))

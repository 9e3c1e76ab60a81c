"""What a report says for the view on screen: a board brief of a selection, one unit, compared
units, or one view.

A brief is the title, the KPI tiles and the paragraph as the page's header shows them, then the
charts that belong to the view, then its key tables for people (plain headers, whole per cent,
dates as the page shows them, small counts in words); long lists go to an appendix.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

from analytics.analyses import (
    breakdowns,
    catalog,
    picked_units,
    registry,
    summary,
    units,
    viewspecs,
)
from analytics.analyses.catalog import unit_label
from analytics.analyses.league import league_table
from analytics.analyses.tiles import (
    Tile,
    compared_tiles,
    previous_kpis,
    selection_tiles,
    unit_tiles,
)
from analytics.analyses.views import View, ViewOptions
from analytics.export import columns
from analytics.export.readable import (
    FIGURE_KINDS,
    FIGURES_NOTE,
    PEERS_NOTE,
    compare_side_by_side,
    compared_figures,
    for_people,
    peers_side_by_side,
    standards_note,
)
from analytics.filters import Filters, period_only
from analytics.vocab import REPORT_FIGURE_BY_NAME


@dataclass(frozen=True)
class ReportTable:
    """A table of the report: its title, its text cells under plain headers, the headers whose
    cells are web addresses (printed as links), and a note under it.
    """

    title: str
    table: pd.DataFrame
    links: tuple[str, ...] = ()
    note: str = ""
    # what the report says in its place when the table has no rows
    empty: str = "No rows for these filters."


@dataclass(frozen=True)
class Brief:
    """What a report says, in the order a board paper reads it.

    Attributes
    ----------
    title : str
        The report's heading.
    selection : str
        The units it is of, in words ("" for the filters' selection).
    tiles : tuple of Tile
        The KPI tiles, as the page's header shows them.
    paragraph : str
        The view in plain words.
    charts : tuple of View
        The charts that belong to the view, each printed with its caption and small-count note.
    tables : tuple of ReportTable
        The key tables.
    appendix : tuple of ReportTable
        Long lists (units, inspections and their sources) after everything else.
    """

    title: str
    selection: str
    tiles: tuple[Tile, ...]
    paragraph: str
    charts: tuple[View, ...]
    tables: tuple[ReportTable, ...]
    appendix: tuple[ReportTable, ...] = ()


TITLE = "Probation inspection ratings"
LINK_HEADERS = tuple(c.label for c in columns.COLUMNS.values() if c.kind == columns.LINK)
SMALL_RULE = (
    f"'{columns.SMALL_NOTE}' marks a share resting on so few that one inspection moves it a "
    "long way."
)


def brief(
    con: duckdb.DuckDBPyConnection, filters: Filters, options: ViewOptions, *, today: dt.date
) -> Brief:
    """The brief of the view on screen: compared units (two or more in ``options.compare``),
    one unit (named by ``options`` or the only unit ``filters`` select), or the selection.
    """
    if len(options.compare) >= picked_units.MIN_COMPARED:
        return comparison_brief(con, filters, options, today=today)
    unit = _one_unit(con, filters, options, today=today)
    if unit is not None:
        return unit_brief(con, *unit, today=today)
    return selection_brief(con, filters)


def selection_brief(con: duckdb.DuckDBPyConnection, filters: Filters) -> Brief:
    """A selection (everything, a region, some types, standards ...): the dashboard's charts,
    the ratings as a table, and the units' latest ratings and the inspections as an appendix.
    """
    run = registry.runner(con)
    k = run(breakdowns.kpis, filters).iloc[0]
    previous = previous_kpis(run, filters, catalog.vocabulary(con))
    built = {n: viewspecs.build_view(run, n, filters) for n in viewspecs.SELECTION_VIEWS}
    ratings = built["ratings"].table
    tables = (
        _people(
            "Overall ratings",
            ratings[["rating", "n", "share", "small_count"]],
            headers={"n": "Inspections"},
            note=SMALL_RULE if ratings["small_count"].any() else "",
        ),
    )
    appendix = tuple(
        _people(v.title, v.table[list(viewspecs.VIEWS[n].report_columns or v.table.columns)])
        for n, v in built.items()
        if v.figure is None
    )
    return Brief(
        title=TITLE,
        selection="",
        tiles=tuple(selection_tiles(k, previous[0] if previous else None)),
        paragraph=summary.paragraph(summary.summary_sentences(run, filters)),
        charts=tuple(v for v in built.values() if v.figure is not None),
        tables=tables,
        appendix=appendix,
    )


def unit_brief(
    con: duckdb.DuckDBPyConnection, filters: Filters, unit: pd.Series, *, today: dt.date
) -> Brief:
    """One unit (its ``league`` row; ``filters`` select it alone): its history, its standards
    and its benchmark against its region and the country, then its inspections with their
    sources and the figures its reports state.
    """
    run = registry.runner(con)
    k = run(breakdowns.kpis, filters).iloc[0]
    options = ViewOptions(unit_type=unit.unit_type, unit_name=unit.unit_name, as_of=today)
    views = [viewspecs.build_view(run, n, filters, options) for n in viewspecs.UNIT_VIEWS]
    label = unit_label(unit.unit_type, unit.unit_name)
    history = views[0].table.drop_duplicates("inspection_id")
    shown = ["published", "date_basis", "rating", "score", "score_max", "source_url"]
    shown = [c for c in shown if c not in ("score", "score_max") or history[c].notna().any()]
    tables = [_people(f"Inspections of {label}", history[shown])]
    figures = run(units.report_figures, filters, unit_type=unit.unit_type, unit_name=unit.unit_name)
    table = _people(
        "Figures its reports state",
        figures[["published", "date_basis", "figure", "source_url"]],
        empty=f"Not stated: no page in this data states a figure ({FIGURE_KINDS}) about its "
        "reports in the period.",
    )
    # a figure is a count or a per cent of the inspected cases
    value = [
        REPORT_FIGURE_BY_NAME[f].value_text(int(v))
        for f, v in zip(figures["figure"], figures["value"], strict=True)
    ]
    table.table.insert(2, columns.COLUMNS["value"].label, value)
    tables.append(table)
    charts = tuple(v for v in views if v.figure is not None)
    paragraph = summary.paragraph(summary.summary_sentences(run, filters))
    return Brief(
        title=f"{label}: inspection ratings",
        selection=label,
        tiles=tuple(unit_tiles(unit, k)),
        paragraph=paragraph,
        charts=charts,
        tables=tuple(tables),
    )


def comparison_brief(
    con: duckdb.DuckDBPyConnection, filters: Filters, options: ViewOptions, *, today: dt.date
) -> Brief:
    """Compared units: their shared timeline, the side-by-side table of the Compare tab, and
    their regions and the country in the same period.
    """
    run = registry.runner(con)
    options = ViewOptions(compare=options.compare, as_of=options.as_of or today)
    chart = viewspecs.build_view(run, viewspecs.COMPARE.name, filters, options)
    peers = viewspecs.build_view(run, viewspecs.COMPARE_PEERS.name, filters, options)
    side, unknown = compare_side_by_side(chart.table)
    stated = {
        u: run(units.report_figures, filters, unit_type=u[0], unit_name=u[1])
        for u in options.compare
    }
    figures = compared_figures(chart.table, stated)
    return Brief(
        title="Units compared",
        selection=chart.selection,
        tiles=tuple(compared_tiles(chart.table)),
        paragraph=summary.compared_sentence(chart.table),
        charts=(chart,) if chart.figure is not None else (),
        tables=(
            ReportTable("Latest ratings side by side", side, note=standards_note(unknown)),
            ReportTable(
                "What their latest reports state",
                figures,
                links=(columns.COLUMNS["source_url"].label,),
                note=FIGURES_NOTE,
            ),
            ReportTable(
                "Their regions and England and Wales, same period and types",
                peers_side_by_side(peers.table),
                note=PEERS_NOTE,
            ),
        ),
    )


def view_brief(
    con: duckdb.DuckDBPyConnection, filters: Filters, name: str, options: ViewOptions
) -> Brief:
    """One view: the selection's tiles, the view's chart (if it has one) and its table."""
    run = registry.runner(con)
    view = viewspecs.build_view(run, name, filters, options)
    wanted = viewspecs.VIEWS[name].report_columns or tuple(view.table.columns)
    return Brief(
        title=view.title,
        selection=view.selection,
        tiles=tuple(selection_tiles(run(breakdowns.kpis, filters).iloc[0], None)),
        paragraph="",
        charts=(view,) if view.figure is not None else (),
        tables=(_people(view.title, view.table[list(wanted)]),),
    )


def _one_unit(
    con: duckdb.DuckDBPyConnection, filters: Filters, options: ViewOptions, *, today: dt.date
) -> tuple[Filters, pd.Series] | None:
    """The one unit a report is of, with the filters that select it alone, or None."""
    if options.unit_name and options.unit_type:
        filters = period_only(filters).replace(
            units=(options.unit_name,), unit_types=(options.unit_type,)
        )
    elif len(filters.units) != 1:
        return None
    league = registry.runner(con)(league_table, filters, as_of=today)
    return (filters, league.iloc[0]) if len(league) == 1 else None


def _people(
    title: str, df: pd.DataFrame, *, headers=None, note: str = "", empty: str = ""
) -> ReportTable:
    frame = for_people(df, headers=headers)
    links = tuple(h for h in frame.columns if h in LINK_HEADERS)
    return ReportTable(title, frame, links, note, *([empty] if empty else []))

"""Tables as a person reads them: the Compare tab's side-by-side tables and the report's tables.

A file for people shows plain headers (:mod:`analytics.export.columns`), shares as whole per
cent, flags in words and dates as the page shows them ("2019-06 (approx.)"); CSV keeps the
machine's names and values.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analytics import vocab
from analytics.analyses.catalog import unit_label
from analytics.analyses.views import COMPARE_COLUMNS
from analytics.export import columns
from analytics.formats import percent

NOT_KNOWN = "not known"
NOT_STATED = "not stated"
NONE_EARLIER = "— (none earlier)"
APPROX = " (approx.)"

# The rows of the side-by-side comparison, in the order a board paper reads them.
COMPARE_ROWS = (
    ("unit_type", "Type"),
    ("region", "Region"),
    ("inspections", "Inspections in the period"),
    ("rating", "Latest overall rating"),
    ("published", "Published"),
    ("previous_rating", "Previous overall rating"),
    ("change", "Change"),
    ("months_since_latest", "Months since latest"),
    ("freshness", "Rating age"),
)


def compare_side_by_side(wide: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The comparison as the page shows it: a column per unit, a row per measure.

    Standards no compared unit has a rating for are left out of the rows and returned by name,
    so the page can say they are unknown rather than show rows of blanks.

    Parameters
    ----------
    wide : pandas.DataFrame
        The ``compare`` view's table (a row per unit, a column per standard).

    Returns
    -------
    tuple
        The display table (first column ``Measure``) and the standards with no rating known.
    """
    standards = [c for c in wide.columns if c not in COMPARE_COLUMNS]
    known = [s for s in standards if wide[s].notna().any()]
    inspected = wide["inspections"] > 0
    approx = wide["date_basis"].isin(vocab.APPROXIMATE_DATE_BASES)
    cells = pd.DataFrame(
        {
            "unit_type": wide["unit_type"],
            "region": wide["region"].fillna("—"),
            "inspections": wide["inspections"].astype(int).astype(str),
            "rating": wide["rating"].where(inspected, "no inspection in the period"),
            # as strings: with no compared unit inspected in the period the column is all blank
            "published": (
                wide["published"].astype("string")
                + approx.map({True: APPROX, False: ""}).astype("string")
            ).where(inspected, "—"),
            "previous_rating": wide["previous_rating"].where(
                wide["previous_rating"].notna(), NONE_EARLIER
            ),
            "change": wide["change"].where(inspected, "—"),
            "months_since_latest": (
                wide["months_since_latest"].astype("string")
                + wide["months_approximate"].map({True: APPROX, False: ""}).astype("string")
            ).fillna("—"),
            "freshness": wide["freshness"].where(inspected, "—"),
            **{s: wide[s].where(wide[s].notna(), NOT_KNOWN) for s in known},
        }
    )
    labels = [unit_label(t, n) for t, n in zip(wide["unit_type"], wide["unit_name"], strict=True)]
    names = dict(COMPARE_ROWS) | {s: s for s in known}
    table = cells.set_axis(labels).T.rename(index=names).rename_axis("Measure").reset_index()
    return table, [s for s in standards if s not in known]


def standards_note(unknown: list[str]) -> str:
    """What the side-by-side table's standards rows mean, and which standards no compared unit
    has a rating for (``unknown``, from :func:`compare_side_by_side`).
    """
    note = (
        "Standards: the latest rating known in the period; a date in brackets when it came "
        f"from an earlier inspection than the latest; '{NOT_KNOWN}' where HMIP's pages give none."
    )
    if unknown:
        note += f" No rating known for any of these units: {', '.join(unknown)}."
    return note


PEERS_NOTE = (
    "Share of each overall rating (number of inspections in brackets) among inspections of the "
    "same types of unit in the same period."
)


def peers_side_by_side(peers: pd.DataFrame) -> pd.DataFrame:
    """The peers' shares as the page shows them: a row per region (then the country), a column
    per rating holding its share and count (``"67% (6)"``), and the inspections counted.
    """
    # a region with no inspections in the period has no shares (0 of 0): a dash, said in Note
    whole = (peers["share"] * 100).round().astype("Int64").astype("string")
    cell = (whole + "% (" + peers["n"].astype("string") + ")").fillna("—")
    wide = (
        peers.assign(cell=cell)
        .pivot(index="scope_name", columns="rating", values="cell")
        .reindex(index=peers["scope_name"].drop_duplicates(), columns=list(vocab.RATING_NAMES))
    )
    totals = peers.drop_duplicates("scope_name").set_index("scope_name")
    small = (
        totals["small_count"]
        .map({True: columns.SMALL_NOTE, False: ""})
        .where(totals["inspections"] > 0, "no inspections in this period")
    )
    return (
        wide.assign(Inspections=totals["inspections"].astype(int), Note=small)
        .rename_axis(index="Region or country", columns=None)
        .reset_index()
    )


def for_people(df: pd.DataFrame, *, headers: dict[str, str] | None = None) -> pd.DataFrame:
    """``df`` as text a person reads: plain headers, shares as whole per cent, means to two
    places, flags in words (blank when false), a blank where nothing is known, and a date marked
    "(approx.)" where its ``date_basis`` is approximate (that column is then left out).

    Parameters
    ----------
    df : pandas.DataFrame
        A view's table; every column declared in :mod:`analytics.export.columns`.
    headers : dict, optional
        Headers to use instead of the declared ones (``{"n": "Inspections"}``).

    Returns
    -------
    pandas.DataFrame
        Text cells under plain headers (a link column keeps its address: the report links it).
    """
    headers = headers or {}
    out = {}
    approx = (
        df["date_basis"].isin(vocab.APPROXIMATE_DATE_BASES)
        if "date_basis" in df.columns
        else pd.Series(False, index=df.index)
    )
    for name in df.columns:
        if name == "date_basis" and "published" in df.columns:
            continue
        col = columns.column(name)
        cells = [_cell(v, col) for v in df[name]]
        if name == "published":
            cells = [c + APPROX if c and a else c for c, a in zip(cells, approx, strict=True)]
        out[headers.get(name, col.label)] = cells
    return pd.DataFrame(out, index=df.index).reset_index(drop=True)


def _cell(value, col: columns.Column) -> str:
    if col.kind == columns.FLAG:
        return col.when_true if _known(value) and bool(value) else ""
    if not _known(value):
        return ""
    if col.kind == columns.SHARE:
        return percent(value)
    if col.kind == columns.MEAN:
        return f"{value:.2f}"
    if col.kind == columns.COUNT:
        return f"{int(value):,}"
    if col.kind == columns.DATE:
        return pd.Timestamp(value).date().isoformat()
    return str(value)


def _known(value) -> bool:
    return value is not None and not (not isinstance(value, str) and pd.isna(value))


# the kinds of figure a report states, in words
FIGURE_KINDS = "recommendations, shares of cases sufficient"
FIGURES_NOTE = (
    "The numbers HMIP's reports, or pages quoting them, state about each unit's latest inspection "
    f"in the period, each with the page that states it; '{NOT_STATED}' where no page in this "
    "data states one."
)


def compared_figures(
    wide: pd.DataFrame, figures: Mapping[tuple[str, str], pd.DataFrame]
) -> pd.DataFrame:
    """What each compared unit's latest report in the period states, one row per figure.

    Parameters
    ----------
    wide : pandas.DataFrame
        The ``compare`` view's table (a row per unit, its latest inspection in the period).
    figures : mapping
        ``report_figures`` of each compared unit, by (unit_type, unit_name).

    Returns
    -------
    pandas.DataFrame
        Under plain headers: Unit, Published, Figure, Value, Source (the page stating the
        figure). A unit whose latest report states none has one row saying "not stated"; one
        with no inspection in the period, one row saying so.
    """
    rows = []
    for unit in wide.itertuples():
        label = unit_label(unit.unit_type, unit.unit_name)
        if not unit.inspections:
            rows.append((label, "—", "—", "no inspection in the period", ""))
            continue
        approx = APPROX if unit.date_basis in vocab.APPROXIMATE_DATE_BASES else ""
        published = f"{unit.published}{approx}"
        own = figures[(unit.unit_type, unit.unit_name)]
        # (unit, published) is unique: these are the latest inspection's figures
        stated = own[own["published"] == unit.published]
        if stated.empty:
            rows.append((label, published, "—", NOT_STATED, ""))
        for f in stated.itertuples():
            value = vocab.REPORT_FIGURE_BY_NAME[f.figure].value_text(int(f.value))
            rows.append((label, published, f.figure, value, f.source_url))
    names = ("unit_name", "published", "figure", "value", "source_url")
    return pd.DataFrame(rows, columns=[columns.COLUMNS[n].label for n in names])

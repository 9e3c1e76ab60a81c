"""What a selection shows, in plain words: sentences written by rules from the analyses' tables.

Every number in a sentence is read from an analysis's output (no language model, nothing
computed here but choosing and rounding), so a test can check each against its analysis. The
text is plain (no Markdown); the page escapes it where it enters Markdown.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pandas as pd

from analytics.analyses import breakdowns, trends
from analytics.filters import Filters
from analytics.formats import percent
from analytics.vocab import RATING_NAMES, SMALL_COUNT

# Runs an analysis, given by its function: (analysis, filters, **options) -> its table.
Runner = Callable[..., pd.DataFrame]
TOPICS = ("selection", "change", "standards", "regions", "unknown")


def _units(n: int) -> str:
    return f"{n:,} unit{'' if n == 1 else 's'}"


def _inspections(n: int) -> str:
    return f"{n:,} inspection{'' if n == 1 else 's'}"


def change_sentence(counts: pd.DataFrame) -> str:
    """Each unit's latest inspection against its previous one: "last time", as a manager means it.

    Parameters
    ----------
    counts : pandas.DataFrame
        The output of ``rating_change_counts``.

    Returns
    -------
    str
        One plain-text sentence (no Markdown).
    """
    n = dict(zip(counts["change"], counts["units"], strict=True))
    first = int(n["first inspection"])
    compared = int(n["improved"] + n["unchanged"] + n["declined"])
    if not compared:
        if not first:
            return "No units are selected."
        return f"None of the {_units(first)} selected has an earlier inspection to compare with."
    first_part = f"; {_units(first)} had a first inspection" if first else ""
    return (
        f"Against their previous inspection, of {_units(compared)} inspected before: "
        f"{n['improved']:,} improved, {n['unchanged']:,} unchanged, {n['declined']:,} "
        f"declined{first_part}."
    )


def selection_sentence(k: pd.Series) -> str:
    """The first sentence: how many inspections of how many units, when, and their ratings.

    Parameters
    ----------
    k : pandas.Series
        The one row of ``kpis``.
    """
    if not k.inspections:
        return "No inspections match these filters."
    first, last = k.first_published.year, k.latest_published.year
    when = f"in {first}" if first == last else f"from {first} to {last}"
    return (
        f"{_inspections(k.inspections)} of {_units(k.units)} {when}: {k.outstanding:,} "
        f"Outstanding, {k.good:,} Good, {k.requires_improvement:,} Requires improvement, "
        f"{k.inadequate:,} Inadequate."
    )


def standards_sentence(standards: pd.DataFrame) -> str | None:
    """The weakest and strongest standard by share rated Good or better, with their counts.

    Standards with at least ``SMALL_COUNT`` known ratings are preferred; when fewer than two have
    that many, every standard with a known rating is considered and the sentence says so. None
    when fewer than two standards have a known rating.
    """
    per = standards.drop_duplicates("standard")
    per = per[per["known"] > 0]
    enough = per[per["known"] >= SMALL_COUNT]
    pool = enough if len(enough) >= 2 else per
    if len(pool) < 2:
        return None
    low, high = pool["share_good_or_better"].min(), pool["share_good_or_better"].max()
    if low == high:
        return (
            f"The {len(pool)} standards with known ratings have the same share Good or better: "
            f"{percent(low)}."
        )

    def named(share: float) -> tuple[str, str]:
        """The standards at ``share`` (ties all named, in HMIP's order) and "is" or "are"."""
        rows = pool[pool["share_good_or_better"] == share]
        if len(rows) > 3:
            names = list(rows["standard"])
            fewest, most = int(rows["known"].min()), int(rows["known"].max())
            counts = f"{fewest:,}" if fewest == most else f"{fewest:,} to {most:,}"
            few = f": fewer than {SMALL_COUNT}" if most < SMALL_COUNT else ""
            return (
                ", ".join(names[:-1])
                + f" and {names[-1]} (each {percent(share)} Good or better, of {counts} "
                f"ratings{few})",
                "are",
            )
        parts = []
        for row in rows.itertuples():
            few = f": fewer than {SMALL_COUNT}" if row.known < SMALL_COUNT else ""
            parts.append(
                f"{row.standard} ({percent(row.share_good_or_better)} Good or better of "
                f"{row.known:,} rating{'' if row.known == 1 else 's'}{few})"
            )
        text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        return text, "is" if len(parts) == 1 else "are"

    weakest, weak_verb = named(low)
    strongest, strong_verb = named(high)
    among = f"Of the standards with {SMALL_COUNT} or more known ratings, " if pool is enough else ""
    lead = (
        f"{among}the weakest {weak_verb} "
        if among
        else f"The weakest standard{'' if weak_verb == 'is' else 's'} {weak_verb} "
    )
    return f"{lead}{weakest}; the strongest {strong_verb} {strongest}."


def regions_sentence(
    regions: pd.DataFrame,
    *,
    measure: str = "share_inadequate",
    label: str = "share rated Inadequate",
) -> str | None:
    """The regions with the highest and the lowest ``measure``, with their counts.

    One rule wherever regions are compared (the summary, the regions chart, the regions map):
    regions with at least ``SMALL_COUNT`` inspections are preferred; when fewer than two have
    that many, every region with inspections and a value is considered and those with fewer are
    marked. Tied regions are all named. None when fewer than two regions have a value.

    Parameters
    ----------
    regions : pandas.DataFrame
        Columns ``region``, ``inspections`` and ``measure`` (as ``region_summary``'s).
    measure, label : str
        The column compared ("share..." columns are per cent, others points to 2 places) and
        its name in words.
    """
    per = regions[(regions["inspections"] > 0) & regions[measure].notna()]
    enough = per[per["inspections"] >= SMALL_COUNT]
    pool = enough if len(enough) >= 2 else per
    if len(pool) < 2:
        return None
    fmt = percent if measure.startswith("share") else (lambda v: f"{v:.2f}")
    among = f" among the regions with {SMALL_COUNT} or more inspections" if pool is enough else ""
    low, high = pool[measure].min(), pool[measure].max()
    if low == high:
        which = f"with {SMALL_COUNT} or more inspections" if among else "with inspections"
        return f"The {len(pool)} regions {which} have the same {label}: {fmt(low)}."

    def named(value: float) -> str:
        """The regions at ``value``, each with its count (ties all named, in table order)."""
        rows = pool[pool[measure] == value]
        if len(rows) > 3:
            names = list(rows["region"])
            return ", ".join(names[:-1]) + f" and {names[-1]} (each {fmt(value)})"
        parts = [
            f"{row.region} ({fmt(value)} of {_inspections(int(row.inspections))}"
            + (f": fewer than {SMALL_COUNT})" if row.inspections < SMALL_COUNT else ")")
            for row in rows.itertuples()
        ]
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]

    return f"Highest {label}{among}: {named(high)}; lowest: {named(low)}."


def unknown_sentence(k: pd.Series) -> str | None:
    """What is not known: inspections without standard ratings, and approximate dates.

    Parameters
    ----------
    k : pandas.Series
        The one row of ``kpis`` (the tiles' numbers: the sentence needs no analysis of its own).
    """
    n = int(k.inspections)
    if not n:
        return None
    without = n - int(k.with_standards)
    every = "the inspection" if n == 1 else "every inspection"
    parts = []
    if without:
        of = every if without == n else f"{without:,} of the {_inspections(n)}"
        parts.append(f"the standard ratings of {of}")
    approximate = int(k.approximate_dates)
    if approximate:
        of = (
            every
            if approximate == n
            else f"{approximate:,}"
            if parts
            else f"{approximate:,} of {n:,}"
        )
        dates = "date" if approximate == 1 or approximate == n else "dates"
        parts.append(f"the exact {dates} of {of} (approximate)")
    if not parts:
        return None
    return "Not known: " + " and ".join(parts) + "."


def view_summary(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """The paragraph that says what a selection shows, from the SQL analyses.

    Returns
    -------
    pandas.DataFrame
        As :func:`summary_sentences`.
    """
    return summary_sentences(lambda analysis, f, **o: analysis(con, f, **o), filters)


def summary_sentences(run: Runner, filters: Filters) -> pd.DataFrame:
    """The paragraph that says what a selection shows: one sentence per row.

    Parameters
    ----------
    run : callable
        Runs an analysis: ``(analysis function, filters, **options) -> DataFrame`` (the
        dashboard's through its cache).
    filters : Filters
        The selection.

    Returns
    -------
    pandas.DataFrame
        Columns ``topic`` (one of TOPICS, in that order) and ``sentence``. The ``selection``
        sentence always comes first; the others only where their rule finds something to say:
        the change against each unit's previous inspection, the weakest and strongest standard,
        the regions with the highest and lowest share Inadequate, what is unknown.
    """
    k = run(breakdowns.kpis, filters).iloc[0]
    rows = [("selection", selection_sentence(k))]
    if k.inspections:
        counts = run(trends.rating_change_counts, filters)
        compared = counts.loc[counts["change"] != "first inspection", "units"].sum()
        sentences = (
            ("change", change_sentence(counts) if compared else None),
            ("standards", standards_sentence(run(breakdowns.standard_breakdown, filters))),
            ("regions", regions_sentence(run(breakdowns.region_summary, filters))),
            ("unknown", unknown_sentence(k)),
        )
        rows += [(topic, s) for topic, s in sentences if s]
    return pd.DataFrame(rows, columns=["topic", "sentence"])


def paragraph(summary: pd.DataFrame) -> str:
    """The sentences of ``view_summary`` as one paragraph."""
    return " ".join(summary["sentence"])


def compared_sentence(table: pd.DataFrame) -> str:
    """The compared units' latest overall ratings in one sentence.

    Parameters
    ----------
    table : pandas.DataFrame
        The ``compare`` view's table (a row per compared unit).

    Returns
    -------
    str
        One plain-text sentence (no Markdown).
    """
    inspected = table[table["inspections"] > 0]
    counts = inspected["rating"].value_counts()
    said = [f"{counts[r]:,} {r}" for r in reversed(RATING_NAMES) if counts.get(r, 0)]
    absent = len(table) - len(inspected)
    lead = f"Of the {_units(len(table))} compared"
    if not said:
        return f"{lead}, none has an inspection in this period."
    rest = f"; {absent:,} had no inspection in this period" if absent else ""
    return f"{lead}, the latest overall ratings are {', '.join(said)}{rest}."

"""Every column a table of a view can have: the header a person reads, what kind of value it
holds, and what it means (declared once: Excel downloads and reports read the labels and kinds;
``probation-ratings columns`` prints the dictionary of the names CSV and the CLI keep).

CSV and the CLI stay machine-friendly (these snake_case names, shares as fractions, true/false);
files for people get the labels, shares as per cent and flags in words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from analytics.vocab import SMALL_COUNT, STANDARD_NAMES

# What a column holds: how a file for people shows it.
TEXT, COUNT, SHARE, MEAN, DATE, FLAG, LINK = (
    "text",
    "count",
    "share",
    "mean",
    "date",
    "flag",
    "link",
)
KINDS = (TEXT, COUNT, SHARE, MEAN, DATE, FLAG, LINK)


@dataclass(frozen=True)
class Column:
    """One column: its header for people, its kind, its meaning, and for a flag the words it
    shows when true (blank when false).
    """

    label: str
    kind: str
    meaning: str
    when_true: str = ""


SMALL_NOTE = f"fewer than {SMALL_COUNT} inspections"

COLUMNS: Mapping[str, Column] = MappingProxyType(
    {
        "region": Column(
            "Region",
            TEXT,
            "probation region (blank: none, as for CRCs, NPS divisions and national inspections)",
        ),
        "unit_type": Column("Type", TEXT, "PDU, Region, National, CRC or NPS division"),
        "unit_name": Column("Unit", TEXT, "the inspected unit's name"),
        "rating": Column("Rating", TEXT, "Outstanding, Good, Requires improvement or Inadequate"),
        "n": Column(
            "Count",
            COUNT,
            "how many of the group have this rating (inspections, or standard ratings for "
            "standards)",
        ),
        "share": Column("Share", SHARE, "count as a share of the group"),
        "inspections": Column("Inspections", COUNT, "inspections in the group"),
        "small_count": Column(
            "Small count",
            FLAG,
            f"the share or mean rests on {SMALL_NOTE}",
            SMALL_NOTE,
        ),
        "selected": Column(
            "Selected",
            FLAG,
            "the filters select this region (with a region filter the others are shown for "
            "comparison)",
            "selected",
        ),
        "tile_row": Column("Map row", COUNT, "the region's row on the tile map"),
        "tile_col": Column("Map column", COUNT, "the region's column on the tile map"),
        "mean_points": Column(
            "Mean points (0-3)",
            MEAN,
            "mean of the ratings' points: Outstanding 3, Good 2, Requires improvement 1, "
            "Inadequate 0",
        ),
        "share_inadequate": Column(
            "Share Inadequate",
            SHARE,
            "share of the inspections rated Inadequate",
        ),
        "share_good_or_better": Column(
            "Share Good or better",
            SHARE,
            "share of the ratings that are Good or Outstanding",
        ),
        "period": Column("Period", TEXT, "year or quarter of publication"),
        "period_start": Column("Period starts", DATE, "the period's first day"),
        "domain": Column(
            "Domain",
            TEXT,
            "organisational delivery, case supervision or specific services",
        ),
        "standard": Column("Standard", TEXT, "the standard rated"),
        "known": Column("Ratings known", COUNT, "ratings of this standard known in the selection"),
        "coverage": Column(
            "Share with this standard known",
            SHARE,
            "share of the selected inspections whose rating of this standard is known",
        ),
        "from_rating": Column(
            "Previous rating",
            TEXT,
            "the rating at a unit's previous inspection",
        ),
        "to_rating": Column("Next rating", TEXT, "the rating at the inspection after it"),
        "inspection_id": Column(
            "Inspection id",
            COUNT,
            "the inspection's number in this database (ordered by publication)",
        ),
        "published": Column(
            "Published",
            TEXT,
            "publication date as precise as its source: YYYY, YYYY-MM or YYYY-MM-DD",
        ),
        "published_date": Column(
            "Published (first day)",
            DATE,
            "the first day the publication date can mean",
        ),
        "published_precision": Column("Date precision", TEXT, "day, month or year"),
        "date_basis": Column(
            "Date basis",
            TEXT,
            "stated on a page, or approximate: from a web address (url) or the inspection round"
            " (derived)",
        ),
        "item": Column("Rated", TEXT, "Overall, or the standard rated"),
        "points": Column("Points", COUNT, "the rating's points (3 to 0)"),
        "score": Column(
            "Score",
            COUNT,
            "total inspection points where stated (2021-2023 PDU inspections)",
        ),
        "score_max": Column("Score out of", COUNT, "the most points the score could be"),
        "source_url": Column(
            "Source",
            LINK,
            "the page the rating is taken from (blank: none recorded)",
        ),
        "scope": Column("Scope", TEXT, "unit, region or national"),
        "scope_name": Column("Of", TEXT, "the unit, region or country the row is about"),
        "ratings": Column("Ratings", COUNT, "ratings of this item in the scope"),
        "previous_rating": Column(
            "Previous rating",
            TEXT,
            "the unit's rating at its inspection before (blank: first inspection)",
        ),
        "previous_published": Column(
            "Previous published",
            TEXT,
            "when that previous inspection was published",
        ),
        "change": Column(
            "Change",
            TEXT,
            "improved, unchanged or declined since the previous inspection, or first inspection",
        ),
        "months_since_latest": Column(
            "Months since latest",
            COUNT,
            "whole months since the latest inspection was published",
        ),
        "months_approximate": Column(
            "Months approximate",
            FLAG,
            "the months count from the first day of a month or year (the day is not known)",
            "approximate",
        ),
        "freshness": Column("Rating age", TEXT, "under 2 years, 2 to 4 years or over 4 years"),
        "rank": Column("Rank", COUNT, "1 = best; equal ratings share a rank"),
        "fieldwork": Column("Fieldwork", TEXT, "when HMIP's fieldwork took place, where stated"),
        "standards_known": Column(
            "Standards known",
            COUNT,
            "standard ratings known for the inspection",
        ),
        "with_standards": Column(
            "With standard ratings",
            COUNT,
            "inspections with at least one standard rating known",
        ),
        "standard_ratings": Column("Standard ratings", COUNT, "standard ratings known"),
        "approximate_dates": Column(
            "Approximate dates",
            COUNT,
            "inspections whose date no page states",
        ),
        "figure": Column("Figure", TEXT, "what a source states about the report"),
        "percent": Column(
            "Per cent",
            FLAG,
            "the value is a share of the inspected cases, in per cent",
            "per cent",
        ),
        "value": Column("Value", COUNT, "the number stated"),
    }
)


def column(name: str) -> Column:
    """The column called ``name``: a declared one, or a standard (its own name, a rating)."""
    if name in COLUMNS:
        return COLUMNS[name]
    if name in STANDARD_NAMES:
        return Column(name, TEXT, f"the latest known rating of {name}")
    raise KeyError(f"column '{name}' is not declared in analytics/export/columns.py")


def dictionary() -> str:
    """The column dictionary as a Markdown table (README's *Columns*, kept equal by a test):
    each name as CSV and the CLI print it, its header in Excel and reports, its kind, its meaning.
    """
    rows = [
        "| name (CSV, CLI) | header (Excel, reports) | kind | meaning |",
        "|---|---|---|---|",
    ]
    rows += [f"| `{n}` | {c.label} | {c.kind} | {c.meaning} |" for n, c in COLUMNS.items()]
    return "\n".join(rows)


if __name__ == "__main__":
    print(dictionary())

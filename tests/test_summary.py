"""analytics/analyses/summary.py: each sentence from literal count tables, and from the fixture
database.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from analytics.analyses import breakdowns, summary, trends
from analytics.filters import Filters

KINDS = ["improved", "unchanged", "declined", "first inspection"]


def counts(*units_of_each: int) -> pd.DataFrame:
    return pd.DataFrame({"change": KINDS, "units": list(units_of_each)})


@pytest.mark.parametrize(
    ("table", "sentence"),
    [
        (
            counts(3, 13, 3, 76),
            "Against their previous inspection, of 19 units inspected before: 3 improved, "
            "13 unchanged, 3 declined; 76 units had a first inspection.",
        ),
        (
            counts(1, 0, 0, 1),
            "Against their previous inspection, of 1 unit inspected before: 1 improved, "
            "0 unchanged, 0 declined; 1 unit had a first inspection.",
        ),
        (
            counts(0, 1200, 2, 0),
            "Against their previous inspection, of 1,202 units inspected before: 0 improved, "
            "1,200 unchanged, 2 declined.",
        ),
        (
            counts(0, 0, 0, 2),
            "None of the 2 units selected has an earlier inspection to compare with.",
        ),
        (counts(0, 0, 0, 0), "No units are selected."),
    ],
)
def test_change_sentence(table, sentence):
    assert summary.change_sentence(table) == sentence


def test_change_sentence_of_the_fixture(con):
    # PDUs from 2024: Alpha (I -> RI) improved and Beta (RI -> I) declined
    table = trends.rating_change_counts(
        con, Filters(unit_types=("PDU",), date_from=dt.date(2024, 1, 1))
    )
    assert summary.change_sentence(table) == (
        "Against their previous inspection, of 2 units inspected before: 1 improved, "
        "0 unchanged, 1 declined."
    )


def test_the_fixture_paragraph(con):
    """Counted by hand from tests/fixture_data.py: O 1, G 3, RI 4, I 2 over 2019 to 2025."""
    actual = summary.view_summary(con, Filters())
    assert actual["topic"].tolist() == ["selection", "change", "standards", "regions", "unknown"]
    assert actual["sentence"].tolist() == [
        "10 inspections of 7 units from 2019 to 2025: 1 Outstanding, 3 Good, "
        "4 Requires improvement, 2 Inadequate.",
        "Against their previous inspection, of 3 units inspected before: 2 improved, "
        "0 unchanged, 1 declined; 4 units had a first inspection.",
        # Leadership I, RI, G; Assessment I, G; Unpaid work O; Victim work O
        "The weakest standard is Leadership (33% Good or better of 3 ratings: fewer than 5); "
        "the strongest are Unpaid work (100% Good or better of 1 rating: fewer than 5) and "
        "Victim work (100% Good or better of 1 rating: fewer than 5).",
        # North: Alpha I, RI; Beta RI, I; the region O. South: Gamma G. Only North has 5, so both
        # are compared and South marked
        "Highest share rated Inadequate: North (40% of 5 inspections); lowest: South (0% of "
        "1 inspection: fewer than 5).",
        # standards known for 5 inspections; Old One 2020, Gamma and Beta 2024 are approximate
        "Not known: the standard ratings of 5 of the 10 inspections and the exact dates of 3 "
        "(approximate).",
    ]


SELECTION = re.compile(
    r"^(\d+) inspections? of (\d+) units? (?:in (\d{4})|from (\d{4}) to (\d{4})): (\d+) "
    r"Outstanding, (\d+) Good, (\d+) Requires improvement, (\d+) Inadequate\.$"
)


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(regions=("North",)),
        Filters(unit_types=("PDU",), date_from=dt.date(2023, 1, 1)),
        Filters(ratings=("Good", "Outstanding")),
        Filters(units=("Alpha",)),
        Filters(include_approximate=False),
    ],
)
def test_the_first_sentence_equals_the_kpi_analysis(con, filters):
    k = breakdowns.kpis(con, filters).iloc[0]
    first = summary.view_summary(con, filters)["sentence"].iloc[0]
    match = SELECTION.match(first)
    assert match, first
    n, units, year, y0, y1, o, g, ri, i = match.groups()
    assert (int(n), int(units)) == (k.inspections, k.units)
    assert (int(o), int(g), int(ri), int(i)) == (
        k.outstanding,
        k.good,
        k.requires_improvement,
        k.inadequate,
    )
    assert (year or y0, year or y1) == (
        str(k.first_published.year),
        str(k.latest_published.year),
    )


def test_no_inspections_is_one_sentence(con):
    actual = summary.view_summary(con, Filters(regions=("Nowhere",)))
    assert actual.values.tolist() == [["selection", "No inspections match these filters."]]


def test_standards_sentence_prefers_standards_with_five_ratings():
    table = pd.DataFrame(
        {
            "standard": ["Leadership", "Staffing", "Planning", "Reviewing"],
            "known": [10, 5, 2, 6],
            "share_good_or_better": [0.5, 0.2, 0.0, 0.2],
        }
    )
    assert summary.standards_sentence(table) == (
        "Of the standards with 5 or more known ratings, the weakest are Staffing (20% Good or "
        "better of 5 ratings) and Reviewing (20% Good or better of 6 ratings); the strongest is "
        "Leadership (50% Good or better of 10 ratings)."
    )
    few = table.assign(known=[4, 1, 2, 3])
    assert summary.standards_sentence(few) == (
        "The weakest standard is Planning (0% Good or better of 2 ratings: fewer than 5); the "
        "strongest is Leadership (50% Good or better of 4 ratings: fewer than 5)."
    )
    assert summary.standards_sentence(table.head(1)) is None


def test_regions_sentence_compares_regions_of_five_or_more():
    regions = pd.DataFrame(
        {
            "region": ["A", "B", "C", "D"],
            "inspections": [10, 5, 4, 0],
            "share_inadequate": [0.2, 0.8, 1.0, None],
        }
    )
    # C has too few to be named while two regions have 5 or more; D has none
    assert summary.regions_sentence(regions) == (
        "Highest share rated Inadequate among the regions with 5 or more inspections: B (80% of "
        "5 inspections); lowest: A (20% of 10 inspections)."
    )
    # with one region of 5 or more, every region with inspections is compared, the few marked
    assert summary.regions_sentence(regions.iloc[[0, 2, 3]]) == (
        "Highest share rated Inadequate: C (100% of 4 inspections: fewer than 5); lowest: A (20% "
        "of 10 inspections)."
    )
    assert summary.regions_sentence(regions.iloc[[0, 3]]) is None


def test_regions_sentence_names_ties_and_equal_regions():
    regions = pd.DataFrame(
        {
            "region": ["A", "B", "C", "D", "E", "F"],
            "inspections": [5, 6, 7, 8, 9, 1],
            "mean_points": [1.0, 1.0, 1.0, 1.0, 1.5, 2.0],
        }
    )
    assert summary.regions_sentence(
        regions, measure="mean_points", label="mean points (0 to 3)"
    ) == (
        "Highest mean points (0 to 3) among the regions with 5 or more inspections: E (1.50 of "
        "9 inspections); lowest: A, B, C and D (each 1.00)."
    )
    assert summary.regions_sentence(regions.iloc[[1, 2]], measure="mean_points", label="x") == (
        "The 2 regions with 5 or more inspections have the same x: 1.00."
    )


def test_the_weakest_standard_is_named_alike_in_caption_summary_and_report(shipped_db):
    # counted from data/standard_ratings.csv: Services 0 of 5 Good or better, Implementation
    # and delivery 0 of 14, Victim work 5 of 5; Court work's 3 ratings (1 Good) are set aside
    from analytics.analyses import registry, viewspecs
    from analytics.export import reports
    from analytics.pipeline import db

    said = (
        "Of the standards with 5 or more known ratings, the weakest are Services (0% Good or "
        "better of 5 ratings) and Implementation and delivery (0% Good or better of 14 "
        "ratings); the strongest is Victim work (100% Good or better of 5 ratings)."
    )
    con = db.connect(shipped_db)
    try:
        caption = viewspecs.build_view(con, "standards", Filters()).figure.layout.meta["alt"]
        paragraph = registry.analysis("view_summary").function(con, Filters())
        report = reports.build_report(con, Filters())
    finally:
        con.close()
    assert caption.startswith(
        f"Stacked bars of ratings for 12 standards with known ratings. {said}"
    )
    assert paragraph.loc[paragraph["topic"] == "standards", "sentence"].tolist() == [said]
    assert report.count(said) == 3  # the paragraph; the chart image's alt text and caption


def test_the_highest_and_lowest_region_are_named_alike_in_captions_summary_and_report(
    shipped_db,
):
    # counted from data/inspections.csv, inspections of units in a region: East Midlands 7 of 9
    # Inadequate, North East 2 of 10; Greater Manchester (0 of 3) has fewer than 5
    from analytics.analyses import registry, viewspecs
    from analytics.analyses.views import ViewOptions
    from analytics.export import reports
    from analytics.pipeline import db

    said = (
        "Highest share rated Inadequate among the regions with 5 or more inspections: East "
        "Midlands (78% of 9 inspections); lowest: North East (20% of 10 inspections)."
    )
    # what n counts, said on both charts: North East's 10 are its 9 PDU inspections and the
    # region's own (the unit benchmark counts the 9)
    counts = (
        "A region's n counts every inspection in the period of a unit in it, of any type (its "
        "PDUs and the region itself), a unit's earlier inspections included."
    )
    con = db.connect(shipped_db)
    try:
        bars = viewspecs.build_view(con, "ratings-by-region", Filters()).figure.layout.meta["alt"]
        tiles = viewspecs.build_view(
            con, "region-map", Filters(), ViewOptions(measure="share_inadequate")
        ).figure.layout.meta["alt"]
        paragraph = registry.analysis("view_summary").function(con, Filters())
        report = reports.build_report(con, Filters())
    finally:
        con.close()
    assert bars == (
        f"Stacked bar chart of overall ratings in 12 regions, 76 inspections. {said} {counts} "
        "Faded and hatched: fewer than 5 inspections (Greater Manchester, South West, South "
        "Central, Wales, West Midlands)."
    )
    assert tiles == (
        "Tile map of the 12 probation regions coloured by share rated Inadequate; 12 have "
        f"selected inspections. {said} {counts} Faded tiles, dashed edges: fewer than 5 "
        "inspections "
        "(Greater Manchester, Wales, West Midlands, South West, South Central)."
    )
    assert paragraph.loc[paragraph["topic"] == "regions", "sentence"].tolist() == [said]
    assert report.count(said) == 3  # the paragraph; the bar chart's alt text and caption

"""AppTest of the tabs: what each shows equals the analytics output for the same Filters."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from analytics.analyses import breakdowns, trends, units
from analytics.analyses.league import league_table
from analytics.filters import Filters
from tests.apptest import (
    TABS,
    bar_values,
    chart_specs,
    data_traces,
    plain,
    rows_where,
    run_app,
    whole_months,
)

pytestmark = pytest.mark.usefixtures("clean_streamlit_caches")


# --- tabs: what they show equals analytics output -------------------------------------------------


@pytest.mark.parametrize(
    ("tab", "titles"),
    [
        (
            "Overview",
            {
                "Overall ratings by region",
                "Regions: Mean points (0-3)",
                "Overall ratings of the selected inspections",
            },
        ),
        ("Trends", {"Overall ratings by year"}),
        (
            "Domains",
            {
                "Ratings by standard (share of inspections where the standard is known)",
                "Mean points by region and standard (3 = Outstanding, 0 = Inadequate)",
            },
        ),
        (
            "Units",
            {
                "Alpha (PDU): overall rating at each inspection",
                "Alpha (PDU) against its region and England and Wales",
                "Rating at the previous inspection (rows) and the next one (columns)",
            },
        ),
        ("Data", set()),
        ("About", set()),
    ],
)
@pytest.mark.usefixtures("app_env")
def test_every_tab_renders_its_charts_and_only_the_open_one(tab, titles):
    at = run_app(tab=tab)
    assert [t.label for t in at.tabs] == TABS
    assert not at.exception
    assert set(chart_specs(at)) == titles


def test_overview_chart_data_equal_analytics(con):
    filters = Filters(unit_types=("PDU", "Region"))
    at = run_app(unit_type=["PDU", "Region"])
    spec = chart_specs(at)["Overall ratings by region"]
    expected = breakdowns.rating_distribution(con, filters, by="region")
    got = bar_values(spec, "x")
    for rating, values in got.items():
        part = expected[expected["rating"] == rating].set_index("region")
        trace = next(t for t in data_traces(spec) if t["name"] == rating)
        regions = [c[0] for c in trace["customdata"]]
        assert values == pytest.approx(part.loc[regions, "share"].tolist())
        # each bar is labelled with its region's count
        assert trace["y"] == [{"South": "South (n=1)", "North": "North (n=5)"}[r] for r in regions]
    main, faded = chart_specs(at)["Regions: Mean points (0-3)"]["data"][:2]
    summary = breakdowns.region_summary(con, filters).set_index("region")
    # the North's 5 inspections drawn in full, the South's one faded
    assert summary["inspections"].to_dict() == {"North": 5, "South": 1}
    assert main["z"] == [[summary.loc["North", "mean_points"]], [None]]
    assert faded["z"] == [[None], [summary.loc["South", "mean_points"]]]
    assert faded["opacity"] == 0.45


def test_latest_table_equals_league_table(con):
    at = run_app(region=["North"])
    table = at.dataframe[0].value
    league = league_table(con, Filters(regions=("North",)))
    assert league["unit_name"].tolist() == ["North", "Alpha", "Beta"]
    # seven columns, a unit's type named where it is not a PDU; ages counted to today
    assert table.columns.tolist() == [
        "unit",
        "region",
        "rating",
        "published",
        "change",
        "age",
        "source_url",
    ]
    assert table["unit"].tolist() == ["North (Region)", "Alpha", "Beta"]
    assert table["rating"].tolist() == league["rating"].tolist()
    assert table["change"].tolist() == ["first inspection", "improved", "declined"]
    assert table["published"].tolist() == ["2024-07-01", "2024-11", "2024 (approx.)"]
    today = dt.date.today()
    assert table["age"].tolist() == [
        [f"{whole_months(dt.date(2024, 7, 1), today)} months"],
        [f"about {whole_months(dt.date(2024, 11, 1), today)} months"],
        [f"about {whole_months(dt.date(2024, 1, 1), today)} months"],
    ]


def test_trends_quarter_note_and_chart_data(con):
    at = run_app(tab="Trends")
    at.radio(key="trend_freq").set_value("quarter").run()
    notes = [i.value for i in at.info]
    assert (
        "3 inspections with year-only dates not shown by quarter (their sources give only "
        "the year); they are counted in the yearly view."
    ) in notes
    spec = chart_specs(at)["Overall ratings by quarter"]
    expected = trends.rating_trend(con, Filters(), freq="quarter")
    got = bar_values(spec, "y")
    for rating, values in got.items():
        assert values == pytest.approx(expected[expected["rating"] == rating]["share"].tolist())
    at.radio(key="trend_measure").set_value("Counts").run()
    counts = bar_values(chart_specs(at)["Overall ratings by quarter"], "y")
    assert counts["Requires improvement"] == [1, 0, 0, 1, 0, 1, 1]
    assert sum(sum(v) for v in counts.values()) == 10 - 3


@pytest.mark.usefixtures("app_env")
def test_trend_lists_events():
    at = run_app(tab="Trends")
    markdown = [plain(m.value) for m in at.markdown]
    assert (
        "1. 2020-03: Inspections paused\n2. 2021-06-26: Probation services unified "
        "([source](https://example.org/unified))"
    ) in markdown


def test_domains_coverage_note_and_standards(con):
    at = run_app(tab="Domains")
    assert (
        "Standard ratings known for 5 of 10 inspections. HMIP prints them in report tables "
        "that could not all be read; a blank is unknown, never 'not rated'. Shares below are "
        "of the inspections where the standard is known (n on each bar)."
    ) in [i.value for i in at.info]
    spec = chart_specs(at)["Ratings by standard (share of inspections where the standard is known)"]
    assert data_traces(spec)[0]["y"] == [
        "Leadership (n=3)",
        "Assessment (n=2)",
        "Unpaid work (n=1)",
        "Victim work (n=1)",
    ]
    caption = [c.value for c in at.caption]
    assert (
        "No rating known in this selection for: Staffing, Services, Information and "
        "facilities, Court work, Planning, Implementation and delivery, Reviewing, Through "
        "the Gate."
    ) in caption
    coverage = at.dataframe[0].value
    pd.testing.assert_frame_equal(
        coverage.reset_index(drop=True), breakdowns.coverage(con, Filters()), check_dtype=False
    )


def test_data_tab_rows_equal_inspection_list(con):
    at = run_app(unit_type=["PDU"], tab="Data")
    table = at.dataframe[-1].value
    expected = units.inspections(con, Filters(unit_types=("PDU",)))
    assert len(table) == len(expected) == len(rows_where(unit_type=["PDU"]))
    assert table["unit_name"].tolist() == expected["unit_name"].tolist()
    assert table["published"].tolist() == [
        "2024-11",
        "2024 (approx.)",
        "2023 (approx.)",
        "2022-05",
        "2022-02-10",
    ]
    assert table["score"].tolist() == ["", "", "", "", "3/27"]


@pytest.mark.usefixtures("app_env")
def test_about_counts_missing_sources():
    at = run_app(tab="About")
    about = [m.value for m in at.markdown if "## The rating scale" in m.value][0]
    assert "where one is recorded\n(1 has none)." in about


@pytest.mark.usefixtures("app_env")
def test_show_as_table_toggles():
    at = run_app()
    before = len(at.dataframe)
    at.toggle(key="chart_region_table").set_value(True).run()
    assert len(at.dataframe) == before + 1


@pytest.mark.usefixtures("app_env")
def test_a_chart_with_nothing_to_show_is_one_sentence_without_axes_or_downloads():
    # Gamma has one inspection: no previous one to compare, said once by the Units tab's sentence
    # (the empty transition chart, its message and a Download menu are not drawn)
    at = run_app(tab="Units", unit=["Gamma"])
    at.selectbox(key="unit_pick").set_value("Gamma (PDU)").run()
    assert set(chart_specs(at)) == {
        "Gamma (PDU): overall rating at each inspection",
        "Gamma (PDU) against its region and England and Wales",
    }
    markdown = [plain(m.value) for m in at.markdown]
    assert "None of the 1 unit selected has an earlier inspection to compare with." in markdown
    # on the Domains tab Gamma's inspection has no standard rating: the sentence, in place of
    # the standards chart and its downloads
    at = run_app(tab="Domains", unit=["Gamma"])
    assert [plain(i.value) for i in at.info] == [
        "Standard ratings known for 0 of 1 inspection. HMIP prints them in report tables that "
        "could not all be read; a blank is unknown, never 'not rated'. Shares below are of the "
        "inspections where the standard is known (n on each bar).",
        "No standard-level ratings are known for the selected inspections.",
        "No standard-level ratings are known for regional units in the selection.",
    ]
    assert chart_specs(at) == {}


@pytest.mark.usefixtures("app_env")
def test_the_league_lists_todays_units_unless_asked_for_the_former_ones():
    at = run_app()
    table = at.dataframe[0].value
    # fixture: 7 units, of which Old One (CRC) and Old Div (NPS division) ceased in 2021
    assert (
        "Best latest rating first, then by type and name. The download adds each unit's rank "
        "(equal ratings share one), its previous rating and its rating age's band by name."
    ) in [plain(c.value) for c in at.caption]
    # in the league's order: best latest rating first, then by type and name
    assert table["unit"].tolist() == [
        "North (Region)",
        "Gamma",
        "Alpha",
        "England and Wales (National)",
        "Beta",
    ]
    at.toggle(key="latest_table_former").set_value(True).run()
    table = at.dataframe[0].value
    assert table["unit"].tolist() == [
        "North (Region)",
        "Gamma",
        "Old One (CRC)",
        "Old Div (NPS division)",
        "Alpha",
        "England and Wales (National)",
        "Beta",
    ]
    # a type filter decides by itself: no toggle
    at = run_app(unit_type=["CRC"])
    assert at.dataframe[0].value["unit"].tolist() == ["Old One (CRC)"]
    assert [t.key for t in at.toggle if t.key == "latest_table_former"] == []


@pytest.mark.usefixtures("app_env")
def test_the_data_tab_says_blanks_in_words_never_none():
    at = run_app(tab="Data")
    table = at.dataframe[-1].value
    # the link column draws a missing address as an empty cell
    text = table.drop(columns="source_url")
    cells = {str(v) for column in text.columns for v in text[column]}
    assert "None" not in cells and "nan" not in cells
    # fixture: the CRC's two, the NPS division's and the national inspection have no region;
    # two inspections state their fieldwork
    assert sorted(table["region"].tolist()) == ["North"] * 5 + ["South"] + ["—"] * 4
    assert sorted(table["fieldwork"].tolist()) == ["2018-11", "2024-08"] + ["not stated"] * 8


@pytest.mark.usefixtures("app_env")
def test_with_a_region_selected_the_others_stay_for_comparison():
    # fixture: North has 5 inspections (0, 1, 1, 0 and 3 points: mean 1.00), South 1 (Gamma,
    # Good: 2 points); ?region=North
    at = run_app(region=["North"])
    specs = chart_specs(at)
    tiles = specs["Regions: Mean points (0-3)"]
    said = [a["text"] for a in tiles["layout"]["annotations"]]
    assert "<b>South</b><br>2.00, n = 1<br>not selected" in said
    assert tiles["layout"]["meta"]["alt"] == (
        "Tile map of the 12 probation regions; North has selected inspections: mean points "
        "(0 to 3) 1.00 (n = 5). The other regions, not selected, are in grey with their figures "
        "(1 with inspections). A region's n counts every inspection in the period of a unit in "
        "it, of any type (its PDUs and the region itself), a unit's earlier inspections included."
    )
    bars = specs["Overall ratings by region"]
    assert bars["layout"]["yaxis"]["categoryarray"] == ["South (n=1)", "North (n=5)"]
    # the regions not selected are beneath a rule that says so (South is row 0, North row 1)
    assert [a["text"] for a in bars["layout"]["annotations"]] == [
        "<i>Not selected, for comparison:</i>"
    ]
    assert [(s["y0"], s["y1"]) for s in bars["layout"]["shapes"]] == [(0.5, 0.5)]
    assert {t["opacity"] for t in bars["data"] if "South" in str(t.get("y"))} == {0.3}


@pytest.mark.usefixtures("app_env")
def test_one_unit_selected_is_shown_against_its_region_not_as_one_bar_regions():
    at = run_app(unit=["Beta"])
    assert set(chart_specs(at)) == {
        "Beta (PDU) against its region and England and Wales",
        "Overall ratings of the selected inspections",
    }
    assert (
        "One unit is selected: here against its region and England and Wales; its inspections "
        "over time are on the Units tab."
    ) in [c.value for c in at.caption]


@pytest.mark.usefixtures("app_env")
def test_a_region_without_inspections_in_the_period_is_said_not_dropped():
    # fixture: South's one inspection (Gamma) is of 2023; from 2024 it has none
    at = run_app(**{"from": "2024-01-01"})
    bars = chart_specs(at)["Overall ratings by region"]
    assert bars["layout"]["yaxis"]["categoryarray"] == ["South (no inspections)", "North (n=3)"]
    # North from 2024: Alpha (Requires improvement), Beta (Inadequate), the region (Outstanding)
    assert bars["layout"]["meta"]["alt"] == (
        "Stacked bar chart of overall ratings in 1 region, 3 inspections. North: 33% rated "
        "Inadequate (of 3). No inspections in the period: South. A region's n counts every "
        "inspection in the period of a unit in it, of any type (its PDUs and the region itself), "
        "a unit's earlier inspections included. Faded and hatched: fewer than 5 inspections "
        "(North)."
    )


MACHINE_WORDS = re.compile(r"\b(True|False|None|nan|NaN|NaT|null)\b")


@pytest.mark.usefixtures("app_env")
@pytest.mark.parametrize(
    "tab", ["Overview", "Trends", "Domains", "Units", "Compare", "Data", "About"]
)
def test_no_tab_shows_a_machine_word(tab):
    """Every text and table cell of every tab is in words: no None, True, False or nan."""
    at = run_app(tab=tab, compare=["Alpha", "Old One"], unit_pick="Gamma (PDU)")
    texts = [e.value for kind in (at.markdown, at.caption, at.info, at.warning) for e in kind]
    cells = [
        str(v)
        for frame in at.dataframe
        for column in frame.value.columns
        if column != "source_url"  # a missing address is drawn as an empty cell
        for v in frame.value[column]
        if not isinstance(v, list)
    ]
    found = [t for t in texts + cells if MACHINE_WORDS.search(str(t))]
    assert found == []
    assert len(texts) > 5  # the tab was drawn

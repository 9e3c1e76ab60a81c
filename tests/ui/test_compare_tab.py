"""AppTest of the Compare tab: a link reopens the same units and tab, the side-by-side table
equals the units' histories in the fixture rows, and units are added from the Units tab.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from tests.apptest import (
    PUBLISHED,
    RATING,
    plain,
    query_params,
    rows_where,
    run_app,
    whole_months,
)

pytestmark = [pytest.mark.usefixtures("clean_streamlit_caches"), pytest.mark.usefixtures("app_env")]

ALPHA, OLD_ONE = ("PDU", "Alpha"), ("CRC", "Old One")


def side_by_side(at) -> pd.DataFrame:
    (table,) = [d.value for d in at.dataframe if "Measure" in d.value.columns]
    return table.set_index("Measure")


def test_a_compare_link_opens_the_compare_tab_with_its_units():
    at = run_app(tab="Compare", compare=["Alpha", "Old One"])
    assert not at.exception
    assert at.warning == []
    assert at.multiselect(key="compare_pick").value == [ALPHA, OLD_ONE]
    assert query_params(at)["compare"] == ["Alpha", "Old One"]
    assert query_params(at)["tab"] == ["Compare"]
    today = dt.date.today()
    assert side_by_side(at).to_dict("index") == {
        "Type": {"Alpha (PDU)": "PDU", "Old One (CRC)": "CRC"},
        "Region": {"Alpha (PDU)": "North", "Old One (CRC)": "—"},
        "Inspections in the period": {"Alpha (PDU)": "2", "Old One (CRC)": "2"},
        "Latest overall rating": {"Alpha (PDU)": "Requires improvement", "Old One (CRC)": "Good"},
        "Published": {"Alpha (PDU)": "2024-11", "Old One (CRC)": "2020 (approx.)"},
        "Previous overall rating": {
            "Alpha (PDU)": "Inadequate",
            "Old One (CRC)": "Requires improvement",
        },
        "Change": {"Alpha (PDU)": "improved", "Old One (CRC)": "improved"},
        # a month and a year: counted from the first day of the period, so approximate
        "Months since latest": {
            "Alpha (PDU)": f"{whole_months(dt.date(2024, 11, 1), today)} (approx.)",
            "Old One (CRC)": f"{whole_months(dt.date(2020, 1, 1), today)} (approx.)",
        },
        "Rating age": {"Alpha (PDU)": "2 to 4 years", "Old One (CRC)": "over 4 years"},
        "Leadership": {"Alpha (PDU)": "Requires improvement", "Old One (CRC)": "not known"},
        "Assessment": {"Alpha (PDU)": "Good", "Old One (CRC)": "not known"},
        # from an earlier inspection than the latest: its date in brackets
        "Unpaid work": {"Alpha (PDU)": "not known", "Old One (CRC)": "Outstanding (2019-03-05)"},
    }
    captions = [plain(c.value) for c in at.caption]
    assert (
        "Standards: the latest rating known in the period; a date in brackets when it came "
        "from an earlier inspection than the latest; 'not known' where HMIP's pages give none. "
        "No rating known for any of these units: Staffing, Services, Information and "
        "facilities, Court work, Planning, Implementation and delivery, Reviewing, Through the "
        "Gate, Victim work."
    ) in captions


def figures_table(at) -> list[list[str]]:
    (table,) = [d.value for d in at.dataframe if "Figure" in d.value.columns]
    return table.values.tolist()


def test_what_the_latest_reports_state_is_beside_them():
    """tests/fixture_data.py REPORT_FIGURES: Alpha's 2024-11 report states 6 recommendations
    and 34% of cases sufficient on keeping people safe (from a news page); the North region's
    report, 0 recommendations; nothing for Old One.
    """
    at = run_app(tab="Compare", compare=["Alpha", "Old One", "North"])
    assert figures_table(at) == [
        [
            "Alpha (PDU)",
            "2024-11",
            "Recommendations",
            "6",
            "https://example.org/alpha-2024",
        ],
        [
            "Alpha (PDU)",
            "2024-11",
            "Assessment: keeping people safe (% of cases sufficient)",
            "34%",
            "https://example.org/news/alpha",
        ],
        ["Old One (CRC)", "2020 (approx.)", "—", "not stated", ""],
        ["North (Region)", "2024-07-01", "Recommendations", "0", "https://example.org/north"],
    ]
    # before Alpha's 2024 report: its 2022 one states nothing; Old One has no inspection then
    at = run_app(
        tab="Compare", compare=["Alpha", "Old One"], **{"from": "2021-01-01", "to": "2023-12-31"}
    )
    assert figures_table(at) == [
        ["Alpha (PDU)", "2022-02-10", "—", "not stated", ""],
        ["Old One (CRC)", "—", "—", "no inspection in the period", ""],
    ]


def test_the_table_equals_each_units_history_in_the_fixture():
    at = run_app(tab="Compare", compare=["Alpha", "Old One"])
    table = side_by_side(at)
    for unit_type, name in (ALPHA, OLD_ONE):
        history = sorted(rows_where(unit=[name]), key=lambda r: r[PUBLISHED])
        column = table[f"{name} ({unit_type})"]
        assert column["Inspections in the period"] == str(len(history))
        assert column["Latest overall rating"] == history[-1][RATING]
        assert column["Previous overall rating"] == history[-2][RATING]


def test_the_peers_table_holds_the_regions_and_national_shares():
    at = run_app(tab="Compare", compare=["Alpha", "Old One"])
    (peers,) = [d.value for d in at.dataframe if "Region or country" in d.value.columns]
    # PDU and CRC inspections: North has Alpha's two and Beta's two; nationally Old One's
    # two and Gamma's one as well
    assert peers.to_dict("records") == [
        {
            "Region or country": "North",
            "Outstanding": "0% (0)",
            "Good": "0% (0)",
            "Requires improvement": "50% (2)",
            "Inadequate": "50% (2)",
            "Inspections": 4,
            "Note": "fewer than 5 inspections",
        },
        {
            "Region or country": "England and Wales",
            "Outstanding": "0% (0)",
            "Good": "29% (2)",
            "Requires improvement": "43% (3)",
            "Inadequate": "29% (2)",
            "Inspections": 7,
            "Note": "",
        },
    ]


def test_a_region_with_no_inspections_in_the_period_has_no_shares():
    # from 2024 the South's one PDU inspection (Gamma, 2023) is out of the period
    at = run_app(tab="Compare", compare=["Alpha", "Gamma"], **{"from": "2024-01-01"})
    assert not at.exception
    (peers,) = [d.value for d in at.dataframe if "Region or country" in d.value.columns]
    two = {
        "Outstanding": "0% (0)",
        "Good": "0% (0)",
        "Requires improvement": "50% (1)",
        "Inadequate": "50% (1)",
        "Inspections": 2,
        "Note": "fewer than 5 inspections",
    }
    assert peers.to_dict("records") == [
        {"Region or country": "North", **two},
        {
            "Region or country": "South",
            "Outstanding": "—",
            "Good": "—",
            "Requires improvement": "—",
            "Inadequate": "—",
            "Inspections": 0,
            "Note": "no inspections in this period",
        },
        {"Region or country": "England and Wales", **two},
    ]


def test_units_with_no_inspection_in_the_period_are_said_so():
    at = run_app(tab="Compare", compare=["Old One", "Old Div"], **{"from": "2024-01-01"})
    assert not at.exception
    table = side_by_side(at)
    assert table.loc["Latest overall rating"].to_dict() == {
        "Old One (CRC)": "no inspection in the period",
        "Old Div (NPS division)": "no inspection in the period",
    }
    assert table.loc["Published"].to_dict() == {
        "Old One (CRC)": "—",
        "Old Div (NPS division)": "—",
    }


def test_the_period_narrows_the_comparison():
    at = run_app(tab="Compare", compare=["Alpha", "Old One"], to="2022-12-31")
    table = side_by_side(at)
    assert table.loc["Latest overall rating"].to_dict() == {
        "Alpha (PDU)": "Inadequate",
        "Old One (CRC)": "Good",
    }
    assert table.loc["Previous overall rating", "Alpha (PDU)"] == "— (none earlier)"


def test_bad_compare_values_are_said_and_dropped_from_the_link():
    at = run_app(tab="Compare", compare=["Alpha", "Nowhere", "Alpha"])
    assert [plain(w.value) for w in at.warning] == [
        "Ignored in the link: unknown unit 'Nowhere' in 'compare'",
        "Ignored in the link: 'Alpha' is named twice in 'compare'",
    ]
    assert [i.value for i in at.info] == ["Pick 2 to 6 units to see them side by side (1 picked)."]
    assert query_params(at)["compare"] == ["Alpha"]


def test_the_picker_writes_the_link_and_is_kept_across_tabs():
    at = run_app(tab="Compare")
    assert "compare" not in query_params(at)
    at.multiselect(key="compare_pick").set_value([ALPHA, ("PDU", "Beta")]).run()
    assert query_params(at)["compare"] == ["Alpha", "Beta"]
    at.session_state["tab"] = "Overview"
    at.run()
    assert query_params(at)["compare"] == ["Alpha", "Beta"]  # kept while the picker is not drawn
    at.session_state["tab"] = "Compare"
    at.run()
    assert at.multiselect(key="compare_pick").value == [ALPHA, ("PDU", "Beta")]


def test_units_are_added_from_the_units_tab_with_one_click():
    at = run_app(tab="Units")
    at.selectbox(key="unit_pick").set_value("Alpha (PDU)").run()
    assert at.button(key="unit_pick_open_compare").disabled
    at.button(key="unit_pick_add_compare").click().run()
    at.selectbox(key="unit_pick").set_value("Old One (CRC)").run()
    at.button(key="unit_pick_add_compare").click().run()
    status = "In Compare (2 of 6): Alpha (PDU), Old One (CRC)."
    assert plain(at.button(key="unit_pick_open_compare").help) == status  # Markdown, escaped
    # and under the league table, with how to add its rows
    hint = "Tick rows of the table to add them to Compare."
    assert f"{hint} {status}" in [plain(c.value) for c in at.caption]
    # a unit already in Compare cannot be added twice
    assert at.button(key="unit_pick_add_compare").disabled
    at.button(key="unit_pick_open_compare").click().run()
    assert query_params(at)["tab"] == ["Compare"]
    assert query_params(at)["compare"] == ["Alpha", "Old One"]
    assert side_by_side(at).columns.tolist() == ["Alpha (PDU)", "Old One (CRC)"]

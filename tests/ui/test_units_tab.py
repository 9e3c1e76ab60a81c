"""AppTest of the Units tab: the picked unit's timeline, reports, figures and rating age equal the
fixture rows; the selection's units come first in its picker. Long pickers:
tests/ui/test_choices.py.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.apptest import (
    chart_specs,
    plain,
    run_app,
    whole_months,
)

pytestmark = pytest.mark.usefixtures("clean_streamlit_caches")


@pytest.mark.usefixtures("app_env")
def test_units_tab_profiles_the_chosen_unit():
    at = run_app(tab="Units")
    at.selectbox(key="unit_pick").set_value("Beta (PDU)").run()
    titles = set(chart_specs(at))
    assert "Beta (PDU): overall rating at each inspection" in titles
    markdown = [plain(m.value) for m in at.markdown]
    assert (
        "- 2022-05: Requires improvement, [source report](https://example.org/beta-2022)\n"
        "- 2024 (approximate date): Inadequate, [source report](https://example.org/beta-2024)"
        "\n\nFigures these reports state (recommendations, shares of cases sufficient): not "
        "stated in this data."
    ) in markdown


@pytest.mark.usefixtures("app_env")
def test_units_tab_lists_the_figures_stated_about_each_report():
    # fixture: Alpha's 2024-11 report made 6 recommendations and found 34% of cases sufficient
    # on keeping people safe in assessment, each stated on its own page; its 2022 report none
    at = run_app(tab="Units")
    at.selectbox(key="unit_pick").set_value("Alpha (PDU)").run()
    assert (
        "- 2022-02-10: Inadequate, [source report](https://example.org/alpha-2022)\n"
        "- 2024-11: Requires improvement, [source report](https://example.org/alpha-2024)\n"
        "    - Recommendations: 6 ([source](https://example.org/alpha-2024))\n"
        "    - Assessment, keeping people safe: 34% of cases sufficient "
        "([source](https://example.org/news/alpha))"
    ) in [plain(m.value) for m in at.markdown]


@pytest.mark.usefixtures("app_env")
def test_units_tab_says_how_old_the_units_latest_rating_is():
    # fixture: Beta's latest inspection is dated by its year only (2024), so months count from
    # 2024-01-01 and are approximate
    at = run_app(tab="Units")
    at.selectbox(key="unit_pick").set_value("Beta (PDU)").run()
    months = whole_months(dt.date(2024, 1, 1), dt.date.today())
    band = "under 2 years" if months < 24 else "2 to 4 years" if months <= 48 else "over 4 years"
    assert f"Latest inspection: {months} (approx.) months ago (rating age {band})." in [
        plain(m.value) for m in at.markdown
    ]


@pytest.mark.usefixtures("app_env")
def test_units_tab_says_how_ratings_moved_since_each_units_previous_inspection():
    # fixture: Old One RI -> G and Alpha I -> RI improved, Beta RI -> I declined; four units
    # have one inspection (Old Div, Gamma, the North region, England and Wales)
    at = run_app(tab="Units")
    markdown = [plain(m.value) for m in at.markdown]
    assert (
        "Against their previous inspection, of 3 units inspected before: 2 improved, 0 unchanged,"
        " 1 declined; 4 units had a first inspection."
    ) in markdown
    at = run_app(tab="Units", region=["South"])
    markdown = [plain(m.value) for m in at.markdown]
    assert "None of the 1 unit selected has an earlier inspection to compare with." in markdown


@pytest.mark.usefixtures("app_env")
def test_unit_timeline_ticks_each_year_once():
    # Gamma has one inspection (2023): the axis spans 2022-2024 and must read 2022, 2023, 2024,
    # not a tick per quarter all labelled with the year.
    at = run_app(tab="Units")
    at.selectbox(key="unit_pick").set_value("Gamma (PDU)").run()
    axis = chart_specs(at)["Gamma (PDU): overall rating at each inspection"]["layout"]["xaxis"]
    assert (axis["tickformat"], axis["tick0"], axis["dtick"]) == ("%Y", "2000-01-01", "M12")


@pytest.mark.usefixtures("app_env")
def test_units_filter_puts_that_unit_first():
    at = run_app(unit=["Old One"], tab="Units")
    assert at.selectbox(key="unit_pick").value == "Old One (CRC)"


@pytest.mark.usefixtures("app_env")
def test_units_in_the_selection_come_first_in_the_unit_list():
    # A South manager's filter: South's one PDU is chosen, not the first unit in the country.
    at = run_app(region=["South"], tab="Units")
    pick = at.selectbox(key="unit_pick")
    assert pick.value == "Gamma (PDU)"
    assert pick.options == [
        "Gamma (PDU)",
        "Alpha (PDU)",
        "Beta (PDU)",
        "North (Region)",
        "England and Wales (National)",
        "Old One (CRC)",
        "Old Div (NPS division)",
    ]
    assert pick.help == "Units with inspections in the current selection (1) come first."


@pytest.mark.usefixtures("app_env")
def test_units_tab_says_when_no_standard_rating_is_known_and_where_to_look():
    # fixture: Gamma's one inspection (2023, date from its address) has no standard rating;
    # Alpha's have
    at = run_app(tab="Units")
    at.selectbox(key="unit_pick").set_value("Gamma (PDU)").run()
    markdown = [plain(m.value) for m in at.markdown]
    assert (
        "No standard rating is known for Gamma's inspections in this period (HMIP prints them "
        "in report tables that could not all be read): see "
        "[the latest source report](https://example.org/gamma)."
    ) in markdown
    # nor a figure of its report: said, not left blank
    reports = next(m for m in markdown if m.startswith("- 2023"))
    assert reports.splitlines() == [
        "- 2023 (approximate date): Good, [source report](https://example.org/gamma)",
        "",
        "Figures these reports state (recommendations, shares of cases sufficient): not stated "
        "in this data.",
    ]
    at.selectbox(key="unit_pick").set_value("Alpha (PDU)").run()
    assert [m for m in at.markdown if "No standard rating is known" in m.value] == []
    assert [m for m in at.markdown if "not stated in this data" in m.value] == []

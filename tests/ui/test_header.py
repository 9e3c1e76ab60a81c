"""AppTest of the header: provenance, KPI tiles equal to counts made independently from the
fixture rows, and the change against the previous period.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests import fixture_data as fx
from tests.apptest import (
    RATING,
    expected_kpis,
    metrics,
    plain,
    rows_where,
    run_app,
    tile_changes,
    tile_helps,
    whole_months,
)

pytestmark = pytest.mark.usefixtures("clean_streamlit_caches")


# --- header --------------------------------------------------------------------------------------


@pytest.mark.usefixtures("app_env")
def test_kpis_equal_independent_counts():
    at = run_app()
    assert not at.exception
    assert at.error == []
    assert metrics(at) == expected_kpis(fx.INSPECTIONS)
    assert metrics(at) == {
        "Inspections": "10",
        "Units": "7",
        "Inadequate": "20%",
        "Requires improvement": "40%",
        "Good or better": "40%",
    }
    # each tile says what it counts: every inspection of every type, not each unit's latest
    assert tile_helps(at) == {
        "Inspections": "Every inspection selected, of every type of unit: a unit inspected "
        "twice counts twice.",
        "Units": "Units of every type with an inspection selected.",
        "Inadequate": "2 of the 10 inspections selected (every inspection, not only each "
        "unit's latest).",
        "Requires improvement": "4 of the 10 inspections selected (every inspection, not only "
        "each unit's latest).",
        "Good or better": "4 of the 10 inspections selected (every inspection, not only each "
        "unit's latest).",
    }


@pytest.mark.usefixtures("app_env")
def test_provenance_line():
    at = run_app()
    # one line on the page ...
    assert at.caption[0].value == (
        "Source: HMIP inspection reports (Open Government Licence v3.0) · 10 inspections "
        "published 2019 to 2025 · 3 with approximate dates"
    )
    # ... and the details behind "Details"
    (details,) = [m.value for m in at.markdown if m.value.startswith("Source: HM Inspectorate")]
    assert details.startswith(
        "Source: HM Inspectorate of Probation ratings compiled from public HMIP pages. "
        "Licence: [Open Government Licence v3.0]"
        "(https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/). "
        "Showing 10 inspections published 2019 to 2025 (all inspections). 3 of 10 inspections "
        "have approximate dates (shown as approximate: their month or year comes from the "
        "report's address or another page). Database built "
    )
    at.multiselect(key="f_region").set_value(["South"]).run()
    assert at.caption[0].value == (
        "Source: HMIP inspection reports (Open Government Licence v3.0) · 1 inspection "
        "published in 2023 (region South) · 1 with approximate dates"
    )
    # the period is said once: by the years of the inspections it holds
    at = run_app(**{"from": "2024-01-01"})
    assert at.caption[0].value == (
        "Source: HMIP inspection reports (Open Government Licence v3.0) · 4 inspections "
        "published 2024 to 2025 · 1 with approximate dates"
    )


@pytest.mark.usefixtures("app_env")
def test_kpi_changes_against_the_previous_period_of_equal_length():
    at = run_app()
    at.slider(key="f_years").set_range(2024, 2025).run()
    now, before = rows_where(years=(2024, 2025)), rows_where(years=(2022, 2023))
    assert metrics(at) == expected_kpis(now)
    share = lambda rows, *r: sum(x[RATING] in r for x in rows) / len(rows)  # noqa: E731
    points = lambda *r: round((share(now, *r) - share(before, *r)) * 100)  # noqa: E731
    assert points("Inadequate") == -8  # 1 of 4 now, 1 of 3 before: 25% - 33%
    assert points("Requires improvement") == 17  # 2 of 4, 1 of 3
    assert points("Good", "Outstanding") == -8  # 1 of 4 (Outstanding), 1 of 3 (Good)
    # the change in signs and an arrow; its colour says better (green) or worse (red), and
    # grey where a change is neither (counts, Requires improvement)
    assert (
        tile_changes(at)
        == {
            "Inspections": ":gray-badge[↑ \\+1]",  # 4 now, 3 before
            "Units": ":gray-badge[↑ \\+1]",  # Beta, Alpha, North, England and Wales vs Alpha, Beta, Gamma
            "Inadequate": ":green-badge[↓ \\-8 pts]",  # less Inadequate: better
            "Requires improvement": ":gray-badge[↑ \\+17 pts]",
            "Good or better": ":red-badge[↓ \\-8 pts]",  # less Good or better: worse
        }
    )
    # 2024 and 2025 have 4 inspections: the shares rest on few, and the tiles say so
    assert len(now) == 4
    assert at.caption[1].value == (
        "These shares rest on fewer than 5 inspections. "
        "Changes are against the previous period of equal length (2022 to 2023: 3 inspections)."
    )


@pytest.mark.usefixtures("app_env")
def test_the_default_view_compares_with_nothing_and_says_nothing():
    """Issue 13: the whole range has no previous period; no sentence about one is shown."""
    at = run_app()
    assert list(tile_changes(at).values()) == [None] * 5
    assert [c.value for c in at.caption if "previous period" in c.value] == []


@pytest.mark.usefixtures("app_env")
def test_a_previous_period_without_inspections_is_not_mentioned():
    at = run_app()
    at.slider(key="f_years").set_range(2022, 2022).run()  # 2021, before it, has no inspection
    assert metrics(at) == expected_kpis(rows_where(years=(2022, 2022)))
    assert list(tile_changes(at).values()) == [None] * 5
    assert [c.value for c in at.caption if "previous period" in c.value] == []


@pytest.mark.usefixtures("app_env")
def test_one_unit_gets_the_tiles_a_unit_needs():
    """Issue 13: for ?unit=, not 'Units 1, Inadequate 0%' but its latest and previous rating."""
    at = run_app(unit=["Alpha"])
    assert not at.exception
    # the fixture's Alpha: Inadequate on 2022-02-10, then Requires improvement in 2024-11
    months = whole_months(dt.date(2024, 11, 1), dt.date.today())
    assert metrics(at) == {
        "Latest rating": "Requires improvement",
        "Published": "2024-11",
        "Months since": f"{months} (approx.)",  # a month only: from its first day
        "Previous rating": "Inadequate",
        "Inspections": "2",
    }
    band = "under 2 years" if months <= 23 else "2 to 4 years" if months <= 48 else "over 4 years"
    assert tile_helps(at)["Months since"] == (
        "Whole months since the latest inspection was published, counted from the first day "
        f"of its month or year, or from a date no page states. Rating age: {band}."
    )
    assert tile_helps(at)["Previous rating"] == ("Published 2022-02-10; the change is improved.")
    # the tiles are the unit's own: no note that their shares rest on few inspections
    assert [c.value for c in at.caption if c.value.startswith("These shares")] == []


@pytest.mark.usefixtures("app_env")
def test_a_first_inspection_and_an_approximate_date_say_so():
    at = run_app(unit=["Gamma"])  # one inspection, dated only by its address (2023)
    assert metrics(at) == {
        "Latest rating": "Good",
        "Published": "2023 (approx.)",
        "Months since": f"{whole_months(dt.date(2023, 1, 1), dt.date.today())} (approx.)",
        "Previous rating": "First inspection",
        "Inspections": "1",
    }
    assert tile_helps(at)["Previous rating"] == ("This is the unit's first inspection.")


@pytest.mark.usefixtures("app_env")
def test_two_units_get_the_usual_tiles():
    at = run_app(unit=["Alpha", "Beta"])
    assert metrics(at) == expected_kpis(rows_where(unit=("Alpha", "Beta")))


@pytest.mark.usefixtures("app_env")
def test_the_view_in_words_opens_on_its_paragraph():
    at = run_app(region="North")
    assert not at.exception
    # closed: its heading is the first sentence, counted by hand (Alpha x2, Beta x2, North)
    heading = "5 inspections of 3 units from 2022 to 2024: 1 Outstanding, 0 Good, 2 Requires improvement, 2 Inadequate."
    assert [plain(e.label) for e in at.expander if e.key == "view_summary"] == [heading]
    assert at.code == []
    at.session_state["view_summary"] = True
    at.run()
    assert [c.value for c in at.code] == [
        heading + " Against their previous inspection, of 2 units inspected before: 1 improved, "
        "0 unchanged, 1 declined; 1 unit had a first inspection. The weakest standard is "
        "Leadership (33% Good or better of 3 ratings: fewer than 5); the strongest is "
        "Victim work (100% Good or better of 1 rating: fewer than 5). Not known: the standard "
        "ratings of 1 of the 5 inspections and the exact date of 1 (approximate)."
    ]


@pytest.mark.usefixtures("app_env")
def test_an_exact_date_counts_months_from_its_day():
    at = run_app(unit=["England and Wales"])  # published 2025-04-29, a stated day
    assert metrics(at)["Months since"] == str(whole_months(dt.date(2025, 4, 29), dt.date.today()))
    assert tile_helps(at)["Months since"].startswith(
        "Whole months since the latest inspection was published, counted from its publication "
        "date. Rating age: "
    )


def test_the_report_is_of_the_view_on_screen():
    from analytics.analyses.views import ViewOptions
    from ui.header import report_options

    two = (("PDU", "Alpha"), ("CRC", "Old One"))
    asked = []

    def beta():
        asked.append("Beta")
        return ("PDU", "Beta")

    assert report_options("Compare", two, beta) == ViewOptions(compare=two)
    # one unit in Compare is no comparison: the filters' selection
    assert report_options("Compare", two[:1], beta) == ViewOptions()
    assert asked == []  # the Units tab's unit is found only on the Units tab
    assert report_options("Units", two, beta) == ViewOptions(unit_type="PDU", unit_name="Beta")
    assert report_options("Units", two, lambda: None) == ViewOptions()
    assert report_options("Overview", two, beta) == ViewOptions()
    assert asked == ["Beta"]

"""AppTest of the header: provenance, KPI tiles equal to counts made independently from the
fixture rows, and the change against the previous period.
"""

from __future__ import annotations

import pytest

from tests import fixture_data as fx
from tests.apptest import (
    RATING,
    expected_kpis,
    metrics,
    rows_where,
    run_app,
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


@pytest.mark.usefixtures("app_env")
def test_provenance_line():
    at = run_app()
    caption = at.caption[0].value
    assert caption.startswith(
        "Source: HM Inspectorate of Probation ratings compiled from public HMIP pages. "
        "Licence: [Open Government Licence v3.0]"
        "(https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/). "
        "Showing 10 inspections published 2019 to 2025 (all inspections). 3 of 10 inspections "
        "have approximate dates. Database built "
    )


@pytest.mark.usefixtures("app_env")
def test_kpi_changes_against_the_previous_period_of_equal_length():
    at = run_app()
    at.slider(key="f_years").set_range(2024, 2025).run()
    now, before = rows_where(years=(2024, 2025)), rows_where(years=(2022, 2023))
    assert metrics(at) == expected_kpis(now)
    deltas = {m.label: m.proto.delta for m in at.metric}
    share = lambda rows, *r: sum(x[RATING] in r for x in rows) / len(rows)  # noqa: E731
    assert deltas == {
        "Inspections": f"{len(now) - len(before):+d}",
        "Units": "+1",  # Beta, Alpha, North, England and Wales vs Alpha, Beta, Gamma
        "Inadequate": f"{(share(now, 'Inadequate') - share(before, 'Inadequate')) * 100:+.0f} pts",
        "Requires improvement": f"{(share(now, 'Requires improvement') - share(before, 'Requires improvement')) * 100:+.0f} pts",
        "Good or better": f"{(share(now, 'Good', 'Outstanding') - share(before, 'Good', 'Outstanding')) * 100:+.0f} pts",
    }
    assert deltas["Inadequate"] == "-8 pts"
    assert at.caption[1].value == (
        "Changes are against the previous period of equal length (2022 to 2023: 3 inspections)."
    )


@pytest.mark.usefixtures("app_env")
def test_the_default_view_compares_with_nothing_and_says_nothing():
    """Issue 13: the whole range has no previous period; no sentence about one is shown."""
    at = run_app()
    assert [m.proto.delta for m in at.metric] == [""] * 5
    assert [c.value for c in at.caption if "previous period" in c.value] == []


@pytest.mark.usefixtures("app_env")
def test_a_previous_period_without_inspections_is_not_mentioned():
    at = run_app()
    at.slider(key="f_years").set_range(2022, 2022).run()  # 2021, before it, has no inspection
    assert metrics(at) == expected_kpis(rows_where(years=(2022, 2022)))
    assert [m.proto.delta for m in at.metric] == [""] * 5
    assert [c.value for c in at.caption if "previous period" in c.value] == []

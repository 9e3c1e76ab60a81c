"""AppTest of filters and the URL (ui/state.py): widgets, links, chart clicks and undo."""

from __future__ import annotations

import pytest

from tests import fixture_data as fx
from tests.apptest import (
    EMPTY,
    expected_kpis,
    metrics,
    plain,
    query_params,
    rows_where,
    run_app,
)

pytestmark = pytest.mark.usefixtures("clean_streamlit_caches")


# --- filters and the URL --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("widget", "value", "conditions", "params"),
    [
        ("f_region", ["North"], {"region": ["North"]}, {"region": ["North"]}),
        (
            "f_unit_type",
            ["PDU", "CRC"],
            {"unit_type": ["PDU", "CRC"]},
            {"unit_type": ["CRC", "PDU"]},
        ),
        (
            "f_rating",
            ["Inadequate", "Good"],
            {"rating": ["Inadequate", "Good"]},
            {"rating": ["Good", "Inadequate"]},
        ),
        (
            "f_unit",
            ["Alpha", "Old One"],
            {"unit": ["Alpha", "Old One"]},
            {"unit": ["Alpha", "Old One"]},
        ),
    ],
)
@pytest.mark.usefixtures("app_env")
def test_each_filter_changes_kpis_and_url(widget, value, conditions, params):
    at = run_app()
    at.multiselect(key=widget).set_value(value).run()
    assert not at.exception
    assert metrics(at) == expected_kpis(rows_where(**conditions))
    assert query_params(at) == params


@pytest.mark.usefixtures("app_env")
def test_period_and_approximate_filters():
    at = run_app()
    at.slider(key="f_years").set_range(2020, 2024).run()
    assert metrics(at) == expected_kpis(rows_where(years=(2020, 2024)))
    assert query_params(at) == {"from": ["2020-01-01"], "to": ["2024-12-31"]}
    at.checkbox(key="f_approx").uncheck().run()
    assert metrics(at) == expected_kpis(rows_where(years=(2020, 2024), stated_only=True))
    assert query_params(at) == {
        "from": ["2020-01-01"],
        "to": ["2024-12-31"],
        "approximate": ["exclude"],
    }


@pytest.mark.usefixtures("app_env")
def test_url_in_gives_the_same_view_and_goes_back_out():
    params = {
        "region": ["North"],
        "rating": ["Inadequate", "Requires improvement"],
        "from": ["2022-01-01"],
        "to": ["2023-12-31"],
    }
    at = run_app(**params)
    assert at.multiselect(key="f_region").value == ["North"]
    assert at.multiselect(key="f_rating").value == ["Inadequate", "Requires improvement"]
    assert at.slider(key="f_years").value == (2022, 2023)
    assert metrics(at) == expected_kpis(
        rows_where(
            region=["North"], rating=["Inadequate", "Requires improvement"], years=(2022, 2023)
        )
    )
    assert query_params(at) == params
    assert at.warning == []


@pytest.mark.usefixtures("app_env")
def test_unknown_url_values_are_named_and_ignored():
    at = run_app(region=["North", "Atlantis"], rating=["Superb"], to=["soon"])
    assert [plain(w.value) for w in at.warning] == [
        "Ignored in the link: unknown region 'Atlantis' (allowed: North, South)",
        "Ignored in the link: unknown rating 'Superb' (allowed: Outstanding, Good, Requires "
        "improvement, Inadequate)",
        "Ignored in the link: 'to' must be a date YYYY-MM-DD, not 'soon'",
    ]
    assert metrics(at) == expected_kpis(rows_where(region=["North"]))
    assert query_params(at) == {"region": ["North"]}


@pytest.mark.parametrize(
    "params",
    [
        {"region": ["' OR 1=1 --"]},
        {"unit": ["<script>alert(1)</script>"]},
        {"rating": ['"; DROP TABLE inspections; --']},
    ],
)
@pytest.mark.usefixtures("app_env")
def test_hostile_url_values_warn_and_change_nothing(params):
    at = run_app(**params)
    assert not at.exception
    assert len(at.warning) == 1 and at.warning[0].value.startswith("Ignored in the link: unknown ")
    assert metrics(at) == expected_kpis(fx.INSPECTIONS)
    assert query_params(at) == {}


@pytest.mark.usefixtures("app_env")
def test_reset_clears_every_filter():
    at = run_app(region=["North"], rating=["Good"], approximate=["exclude"], unit=["Alpha"])
    at.button(key="reset").click().run()
    assert metrics(at) == expected_kpis(fx.INSPECTIONS)
    assert query_params(at) == {}
    assert at.checkbox(key="f_approx").value is True


@pytest.mark.usefixtures("app_env")
def test_empty_selection_shows_help_not_an_exception():
    at = run_app(region=["South"], rating=["Inadequate"])
    assert not at.exception
    assert metrics(at)["Inspections"] == "0"
    assert EMPTY in [i.value for i in at.info]
    assert metrics(at)["Inadequate"] == "–"

"""AppTest: the dashboard's numbers equal counts computed independently from the fixture rows, and
its charts and tables equal the analytics output for the same Filters.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analytics import breakdowns, db, trends, units
from analytics.export import images
from analytics.filters import Filters
from tests import fixture_data as fx
from tests.apptest import (
    APP,
    EMPTY,
    RATING,
    TABS,
    bar_values,
    chart_specs,
    expected_kpis,
    metrics,
    plain,
    query_params,
    rows_where,
    run_app,
)

pytestmark = pytest.mark.usefixtures("clean_streamlit_caches")


@pytest.fixture
def app_env(monkeypatch, tmp_path, fixture_csv_dir) -> Path:
    csv_dir = tmp_path / "csv"
    shutil.copytree(fixture_csv_dir, csv_dir)
    monkeypatch.setenv("PROBATION_RATINGS_DATA", str(csv_dir))
    monkeypatch.setenv("PROBATION_RATINGS_DB", str(tmp_path / "ratings.duckdb"))
    return csv_dir


@pytest.fixture
def con(app_env):
    """The database the app builds from ``app_env``'s CSVs, opened after a first run."""
    assert app_env.is_dir()
    run_app()
    connection = db.connect(db.default_db_path())
    yield connection
    connection.close()


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
def test_no_previous_period_says_so():
    at = run_app()
    assert [m.proto.delta for m in at.metric] == [""] * 5
    assert at.caption[1].value == (
        "No change shown: no inspections match these filters in the previous period of equal "
        "length (2012 to 2018)."
    )


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
    assert at.metric[2].value == "–"


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
        regions = spec["data"][[t["name"] for t in spec["data"]].index(rating)]["y"]
        assert values == pytest.approx(part.loc[regions, "share"].tolist())
    tiles = chart_specs(at)["Regions: Mean points (0-3)"]["data"][0]
    summary = breakdowns.region_summary(con, filters)
    assert tiles["z"] == [[summary.loc[0, "mean_points"]], [summary.loc[1, "mean_points"]]]


def test_latest_table_equals_league_table(con):
    at = run_app(region=["North"])
    table = at.dataframe[0].value
    league = units.league_table(con, Filters(regions=("North",)))
    assert table["unit"].tolist() == league["unit_name"].tolist() == ["North", "Alpha", "Beta"]
    assert table["rating"].tolist() == league["rating"].tolist()
    assert table["change"].tolist() == ["first inspection", "improved", "declined"]
    assert table["published"].tolist() == ["2024-07-01", "2024-11", "2024 (approx.)"]


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
    assert spec["data"][0]["y"] == [
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


@pytest.mark.usefixtures("app_env")
def test_units_tab_profiles_the_chosen_unit():
    at = run_app(tab="Units")
    at.selectbox(key="unit_pick").set_value("Beta (PDU)").run()
    titles = set(chart_specs(at))
    assert "Beta (PDU): overall rating at each inspection" in titles
    markdown = [plain(m.value) for m in at.markdown]
    assert (
        "- 2022-05: Requires improvement, [source report](https://example.org/beta-2022)"
        in markdown
    )
    assert (
        "- 2024 (approximate date): Inadequate, [source report](https://example.org/beta-2024)"
        in markdown
    )


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


def test_data_tab_rows_equal_inspection_list(con):
    at = run_app(unit_type=["PDU"], tab="Data")
    table = at.dataframe[-1].value
    expected = units.inspection_list(con, Filters(unit_types=("PDU",)))
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
    about = [m.value for m in at.markdown if "### The rating scale" in m.value][0]
    assert "where one is recorded\n(1 has none)." in about


@pytest.mark.usefixtures("app_env")
def test_show_as_table_toggles():
    at = run_app()
    before = len(at.dataframe)
    at.toggle(key="chart_region_table").set_value(True).run()
    assert len(at.dataframe) == before + 1


# --- database lifecycle ----------------------------------------------------------------------------


def test_editing_a_csv_rebuilds_and_a_bad_csv_keeps_the_previous_database(app_env):
    at = run_app()
    assert metrics(at)["Inspections"] == "10"
    extra = ("PDU", "Gamma", "South", "2025-02", "stated", "", "Inadequate", "", "", "")
    fx.write_csvs(app_env, {"inspections.csv": fx.INSPECTIONS + [extra]})
    at = run_app()
    assert metrics(at)["Inspections"] == "11"
    assert metrics(at) == expected_kpis(fx.INSPECTIONS + [extra])
    bad = ("PDU", "Gamma", "South", "2025-03", "stated", "", "Terrible", "", "", "")
    fx.write_csvs(app_env, {"inspections.csv": fx.INSPECTIONS + [extra, bad]})
    at = run_app()
    assert [plain(e.value) for e in at.error] == [
        "The data files could not be loaded:\n\n- inspections.csv:13:overall_rating: unknown "
        "value 'Terrible' (allowed: Outstanding, Good, Requires improvement, Inadequate)"
    ]
    assert [w.value for w in at.warning] == [
        "Showing the database built before these files changed."
    ]
    assert metrics(at)["Inspections"] == "11"


def test_shipped_data_kpi_equals_csv_rows(monkeypatch, tmp_path):
    monkeypatch.delenv("PROBATION_RATINGS_DATA", raising=False)
    monkeypatch.setenv("PROBATION_RATINGS_DB", str(tmp_path / "shipped.duckdb"))
    at = run_app()
    assert not at.exception
    rows = (Path(APP).parent / "data" / "inspections.csv").read_text(encoding="utf-8").splitlines()
    assert metrics(at)["Inspections"] == str(len(rows) - 1) == "114"


def test_a_synthetic_database_is_labelled(monkeypatch, tmp_path, fixture_csv_dir):
    target = tmp_path / "synthetic.duckdb"
    db.build(fixture_csv_dir, target)
    con = duckdb.connect(str(target))
    con.execute("update dataset_info set synthetic = true")
    con.close()
    monkeypatch.setenv("PROBATION_RATINGS_DATA", str(fixture_csv_dir))
    monkeypatch.setenv("PROBATION_RATINGS_DB", str(target))
    at = run_app()
    assert at.caption[0].value.startswith("Source: **SYNTHETIC test data, not real ratings**.")


@pytest.mark.usefixtures("app_env")
def test_dates_in_the_url_keep_their_exact_days():
    at = run_app(**{"from": ["2022-03-15"]})
    assert at.slider(key="f_years").value == (2022, 2025)
    assert query_params(at) == {"from": ["2022-03-15"]}
    assert metrics(at) == expected_kpis([r for r in fx.INSPECTIONS if r[3] >= "2022-03-15"])
    assert (
        "Period from the link: published from 2022-03-15 (exact days). Moving the slider "
        "replaces it with whole years."
    ) in [c.value for c in at.sidebar.caption]
    # Moving the slider replaces the exact days with whole years.
    at.slider(key="f_years").set_value((2022, 2024)).run()
    assert query_params(at) == {"from": ["2022-01-01"], "to": ["2024-12-31"]}
    assert not [c.value for c in at.sidebar.caption if c.value.startswith("Period from")]


@pytest.mark.usefixtures("app_env")
def test_a_period_within_one_year_is_not_widened_to_the_year():
    at = run_app(**{"from": ["2024-06-15"], "to": ["2024-09-30"]})
    assert query_params(at) == {"from": ["2024-06-15"], "to": ["2024-09-30"]}
    assert at.slider(key="f_years").value == (2024, 2024)
    expected = [r for r in fx.INSPECTIONS if "2024-06-15" <= r[3] <= "2024-09-30"]
    assert metrics(at) == expected_kpis(expected)


@pytest.mark.usefixtures("app_env")
def test_a_period_after_the_data_shows_nothing_rather_than_the_last_year():
    at = run_app(**{"from": ["2030-01-01"]})
    assert query_params(at) == {"from": ["2030-01-01"]}
    assert metrics(at)["Inspections"] == "0"


@pytest.mark.usefixtures("app_env")
def test_without_chromium_image_buttons_explain_and_others_work(monkeypatch):
    monkeypatch.setattr(images, "chromium_path", lambda: None)
    at = run_app()
    assert not at.exception
    buttons = {}
    for b in at.get("download_button"):
        buttons.setdefault(b.proto.label, []).append(b.proto.disabled)
    assert set(buttons["Chart as PNG"]) == {True}
    assert set(buttons["Chart as SVG"]) == {True}
    assert set(buttons["Report (PDF)"]) == {True}
    for label in (
        "Interactive chart (HTML)",
        "Table as CSV",
        "Table as Excel",
        "Report (HTML, prints to A4)",
    ):
        assert set(buttons[label]) == {False}, label
    captions = [c.value for c in at.caption]
    assert (
        "Chart images and PDF need Chromium: install Debian's chromium (sudo apt-get install "
        "-y chromium), then restart. HTML, CSV and Excel work without it."
    ) in captions
    assert len(buttons["Chart as PNG"]) == 3  # one per chart of the open tab


@pytest.mark.usefixtures("app_env")
def test_modebar_image_name_carries_view_filters_and_date():
    at = run_app(region=["North"])
    configs = [json.loads(c.proto.config) for c in at.get("plotly_chart")]
    today = dt.date.today().isoformat()
    assert configs[0]["toImageButtonOptions"] == {
        "scale": 2,
        "filename": f"ratings-by-region_north_{today}",
    }

"""Charts mark values resting on fewer than 5 inspections and say so (issue 13, point 2)."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from analytics import charts
from analytics.analyses import breakdowns, units, viewspecs
from analytics.analyses.views import ViewOptions
from analytics.charts.common import small_note
from analytics.filters import Filters
from analytics.pipeline import db
from tests.expected import RATINGS, RI, G, I, O


def _trend(periods: dict[str, dict[str, int]]) -> pd.DataFrame:
    """A rating_trend table written by hand: period -> counts per rating."""
    rows = []
    for period, counts in periods.items():
        total = sum(counts.values())
        mean = sum({O: 3, G: 2, RI: 1, I: 0}[r] * n for r, n in counts.items()) / total
        for rating in RATINGS:
            n = counts.get(rating, 0)
            rows.append(
                {
                    "period": period,
                    "period_start": pd.Timestamp(f"{period}-01-01"),
                    "rating": rating,
                    "n": n,
                    "share": n / total,
                    "inspections": total,
                    "mean_points": mean,
                    "small_count": total < 5,
                }
            )
    return pd.DataFrame(rows)


# Each rating's colour at 45% over white, worked out by hand (e.g. Good #67a9cf: 0x67 = 103,
# 103 * 0.45 + 255 * 0.55 = 186.6 -> 0xbb).
FADED = {O: "#9bbada", G: "#bbd8e9", RI: "#fad6c7", I: "#dc97a0"}
FULL = {O: "#2166ac", G: "#67a9cf", RI: "#f4a582", I: "#b2182b"}

NO_EVENTS = pd.DataFrame(columns=["event_date", "date_text", "event"])


def _bars(fig) -> list:
    """The bar traces that draw data (the legend's entries are traces of their own)."""
    return [t for t in fig.data if t.type == "bar" and t.showlegend is False]


def _legend(fig) -> list[str]:
    return [t.name for t in fig.data if t.showlegend is not False and t.name]


def test_a_year_of_one_inspection_is_faded_hatched_and_named():
    df = _trend({"2020": {G: 2, RI: 3, I: 1}, "2021": {G: 1}})
    fig = charts.ratings_over_time_chart(df, NO_EVENTS)
    bars = _bars(fig)
    assert [t.name for t in bars] == list(RATINGS)
    # the legend shows each rating plain and explains the hatching
    assert _legend(fig) == [*RATINGS, "Fewer than 5 inspections", "Mean points (right axis)"]
    for bar in bars:
        assert list(bar.marker.color) == [FULL[bar.name], FADED[bar.name]]
        assert list(bar.marker.pattern.shape) == ["", "/"]
    mean = next(t for t in fig.data if t.name == "Mean points (right axis)")
    assert list(mean.marker.symbol) == ["diamond", "diamond-open"]
    # each period's count under its label
    assert list(fig.layout.xaxis.ticktext) == ["2020<br>n=6", "2021<br>n=1"]
    note = "Faded and hatched bars, open diamonds: fewer than 5 inspections (2021)."
    assert fig.layout.meta["note"] == note
    assert fig.layout.meta["alt"] == (
        "Ratings by year from 2020 to 2021: mean points went from 1.17 to 2.00; the highest "
        "share rated Inadequate was 17% in 2020. " + note
    )


def test_a_chart_without_small_counts_says_nothing_about_them():
    fig = charts.ratings_over_time_chart(_trend({"2020": {G: 2, RI: 3, I: 1}}), NO_EVENTS)
    assert fig.layout.meta["note"] == ""
    assert "fewer than" not in fig.layout.meta["alt"]
    assert all(list(t.marker.color) == [FULL[t.name]] for t in _bars(fig))
    assert _legend(fig) == [*RATINGS, "Mean points (right axis)"]


def test_standards_known_in_few_inspections_are_named(con):
    fig = charts.standards_chart(breakdowns.standard_breakdown(con, Filters()))
    # the fixture knows Leadership 3 times, Assessment twice, Unpaid and Victim work once
    assert fig.layout.meta["note"] == (
        "Faded and hatched: fewer than 5 inspections "
        "(Leadership, Assessment, Unpaid work, Victim work)."
    )
    bar = next(t for t in _bars(fig) if t.name == G)
    assert list(bar.y) == ["Leadership (n=3)", "Assessment (n=2)", "Unpaid work (n=1)"] + [
        "Victim work (n=1)"
    ]
    assert list(bar.marker.color) == [FADED[G]] * 4


def test_matrix_cells_of_few_ratings_are_faded_with_their_text_kept(con):
    fig = charts.region_standard_matrix_chart(breakdowns.region_standard_matrix(con, Filters()))
    main, faded, text = fig.data
    assert faded.opacity == 0.45 and main.opacity is None
    # the fixture's three known cells (all in the North) rest on 3, 2 and 1 ratings
    assert [v for row in main.z for v in row if pd.notna(v)] == []
    assert sorted(v for row in faded.z for v in row if pd.notna(v)) == [1.0, 1.0, 3.0]
    assert list(zip(text.x, text.y, text.text, strict=True)) == [
        ("Leadership", "North", "1.0<br>n=3"),
        ("Assessment", "North", "1.0<br>n=2"),
        ("Victim work", "North", "3.0<br>n=1"),
    ]
    assert fig.layout.meta["note"] == (
        "Faded cells: fewer than 5 inspections "
        "(Leadership in North, Assessment in North, Victim work in North)."
    )


def test_one_bar_of_one_inspection(con):
    fig = charts.ratings_chart(breakdowns.rating_distribution(con, Filters(regions=("South",))))
    assert fig.layout.meta["note"] == "Faded and hatched: fewer than 5 inspections (the whole bar)."


def test_benchmark_rows_of_peers_carry_their_count(con):
    df = units.unit_benchmark(con, Filters(), unit_type="PDU", unit_name="Alpha")
    fig = charts.unit_benchmark_chart(df, unit_label="Alpha (PDU)", unit_type="PDU")
    bar = next(t for t in _bars(fig) if t.name == RI)
    # each row says what it counts: the unit's latest; every PDU inspection or rating
    assert list(bar.y) == [
        "Overall · This unit (latest)",
        "Overall · Region<br>(4 PDU inspections)",
        "Overall · England and Wales<br>(5 PDU inspections)",
        "Leadership · This unit (latest)",
        "Leadership · Region<br>(3 PDU ratings)",
        "Leadership · England and Wales<br>(3 PDU ratings)",
        "Assessment · This unit (latest)",
        "Assessment · Region<br>(2 PDU ratings)",
        "Assessment · England and Wales<br>(2 PDU ratings)",
    ]
    # the region is named where the rows only say "Region": in the text and on hover
    assert (
        "Its region (North) and England and Wales count every inspection of a PDU"
        in (fig.layout.meta["alt"])
    )
    assert [c[3] for c in bar.customdata[:3]] == [
        "this unit (latest)",
        "North",
        "England and Wales",
    ]
    # the unit's own rating is never faded; the peers' five national Overall ratings are not few
    full, fade = FULL[RI], FADED[RI]
    assert list(bar.marker.color) == [full, fade, full, full, fade, fade, full, fade, fade]


def test_a_long_list_of_small_values_is_counted_not_listed():
    assert small_note([str(y) for y in range(2015, 2021)], noun="year") == (
        "Faded and hatched: fewer than 5 inspections (6 years)."
    )
    assert small_note(["2019", "2020"], noun="year") == (
        "Faded and hatched: fewer than 5 inspections (2019, 2020)."
    )
    assert small_note([], noun="year") == ""


def _luminance(colour: str) -> float:
    # WCAG 2.1 relative luminance of "#rrggbb"
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_chart_text_is_dark_enough_to_read_on_every_chart(con):
    # the page's theme painted axis text rgb(128,132,149): 3.72:1 on white, under WCAG AA's
    # 4.5:1. Every chart now sets its text colour itself, and the theme leaves what is set.
    from analytics.analyses import viewspecs
    from analytics.analyses.views import ViewOptions

    assert round(_contrast("#808495", "#ffffff"), 2) == 3.72  # the theme's grey: too light
    options = {
        "unit-timeline": ViewOptions(unit_type="PDU", unit_name="Alpha"),
        "unit-benchmark": ViewOptions(unit_type="PDU", unit_name="Alpha"),
        "compare": ViewOptions(compare=(("PDU", "Alpha"), ("CRC", "Old One"))),
    }
    seen = {}
    for name in viewspecs.CHART_VIEWS:
        fig = viewspecs.build_view(con, name, Filters(), options.get(name)).figure
        layout = fig.layout
        # (the title is the page's heading and the image's title block: not drawn here)
        colours = {"font": layout.font.color, "legend": layout.legend.font.color}
        axes = [k for k in layout.to_plotly_json() if k.startswith(("xaxis", "yaxis"))]
        for axis in sorted({"xaxis", "yaxis", *axes}):
            if layout[axis].visible is not False:
                colours[f"{axis} ticks"] = layout[axis].tickfont.color
                if layout[axis].title.text:
                    colours[f"{axis} title"] = layout[axis].title.font.color
        for trace in fig.data:
            if trace.type == "heatmap" and trace.showscale is not False:
                colours["colour bar"] = trace.colorbar.tickfont.color
        seen[name] = {part: round(_contrast(c, "#ffffff"), 1) for part, c in colours.items()}
    assert all(ratio >= 4.5 for parts in seen.values() for ratio in parts.values()), seen
    assert seen["ratings-over-time"] == {
        "font": 12.5,
        "legend": 12.5,
        "xaxis ticks": 12.5,
        "yaxis ticks": 12.5,
        "yaxis title": 12.5,
        "yaxis2 ticks": 12.5,
    }


# Every view with a chart, on the shipped data, in the ways the dashboard asks for it.
_UNIT = ViewOptions(unit_type="PDU", unit_name="Sheffield")
_COMPARED = ViewOptions(compare=(("PDU", "Sheffield"), ("PDU", "Kirklees"), ("Region", "Wales")))
_FIGURE_CASES = [
    (name, filters, options)
    for name in viewspecs.CHART_VIEWS
    for filters in (
        Filters(),
        Filters(regions=("London", "Wales")),
        Filters(date_from=dt.date(2021, 6, 1), include_approximate=False),
        Filters(date_from=dt.date(2030, 1, 1)),
    )
    for options in (
        [_COMPARED]
        if name in viewspecs.COMPARE_VIEWS
        else [_UNIT, ViewOptions()]
        if name == viewspecs.STANDARDS.name
        else [_UNIT]
        if name in viewspecs.UNIT_VIEWS
        else [ViewOptions(), ViewOptions(freq="quarter", as_share=False)]
    )
]


def test_every_views_figure_is_the_one_plotly_checks(shipped_db):
    """Figures are built without Plotly's checks (analytics/charts/common.py layout): built
    again from their JSON with every property checked, each is the same figure.
    """
    con = db.connect(shipped_db)
    built = 0
    for name, filters, options in _FIGURE_CASES:
        figure = viewspecs.build_view(con, name, filters, options).figure
        checked = go.Figure(figure.to_dict())  # raises on a property Plotly does not know
        assert json.loads(pio.to_json(figure)) == json.loads(pio.to_json(checked)), name
        built += 1
    assert built == 68


def _history(dates: list[str], ratings: list[str], bases: list[str]) -> pd.DataFrame:
    """A unit's overall ratings as ``unit_history`` gives them (points from the rating)."""
    points = {"Outstanding": 3, "Good": 2, "Requires improvement": 1, "Inadequate": 0}
    return pd.DataFrame(
        {
            "item": "Overall",
            "published_date": pd.to_datetime(dates),
            "points": [points[r] for r in ratings],
            "rating": ratings,
            "date_basis": bases,
            "published": [d[:7] for d in dates],
        }
    )


def test_a_unit_timelines_legend_is_grey_and_its_labels_alternate():
    # four inspections months apart, the third's date approximate (given out of date order)
    history = _history(
        ["2024-03-01", "2023-06-01", "2023-10-01", "2024-02-01"],
        ["Good", "Outstanding", "Outstanding", "Requires improvement"],
        ["stated", "stated", "stated", "derived"],
    )
    fig = charts.unit_timeline_chart(history, unit_label="Alpha (PDU)")
    legend = [(t.name, t.marker.symbol, t.marker.color) for t in fig.data if t.showlegend is None]
    # not a rating's colour: a red "stated date" read as "the Inadequate ones"
    assert legend == [
        ("Stated date", "circle", "#555555"),
        ("Approximate date", "circle-open", "#555555"),
    ]
    placed = {
        pd.Timestamp(x).date(): (label, at)
        for t in fig.data
        if t.mode == "markers+text"
        for x, label, at in zip(t.x, t.text, t.textposition, strict=True)
    }
    assert [placed[d] for d in sorted(placed)] == [
        ("Outstanding", "top center"),
        ("Outstanding", "bottom center"),
        ("Requires improvement", "top center"),
        ("Good", "bottom center"),
    ]
    only_stated = _history(["2022-05-01"], ["Inadequate"], ["stated"])
    fig = charts.unit_timeline_chart(only_stated, unit_label="Beta (PDU)")
    assert [t.name for t in fig.data if t.showlegend is None] == ["Stated date"]

"""Exports (analytics/export/): charts as PNG, SVG and HTML (one Chromium, Plotly's own template,
every label inside the picture), and the report as HTML and PDF.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest

from analytics.analyses import viewspecs
from analytics.analyses.views import ViewOptions
from analytics.errors import ExportError, ExportUnavailableError
from analytics.export import context, images, reports, tables
from analytics.filters import Filters

TODAY = dt.date(2026, 11, 28)


@pytest.fixture(scope="module")
def region_view(con):
    filters = Filters(unit_types=("PDU",))
    view = viewspecs.build_view(con, "ratings-by-region", filters)
    return view, context.context_for(con, view.title, filters, today=TODAY)


def test_png_image(region_view):
    view, ctx = region_view
    png = images.figure_image(view.figure, ctx, "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    # 120 px for the title, filters and source above the chart; 20 more for the small-count note
    assert (width, height) == (2200, 2 * (view.figure.layout.height + 140))
    assert len(png) > 20_000


def test_svg_image_carries_title_filters_source_and_date(region_view):
    view, ctx = region_view
    svg = images.figure_image(view.figure, ctx, "svg")
    root = ET.fromstring(svg)
    text = " ".join(t for t in root.itertext())
    assert "Overall ratings by region" in text
    assert "Filters: type PDU" in text
    # the fixture's PDUs: 1 inspection in the South, 4 in the North
    assert "Faded and hatched: fewer than 5 inspections (South, North)." in text
    assert (
        "Source: HM Inspectorate of Probation ratings compiled from public HMIP pages. Licence: "
        "Open Government Licence v3.0. Generated 2026-11-28."
    ) in text


def test_html_chart_is_self_contained(region_view):
    view, ctx = region_view
    page = images.figure_html(view.figure, ctx).decode("utf-8")
    assert page.startswith("<!doctype html>\n<html>")
    assert "Overall ratings by region" in page and "type PDU" in page
    assert re.findall(r"<script[^>]+src=", page) == []  # plotly.js is inlined, nothing fetched


def test_report_names_filters_and_holds_every_chart_and_table(con):
    filters = Filters(regions=("North",))
    report = reports.build_report(con, filters, today=TODAY)
    # ratings, by region, regions map, over time, standards, matrix, rating changes
    assert report.count("<img alt=") == 7
    assert report.count("data:image/png;base64,") == 7
    assert "<p class='meta'>Filters: region North<br>" in report
    for label, value in [
        ("Inspections", "5"),
        ("Units", "3"),
        ("Inadequate", "40%"),
        ("Requires improvement", "40%"),
        ("Good or better", "20%"),
    ]:
        assert f"<div class='label'>{label}</div><div class='value'>{value}</div>" in report
    for title in [
        "Overall ratings by region",
        "Overall ratings by year",
        "Latest rating of every unit",
        "Inspections",
        "Sources and licence",
    ]:
        assert f"<h2>{title}</h2>" in report
    assert "@page { size: A4;" in report
    # the ratings: header + 4; appendix: league, header + 3 units; inspections, header + 5
    assert report.count("<tr") == 1 + 4 + 1 + 3 + 1 + 5
    assert report.index("<h2>Overall ratings</h2>") < report.index("Appendix")
    assert report.index("Appendix") < report.index("<h2>Latest rating of every unit</h2>")


def test_report_escapes_text_from_the_data(con):
    report = reports.build_report(con, Filters(units=("<script>alert(1)</script>",)), today=TODAY)
    assert "<script>alert(1)</script>" not in report
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in report


def test_report_pdf(con):
    pdf = reports.report_pdf(reports.build_report(con, Filters(), today=TODAY))
    assert pdf.startswith(b"%PDF-")
    assert len(pdf) > 20_000


def test_images_made_at_once_by_many_sessions_each_get_their_own_chart(con):
    # Streamlit runs each session's download in its own thread, all sharing one Chromium.
    regions = ["North", "South", "North", "South", "North", "South"]

    def svg_text(region: str) -> str:
        filters = Filters(regions=(region,))
        view = viewspecs.build_view(con, "ratings-by-region", filters)
        ctx = context.context_for(con, view.title, filters, today=TODAY)
        return " ".join(ET.fromstring(images.figure_image(view.figure, ctx, "svg")).itertext())

    with concurrent.futures.ThreadPoolExecutor(max_workers=len(regions)) as pool:
        texts = list(pool.map(svg_text, regions))
    assert [f"Filters: region {r} " in t for r, t in zip(regions, texts, strict=True)] == [True] * 6


def test_an_image_not_ready_in_time_fails_clearly_and_the_next_one_works(region_view):
    view, ctx = region_view
    images.figure_image(view.figure, ctx, "svg")  # Chromium running
    with pytest.raises(ExportError) as info:
        images.figure_image(view.figure, ctx, "png", timeout_s=0.001)
    assert str(info.value) == "the chart image was not ready within 0.001 s"
    assert images.figure_image(view.figure, ctx, "png")[:8] == b"\x89PNG\r\n\x1a\n"


def test_without_chromium_images_explain_and_the_rest_works(con, monkeypatch, region_view):
    view, ctx = region_view
    monkeypatch.setattr(images, "chromium_path", lambda: None)
    monkeypatch.setattr(images, "_RENDERER", images._ImageRenderer())  # not the warm one
    with pytest.raises(ExportUnavailableError) as info:
        images.figure_image(view.figure, ctx, "png")
    assert str(info.value) == (
        "Chart images and PDF need Chromium: install Debian's chromium "
        "(sudo apt-get install -y chromium), then restart"
    )
    with pytest.raises(ExportUnavailableError):
        reports.report_pdf("<html></html>")
    report = reports.build_report(con, Filters(), today=TODAY)
    assert report.count("<img alt=") == 0
    assert "Charts are interactive: Chart images and PDF need Chromium" in report
    assert report.count('class="plotly-graph-div"') == 7
    assert images.figure_html(view.figure, ctx).startswith(b"<!doctype html>")
    assert tables.table_csv(view.table)


@pytest.mark.parametrize(
    ("view", "options", "filters", "said"),
    [
        (
            "compare",
            ViewOptions(compare=(("PDU", "Alpha"), ("CRC", "Old One"))),
            Filters(),
            "2 units compared: Alpha (PDU), Old One (CRC)",
        ),
        (
            "compare-peers",
            ViewOptions(compare=(("PDU", "Alpha"), ("CRC", "Old One"))),
            Filters(date_from=dt.date(2020, 1, 1)),
            "2 units compared: Alpha (PDU), Old One (CRC); published from 2020",
        ),
        (
            "unit-timeline",
            ViewOptions(unit_type="PDU", unit_name="Alpha"),
            # only the period applies to a unit: a region filter is not said
            Filters(regions=("South",), date_to=dt.date(2024, 12, 31)),
            "Alpha (PDU); published up to 2024",
        ),
        ("ratings", None, Filters(regions=("North",)), "region North"),
        ("ratings", None, Filters(), "all inspections"),
    ],
)
def test_an_exported_chart_says_which_units_it_is_of(con, view, options, filters, said):
    built = viewspecs.build_view(con, view, filters, options)
    ctx = context.context_for(con, built.title, filters, today=TODAY, selection=built.selection)
    assert ctx.filters_text == said
    # named units are said as they are; a selection is called filters
    line = said if options else f"Filters: {said}"
    assert ctx.selection_line == line
    if built.figure is not None:
        title = images.decorate(built.figure, ctx).layout.title.text
        assert f"<span style='font-size:12px'>{line}</span>" in title


def test_a_long_title_block_is_wrapped_inside_the_image_and_the_plot_moves_down(con):
    # six compared units' names ran off the image's right edge in one line
    units = tuple(("PDU", f"A unit with a long name number {i}, in full") for i in range(6))
    ctx = context.context_for(
        con,
        "Compared",
        Filters(),
        today=TODAY,
        selection="6 units compared: " + ", ".join(f"{n} ({t})" for t, n in units),
    )
    short = context.context_for(con, "Compared", Filters(), today=TODAY)
    fig = viewspecs.build_view(con, "ratings", Filters(), None).figure
    wrapped, plain = images.decorate(fig, ctx), images.decorate(fig, short)
    lines = [re.sub(r"<[^>]+>", "", part) for part in wrapped.layout.title.text.split("<br>")]
    assert lines[0] == "Compared"
    assert max(len(line) for line in lines[1:]) <= 165
    assert " ".join(lines[1:4]) == ctx.filters_text  # every word kept, in order
    added = len(lines) - len(plain.layout.title.text.split("<br>"))
    # the selection's 310 characters take 3 lines of at most 150 where "Filters: all
    # inspections" took 1
    assert added == 2
    assert wrapped.layout.margin.t - plain.layout.margin.t == 2 * images.LINE_PX
    assert wrapped.layout.height - plain.layout.height == 2 * images.LINE_PX


def test_exported_charts_keep_plotlys_template_where_streamlit_is_loaded(region_view):
    # Importing Streamlit makes its template Plotly's default: without automargin, the
    # dashboard's chart images cut long axis labels at the left edge ("ands (n=7)")
    import plotly.io as pio
    import streamlit  # noqa: F401

    assert pio.templates.default == "streamlit"
    view, ctx = region_view
    decorated = images.decorate(view.figure, ctx)
    assert decorated.layout.template.layout.yaxis.automargin is True
    assert decorated.layout.template.layout.xaxis.automargin is True

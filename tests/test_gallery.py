"""The gallery on the shipped data, and what a person sees in its files: the reports' pages
(pdfplumber reads each character's place), the spreadsheets' headers and formats, the index.

What a browser sees in the charts (text inside the picture, title, legend and plot apart) is
tests/e2e/test_gallery_browser.py.
"""

from __future__ import annotations

import html
import html.parser
import re
import xml.etree.ElementTree as ET

import openpyxl
import pdfplumber
import pytest

from analytics import cli
from analytics.export import gallery
from analytics.filters import Filters

# The gallery's views of the shipped data, in order, as its index names them.
SCENES = [
    ("everything", "Everything"),
    ("region", "One region: Yorkshire and the Humber"),
    ("unit-long-name", "One unit with a long name: Leicester, Leicestershire and Rutland (PDU)"),
    (
        "unit-one-inspection",
        "A unit with one inspection: Hammersmith, Fulham, Kensington, Chelsea and Westminster (PDU)",
    ),
    ("compare", "6 units with long names compared"),
    (
        "domains",
        "The Domains tab with a standards filter: Court work, Assessment, Planning, "
        "Implementation and delivery, Reviewing",
    ),
]
# Pages of each report, counted by looking at them (pdftoppm): a unit's or a comparison's brief
# is at most 3; a selection's has an appendix of every unit's latest rating and the inspections.
PAGES = {
    "everything": 12,
    "region": 6,
    "unit-long-name": 2,
    "unit-one-inspection": 2,
    "compare": 2,
    "domains": 11,
}
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
MACHINE_WORDS = re.compile(r"\b(True|False|None|nan|NaN|NaT)\b")
URL = re.compile(r"https?://\S+")


class _Index(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.h2: list[str] = []
        self.refs: list[str] = []
        self._in_h2 = False

    def handle_starttag(self, tag, attrs):
        self._in_h2 = tag == "h2"
        self.refs += [v for k, v in attrs if k in ("href", "src") and not v.startswith("#")]

    def handle_data(self, data):
        if self._in_h2:
            self.h2.append(data)
            self._in_h2 = False


def test_the_gallery_writes_every_export_of_each_view_and_an_index_linking_them(gallery_dir):
    files = sorted(p.name for p in gallery_dir.iterdir())
    # 7 charts (PNG, SVG, HTML, CSV, Excel) and 2 tables (CSV, Excel) for everything and for a
    # region; 3 charts for each unit; the comparison's chart and its peers' table; the Domains
    # tab's 2 charts; a report (HTML, PDF) each; the index
    assert len(files) == 41 + 41 + 17 + 17 + 9 + 12 + 1
    assert [n for n in files if not n.startswith(tuple(s for s, _ in SCENES))] == ["index.html"]
    assert [n for n in files if n.endswith(".part")] == []
    index = _Index()
    index.feed((gallery_dir / "index.html").read_text(encoding="utf-8"))
    assert index.h2 == [title for _, title in SCENES]
    assert sorted(set(index.refs)) == [n for n in files if n != "index.html"]


def test_every_report_pdf_stays_inside_its_pages_and_speaks_plain_words(gallery_dir):
    for slug, pages in PAGES.items():
        with pdfplumber.open(gallery_dir / f"{slug}_report.pdf") as pdf:
            assert len(pdf.pages) == pages, slug
            outside = [
                (page.page_number, c["text"])
                for page in pdf.pages
                for c in page.chars
                if c["x0"] < 0 or c["x1"] > page.width or c["top"] < 0 or c["bottom"] > page.height
            ]
            assert outside == [], slug
            text = "\n".join(page.extract_text() or "" for page in pdf.pages)
        words = URL.sub("", text)
        assert SNAKE.findall(words) == [], slug
        assert MACHINE_WORDS.findall(words) == [], slug


def _tables(path) -> list[list[list[str]]]:
    """Every table of a PDF as a person reads it: a wrapped cell joined again (an address
    without the breaks the page put in it).
    """
    with pdfplumber.open(path) as pdf:
        found = [t for page in pdf.pages for t in page.extract_tables()]
    return [
        [
            [(c or "").replace("\n", "" if (c or "").startswith("http") else " ") for c in row]
            for row in table
        ]
        for table in found
    ]


def _tiles(report: str) -> list[tuple[str, str]]:
    return re.findall(r"<div class='label'>([^<]*)</div><div class='value'>([^<]*)</div>", report)


def test_a_units_report_is_its_brief(gallery_dir):
    with pdfplumber.open(gallery_dir / "unit-long-name_report.pdf") as pdf:
        first = " ".join(pdf.pages[0].extract_text().split())
    assert first.startswith(
        "Leicester, Leicestershire and Rutland (PDU): inspection ratings Leicester, "
        "Leicestershire and Rutland (PDU) Source: HM Inspectorate of Probation ratings"
    )
    # the tiles as the page's header shows them: latest, published, months since, previous
    assert "Latest rating Published Months since Previous rating Inspections" in first
    assert "Inadequate 2025-05 19 (approx.) Inadequate 2" in first
    assert first.index("overall rating at each inspection") < first.index("Ratings by standard")
    assert "No standard-level ratings are known for the selected inspections." in first
    assert first.index("Ratings by standard") < first.index("against its region and England")
    # its inspections under plain headers, dates as the page shows them, then the figures
    assert _tables(gallery_dir / "unit-long-name_report.pdf") == [
        [
            ["Published", "Rating", "Score", "Score out of", "Source"],
            [
                "2023-02-09",
                "Inadequate",
                "2",
                "27",
                "https://hmiprobation.justiceinspectorates.gov.uk/?p=1458",
            ],
            [
                "2025-05",
                "Inadequate",
                "",
                "",
                "https://hmiprobation.justiceinspectorates.gov.uk/news/considerable-challenges-"
                "remain-as-leicester-leicestershire-and-rutland-pdu-rated-inadequate",
            ],
        ],
        [
            ["Published", "Figure", "Value", "Source"],
            [
                "2025-05",
                "Recommendations",
                "6",
                "https://feeds.bbci.co.uk/news/articles/clyzd1km22zo",
            ],
        ],
    ]


def test_a_unit_whose_reports_state_no_figure_says_so(gallery_dir):
    # data/report_figures.csv has no row for Hammersmith, Fulham, Kensington, Chelsea and
    # Westminster's one inspection (2022-10-18)
    with pdfplumber.open(gallery_dir / "unit-one-inspection_report.pdf") as pdf:
        text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    assert (
        "Figures its reports state Not stated: no page in this data states a figure "
        "(recommendations, shares of cases sufficient) about its reports in the period."
    ) in text


def test_a_comparisons_report_is_its_brief(gallery_dir):
    report = (gallery_dir / "compare_report.html").read_text(encoding="utf-8")
    assert _tiles(report) == [
        ("Units compared", "6"),
        ("Inspections", "9"),
        ("Latest Inadequate", "2 of 6"),
        ("Latest Requires improvement", "4 of 6"),
        ("Latest Good or better", "0 of 6"),
    ]
    with pdfplumber.open(gallery_dir / "compare_report.pdf") as pdf:
        text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    assert text.startswith("Units compared 6 units compared: Bedfordshire, Northamptonshire,")
    assert (
        "Of the 6 units compared, the latest overall ratings are 2 Inadequate, 4 Requires "
        "improvement." in text
    )
    assert "Appendix" not in text
    tables = _tables(gallery_dir / "compare_report.pdf")
    # the side-by-side table runs over two pages, its header repeated
    units = [
        "Measure",
        "Bedfordshire, Northamptonshire, Cambridgeshire and Hertfordshire (CRC)",
        "Hammersmith, Fulham, Kensington, Chelsea and Westminster (PDU)",
        "Derbyshire, Leicestershire, Nottinghamshire and Rutland (CRC)",
        "Bristol, Gloucestershire, Somerset and Wiltshire (CRC)",
        "Humberside, Lincolnshire and North Yorkshire (CRC)",
        "Leicester, Leicestershire and Rutland (PDU)",
    ]
    assert [t[0] for t in tables[:2]] == [units, units]
    rows = {r[0]: r[1:] for t in tables[:2] for r in t[1:]}
    assert rows["Latest overall rating"] == [
        "Requires improvement",
        "Inadequate",
        "Requires improvement",
        "Requires improvement",
        "Requires improvement",
        "Inadequate",
    ]
    assert rows["Published"] == [
        "2019-05-03",
        "2022-10-18",
        "2020-03 (approx.)",
        "2019-09-26",
        "2020-05",
        "2025-05",
    ]
    # what their latest reports state: from data/report_figures.csv, only Leicester,
    # Leicestershire and Rutland's 2025-05 report has a figure (6 recommendations, per the BBC)
    assert tables[2] == [
        ["Unit", "Published", "Figure", "Value", "Source"],
        [units[1], "2019-05-03", "—", "not stated", ""],
        [units[2], "2022-10-18", "—", "not stated", ""],
        [units[3], "2020-03 (approx.)", "—", "not stated", ""],
        [units[4], "2019-09-26", "—", "not stated", ""],
        [units[5], "2020-05", "—", "not stated", ""],
        [
            units[6],
            "2025-05",
            "Recommendations",
            "6",
            "https://feeds.bbci.co.uk/news/articles/clyzd1km22zo",
        ],
    ]
    assert tables[3] == [
        [
            "Region or country",
            "Outstanding",
            "Good",
            "Requires improvement",
            "Inadequate",
            "Inspections",
            "Note",
        ],
        ["London", "0% (0)", "0% (0)", "33% (2)", "67% (4)", "6", ""],
        ["East Midlands", "0% (0)", "0% (0)", "25% (2)", "75% (6)", "8", ""],
        ["England and Wales", "0% (0)", "3% (3)", "58% (58)", "39% (39)", "100", ""],
    ]


def test_every_spreadsheet_is_for_people(gallery_dir):
    shares = {"Share", "Share Inadequate", "Share Good or better", "Share with this standard known"}
    books = sorted(gallery_dir.glob("*.xlsx"))
    assert len(books) == 2 * 9 + 2 * 3 + 2 + 2
    seen_shares = 0
    for path in books:
        book = openpyxl.load_workbook(path)
        assert book.sheetnames == ["About", "Data"], path.name
        about = [row[0] for row in book["About"].iter_rows(max_row=9, values_only=True)]
        assert about == [
            "View",
            "Filters",
            "Source",
            "Licence",
            "Made on",
            "Rows",
            "Small counts",
            "Blank cells",
            "Shares",
        ], path.name
        data = book["Data"]
        headers = [c.value for c in data[1]]
        assert [h for h in headers if "_" in h] == [], path.name
        assert data.freeze_panes == "A2"
        for i, header in enumerate(headers):
            if header in shares and data.max_row > 1:
                formats = {data.cell(r, i + 1).number_format for r in range(2, data.max_row + 1)}
                formats.discard("General")  # a blank share (0 of 0) has no number
                assert formats <= {"0%"}, (path.name, header)
                seen_shares += bool(formats)
    assert seen_shares > 20


def test_the_gallerys_views_follow_the_rules_on_other_data(con):
    # the literal fixture: the region with most inspections, the longest names (ties by name),
    # PDUs for the one-unit views
    scenes = gallery.scenes(con)
    assert [(s.slug, s.title) for s in scenes] == [
        ("everything", "Everything"),
        ("region", "One region: North"),
        ("unit-long-name", "One unit with a long name: Alpha (PDU)"),
        ("unit-one-inspection", "A unit with one inspection: Gamma (PDU)"),
        ("compare", "6 units with long names compared"),
        (
            "domains",
            "The Domains tab with a standards filter: Court work, Assessment, Planning, "
            "Implementation and delivery, Reviewing",
        ),
    ]
    assert scenes[4].options.compare == (
        ("National", "England and Wales"),
        ("NPS division", "Old Div"),
        ("CRC", "Old One"),
        ("PDU", "Alpha"),
        ("PDU", "Gamma"),
        ("Region", "North"),
    )
    assert scenes[5].filters == Filters(standards=gallery.CASE_SUPERVISION)


def test_the_gallery_refuses_a_file_as_its_folder(fixture_db, tmp_path, capsys):
    target = tmp_path / "taken"
    target.write_text("mine")
    assert cli.main(["gallery", "--db", str(fixture_db), "--out", str(target)]) == 2
    assert capsys.readouterr().err == f"error: {target} is not a folder\n"
    assert target.read_text() == "mine"


@pytest.mark.parametrize("slug", ["unit-long-name", "compare"])
def test_the_report_html_says_what_the_pdf_says(gallery_dir, slug):
    page = (gallery_dir / f"{slug}_report.html").read_text(encoding="utf-8")
    with pdfplumber.open(gallery_dir / f"{slug}_report.pdf") as pdf:
        text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    for heading in re.findall(r"<h2[^>]*>([^<]+)</h2>", page):
        assert " ".join(html.unescape(heading).split()) in text


def test_the_trend_image_says_what_its_numbered_events_are(gallery_dir):
    svg = ET.fromstring((gallery_dir / "everything_ratings-over-time.svg").read_bytes())
    text = " ".join(" ".join(svg.itertext()).split())
    # the shipped events.csv, in date order, as numbered on the chart
    assert (
        "Events: 1 2018-04: HMI Probation starts rating every Community Rehabilitation Company "
        "and National Probation Service division each year; 2 2020-03: Inspection programme "
        "suspended because of Covid-19; 3 2021-06-26: Probation services unified:"
    ) in text
    assert "5 2025-10: Core adult probation inspection programme paused for six months" in text

"""Text from a URL, a file or the data reaches the page as plain text (AppTest): escaped once
where it enters Markdown, links built by code from checked addresses, every URL parameter that
is not understood named in a warning, and a journal entry that no longer builds shown as a
clear page.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from analytics.export import tables
from analytics.pipeline import db, readers
from tests import fixture_data as fx
from tests.apptest import metrics, open_download_menus, plain, query_params, run_app
from tests.import_files import write_bad_entry
from tests.test_add_inspections import app_env  # noqa: F401 -- the fixture, shared
from ui import keyboard, reconnect
from ui.state import TOO_MANY_PARAMS_CHECK
from ui.style import PAGE_CSS
from ui.text import md_escape, md_link

pytestmark = pytest.mark.usefixtures("clean_streamlit_caches")

HEADER = ",".join(readers.IMPORT_COLUMNS)
NEW = "PDU,Gamma,South,2025-06-01,stated,2025-03,Inadequate,,,https://example.org/gamma-2025"


@pytest.mark.usefixtures("app_env")
def test_markdown_in_a_link_is_escaped_where_it_enters_the_warning():
    at = run_app(region=["![t](http://host/pixel.png)"])
    assert [w.value for w in at.warning] == [
        "Ignored in the link: unknown region \\'\\!\\[t\\]\\(http\\:\u2060\\/\\/host\\/pixel\\.png\\)\\' "
        "\\(allowed\\: North\\, South\\)"
    ]


@pytest.mark.usefixtures("app_env")
def test_a_phishing_link_in_the_url_reads_as_the_text_it_is():
    at = run_app(unit_type=["x'. **[Sign in again](https://evil.example/)**"])
    (warning,) = at.warning
    assert plain(warning.value) == (
        "Ignored in the link: unknown unit_type 'x'. **[Sign in again](https://evil.example/)**' "
        "(allowed: PDU, Region, National, CRC, NPS division)"
    )
    assert "](" not in warning.value and "**" not in warning.value


@pytest.mark.usefixtures("app_env")
def test_unknown_parameters_and_tabs_are_named():
    at = run_app(colour=["red"], tab=["Secrets"])
    assert [plain(w.value) for w in at.warning] == [
        # the filters, the tab, the compared units, then the page's choices a link carries
        "Ignored in the link: unknown parameter 'colour' (allowed: region, unit_type, rating, "
        "unit, standard, from, to, approximate, tab, compare, overview_measure, trend_freq, "
        "trend_measure, unit_pick, league_older, … (17 in all))",
        "Ignored in the link: unknown tab 'Secrets' (allowed: Overview, Trends, Domains, Units, "
        "Compare, Data, About); showing Overview",
    ]


@pytest.mark.usefixtures("app_env")
def test_a_link_of_many_values_reads_200_and_warns_ten_times_then_counts():
    at = run_app(region=[f"Atlantis {i}" for i in range(250)])
    warnings = [plain(w.value) for w in at.warning]
    assert (
        warnings[0] == "Ignored in the link: 'region' given 250 times; only the first 200 are read"
    )
    assert warnings[1] == (
        "Ignored in the link: unknown region 'Atlantis 0' (allowed: North, South)"
    )
    assert warnings[10:] == ["Ignored in the link: 191 more values."]
    assert len(warnings) == 11


@pytest.mark.usefixtures("app_env")
def test_a_session_started_without_parameters_checks_for_a_dropped_link():
    """Over 1,000 parameters Streamlit hands the script none: a fixed snippet counts them."""
    at = run_app()
    # every page also carries its layout rules (ui/style.py; a style-only snippet goes last), the
    # fixed reconnect watcher (ui/reconnect.py) and keyboard snippet (ui/keyboard.py), none with
    # anything from the link
    assert [h.proto.body for h in at.get("html")] == [
        TOO_MANY_PARAMS_CHECK.strip(),
        reconnect.SNIPPET.strip(),
        keyboard.SNIPPET.strip(),
        PAGE_CSS.strip(),
    ]
    assert [h.proto.body for h in run_app(tab=["Trends"]).get("html")] == [
        reconnect.SNIPPET.strip(),
        keyboard.SNIPPET.strip(),
        PAGE_CSS.strip(),
    ]


def test_links_are_built_only_from_checked_addresses():
    assert md_link("source", "https://example.org/a?b=1") == ("[source](https://example.org/a?b=1)")
    assert md_link("source", "https://x)![i](http://evil.example/p.png)") == (
        "no source recorded (an invalid address: https\\:\u2060\\/\\/x\\)\\!\\[i\\]\\(http\\:\u2060\\/\\/"
        "evil\\.example\\/p\\.png\\))"
    )
    assert md_link("source", None) == "no source recorded"


@pytest.mark.usefixtures("app_env")
def test_a_journal_entry_that_no_longer_builds_gives_a_clear_page():
    run_app()  # builds the database
    write_bad_entry(db.default_db_path())
    at = run_app()
    assert not at.exception
    assert [plain(e.value) for e in at.error] == [
        "The data files could not be loaded:\n\n- import-00001.json:2:score: 3000000000 is more "
        "than 2,147,483,647, the largest allowed here\n\nAn import no longer fits the data: take "
        "it out with `probation-ratings undo-import 1`."
    ]
    assert [w.value for w in at.warning] == [
        "Showing the database built before these files changed."
    ]
    assert metrics(at)["Inspections"] == str(len(fx.INSPECTIONS))


@pytest.mark.usefixtures("app_env")
def test_an_excel_download_over_the_limit_is_offered_as_csv(monkeypatch):
    monkeypatch.setitem(tables.MAX_ROWS, "xlsx", 3)
    at = open_download_menus(run_app(tab="Data"))
    excel = [b for b in at.get("download_button") if b.proto.label == "Table as Excel"]
    csv = [b for b in at.get("download_button") if b.proto.label == "Table as CSV"]
    assert [b.proto.disabled for b in excel] == [True]
    assert [b.proto.disabled for b in csv] == [False]
    message = (
        f"Excel downloads hold at most 3 rows and this table has {len(fx.INSPECTIONS)}: "
        "download it as CSV"
    )
    assert excel[0].proto.help == message
    assert message + "." in [c.value for c in at.caption]


@pytest.mark.usefixtures("app_env")
def test_a_csv_download_over_the_limit_is_refused_before_it_is_made(monkeypatch):
    """Its bytes would stay in the server for the session's life (1.3 GB at a million rows)."""
    monkeypatch.setitem(tables.MAX_ROWS, "csv", 9)
    made: list[int] = []
    real = tables.table_csv
    monkeypatch.setattr(tables, "table_csv", lambda df: made.append(len(df)) or real(df))
    at = open_download_menus(run_app(tab="Data"))
    csv = [b for b in at.get("download_button") if b.proto.label == "Table as CSV"]
    message = (
        f"CSV downloads hold at most 9 rows and this table has {len(fx.INSPECTIONS)}: for the "
        "whole data use `probation-ratings export-data` or `query league_table`"
    )
    assert [(b.proto.disabled, b.proto.help) for b in csv] == [(True, message)]
    assert made == []


# --- the admin page ----------------------------------------------------------------------------


def signed_in(monkeypatch) -> AppTest:
    monkeypatch.setenv("PROBATION_RATINGS_ADMIN_PASSWORD", "correct horse")
    at = run_app()
    at.switch_page("app_pages/add_inspections.py").run()
    at.text_input(key="admin_password").input("correct horse")
    at.button[0].click().run()
    return at


@pytest.mark.usefixtures("app_env")
def test_an_upload_name_and_its_problems_are_plain_text(monkeypatch):
    at = signed_in(monkeypatch)
    name = "**Sign in**[here](https://evil.example).csv"
    bad = HEADER + "\n" + NEW.replace("Inadequate", "[Awful](https://evil.example)") + "\n"
    at.file_uploader(key="import_file").upload(name, bad.encode(), "text/csv").run()
    (error,) = at.error
    assert error.value == (
        "\\*\\*Sign in\\*\\*\\[here\\]\\(https\\:\u2060\\/\\/evil\\.example\\)\\.csv was not imported: "
        "1 problem. Nothing was changed."
    )
    table = at.table[0].value
    assert table["problem"].tolist() == [
        "unknown value \\'\\[Awful\\]\\(https\\:\u2060\\/\\/evil\\.example\\)\\' \\(allowed\\: "
        "Outstanding\\, Good\\, Requires improvement\\, Inadequate\\)"
    ]


@pytest.mark.usefixtures("app_env")
def test_thousands_of_problems_show_the_first_1000_and_a_count(monkeypatch):
    at = signed_in(monkeypatch)
    bad = HEADER + "\n" + (NEW.replace("Inadequate", "Awful") + "\n") * 1500
    at.file_uploader(key="import_file").upload("bad.csv", bad.encode(), "text/csv").run()
    assert [plain(e.value) for e in at.error] == [
        "bad.csv was not imported: 1,500 problems. Nothing was changed."
    ]
    assert len(at.table[0].value) == 1000
    assert "... and 500 more problems (only the first 1,000 are listed)" in [
        plain(c.value) for c in at.caption
    ]


# A unit whose name is Markdown: a live link, a remote image and bold text if rendered as such.
HOSTILE = "Evil **[Sign in](https://evil.example/)** ![p](http://evil.example/p.png)"
RAW = ("](https://evil.example/)", "](http://evil.example/p.png)", "**[")
# Fields Streamlit shows as plain text (never Markdown): widget options and values, Plotly's
# JSON (unit names are HTML-escaped for it), a chart's alt text (its aria-label), table cells
# (Arrow bytes), ids and the like.
PLAIN_FIELDS = frozenset(
    {"options", "raw_values", "raw_value", "value", "default", "spec", "alt", "data", "id"}
    | {"form_id"}
)


@pytest.fixture
def hostile_env(monkeypatch, tmp_path):
    csv_dir = fx.write_csvs(
        tmp_path / "csv",
        {
            "units.csv": [*fx.UNITS, ("PDU", HOSTILE, "North", "")],
            "inspections.csv": [
                *fx.INSPECTIONS,
                (
                    "PDU",
                    HOSTILE,
                    "North",
                    "2023-05",
                    "stated",
                    "",
                    "Good",
                    "",
                    "",
                    "https://example.org/e",
                ),
                ("PDU", HOSTILE, "North", "2024-09-02", "stated", "", "Inadequate", "", "", ""),
            ],
            "standard_ratings.csv": [
                *fx.STANDARD_RATINGS,
                ("PDU", HOSTILE, "2024-09-02", "Leadership", "Inadequate"),
            ],
            "report_figures.csv": [
                *fx.REPORT_FIGURES,
                ("PDU", HOSTILE, "2024-09-02", "Recommendations", "4", "https://example.org/e2"),
            ],
        },
    )
    monkeypatch.setenv("PROBATION_RATINGS_DATA", str(csv_dir))
    monkeypatch.setenv("PROBATION_RATINGS_DB", str(tmp_path / "ratings.duckdb"))


def rendered_texts(at: AppTest) -> list[tuple[str, str, str]]:
    """(element type, field, text) of every string field of every element and block drawn,
    except the fields Streamlit shows as plain text.
    """
    found: list[tuple[str, str, str]] = []

    def walk_message(kind: str, message) -> None:
        for field, value in message.ListFields():
            if field.name in PLAIN_FIELDS:
                continue
            if field.type == field.TYPE_MESSAGE:
                for item in value if field.is_repeated else [value]:
                    walk_message(kind, item)
            elif field.type == field.TYPE_STRING:
                for text in value if field.is_repeated else [value]:
                    found.append((kind, field.name, text))

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            walk_message(type(node).__name__, proto)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


@pytest.mark.usefixtures("hostile_env")
@pytest.mark.parametrize(
    "tab", ["Overview", "Trends", "Domains", "Units", "Compare", "Data", "About"]
)
def test_a_hostile_unit_name_is_plain_text_in_every_label_help_caption_and_markdown(tab):
    """Every help=, tooltip, label, caption, alert and Markdown body on every tab, with the
    hostile unit picked, compared and selected, shows its name escaped (the Units tab's "Open
    Compare" help once rendered it as a live link and a remote image).
    """
    views = [
        run_app(tab=tab, compare=[HOSTILE, "Alpha"]),
        run_app(tab=tab, unit=[HOSTILE]),
    ]
    if tab == "Units":
        at = run_app(tab=tab, compare=[HOSTILE, "Alpha"])
        at.selectbox(key="unit_pick").set_value(f"{HOSTILE} (PDU)").run()
        views.append(at)
    for at in views:
        assert not at.exception
        assert [t for t in rendered_texts(at) if any(raw in t[2] for raw in RAW)] == []
    if tab == "Units":
        [open_compare] = [b for b in views[-1].button if b.key == "unit_pick_open_compare"]
        assert plain(open_compare.help) == f"In Compare (2 of 6): {HOSTILE} (PDU), Alpha (PDU)."
    if tab in ("Overview", "Units", "Compare", "Data"):  # the tabs that name units
        escaped = md_escape(HOSTILE)
        assert any(escaped in t[2] for at in views for t in rendered_texts(at))


@pytest.mark.usefixtures("app_env")
def test_a_parameter_that_takes_one_value_given_twice_says_which_is_used():
    at = run_app(
        tab=["Trends", "Units"], approximate=["exclude", "include"], to=["2023-12-31", "2024-12-31"]
    )
    assert [plain(w.value) for w in at.warning] == [
        "Ignored in the link: 'to' given 2 times; using the first",
        "Ignored in the link: 'approximate' given 2 times; using the first",
        "Ignored in the link: 'tab' given 2 times; using the last",
    ]
    assert at.session_state["tab"] == "Units"  # Streamlit's choice, as said
    assert query_params(at)["approximate"] == ["exclude"]

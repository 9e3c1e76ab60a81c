"""The data API and the feed (issue 28, point 4): the command line's bytes, a link's parsing and
messages, the data's version as ETag, one request limit for every process, valid Atom.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from xml.etree import ElementTree as ET  # noqa: S405 -- our own server's feed

import pytest

import analytics
from analytics import cli
from analytics.analyses import registry
from analytics.errors import ConfigurationError
from analytics.filter_fields import FILTER_PARAMS
from analytics.pipeline import db
from analytics.serving import api
from analytics.serving.throttle import RequestLimit, per_minute
from tests import fixture_data as fx
from tests import serve

AS_OF = "2026-01-01"  # months since the latest inspection, counted to a fixed day
ATOM = "{http://www.w3.org/2005/Atom}"


# Three questions for each analysis, as URL parameters and as `query` flags: everything; a
# region's PDUs with stated dates only; two years of low ratings. The units are named for the
# analyses of one unit (Sheffield) and of compared units (Sheffield and Kirklees).
FILTER_SETS = {
    "everything": ([], []),
    "a region's PDUs, stated dates": (
        [("region", "North East"), ("unit_type", "PDU"), ("approximate", "exclude")],
        ["--region", "North East", "--unit-type", "PDU", "--exclude-approximate"],
    ),
    "two years, low ratings": (
        [
            ("from", "2023-01-01"),
            ("to", "2024-12-31"),
            ("rating", "Inadequate"),
            ("rating", "Requires improvement"),
        ],
        [
            "--from",
            "2023-01-01",
            "--to",
            "2024-12-31",
            "--rating",
            "Inadequate",
            "--rating",
            "Requires improvement",
        ],
    ),
}


def _question(name: str, filters: str) -> tuple[list[tuple[str, str]], list[str]]:
    """The same question as URL parameters and as `query` flags."""
    analysis = registry.ANALYSES[name]
    items, flags = (list(part) for part in FILTER_SETS[filters])
    if analysis.needs_units:
        items += [("compare", "Sheffield"), ("compare", "Kirklees")]
        flags += ["--unit", "Sheffield", "--unit", "Kirklees"]
    elif analysis.needs_unit:
        # one unit: its own filters would only narrow it to nothing, so only the period applies
        items = [(k, v) for k, v in items if k in ("from", "to")] + [("unit", "Sheffield")]
        flags = [f for f in flags if f not in ("--rating", "Inadequate", "Requires improvement")]
        flags = flags if filters != "a region's PDUs, stated dates" else []
        items = items if filters != "a region's PDUs, stated dates" else [("unit", "Sheffield")]
        flags += ["--unit", "Sheffield"]
    if "as_of" in analysis.options:
        items.append(("as_of", AS_OF))
        flags += ["--as-of", AS_OF]
    if "freq" in analysis.options:
        items.append(("freq", "quarter"))
        flags += ["--freq", "quarter"]
    if "by" in analysis.options:
        items.append(("by", "unit_type"))
        flags += ["--by", "unit_type"]
    return items, flags


@pytest.fixture(scope="module")
def shipped_api(shipped_db):
    """The dashboard's server on the shipped data, its request limit raised for 126 questions."""
    process, url = serve.start(
        {"PROBATION_RATINGS_DB": str(shipped_db), "PROBATION_RATINGS_API_PER_MINUTE": "100000"},
        unset=("PROBATION_RATINGS_DATA",),
    )
    yield url
    serve.stop(process)


@pytest.mark.parametrize("filters", FILTER_SETS)
@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize("name", registry.CLI_ANALYSES)
def test_every_analysis_answers_with_the_command_lines_bytes(
    shipped_api, shipped_db, capsys, name, fmt, filters
):
    items, flags = _question(name, filters)
    assert cli.main(["query", name, "--format", fmt, "--db", str(shipped_db), *flags]) == 0
    printed = capsys.readouterr().out
    status, headers, body = _get(
        f"{shipped_api}/api/v1/{name}.{fmt}?{urllib.parse.urlencode(items)}"
    )
    assert (status, headers["content-type"]) == (200, api.FORMATS[fmt]), body
    assert body == printed
    assert len(printed) > 3  # a table, even if an empty one ("[]" or a header)


@pytest.mark.parametrize(
    ("path", "items", "status", "message"),
    [
        (
            "kpis.csv",
            [("region", "Atlantis")],
            400,
            "unknown region 'Atlantis' (allowed: North, South)",
        ),
        (
            "kpis.csv",
            [("colour", "red")],
            400,
            "unknown parameter 'colour' (allowed: region, unit_type, rating, unit, standard, from, "
            "to, approximate, by, freq, as_of, older_than, limit, compare)",
        ),
        (
            "kpis.csv",
            [("freq", "quarter")],
            400,
            "'freq' applies only to: rating_trend, trend_excluded",
        ),
        ("trend.json", [("freq", "decade")], 400, "unknown freq 'decade' (allowed: year, quarter)"),
        ("league.csv", [("limit", "ten")], 400, "'limit' must be a whole number, not 'ten'"),
        (
            "league.csv",
            [("as_of", "2026-13-01")],
            400,
            "'as_of' must be a date YYYY-MM-DD, not '2026-13-01'",
        ),
        ("unit_history.csv", [], 400, "'unit_history' needs exactly one 'unit' parameter"),
        ("compare.csv", [("compare", "Nowhere")], 400, "no unit named 'Nowhere'"),
        ("kpis.csv", [("compare", "Alpha")], 400, "'compare' applies only to the comparisons"),
        (
            "drop table.csv",
            [],
            404,
            "no such table: 'drop table.csv' (tables: "
            + ", ".join(registry.ANALYSES)
            + "; formats: csv, json)",
        ),
        (
            "kpis.xlsx",
            [],
            404,
            "no such table: 'kpis.xlsx' (tables: "
            + ", ".join(registry.ANALYSES)
            + "; formats: csv, json)",
        ),
    ],
)
def test_what_cannot_be_read_is_refused_naming_the_parameter(con, path, items, status, message):
    name, _, fmt = path.rpartition(".")
    with pytest.raises(api.Refused) as refused:
        api.answer_analysis(con, name, fmt, items)
    assert (refused.value.status, str(refused.value)) == (status, message)


@pytest.mark.parametrize("hostile", ["' OR 1=1 --", '"; DROP TABLE inspections; --'])
def test_hostile_values_never_reach_the_data(con, hostile):
    for param in FILTER_PARAMS:
        with pytest.raises(api.Refused) as refused:
            api.answer_analysis(con, "inspections", "csv", [(param, hostile)])
        assert refused.value.status == 400
        assert f"'{param}'" in str(refused.value) or f"{param} '" in str(refused.value)
    # the table is whole afterwards: the fixture's ten inspections
    assert con.execute("select count(*) from inspections").fetchone() == (10,)


def test_a_csv_answer_is_formula_safe(tmp_path):
    # a unit whose name a spreadsheet would run as a formula
    evil = '=HYPERLINK("http://evil.example","x")'
    csv_dir = fx.write_csvs(
        tmp_path / "csv",
        {
            "units.csv": [*fx.UNITS, ("PDU", evil, "North", "")],
            "inspections.csv": [
                *fx.INSPECTIONS,
                (
                    "PDU",
                    evil,
                    "North",
                    "2025-01-02",
                    "stated",
                    "",
                    "Good",
                    "",
                    "",
                    "https://example.org/evil",
                ),
            ],
        },
    )
    db.build(csv_dir, tmp_path / "r.duckdb")
    con = db.connect(tmp_path / "r.duckdb")
    try:
        answer = api.answer_analysis(con, "inspections", "csv", [("from", "2025-01-01")])
        raw = api.answer_analysis(con, "inspections", "json", [("from", "2025-01-01")])
    finally:
        con.close()
    assert "'=HYPERLINK(" in answer.body and "\n=HYPERLINK" not in answer.body
    assert '"unit_name": "=HYPERLINK(' in raw.body  # JSON is for programs: the name as it is


def test_the_feed_is_the_latest_inspections_as_atom(con):
    answer = api.answer_feed(con, [("region", "North")])
    assert answer.media_type == api.ATOM
    feed = ET.fromstring(answer.body.encode())  # noqa: S314 -- our own output
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    entries = feed.findall(f"{ATOM}entry")
    # tests/fixture_data.py, region North, newest first: Alpha 2024-11, the region 2024-07-01,
    # Beta 2024 (a year only), Beta 2022-05, Alpha 2022-02-10
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "Alpha (PDU): Requires improvement",
        "North (Region): Outstanding",
        "Beta (PDU): Inadequate",
        "Beta (PDU): Requires improvement",
        "Alpha (PDU): Inadequate",
    ]
    assert [e.findtext(f"{ATOM}published") for e in entries] == [
        "2024-11-01T00:00:00Z",
        "2024-07-01T00:00:00Z",
        "2024-01-01T00:00:00Z",
        "2022-05-01T00:00:00Z",
        "2022-02-10T00:00:00Z",
    ]
    assert entries[2].findtext(f"{ATOM}summary") == (
        "Beta (PDU) rated Inadequate, published 2024 (approximate date)."
    )
    assert [e.find(f"{ATOM}link").get("href") for e in entries][:2] == [
        "https://example.org/alpha-2024",
        "https://example.org/north",
    ]
    assert len({e.findtext(f"{ATOM}id") for e in entries}) == 5
    assert feed.findtext(f"{ATOM}updated") == "2024-11-01T00:00:00Z"
    with pytest.raises(api.Refused, match=r"unknown parameter 'rating' \(allowed: region, "):
        api.answer_feed(con, [("rating", "Good")])


def test_one_request_limit_for_every_process(tmp_path):
    now = [6000.0]  # the start of a clock minute
    # two processes serving one database: two limiters on the same file
    first, second = (
        RequestLimit(tmp_path / "r.duckdb", per_minute=3, clock=lambda: now[0]) for _ in range(2)
    )
    assert [first.attempt("10.0.0.1")[0], second.attempt("10.0.0.1")[0]] == [True, True]
    assert first.attempt("10.0.0.1") == (True, 0.0)
    now[0] = 6020.0
    assert second.attempt("10.0.0.1") == (False, 40.0)  # the fourth in this minute
    assert first.attempt("10.0.0.2") == (True, 0.0)  # another client counts on its own
    now[0] = 6060.0
    assert second.attempt("10.0.0.1") == (True, 0.0)  # a new minute


def _get(url: str, headers: dict[str, str] | None = None):
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 -- local
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 -- local
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        with error:  # its socket closed, not left to the collector
            return error.code, dict(error.headers), error.read().decode()


def test_the_served_api_answers_caches_and_refuses(fixture_csv_dir, tmp_path, capsys):
    db_path = tmp_path / "r.duckdb"
    db.build(fixture_csv_dir, db_path)  # as `probation-ratings serve` does before it serves
    process, url = serve.start(
        {"PROBATION_RATINGS_DB": str(db_path), "PROBATION_RATINGS_DATA": str(fixture_csv_dir)}
    )
    try:
        status, headers, body = _get(f"{url}/api/v1/kpis.csv?region=North")
        code = cli.main(
            ["query", "kpis", "--format", "csv", "--db", str(db_path), "--region", "North"]
        )
        printed = capsys.readouterr()
        assert (code, status, body) == (0, 200, printed.out), printed.err
        assert headers["content-type"] == "text/csv; charset=utf-8"
        tag = f'"{db.read_info(db_path).content_hash}-{analytics.__version__}"'
        assert headers["etag"] == tag
        assert _get(f"{url}/api/v1/kpis.csv?region=North", {"If-None-Match": tag})[0] == 304
        assert _get(f"{url}/api/v1/kpis.csv?region=Atlantis")[:3:2] == (
            400,
            "unknown region 'Atlantis' (allowed: North, South)\n",
        )
        status, headers, body = _get(f"{url}/feed.atom?unit_type=PDU")
        assert (status, headers["content-type"]) == (200, api.ATOM)
        # the fixture's PDU inspections: Alpha 2, Beta 2, Gamma 1
        assert len(ET.fromstring(body.encode()).findall(f"{ATOM}entry")) == 5  # noqa: S314
        # read-only: no other method
        post = urllib.request.Request(f"{url}/api/v1/kpis.csv", data=b"x", method="POST")  # noqa: S310
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(post, timeout=60)  # noqa: S310 -- local
        refused.value.close()
        assert refused.value.code == 405
        # the dashboard is still there, beside them
        assert _get(f"{url}/_stcore/health")[:3:2] == (200, "ok")
    finally:
        serve.stop(process)


def test_a_client_over_its_limit_is_refused_by_the_served_api(fixture_csv_dir, tmp_path):
    db_path = tmp_path / "r.duckdb"
    db.build(fixture_csv_dir, db_path)
    process, url = serve.start(
        {
            "PROBATION_RATINGS_DB": str(db_path),
            "PROBATION_RATINGS_DATA": str(fixture_csv_dir),
            "PROBATION_RATINGS_API_PER_MINUTE": "3",
        }
    )
    try:
        # 8 requests within seconds: at most one minute boundary falls among them, so at least
        # one is the fourth of its minute
        answers = [_get(f"{url}/api/v1/events.json") for _ in range(8)]
    finally:
        serve.stop(process)
    codes = [status for status, _, _ in answers]
    assert set(codes) == {200, 429} and codes[:3] == [200, 200, 200]
    refused = [(headers, body) for status, headers, body in answers if status == 429]
    assert {body for _, body in refused} == {"Too many requests: at most 3 a minute per client.\n"}
    assert all(1 <= int(headers["retry-after"]) <= 61 for headers, _ in refused)


def test_the_limits_setting_is_checked():
    assert per_minute("") == 120
    assert per_minute("3") == 3
    for bad in ("0", "-1", "ten", "1e3", "2000000", "٣"):
        with pytest.raises(ConfigurationError, match="PROBATION_RATINGS_API_PER_MINUTE: "):
            per_minute(bad)

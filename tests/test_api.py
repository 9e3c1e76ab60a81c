"""The data API and the feed (issue 28, point 4): the command line's bytes, a link's parsing and
messages, the data's version as ETag, one request limit for every process, valid Atom.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from xml.etree import ElementTree as ET  # noqa: S405 -- our own server's feed

import pytest

from analytics import api, cli, db, registry
from analytics.throttle import RequestLimit
from tests import fixture_data as fx
from tests import serve

AS_OF = "2026-01-01"  # months since the latest inspection, counted to a fixed day
ATOM = "{http://www.w3.org/2005/Atom}"


def _question(name: str) -> tuple[list[tuple[str, str]], list[str]]:
    """The same question as URL parameters and as `query` flags, for each analysis."""
    analysis = registry.ANALYSES[name]
    if analysis.needs_units:
        items = [("compare", "Sheffield"), ("compare", "Kirklees"), ("from", "2022-01-01")]
        flags = ["--unit", "Sheffield", "--unit", "Kirklees", "--from", "2022-01-01"]
    elif analysis.needs_unit:
        items, flags = [("unit", "Sheffield")], ["--unit", "Sheffield"]
    else:
        items = [("region", "North East"), ("unit_type", "PDU"), ("approximate", "exclude")]
        flags = ["--region", "North East", "--unit-type", "PDU", "--exclude-approximate"]
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


@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize("name", registry.CLI_ANALYSES)
def test_every_analysis_answers_with_the_command_lines_bytes(shipped_db, capsys, name, fmt):
    items, flags = _question(name)
    assert cli.main(["query", name, "--format", fmt, "--db", str(shipped_db), *flags]) == 0
    printed = capsys.readouterr().out
    con = db.connect(shipped_db)
    try:
        answer = api.answer_analysis(con, name, fmt, items)
    finally:
        con.close()
    assert (answer.status, answer.media_type) == (200, api.FORMATS[fmt])
    assert answer.body == printed
    assert len(printed) > 60  # a real table, not an empty one


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
        ("kpis.csv", [("freq", "quarter")], 400, "'freq' applies only to: trend, trend_excluded"),
        ("trend.json", [("freq", "decade")], 400, "unknown freq 'decade' (allowed: year, quarter)"),
        ("league.csv", [("limit", "ten")], 400, "'limit' must be a whole number, not 'ten'"),
        (
            "league.csv",
            [("as_of", "2026-13-01")],
            400,
            "'as_of' must be a date YYYY-MM-DD, not '2026-13-01'",
        ),
        ("history.csv", [], 400, "'history' needs exactly one 'unit' parameter"),
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
    for param in ("region", "unit", "rating", "unit_type", "standard", "from", "approximate"):
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
        tag = f'"{db.read_info(db_path).content_hash}"'
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
        assert refused.value.code == 405
        # the dashboard is still there, beside them
        assert _get(f"{url}/_stcore/health")[:3:2] == (200, "ok")
        # 120 requests a minute per client: the 121st (or sooner, if the minute turned) is refused
        codes = [_get(f"{url}/api/v1/events.json")[0] for _ in range(125)]
        refusal = codes.index(429)
        assert codes[:refusal] == [200] * refusal and refusal <= 121
        status, headers, body = _get(f"{url}/api/v1/events.json")
        assert (status, body) == (429, "Too many requests: at most 120 a minute per client.\n")
        assert 1 <= int(headers["retry-after"]) <= 61
    finally:
        serve.stop(process)

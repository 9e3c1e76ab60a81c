"""The probation-ratings command: exit codes, messages and printed results."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from analytics import cli
from analytics.pipeline import db
from tests import fixture_data as fx

REPO = Path(__file__).resolve().parent.parent


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analytics.cli", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        check=False,
    )


def test_build_db_and_info_on_the_shipped_csvs(tmp_path):
    target = tmp_path / "ratings.duckdb"
    built = run("build-db", "--db", str(target))
    assert built.returncode == 0, built.stderr
    assert built.stdout.startswith(
        f"built {target} from {REPO / 'data'}: 12 regions, 112 units, 114 inspections, "
        "95 standard_ratings, 6 events, 27 report_figures (content hash "
    )
    info = run("info", "--db", str(target))
    assert info.returncode == 0, info.stderr
    counts = {}
    for name in db.DATA_TABLES:
        with (REPO / "data" / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
            counts[name] = sum(1 for _ in csv.DictReader(handle))
    lines = info.stdout.splitlines()
    for name, n in counts.items():
        assert f"  {name:<17}{n:>10}" in lines
    assert "synthetic:     no" in lines
    assert f"content hash:  {db.content_hash(REPO / 'data')}" in lines
    assert "published:     2018 to 2025-07-31 (30 with approximate dates)" in lines
    assert lines[-5:] == [
        "  PDU                 61 / 77",
        "  Region               4 / 5",
        "  National             1 / 1",
        "  CRC                 21 / 21",
        "  NPS division         8 / 8",
    ]


def test_build_db_if_needed_skips_a_current_database(tmp_path, fixture_csv_dir):
    target = tmp_path / "r.duckdb"
    first = run("build-db", "--if-needed", "--data", str(fixture_csv_dir), "--db", str(target))
    assert first.returncode == 0 and first.stdout.startswith(f"built {target}")
    second = run("build-db", "--if-needed", "--data", str(fixture_csv_dir), "--db", str(target))
    assert second.stdout == f"{target} is up to date with {fixture_csv_dir}\n"


def test_bad_csv_exits_2_with_file_row_column(tmp_path):
    csv_dir = fx.write_csvs(
        tmp_path / "csv",
        {
            "inspections.csv": fx.INSPECTIONS
            + [("PDU", "Alpha", "North", "2023", "stated", "", "Gd", "", "", "")]
        },
    )
    result = run("build-db", "--data", str(csv_dir), "--db", str(tmp_path / "x.duckdb"))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "error: inspections.csv:12:overall_rating: unknown value 'Gd' (allowed: Outstanding, "
        "Good, Requires improvement, Inadequate)\n"
    )


def test_query_distribution_by_region_json_equals_plain_python_counts(tmp_path):
    target = tmp_path / "ratings.duckdb"
    assert run("build-db", "--db", str(target)).returncode == 0
    result = run("query", "distribution", "--by", "region", "--format", "json", "--db", str(target))
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    with (REPO / "data" / "inspections.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    expected = Counter((r["region"] or None, r["overall_rating"]) for r in rows)
    got = {(r["region"], r["rating"]): r["n"] for r in records if r["n"]}
    assert got == dict(expected)
    assert sum(r["n"] for r in records) == len(rows) == 114
    regions = {r["region"] for r in records}
    assert len(records) == 4 * len(regions)  # every group lists all four ratings


def test_query_formats(fixture_db, capsys):
    assert cli.main(["query", "kpis", "--db", str(fixture_db), "--format", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("inspections,units,outstanding,good,requires_improvement,inadequate,")
    assert out[1].startswith("10,7,1,3,4,2,4,")
    assert out[1].endswith(",2019-03-05,2025-04-29,False")  # 10 inspections: not small
    assert cli.main(["query", "changes", "--db", str(fixture_db), "--rating", "Inadequate"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["from_rating", "to_rating", "n"]
    assert len(table) == 17


def test_query_distribution_says_which_shares_rest_on_a_small_count(fixture_db, capsys):
    args = ["query", "distribution", "--by", "region", "--db", str(fixture_db), "--format", "csv"]
    assert cli.main(args) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "region,rating,n,share,inspections,small_count"
    # the North has 5 inspections, the South 1 and the units without a region 4
    assert [line.rsplit(",", 2)[1:] for line in out[1::4]] == [
        ["5", "False"],
        ["1", "True"],
        ["4", "True"],
    ]


def test_query_units_in_a_selection(fixture_db, capsys):
    args = ["query", "units", "--region", "North", "--db", str(fixture_db), "--format", "csv"]
    assert cli.main(args) == 0
    assert capsys.readouterr().out.splitlines() == [
        "unit_type,unit_name,region,inspections",
        "PDU,Alpha,North,2",
        "PDU,Beta,North,2",
        "Region,North,North,1",
    ]


def test_query_history_of_one_unit(fixture_db, capsys):
    assert (
        cli.main(
            ["query", "history", "--unit", "Alpha", "--db", str(fixture_db), "--format", "json"]
        )
        == 0
    )
    records = json.loads(capsys.readouterr().out)
    assert [(r["published"], r["item"], r["rating"]) for r in records] == [
        ("2022-02-10", "Overall", "Inadequate"),
        ("2022-02-10", "Leadership", "Inadequate"),
        ("2022-02-10", "Assessment", "Inadequate"),
        ("2024-11", "Overall", "Requires improvement"),
        ("2024-11", "Leadership", "Requires improvement"),
        ("2024-11", "Assessment", "Good"),
    ]
    assert records[0]["published_date"] == "2022-02-10"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["query", "nonsense"],
            "argument ANALYSIS: invalid choice: 'nonsense' (choose from "
            "'kpis', 'rating_distribution', 'rating_trend', 'standard_breakdown', "
            "'region_standard_matrix', 'league_table', 'unit_list', 'unit_history', "
            "'report_figures', 'unit_benchmark', 'rating_changes', 'rating_change_counts', "
            "'compare_table', 'compare_history', 'compare_standards', 'compare_peers', "
            "'view_summary', 'coverage')",
        ),
        (
            ["query", "kpis", "--rating", "Great"],
            "argument --rating: invalid choice: 'Great' "
            "(choose from 'Outstanding', 'Good', 'Requires improvement', 'Inadequate')",
        ),
        (
            ["query", "kpis", "--from", "2024-13-01"],
            "argument --from: '2024-13-01' is not a date YYYY-MM-DD",
        ),
        (
            ["query", "distribution", "--by", "colour"],
            "argument --by: invalid choice: 'colour' (choose from 'region', 'unit_type', 'year')",
        ),
        (
            ["query", "trend", "--freq", "month"],
            "argument --freq: invalid choice: 'month' (choose from 'year', 'quarter')",
        ),
        (
            ["query", "kpis", "--format", "xml"],
            "argument --format: invalid choice: 'xml' (choose from 'table', 'csv', 'json')",
        ),
    ],
)
def test_bad_options_exit_2_saying_what_is_allowed(args, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(args)
    assert exit_info.value.code == 2
    assert capsys.readouterr().err == f"probation-ratings query: error: {message}\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["query", "kpis", "--region", "Narnia"],
            "error: unknown region 'Narnia' (allowed: North, South)\n",
        ),
        (["query", "unit_history"], "error: 'unit_history' needs exactly one --unit NAME\n"),
        (["query", "history", "--unit", "Zeta"], "error: no unit named 'Zeta'\n"),
        (
            ["query", "benchmark", "--unit", "North"],
            "error: 'North' names units of several types (PDU, Region); add --unit-type\n",
        ),
        (
            ["query", "kpis", "--from", "2024-01-01", "--to", "2023-01-01"],
            "error: 'from' (2024-01-01) is after 'to' (2023-01-01)\n",
        ),
    ],
)
def test_bad_filter_values_exit_2(fixture_db, args, message, capsys, tmp_path):
    if args[1] == "benchmark":
        # a second unit called North makes the name ambiguous
        csv_dir = fx.write_csvs(
            tmp_path / "csv", {"units.csv": fx.UNITS + [("PDU", "North", "North", "")]}
        )
        target = tmp_path / "amb.duckdb"
        db.build(csv_dir, target)
    else:
        target = fixture_db
    assert cli.main([*args, "--db", str(target)]) == 2
    assert capsys.readouterr().err == message


def test_query_compare_summary_and_older_than(fixture_db, capsys):
    db_args = ["--db", str(fixture_db), "--as-of", "2026-12-02"]
    args = ["query", "compare", "--unit", "Alpha", "--unit", "North (Region)", "--format", "csv"]
    assert cli.main([*args, *db_args]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split(",")[:3] + line.split(",")[13:16] for line in out] == [
        ["position", "unit_type", "unit_name", "months_since_latest", "months_approximate",
         "freshness"],
        ["1", "PDU", "Alpha", "25", "True", "2 to 4 years"],
        ["2", "Region", "North", "29", "False", "2 to 4 years"],
    ]  # fmt: skip
    assert cli.main(["query", "league", "--older-than", "4", "--format", "csv", *db_args]) == 0
    names = [line.split(",")[1] for line in capsys.readouterr().out.splitlines()[1:]]
    assert names == ["Old One", "Old Div"]
    assert cli.main(["query", "summary", "--region", "North", "--db", str(fixture_db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        "5 inspections of 3 units from 2022 to 2024: 1 Outstanding, 0 Good, "
        "2 Requires improvement, 2 Inadequate."
    )
    assert len(lines) == 4  # selection, change, standards, unknown: one sentence per line


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "compare", "--unit", "Alpha"], "compare needs 2 to 6 units, not 1"),
        (["query", "compare", "--unit", "Alpha", "--unit", "Nowhere"], "no unit named 'Nowhere'"),
        (["query", "kpis", "--older-than", "2"], "--older-than applies only to: league_table"),
    ],
)
def test_query_compare_and_freshness_errors(fixture_db, capsys, args, message):
    assert cli.main([*args, "--db", str(fixture_db)]) == 2
    assert capsys.readouterr().err == f"error: {message}\n"


def test_a_file_the_system_refuses_is_one_line_with_status_2(tmp_path, fixture_db):
    out = tmp_path / "no-such-folder" / "ratings.csv"
    result = run("export", "ratings", "--format", "csv", "--db", str(fixture_db), "--out", str(out))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"error: {out}.part: No such file or directory\n"

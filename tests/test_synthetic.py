"""The synthetic database generator: same schema as the real database, deterministic, consistent."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from analytics.fields import parse_partial_date
from analytics.pipeline import db, schema
from analytics.pipeline.synthetic import REGIONS, generate
from analytics.vocab import (
    APPROXIMATE_DATE_BASES,
    DATE_BASES,
    PRECISIONS,
    RATING_NAMES,
    REPORT_FIGURE_NAMES,
    STANDARD_NAMES,
    UNIT_TYPES,
)

N = 3000
SEED = 7


def query(path: Path, sql: str) -> pd.DataFrame:
    con = db.connect(path)
    try:
        return db.cursor(con).execute(sql).df()
    finally:
        con.close()


@pytest.fixture(scope="module")
def real_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("real") / "ratings.duckdb"
    db.build(db.DEFAULT_DATA_DIR, path)
    return path


@pytest.fixture(scope="module")
def synthetic_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("synthetic") / "synthetic.duckdb"
    generate(path, inspections=N, seed=SEED)
    return path


@pytest.fixture(scope="module")
def inspections(synthetic_db) -> pd.DataFrame:
    return query(synthetic_db, "select * from inspections order by inspection_id")


@pytest.fixture(scope="module")
def standard_ratings(synthetic_db) -> pd.DataFrame:
    return query(synthetic_db, "select * from standard_ratings order by inspection_id, standard")


@pytest.fixture(scope="module")
def units(synthetic_db) -> pd.DataFrame:
    return query(synthetic_db, "select * from units order by unit_type, unit_name")


COLUMNS_SQL = """
select table_name, column_name, ordinal_position, data_type, is_nullable
from information_schema.columns
where table_catalog = current_database() and table_schema = 'main'
order by table_name, ordinal_position
"""
CONSTRAINTS_SQL = """
select table_name, constraint_type, constraint_column_names::varchar as columns,
       referenced_table, referenced_column_names::varchar as referenced
from duckdb_constraints()
where database_name = current_database()
order by all
"""


def test_same_tables_columns_and_constraints_as_the_real_database(real_db, synthetic_db):
    assert_frame_equal(query(synthetic_db, COLUMNS_SQL), query(real_db, COLUMNS_SQL))
    assert_frame_equal(query(synthetic_db, CONSTRAINTS_SQL), query(real_db, CONSTRAINTS_SQL))
    tables = set(query(synthetic_db, COLUMNS_SQL)["table_name"])
    assert {
        "ratings",
        "unit_types",
        "standards",
        "regions",
        "units",
        "inspections",
        "standard_ratings",
        "events",
        "dataset_info",
    } <= tables


def test_lookup_tables_are_the_real_ones(real_db, synthetic_db):
    for table in ("ratings", "unit_types", "standards", "figures"):
        sql = f"select * from {table} order by sort_order"
        assert_frame_equal(query(synthetic_db, sql), query(real_db, sql))
    regions_sql = "select region, tile_row, tile_col from regions order by region"
    assert_frame_equal(query(synthetic_db, regions_sql), query(real_db, regions_sql))
    assert query(synthetic_db, "select * from regions")["pdus_stated"].isna().all()


def test_dataset_info_says_synthetic(synthetic_db):
    con = db.connect(synthetic_db)
    try:
        info = db.dataset_info(con)
    finally:
        con.close()
    assert info.synthetic is True
    assert "SYNTHETIC" in info.source
    assert "NOT real" in info.source
    assert info.content_hash == f"synthetic:seed={SEED}:inspections={N}"
    assert info.schema_version == schema.SCHEMA_VERSION


def test_generate_returns_the_written_info(tmp_path):
    info = generate(tmp_path / "one.duckdb", inspections=5, seed=3)
    con = db.connect(tmp_path / "one.duckdb")
    try:
        assert info == db.dataset_info(con)
    finally:
        con.close()
    assert info.content_hash == "synthetic:seed=3:inspections=5"


def test_row_counts(inspections, standard_ratings):
    assert len(inspections) == N
    assert inspections["inspection_id"].tolist() == list(range(1, N + 1))
    assert len(standard_ratings) == 12 * N


def test_every_inspection_has_all_twelve_standards(inspections, standard_ratings):
    per_inspection = standard_ratings.groupby("inspection_id")["standard"].agg(
        lambda s: tuple(sorted(s))
    )
    assert per_inspection.index.tolist() == inspections["inspection_id"].tolist()
    assert set(per_inspection) == {tuple(sorted(STANDARD_NAMES))}


def test_all_four_ratings_occur(inspections, standard_ratings):
    assert set(inspections["overall_rating"]) == set(RATING_NAMES)
    assert set(standard_ratings["rating"]) == set(RATING_NAMES)
    for standard, ratings in standard_ratings.groupby("standard")["rating"]:
        assert set(ratings) == set(RATING_NAMES), standard


def test_standard_ratings_follow_the_overall_rating(inspections, standard_ratings):
    points = {"Outstanding": 3, "Good": 2, "Requires improvement": 1, "Inadequate": 0}
    mean_standard = (
        standard_ratings["rating"].map(points).groupby(standard_ratings["inspection_id"]).mean()
    )
    overall = inspections.set_index("inspection_id")["overall_rating"].map(points)
    assert overall.corr(mean_standard) > 0.5


def test_inspection_key_is_unique(inspections):
    assert not inspections.duplicated(["unit_type", "unit_name", "published"]).any()


def test_every_inspection_unit_exists_with_the_same_region(inspections, units):
    merged = inspections.merge(
        units, on=["unit_type", "unit_name"], how="left", suffixes=("", "_unit"), indicator=True
    )
    assert (merged["_merge"] == "both").all()
    same = (merged["region"] == merged["region_unit"]) | (
        merged["region"].isna() & merged["region_unit"].isna()
    )
    assert same.all()


def test_units(units):
    regions = {name for name, _, _ in REGIONS}
    by_type = dict(tuple(units.groupby("unit_type")))
    assert set(by_type) == set(UNIT_TYPES)
    pdus = by_type["PDU"]
    assert pdus["region"].isin(regions).all()
    assert len(pdus) > len(units) / 2
    region_units = by_type["Region"]
    assert set(region_units["unit_name"]) == regions
    assert (region_units["unit_name"] == region_units["region"]).all()
    for unit_type in ("CRC", "NPS division", "National"):
        assert by_type[unit_type]["region"].isna().all(), unit_type
    assert by_type["National"]["unit_name"].tolist() == ["Synthetic national"]
    others = units[units["unit_type"] != "Region"]
    assert others["unit_name"].str.startswith("Synthetic ").all()
    assert units["former_names"].isna().all()


def test_published_dates_are_consistent(inspections):
    parsed = inspections["published"].map(parse_partial_date)
    assert (parsed.map(lambda p: p.precision) == inspections["published_precision"]).all()
    first_days = pd.to_datetime(parsed.map(lambda p: p.first_day))
    assert (first_days.to_numpy() == inspections["published_date"].to_numpy()).all()
    assert set(inspections["published_precision"]) == set(PRECISIONS)
    assert set(inspections["date_basis"]) == set(DATE_BASES)
    # Only a year-only date is approximate.
    approximate = inspections["date_basis"].isin(APPROXIMATE_DATE_BASES)
    assert (inspections.loc[approximate, "published_precision"] == "year").all()
    years = inspections["published_date"].dt.year
    assert years.min() <= 2011
    assert years.max() >= 2025


def test_unit_types_fall_in_their_eras(inspections):
    old = inspections["unit_type"].isin(["CRC", "NPS division"])
    assert (inspections.loc[old, "published_date"] < pd.Timestamp("2021-06-01")).all()
    # A year-only date stands for the year's first day, so a June 2021 PDU may read 2021-01-01.
    assert (inspections.loc[~old, "published_date"] >= pd.Timestamp("2021-01-01")).all()


def test_scores_urls_and_fieldwork(inspections):
    scored = inspections["score"].notna()
    assert scored.any() and not scored.all()
    assert (inspections["score_max"].notna() == scored).all()
    assert (inspections.loc[scored, "score_max"] == 27).all()
    assert inspections.loc[scored, "score"].between(0, 27).all()
    assert (inspections.loc[scored, "unit_type"] == "PDU").all()
    urls = inspections["source_url"].dropna()
    assert 0 < len(urls) < len(inspections)
    expected = "https://example.invalid/synthetic/" + inspections.loc[
        urls.index, "inspection_id"
    ].astype(str)
    assert (urls == expected).all()
    fieldwork = inspections["fieldwork"].dropna()
    assert len(fieldwork) > 0
    assert fieldwork.map(lambda t: parse_partial_date(t).precision == "month").all()


def test_report_figures_are_sparse_in_range_and_keyed(synthetic_db, inspections):
    figures = query(
        synthetic_db,
        "select f.*, g.percent from report_figures f join figures g using (figure) "
        "order by inspection_id, g.sort_order",
    )
    assert set(figures["inspection_id"]) <= set(inspections["inspection_id"])
    assert not figures.duplicated(["inspection_id", "figure"]).any()
    # about a third of the inspections state their recommendations, about a tenth each share
    counts = figures.groupby("figure").size()
    assert 0.25 * N < counts["Recommendations"] < 0.45 * N
    assert set(counts.index) == set(REPORT_FIGURE_NAMES)
    assert ((counts > 0.05 * N) | (counts.index == "Recommendations")).all()
    shares = figures[figures["percent"]]["value"]
    assert shares.between(0, 100).all()
    recommendations = figures[~figures["percent"]]["value"]
    assert recommendations.between(2, 14).all()
    assert (
        figures["source_url"]
        == "https://example.invalid/synthetic/figures/" + figures["inspection_id"].astype(str)
    ).all()


def test_events_are_labelled_synthetic(synthetic_db):
    events = query(synthetic_db, "select * from events")
    assert len(events) >= 2
    assert events["event"].str.startswith("Synthetic event").all()


def test_same_seed_same_rows_different_seed_different_rows(
    tmp_path, inspections, standard_ratings, units
):
    again = tmp_path / "again.duckdb"
    other = tmp_path / "other.duckdb"
    generate(again, inspections=N, seed=SEED)
    generate(other, inspections=N, seed=SEED + 1)
    assert_frame_equal(
        query(again, "select * from inspections order by inspection_id"), inspections
    )
    assert_frame_equal(
        query(again, "select * from standard_ratings order by inspection_id, standard"),
        standard_ratings,
    )
    assert_frame_equal(query(again, "select * from units order by unit_type, unit_name"), units)
    different = query(other, "select * from inspections order by inspection_id")
    assert len(different) == N
    assert (different["overall_rating"] != inspections["overall_rating"]).mean() > 0.2
    assert (different["published"] != inspections["published"]).mean() > 0.5
    other_standards = query(
        other, "select * from standard_ratings order by inspection_id, standard"
    )
    assert (other_standards["rating"] != standard_ratings["rating"]).mean() > 0.2


def test_rejects_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match="inspections"):
        generate(tmp_path / "x.duckdb", inspections=0)
    with pytest.raises(ValueError, match="seed"):
        generate(tmp_path / "x.duckdb", inspections=10, seed="1")  # type: ignore[arg-type]
    assert not (tmp_path / "x.duckdb").exists()


def test_tiny_database_is_complete(tmp_path):
    path = tmp_path / "tiny.duckdb"
    generate(path, inspections=1, seed=1)
    con = db.connect(path)
    try:
        counts = db.table_counts(con)
    finally:
        con.close()
    assert dict(zip(counts["table"], counts["rows"], strict=True)) == {
        "regions": 12,
        "units": 48,
        "inspections": 1,
        "standard_ratings": 12,
        "events": 2,
        "report_figures": 0,
    }

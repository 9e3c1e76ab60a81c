"""The source tables' one declaration (issue 29, point 1): the shipped files, the database and
every layer agree with it, and no other list in the tree spells the inspection columns out.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics.export import dataset
from analytics.pipeline import db, source_tables
from tests.code_scan import spelled_out

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", sorted(source_tables.HEADERS))
def test_each_declared_header_is_the_shipped_files_first_line(name):
    first = (REPO / "data" / name).read_text(encoding="utf-8").splitlines()[0]
    assert ",".join(source_tables.HEADERS[name]) == first


def test_the_files_are_read_in_the_order_of_their_references():
    assert list(source_tables.HEADERS) == [
        "regions.csv",
        "units.csv",
        "inspections.csv",
        "standard_ratings.csv",
        "events.csv",
        "report_figures.csv",
    ]


def test_the_database_holds_each_tables_stored_columns_in_order(tmp_path):
    path = tmp_path / "r.duckdb"
    db.build(REPO / "data", path)
    con = db.connect(path)
    try:
        for table in source_tables.TABLES.values():
            built = [r[0] for r in con.execute(f"describe {table.name}").fetchall()]
            assert built == list(table.stored), table.name
    finally:
        con.close()


def test_an_item_files_rows_name_their_inspection_and_the_export_writes_it_back():
    # standard ratings and report figures are stored by inspection id, read and written by key
    ratings = source_tables.TABLES["standard_ratings"]
    assert ratings.header[:3] == source_tables.INSPECTION_KEY
    assert ratings.stored == ("inspection_id", "standard", "rating")
    assert dataset.EXPORT_QUERIES["standard_ratings.csv"] == (
        "select i.unit_type as unit_type, i.unit_name as unit_name, i.published as published, "
        "t.standard, t.rating from standard_ratings t join inspections i using (inspection_id) "
        "order by t.rowid"
    )
    assert source_tables.INSPECTIONS.nullable_integers == ("import_id", "score", "score_max")


def test_the_inspection_columns_are_written_out_nowhere_else():
    header = source_tables.INSPECTIONS.header
    assert spelled_out(header, in_order=True) == []

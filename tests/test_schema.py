"""The database's tables (analytics/pipeline/schema.py): the lookups, the derived facts, the macros
the queries share, and the key checks that end every build.
"""

from __future__ import annotations

import pytest

from analytics.errors import CorruptDataError
from analytics.pipeline import db, schema


def test_rating_lookup(con):
    assert con.execute(
        "select rating, points, sort_order from ratings order by sort_order"
    ).fetchall() == [
        ("Outstanding", 3, 0),
        ("Good", 2, 1),
        ("Requires improvement", 1, 2),
        ("Inadequate", 0, 3),
    ]


def test_each_inspection_says_its_change_once(con):
    """The fixture's transitions: Old One RI -> Good, Alpha Inadequate -> RI, Beta RI -> Inadequate."""
    rows = con.execute(
        "select unit_name, published, change from inspection_facts "
        "where change <> 'first inspection' order by unit_name, published"
    ).fetchall()
    assert rows == [
        ("Alpha", "2024-11", "improved"),
        ("Beta", "2024", "declined"),
        ("Old One", "2020", "improved"),
    ]
    (first,) = con.execute(
        "select count(*) from inspection_facts where change = 'first inspection'"
    ).fetchone()
    assert first == 7


def test_the_shared_rules_are_macros_of_the_database(con):
    """The rules league and Compare share live in the database, so each query reads whole."""
    macros = con.execute(
        "select function_name, function_type from duckdb_functions() "
        "where database_name = current_database() order by function_name"
    ).fetchall()
    assert macros == [
        ("age_approximate", "macro"),
        ("freshness_band", "macro"),
        ("picked_units", "table_macro"),
        ("whole_months", "macro"),
    ]
    row = con.execute(
        "select whole_months(date '2024-01-31', date '2024-02-29'),"
        " whole_months(date '2024-01-31', date '2024-03-01'),"
        " whole_months(date '2024-05-01', date '2024-01-01'),"
        " freshness_band(23, 23, 48, 'a', 'b', 'c'), freshness_band(24, 23, 48, 'a', 'b', 'c'),"
        " freshness_band(49, 23, 48, 'a', 'b', 'c'),"
        " age_approximate('day', 'stated', ['derived', 'url']),"
        " age_approximate('month', 'stated', ['derived', 'url']),"
        " age_approximate('day', 'url', ['derived', 'url'])"
    ).fetchone()
    assert row == (0, 1, 0, "a", "b", "c", False, True, True)
    # with the id of each unit's inspections; none for a unit never inspected
    assert con.execute(
        "select p.unit_type, p.unit_name, p.position, p.unit_id = f.unit_id "
        "from picked_units(['PDU', 'CRC', 'PDU'], ['Alpha', 'Wales', 'Nowhere']) p "
        "left join (select unit_id, unit_type, unit_name from inspection_facts) f "
        "using (unit_type, unit_name) group by all order by p.position"
    ).fetchall() == [
        ("PDU", "Alpha", 1, True),
        ("CRC", "Wales", 2, None),
        ("PDU", "Nowhere", 3, None),
    ]


def test_standard_ratings_breaking_keys_abandon_the_build(tmp_path, fixture_csv_dir):
    # Rows are validated before loading; this is the database's own last check, made at once
    # over the table when a build ends instead of row by row.
    target = tmp_path / "ratings.duckdb"
    db.build(fixture_csv_dir, target)
    before = target.read_bytes()

    def fill(con):
        con.execute(f"attach '{target}' as old (read_only)")
        schema.create_schema(con)
        for table in ("regions", "units", "inspections", "standard_ratings", "events"):
            con.execute(f"insert into {table} select * from old.{table}")
        con.execute(
            "insert into standard_ratings values (9999, 'Leadership', 'Good'),"
            " (1, 'Leadership', 'Gd'), (1, 'Leadership', 'Good'), (1, 'Mood', 'Good')"
        )
        schema.finalize(con)

    with pytest.raises(CorruptDataError) as info:
        db.write_atomically(target, fill)
    assert str(info.value) == (
        "standard_ratings: 1 name no inspection in the inspections table; 1 name an unknown "
        "standard; 1 give an unknown rating; 1 repeat an inspection's standard (nothing was written)"
    )
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ratings.duckdb"]

"""What the database offers: the most inspected units (the benchmark's picks)."""

from __future__ import annotations

from analytics.analyses import catalog


def test_most_inspected_units_by_count_then_name(con):
    # fixture PDUs: Alpha 2, Beta 2, Gamma 1 inspections
    assert catalog.most_inspected_units(con, "PDU", limit=6) == [
        ("PDU", "Alpha"),
        ("PDU", "Beta"),
        ("PDU", "Gamma"),
    ]
    assert catalog.most_inspected_units(con, "PDU", limit=1) == [("PDU", "Alpha")]
    assert catalog.most_inspected_units(con, "Nothing", limit=6) == []

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


UNITS = [("CRC", "Wales"), ("NPS division", "Wales"), ("PDU", "Kirklees"), ("PDU", "KIRKLEES")]


def test_a_unit_is_typed_by_its_label_or_a_name_no_other_type_shares():
    typed = catalog.typed_units(UNITS)
    # two types share "Wales": only its labels name a unit
    assert {text: typed[text] for text in ("Wales (CRC)", "wales (nps division)")} == {
        "Wales (CRC)": ("CRC", "Wales"),
        "wales (nps division)": ("NPS division", "Wales"),
    }
    assert "Wales" not in typed and "wales" not in typed
    assert catalog.typed_value(typed, "WALES (crc)") == ("CRC", "Wales")
    assert catalog.typed_value(typed, "Wales") is None
    # names that differ only in case are shared too: each is found by its label as spelt
    assert catalog.typed_value(typed, "Kirklees (PDU)") == ("PDU", "Kirklees")
    assert catalog.typed_value(typed, "KIRKLEES (PDU)") == ("PDU", "KIRKLEES")
    assert catalog.typed_value(typed, "Kirklees") is None
    assert catalog.typed_value(typed, "nowhere") is None


def test_a_name_is_typed_as_spelt_or_in_any_case():
    typed = catalog.typed_names(["Sunderland", "North East"])
    assert catalog.typed_value(typed, "north east") == "North East"
    assert catalog.typed_value(typed, "SUNDERLAND") == "Sunderland"
    assert catalog.typed_value(typed, "Sunderland ") is None
    assert len(typed) == 4

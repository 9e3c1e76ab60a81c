"""analytics/analyses/picked_units.py: the units Compare holds, read from a link's ``compare=``
values and written back to them.
"""

from __future__ import annotations

from analytics.analyses import picked_units

KNOWN = [("CRC", "Wales"), ("NPS division", "Wales"), ("PDU", "Sunderland"), ("PDU", "Kirklees")]


def test_units_from_link_takes_names_and_labels_in_order():
    units, problems = picked_units.units_from_link(["Sunderland", "Wales (CRC)", "Kirklees"], KNOWN)
    assert units == (("PDU", "Sunderland"), ("CRC", "Wales"), ("PDU", "Kirklees"))
    assert problems == []


def test_units_from_link_says_what_it_leaves_out():
    values = ["Wales", "Nowhere", "Sunderland", "Sunderland (PDU)", "Kirklees (CRC)", ""]
    units, problems = picked_units.units_from_link(values, KNOWN)
    assert units == (("PDU", "Sunderland"),)
    assert problems == [
        "'Wales' in 'compare' names units of several types (CRC, NPS division); name one as "
        "'Wales (CRC)'",
        "unknown unit 'Nowhere' in 'compare'",
        "'Sunderland (PDU)' is named twice in 'compare'",
        "unknown unit 'Kirklees (CRC)' in 'compare'",
    ]


def test_units_from_link_keeps_the_first_six():
    known = [("PDU", f"P{i}") for i in range(9)]
    units, problems = picked_units.units_from_link([f"P{i}" for i in range(9)], known)
    assert units == tuple(("PDU", f"P{i}") for i in range(6))
    assert problems == ["'compare' names more than 6 units; comparing the first 6"]


def test_link_values_name_the_type_only_where_a_name_is_shared():
    units = (("NPS division", "Wales"), ("PDU", "Sunderland"))
    assert picked_units.link_values(units, KNOWN) == ["Wales (NPS division)", "Sunderland"]
    # and they read back as the same units
    assert picked_units.units_from_link(picked_units.link_values(units, KNOWN), KNOWN) == (
        units,
        [],
    )

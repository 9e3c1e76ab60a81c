"""ui/choices.py in the Units and Compare tabs: a picker of more units than it lists (a million
inspections' 100,000) lists the first ones and takes any other typed, by its name or label, in
any case. The sidebar's filters: tests/ui/test_sidebar.py.
"""

from __future__ import annotations

import pytest
from streamlit.proto.SelectWidgetFilterMode_pb2 import SelectWidgetFilterMode

from tests.apptest import chart_specs, plain, query_params, run_app
from ui import choices

pytestmark = [pytest.mark.usefixtures("clean_streamlit_caches"), pytest.mark.usefixtures("app_env")]

# The fixture's seven inspected units as the Units tab orders them with no filter.
LABELS = [
    "Alpha (PDU)",
    "Beta (PDU)",
    "Gamma (PDU)",
    "North (Region)",
    "England and Wales (National)",
    "Old One (CRC)",
    "Old Div (NPS division)",
]
CAPTION = "The first 3 of 7 are listed: type any other's full name and press Enter."
NOT_A_UNIT = (
    "No unit is called 'Nowhere'. Where units of two types share a name, type it as listed, "
    "as 'Name (PDU)'."
)


def typed(box, text: str):
    """Type ``text`` into a selectbox that takes new options and press Enter: the browser sends
    the text itself (AppTest's selectbox sets only values it lists).
    """
    box.options.append(text)
    return box.set_value(text)


@pytest.fixture
def three_listed(monkeypatch):
    monkeypatch.setattr(choices, "LISTED_AT_MOST", 3)


def test_short_pickers_list_every_unit_and_take_none_typed():
    at = run_app(tab="Units")
    pick = at.selectbox(key="unit_pick")
    assert (pick.options, pick.proto.accept_new_options) == (LABELS, False)
    assert pick.proto.filter_mode == SelectWidgetFilterMode.FILTER_MODE_FUZZY
    at = run_app(tab="Compare")
    compare = at.multiselect(key="compare_pick")
    assert compare.proto.accept_new_options is False
    assert sorted(compare.options) == sorted(LABELS)
    assert CAPTION not in [c.value for c in at.caption]


@pytest.mark.usefixtures("three_listed")
def test_a_unit_typed_by_its_name_in_another_case_is_picked_and_shown():
    at = run_app(tab="Units")
    pick = at.selectbox(key="unit_pick")
    assert (pick.options, pick.proto.accept_new_options) == (LABELS[:3], True)
    # matched by what they contain: a fuzzy match picked a listed unit for a name typed in full
    assert pick.proto.filter_mode == SelectWidgetFilterMode.FILTER_MODE_CONTAINS
    assert CAPTION in [c.value for c in at.caption]
    at = typed(pick, "old one").run()
    pick = at.selectbox(key="unit_pick")
    assert pick.value == "Old One (CRC)"
    assert pick.options == [*LABELS[:3], "Old One (CRC)"]
    assert query_params(at)["unit_pick"] == ["Old One (CRC)"]
    assert "Old One (CRC): overall rating at each inspection" in chart_specs(at)
    assert not at.exception
    assert at.warning == []


@pytest.mark.usefixtures("three_listed")
def test_a_text_naming_no_unit_is_said_and_the_first_unit_shown():
    at = run_app(tab="Units", unit_pick="Gamma (PDU)")
    at = typed(at.selectbox(key="unit_pick"), "Nowhere").run()
    assert [plain(w.value) for w in at.warning] == [NOT_A_UNIT]
    assert at.selectbox(key="unit_pick").value == "Alpha (PDU)"
    assert "Alpha (PDU): overall rating at each inspection" in chart_specs(at)
    assert "unit_pick" not in query_params(at)
    at = at.run()  # said once
    assert at.warning == []


@pytest.mark.usefixtures("three_listed")
def test_a_link_naming_an_unlisted_unit_in_lower_case_opens_it_by_its_label():
    at = run_app(tab="Units", unit_pick="old div")
    pick = at.selectbox(key="unit_pick")
    assert pick.value == "Old Div (NPS division)"
    assert pick.options == [*LABELS[:3], "Old Div (NPS division)"]
    assert "Old Div (NPS division): overall rating at each inspection" in chart_specs(at)
    assert at.warning == []


@pytest.mark.usefixtures("three_listed")
def test_a_link_naming_no_unit_is_said_and_the_first_unit_shown():
    at = run_app(tab="Units", unit_pick="Nowhere")
    assert [plain(w.value) for w in at.warning] == [NOT_A_UNIT]
    assert at.selectbox(key="unit_pick").value == "Alpha (PDU)"
    assert "Alpha (PDU): overall rating at each inspection" in chart_specs(at)


@pytest.mark.usefixtures("three_listed")
def test_units_typed_into_compare_are_compared_and_unknown_ones_said():
    at = run_app(tab="Compare")
    compare = at.multiselect(key="compare_pick")
    assert compare.options == LABELS[:3]
    assert compare.proto.filter_mode == SelectWidgetFilterMode.FILTER_MODE_CONTAINS
    assert CAPTION in [c.value for c in at.caption]
    at = compare.set_value([("PDU", "Alpha"), "old one", "gamma (pdu)", "alpha", "Nowhere"]).run()
    compare = at.multiselect(key="compare_pick")
    # "alpha" names Alpha, already picked: once
    assert compare.value == [("PDU", "Alpha"), ("CRC", "Old One"), ("PDU", "Gamma")]
    assert compare.options == [*LABELS[:3], "Old One (CRC)"]
    assert query_params(at)["compare"] == ["Alpha", "Old One", "Gamma"]
    assert [plain(w.value) for w in at.warning] == [NOT_A_UNIT]
    (table,) = [d.value for d in at.dataframe if "Measure" in d.value.columns]
    assert list(table.columns) == ["Measure", "Alpha (PDU)", "Old One (CRC)", "Gamma (PDU)"]

"""ui/sidebar.py: a choice with more values than it lists (a million inspections' 100,000 units)
lists the first ones and takes any other typed in full.
"""

from __future__ import annotations

import pytest
from streamlit.proto.SelectWidgetFilterMode_pb2 import SelectWidgetFilterMode

from tests import fixture_data as fx
from tests.apptest import NAME, expected_kpis, metrics, plain, run_app
from ui import choices

pytestmark = [pytest.mark.usefixtures("clean_streamlit_caches"), pytest.mark.usefixtures("app_env")]

# The fixture's inspected units, alphabetically (the vocabulary's order).
UNITS = ["Alpha", "Beta", "England and Wales", "Gamma", "North", "Old Div", "Old One"]


def test_every_unit_is_listed_below_the_limit():
    at = run_app()
    unit = at.multiselect(key="f_unit")
    assert unit.options == UNITS
    assert unit.proto.accept_new_options is False
    assert unit.proto.filter_mode == SelectWidgetFilterMode.FILTER_MODE_FUZZY
    assert [c.value for c in at.sidebar.caption] == []


def test_a_long_choice_lists_the_first_ones_and_takes_a_typed_name(monkeypatch):
    monkeypatch.setattr(choices, "LISTED_AT_MOST", 3)
    at = run_app()
    unit = at.multiselect(key="f_unit")
    assert unit.options == ["Alpha", "Beta", "England and Wales"]
    assert unit.proto.accept_new_options is True
    assert unit.proto.filter_mode == SelectWidgetFilterMode.FILTER_MODE_CONTAINS
    assert [c.value for c in at.sidebar.caption] == [
        "The first 3 of 7 are listed: type any other's full name and press Enter."
    ]
    # a unit not listed, typed in another case: it is that unit, and listed while chosen
    at = unit.set_value(["Alpha", "gamma"]).run()
    assert at.session_state["f_unit"] == ["Alpha", "Gamma"]
    assert at.multiselect(key="f_unit").options == ["Alpha", "Beta", "England and Wales", "Gamma"]
    chosen = [r for r in fx.INSPECTIONS if r[NAME] in ("Alpha", "Gamma")]
    assert metrics(at) == expected_kpis(chosen)
    assert not at.exception
    assert [plain(w.value) for w in at.warning] == []


def test_a_typed_name_no_unit_has_is_dropped_and_said(monkeypatch):
    monkeypatch.setattr(choices, "LISTED_AT_MOST", 3)
    at = run_app()
    at = at.multiselect(key="f_unit").set_value(["Beta", "Nowhere *bold*", "north"]).run()
    assert at.session_state["f_unit"] == ["Beta", "North"]
    # the name as typed, as plain text: every punctuation mark escaped for Markdown
    assert [w.value for w in at.sidebar.warning] == ["No unit is called \\'Nowhere \\*bold\\*\\'."]
    assert metrics(at) == expected_kpis([r for r in fx.INSPECTIONS if r[NAME] in ("Beta", "North")])
    # said once: the next run has no warning
    at = at.run()
    assert [w.value for w in at.sidebar.warning] == []
    assert at.session_state["f_unit"] == ["Beta", "North"]


def test_many_or_long_unknown_names_are_said_briefly(monkeypatch):
    monkeypatch.setattr(choices, "LISTED_AT_MOST", 3)
    at = run_app()
    typed = ["x" * 500, "Nowhere", "Elsewhere", "Atlantis", "Lyonesse"]
    at = at.multiselect(key="f_unit").set_value(["Alpha", *typed]).run()
    assert at.session_state["f_unit"] == ["Alpha"]
    cut = "x" * 80
    assert [w.value for w in at.sidebar.warning] == [
        f"No unit is called \\'{cut}\\', \\'Nowhere\\', \\'Elsewhere\\' and 2 more."
    ]

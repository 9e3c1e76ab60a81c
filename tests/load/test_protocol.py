"""The protocol-level load client's pure parts (tests/load/session.py, protocol.py): what a
browser would send, and the report.
"""

from __future__ import annotations

import pytest
from streamlit.proto.Block_pb2 import Block
from streamlit.proto.Checkbox_pb2 import Checkbox
from streamlit.proto.MultiSelect_pb2 import MultiSelect
from streamlit.proto.Slider_pb2 import Slider

from tests.load import protocol, session


def test_a_multiselect_sends_its_default_options_then_what_the_server_set():
    widget = MultiSelect(id="$$ID-x-f_region", options=["North", "South", "Wales"], default=[0, 2])
    assert list(session.browser_state("multiselect", widget).string_array_value.data) == [
        "North",
        "Wales",
    ]
    widget.set_value = True
    widget.raw_values[:] = ["South"]
    assert list(session.browser_state("multiselect", widget).string_array_value.data) == ["South"]


def test_a_range_slider_sends_both_ends_and_a_checkbox_its_value():
    slider = Slider(id="$$ID-x-f_years", default=[2010, 2025])
    assert list(session.browser_state("slider", slider).double_array_value.data) == [
        2010.0,
        2025.0,
    ]
    box = Checkbox(id="$$ID-x-f_approx", default=True)
    assert session.browser_state("checkbox", box).bool_value is True


def test_tabs_send_their_label_and_buttons_nothing():
    tabs = Block.TabContainer(id="$$ID-x-tab", default_tab_label="Trends")
    assert session.browser_state("tab_container", tabs).string_value == "Trends"
    assert session.browser_state("button", Checkbox(id="$$ID-x-reset")) is None


def test_the_report_counts_and_ranks_reruns():
    rows = [session.Rerun("open", s, True) for s in (1.0, 2.0, 3.0, 4.0)]
    rows += [session.Rerun("change", 0.5, True, exceptions=1), session.Rerun("open", 60, False)]
    assert protocol.summarise(rows, 2.0) == {
        "reruns": 6,
        "finished": 5,
        "p50_s": 2.0,
        "p95_s": 4.0,
        "max_s": 4.0,
        "reruns_per_s": 2.5,
        "unfinished": 1,
        "exceptions": 1,
        "error_alerts": 0,
        "problems": [],
        "opens": {"reruns": 5, "finished": 4, "p50_s": 3.0, "p95_s": 4.0, "max_s": 4.0},
        "changes": {"reruns": 1, "finished": 1, "p50_s": 0.5, "p95_s": 0.5, "max_s": 0.5},
    }


def test_addresses_stay_on_loopback():
    assert session.ws_address("http://127.0.0.1:8501") == "ws://127.0.0.1:8501/_stcore/stream"
    assert session.http_address("ws://127.0.0.1:8501/_stcore/stream") == "http://127.0.0.1:8501"
    with pytest.raises(
        SystemExit, match="^error: --url must be a loopback address, not 'example.org'$"
    ):
        session.ws_address("http://example.org:8501")

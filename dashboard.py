"""The Streamlit entry point: page configuration, the pages, and navigation between them.

Run with ``make run`` (or ``streamlit run dashboard.py``). Each page is a script in app_pages/;
the pieces they are built from are in ui/ (ARCHITECTURE.md has the map). Every number comes
from analytics/.
"""

from __future__ import annotations

import streamlit as st

from ui.auth import admin_page_visibility
from ui.keyboard import keyboard_helpers
from ui.reconnect import rerun_after_reconnect
from ui.runs import run_slot
from ui.style import page_style

with run_slot():  # a few runs at once per process (ui/runs.py says why)
    st.set_page_config(page_title="Probation ratings", layout="wide")
    page_style()
    pages = [
        st.Page("app_pages/dashboard.py", title="Dashboard", default=True),
        st.Page(
            "app_pages/add_inspections.py",
            title="Add inspections",
            url_path="add-inspections",
            visibility=admin_page_visibility(),
        ),
    ]
    st.navigation(pages).run()
    rerun_after_reconnect()  # last: its hidden button and snippet take no room above the page
    keyboard_helpers()

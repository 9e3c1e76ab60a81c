"""The server `probation-ratings serve` and the fleet run: the dashboard (dashboard.py) with the
data API and the Atom feed beside it (analytics/serving/api.py), as one ``st.App``.

``streamlit run ui/asgi.py`` finds the app below and serves it with uvicorn; every session runs
dashboard.py exactly as ``streamlit run dashboard.py`` would.
"""

from __future__ import annotations

import streamlit as st

from analytics import locations
from analytics.serving import api

app = st.App(locations.DASHBOARD, routes=api.routes())

"""Analytics over HM Inspectorate of Probation ratings, computed in DuckDB.

Nothing in this package imports Streamlit: the UI is dashboard.py, app_pages/ and ui/.
"""

__version__ = "0.1.0"

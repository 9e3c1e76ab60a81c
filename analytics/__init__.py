"""Analytics over HM Inspectorate of Probation ratings, computed in DuckDB.

Nothing in this package imports Streamlit: dashboard.py is the only UI layer.
"""

__version__ = "0.1.0"

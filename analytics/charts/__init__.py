"""Plotly figure builders: a tidy DataFrame in, a ``go.Figure`` out. No Streamlit here.

Every figure uses the one rating order and palette from analytics/vocab.py, names each rating in
its legend and hover text (colour is never the only cue), and carries a short alt text in
``fig.layout.meta["alt"]`` for the page to show beside it.

One module per subject (ratings, trends, standards, units, compare); :mod:`.common` holds
the layout.
"""

from analytics.charts.compare import compare_chart
from analytics.charts.ratings import ratings_by_region_chart, ratings_chart, region_map_chart
from analytics.charts.standards import region_standard_matrix_chart, standards_chart
from analytics.charts.trends import rating_changes_chart, ratings_over_time_chart
from analytics.charts.units import unit_benchmark_chart, unit_timeline_chart

__all__ = [
    "compare_chart",
    "rating_changes_chart",
    "ratings_by_region_chart",
    "ratings_chart",
    "ratings_over_time_chart",
    "region_map_chart",
    "region_standard_matrix_chart",
    "standards_chart",
    "unit_benchmark_chart",
    "unit_timeline_chart",
]

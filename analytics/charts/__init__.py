"""Plotly figure builders: a tidy DataFrame in, a ``go.Figure`` out. No Streamlit here.

Every figure uses the one rating order and palette from analytics/vocab.py, names each rating in
its legend and hover text (colour is never the only cue), and carries a short alt text in
``fig.layout.meta["alt"]`` for the page to show beside it.

One module per subject (ratings, trends, standards, units, compare); :mod:`.common` holds
the layout.
"""

from analytics.charts.compare import compare_timeline
from analytics.charts.ratings import rating_distribution_bar, ratings_by_region, region_tile_map
from analytics.charts.standards import region_standard_heatmap, standards_chart
from analytics.charts.trends import rating_trend_chart, transitions_heatmap
from analytics.charts.units import unit_benchmark_chart, unit_timeline

__all__ = [
    "compare_timeline",
    "rating_distribution_bar",
    "rating_trend_chart",
    "ratings_by_region",
    "region_standard_heatmap",
    "region_tile_map",
    "standards_chart",
    "transitions_heatmap",
    "unit_benchmark_chart",
    "unit_timeline",
]

"""The pandas reference of :mod:`analytics.summary`: the same sentences from the references."""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics.filters import Filters
from analytics.reference import breakdowns, trends
from analytics.summary import summary_sentences

ANALYSES_USED = {
    "kpis": breakdowns.kpis,
    "change_counts": trends.rating_change_counts,
    "standards": breakdowns.standard_breakdown,
    "region_summary": breakdowns.region_summary,
    "coverage": breakdowns.coverage,
}


def view_summary(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """See :func:`analytics.summary.view_summary`."""
    return summary_sentences(lambda name, f, **o: ANALYSES_USED[name](con, f, **o), filters)

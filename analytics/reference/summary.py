"""The pandas reference of :mod:`analytics.summary`: the same sentences from the references."""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics.filters import Filters
from analytics.reference.breakdowns import coverage, kpis, region_summary, standard_breakdown
from analytics.reference.trends import rating_change_counts
from analytics.summary import summary_sentences

ANALYSES_USED = {
    "kpis": kpis,
    "change_counts": rating_change_counts,
    "standards": standard_breakdown,
    "region_summary": region_summary,
    "coverage": coverage,
}


def view_summary(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """See :func:`analytics.summary.view_summary`."""
    return summary_sentences(lambda name, f, **o: ANALYSES_USED[name](con, f, **o), filters)

"""The pandas reference of :mod:`analytics.analyses.summary`: the same sentences, from the
references.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pandas as pd

from analytics.analyses.summary import summary_sentences
from analytics.filters import Filters


def view_summary(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    *,
    reference_of: Callable[[Callable[..., pd.DataFrame]], Callable[..., pd.DataFrame]],
) -> pd.DataFrame:
    """See :func:`analytics.analyses.summary.view_summary`: the same sentences, each analysis
    they read answered by its reference (``reference_of``: the registry's, bound there).
    """
    return summary_sentences(lambda analysis, f, **o: reference_of(analysis)(con, f, **o), filters)

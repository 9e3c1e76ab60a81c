"""Running analytics SQL: one cursor per query, bound parameters only."""

from __future__ import annotations

import re

import duckdb
import pandas as pd

from analytics.db import cursor
from analytics.filters import Filters

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def fetch_df(
    con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, object] | None = None
) -> pd.DataFrame:
    """Run ``sql`` with named parameters on a fresh cursor and return a DataFrame."""
    # DuckDB rejects unused named parameters; a template may not use every filter's parameter.
    used = set(_PARAM.findall(sql))
    bound = {k: v for k, v in (params or {}).items() if k in used}
    cur = cursor(con)
    try:
        return cur.execute(sql, bound).df()
    finally:
        cur.close()


def filtered_sql(template: str, filters: Filters, **extra: object) -> tuple[str, dict[str, object]]:
    """Fill a query template's placeholders from ``filters``.

    ``{where}`` filters ``inspection_facts i``, ``{where_s}`` filters ``standard_facts s`` (the
    same conditions on the same column names), ``{standards_where}`` restricts ``s.standard``.
    Only fixed SQL fragments are substituted; all values go into the returned parameters.
    """
    where, params = filters.where_sql("i")
    where_s, _ = filters.where_sql("s")  # the same parameters under the same names
    std_where, std_params = filters.standards_sql("s.standard")
    sql = template.format(where=where, where_s=where_s, standards_where=std_where)
    return sql, {**params, **std_params, **extra}

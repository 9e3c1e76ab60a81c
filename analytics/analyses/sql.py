"""Running analytics SQL: one cursor per query, bound parameters only."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping

import duckdb
import pandas as pd
import pyarrow as pa

from analytics.errors import InvalidFilterError, QueryError
from analytics.filters import Filters
from analytics.pipeline.db import cursor
from analytics.vocab import (
    APPROXIMATE_DATE_BASES,
    FRESHNESS_BANDS,
    GOOD_OR_BETTER,
    RATING_POINTS,
    RATINGS,
    SMALL_COUNT,
)

# The vocabulary as bound values (analytics/vocab.py defines them once), never SQL literals; every
# query may use them, and fetch_df binds only those it does.
VOCABULARY_PARAMS: dict[str, object] = {
    **{f"points_{r.name.lower().replace(' ', '_')}": r.points for r in RATINGS},
    "points_good_or_better": min(RATING_POINTS[r] for r in GOOD_OR_BETTER),
    "approximate_bases": list(APPROXIMATE_DATE_BASES),
    "small_count": SMALL_COUNT,
    # freshness bands: their names and the last month of each (the freshness_band macro)
    **{f"freshness_{i}": name for i, (name, _, _) in enumerate(FRESHNESS_BANDS)},
    **{f"freshness_{i}_max": top for i, (_, top, _) in enumerate(FRESHNESS_BANDS) if top},
}

LOG = logging.getLogger(__name__)
# One Arrow batch for a whole result of any size fetch_df returns (streamed output goes through
# fetch_batches in pieces).
_WHOLE = 1_000_000_000
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def fetch_df(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    params: dict[str, object] | None = None,
    *,
    many_rows: bool = False,
) -> pd.DataFrame:
    """Run ``sql`` with named parameters on a fresh cursor and return a DataFrame.

    ``many_rows`` (a list that may run to every unit or inspection): the result is converted
    through Arrow (:func:`frame_of`), about twice as fast for 100,000 rows; a table of a few
    rows is made faster by DuckDB's ``.df()`` (a DataFrame from Arrow has a fixed cost of about
    1 ms: 6.5-7.0 against 5.8 ms for a 4-row table). Either way the same frame.

    Raises
    ------
    QueryError
        If DuckDB fails (its error is logged with the query, and chained).
    """
    cur = cursor(con)
    try:
        if many_rows:
            relation = cur.sql(sql, params=_bound(sql, params))
            return frame_of(relation.to_arrow_reader(_WHOLE).read_all())
        return cur.execute(sql, _bound(sql, params)).df()
    except duckdb.Error as exc:
        raise _failed(sql, exc) from exc
    finally:
        cur.close()


# Integer types Arrow holds, as the nullable pandas types DuckDB's .df() gives a column with gaps.
_NULLABLE = {
    pa.int8(): pd.Int8Dtype(),
    pa.int16(): pd.Int16Dtype(),
    pa.int32(): pd.Int32Dtype(),
    pa.int64(): pd.Int64Dtype(),
    pa.uint8(): pd.UInt8Dtype(),
    pa.uint16(): pd.UInt16Dtype(),
    pa.uint32(): pd.UInt32Dtype(),
    pa.uint64(): pd.UInt64Dtype(),
    pa.bool_(): pd.BooleanDtype(),
}


def frame_of(table: pa.Table) -> pd.DataFrame:
    """A query's Arrow result as the DataFrame DuckDB's own ``.df()`` makes of it.

    Arrow converts each column whole; ``.df()`` makes a Python string of every text cell first
    (the league of 100,000 units: 235 ms, through Arrow 110 ms). The types are ``.df()``'s: a
    whole number or true/false column with gaps is pandas' nullable type (without gaps numpy's),
    an all-blank text column holds None, dates are datetime64[us], decimals float64.
    """
    columns = {}
    for name, column in zip(table.column_names, table.columns, strict=True):
        kind = column.type
        if pa.types.is_decimal(kind):
            column = column.cast(pa.float64())
        if kind in _NULLABLE and column.null_count:
            columns[name] = column.to_pandas(types_mapper=_NULLABLE.get)
        elif pa.types.is_date(kind):
            columns[name] = column.to_pandas(date_as_object=False).astype("datetime64[us]")
        elif (pa.types.is_string(kind) or pa.types.is_null(kind)) and (
            column.null_count == len(column)
        ):
            columns[name] = pd.Series([None] * len(column), dtype=object)
        else:
            columns[name] = column.to_pandas()
    return pd.DataFrame(columns, columns=table.column_names)


QUERY_FAILED = (
    "This table could not be computed: the database reported an error (written to the log). "
    "Try again; if it happens again, rebuild the database with `probation-ratings build-db`."
)


def _failed(sql: str, exc: duckdb.Error) -> QueryError:
    """The plain error an analysis raises for DuckDB's ``exc``, logged once here."""
    LOG.error("query failed: %s\n%s", exc, sql)
    return QueryError(QUERY_FAILED)


def _bound(sql: str, params: dict[str, object] | None) -> dict[str, object]:
    # DuckDB rejects unused named parameters; a template may not use every filter's parameter.
    used = set(_PARAM.findall(sql))
    return {k: v for k, v in (params or {}).items() if k in used}


def fetch_batches(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    params: dict[str, object] | None = None,
    *,
    rows: int = 10_000,
) -> Iterator[pd.DataFrame]:
    """Run ``sql`` and yield its result as DataFrames of at most ``rows`` rows each.

    Each Arrow record batch is converted on its own, so memory stays bounded by ``rows`` and the
    cost is linear in the result (the CLI streams large tables). An empty result yields one
    empty DataFrame with the result's columns.
    """
    cur = cursor(con)
    try:
        reader = cur.sql(sql, params=_bound(sql, params)).to_arrow_reader(rows)
        empty = True
        for batch in reader:
            empty = False
            yield frame_of(pa.Table.from_batches([batch]))
        if empty:
            yield frame_of(reader.schema.empty_table())
    except duckdb.Error as exc:
        raise _failed(sql, exc) from exc
    finally:
        cur.close()


def filtered_sql(
    template: str,
    filters: Filters,
    *,
    fragments: Mapping[str, str] | None = None,
    limit: int | None = None,
    **extra: object,
) -> tuple[str, dict[str, object]]:
    """Fill a query template: the one way analytics SQL text is made.

    Parameters
    ----------
    template : str
        SQL with ``{where}`` (filters ``inspection_facts i``), ``{where_s}`` (the same conditions
        on ``standard_facts s``), ``{standards_where}`` (restricts ``s.standard``) and any
        placeholder named in ``fragments``.
    filters : Filters
        The selection; its values become bound parameters.
    fragments : mapping, optional
        Placeholder -> SQL text, each taken from an allow-list in the calling module (a user picks
        a key of it, never the text).
    limit : int, optional
        Rows to return at most (bound as ``$limit``); None for all.
    **extra
        Further bound parameters.

    Returns
    -------
    (str, dict)
        The SQL text and every parameter it may use.

    Raises
    ------
    InvalidFilterError
        For a limit that is not a whole number >= 0.
    """
    where, params = filters.where_sql("i")
    where_s, _ = filters.where_sql("s")  # the same parameters under the same names
    std_where, std_params = filters.standards_sql("s.standard")
    sql = template.format(
        where=where, where_s=where_s, standards_where=std_where, **(fragments or {})
    )
    if limit is not None:
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
            raise InvalidFilterError(f"limit must be a whole number >= 0, not {limit!r}")
        sql += "\nlimit $limit"
        extra = {**extra, "limit": limit}
    return sql, {**VOCABULARY_PARAMS, **params, **std_params, **extra}

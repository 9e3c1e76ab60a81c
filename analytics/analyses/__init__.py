"""The analyses: each a function (con, filters, *, options) -> tidy DataFrame in SQL over DuckDB,
registered once (registry), charted by views (views, viewspecs), with what they share (sql,
catalog, freshness) and the sentences and tiles made from them.
"""

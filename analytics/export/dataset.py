"""The whole dataset as files: ``export-data`` (CSVs in the shipped format) and the empty import
template.
"""

from __future__ import annotations

import io
from pathlib import Path

import duckdb
import pandas as pd

from analytics.errors import InvalidInputError
from analytics.export.tables import neutralise_formulas
from analytics.pipeline import db, source_tables
from analytics.pipeline.readers import IMPORT_COLUMNS
from analytics.vocab import STANDARD_NAMES


def template(fmt: str) -> bytes:
    """An empty import file: the inspection columns, then one column per standard."""
    columns = [*IMPORT_COLUMNS, *STANDARD_NAMES]
    if fmt == "csv":
        return (",".join(columns) + "\r\n").encode("utf-8")
    if fmt == "xlsx":
        buffer = io.BytesIO()
        pd.DataFrame(columns=columns).to_excel(buffer, index=False, sheet_name="Inspections")
        return buffer.getvalue()
    raise InvalidInputError(f"unknown template format {fmt!r} (allowed: csv, xlsx)")


def _export_query(table: source_tables.Table) -> str:
    """The query that writes ``table`` back as its file: its header's columns, in file order."""
    joined = any(c.written and c.written.startswith("i.") for c in table.columns)
    own = "t." if joined else ""
    columns = ", ".join(
        f"{c.written} as {c.name}" if c.written else f"{own}{c.name}"
        for c in table.columns
        if c.read
    )
    source = f"{table.name} t join inspections i using (inspection_id)" if joined else table.name
    return f"select {columns} from {source} order by {own}rowid"  # noqa: S608 -- declared names


# Ordered as the shipped files are, so an export of unchanged data equals them byte for byte.
EXPORT_QUERIES: dict[str, str] = {t.file: _export_query(t) for t in source_tables.TABLES.values()}


def export_data(
    con: duckdb.DuckDBPyConnection, out_dir: Path, *, raw: bool = False
) -> dict[str, int]:
    """Write the complete current dataset (shipped plus imports) as CSVs in the shipped format.

    Text that a spreadsheet would run as a formula gets a leading apostrophe, as in every
    download, unless ``raw`` (for files that will be imported again).

    Returns
    -------
    dict[str, int]
        Rows written per file.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = {}
    cur = db.cursor(con)
    for name, sql in EXPORT_QUERIES.items():
        frame = cur.execute(sql).df()
        if not raw:
            frame = neutralise_formulas(frame)
        for column in ("score", "score_max", "pdus_stated"):
            if column in frame:
                frame[column] = frame[column].astype("Int64")
        tmp = out_dir / (name + ".tmp")
        frame.to_csv(tmp, index=False, lineterminator="\r\n")
        tmp.replace(out_dir / name)
        counts[name] = len(frame)
    return counts

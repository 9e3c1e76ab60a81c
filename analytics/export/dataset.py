"""The whole dataset as files: ``export-data`` (CSVs in the shipped format) and the empty import
template.
"""

from __future__ import annotations

import io
from pathlib import Path

import duckdb
import pandas as pd

from analytics import db
from analytics.export.tables import neutralise_formulas
from analytics.readers import IMPORT_COLUMNS
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
    raise ValueError(f"unknown template format {fmt!r} (allowed: csv, xlsx)")


# Ordered as the shipped files are, so an export of unchanged data equals them byte for byte.
EXPORT_QUERIES: dict[str, str] = {
    "regions.csv": "select region, tile_row, tile_col, pdus_stated from regions order by rowid",
    "units.csv": "select unit_type, unit_name, region, former_names from units order by rowid",
    "inspections.csv": "select unit_type, unit_name, region, published, date_basis, fieldwork, "
    "overall_rating, score, score_max, source_url from inspections order by rowid",
    "standard_ratings.csv": "select i.unit_type, i.unit_name, i.published, s.standard, s.rating "
    "from standard_ratings s join inspections i using (inspection_id) order by s.rowid",
    "events.csv": "select date_text as date, event, source_url from events order by rowid",
    "report_figures.csv": "select i.unit_type, i.unit_name, i.published, f.figure, f.value, "
    "f.source_url from report_figures f join inspections i using (inspection_id) order by f.rowid",
}


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

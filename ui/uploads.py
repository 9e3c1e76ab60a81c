"""The Add inspections page's pieces: checking an upload, its problems, confirming it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from analytics.errors import DataValidationError
from analytics.pipeline import ingest, planning, readers
from ui.text import md_escape


def problems_table(exc: DataValidationError) -> pd.DataFrame:
    """Every kept problem as a row; text escaped, as st.table renders its cells as Markdown."""
    return pd.DataFrame(
        [
            (md_escape(p.file), p.row, md_escape(p.column or ""), md_escape(p.message))
            for p in exc.problems
        ],
        columns=["file", "row", "column", "problem"],
    ).astype({"row": "Int64"})


def show_problems(name: str, exc: DataValidationError) -> None:
    """An import's problems: how many, the first ones in a table, and how many are not listed."""
    total = exc.total
    st.error(
        f"{md_escape(name)} was not imported: {total:,} problem{'s' if total != 1 else ''}. "
        "Nothing was changed."
    )
    # A static table wraps long messages; every problem must be readable in full.
    st.table(problems_table(exc), hide_index=True)
    more = exc.omitted_line()
    if more:
        st.caption(md_escape(more))


def check_upload(upload, *, data_dir: Path, db_path: Path, replace: bool, allow_new: bool) -> None:
    """Check an uploaded file, show what it would do, and import it when confirmed."""
    name = upload.name
    content = upload.getvalue()
    if len(content) > readers.MAX_FILE_BYTES:
        st.error(f"{md_escape(name)} is {len(content):,} bytes; the limit is 5 MB.")
        return
    try:
        with ingest.current_data(data_dir, db_path) as con:
            plan = planning.plan_import(
                con, content, name, replace=replace, allow_new_units=allow_new
            )
    except DataValidationError as exc:
        show_problems(name, exc)
        return
    st.success(f"{md_escape(name)} is valid: {plan.summary}.")
    st.dataframe(plan.preview(), hide_index=True, width="stretch", key="import_preview")
    changes = plan.changes
    if st.button(
        f"Import {changes} inspection{'s' if changes != 1 else ''}",
        key="import_confirm",
        type="primary",
        disabled=changes == 0,
    ):
        try:
            entry = ingest.apply_import(plan, csv_dir=data_dir, db_path=db_path)
        except DataValidationError as exc:
            show_problems(name, exc)
            return
        st.success(
            f"Imported as import {entry['import_id']}: {plan.summary}. The dashboard shows it now."
        )

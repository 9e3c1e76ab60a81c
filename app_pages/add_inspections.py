"""The Add inspections page: upload, check, preview, confirm and undo imports (admin only)."""

from __future__ import annotations

import streamlit as st

from analytics.errors import AnalyticsError
from analytics.export import dataset, names
from analytics.pipeline import db, ingest, journal
from analytics.settings import Settings
from ui.auth import PASSWORD_ENV, admin_password, sign_in
from ui.boundary import boundary
from ui.text import md_escape
from ui.uploads import check_upload


def render() -> None:
    """Draw the Add inspections page: sign-in, upload, check, confirm and undo."""
    st.title("Add inspections")
    expected = admin_password()
    if not expected and Settings.from_env().serve_only:
        st.info(
            "This dashboard process only serves the database it is given (a fleet's public "
            "processes do), so it never offers sign-in or upload. Inspections are added on the "
            "server with `probation-ratings import`, or on an admin dashboard started beside the "
            "fleet (README: Serving many users)."
        )
        return
    if not expected:
        st.info(
            "Adding inspections is turned off. An administrator turns it on by setting the "
            f"environment variable `{PASSWORD_ENV}` (or `admin_password` in "
            "`.streamlit/secrets.toml`) and restarting the dashboard."
        )
        return
    if not sign_in(expected):
        return
    data_dir, db_path = db.default_data_dir(), db.default_db_path()
    st.markdown(
        "Upload a CSV or Excel (.xlsx) file with the columns of `data/inspections.csv`, optionally "
        "followed by one column per standard holding its rating. Every row is checked before "
        "anything changes; a clean file is added whole, and can be undone."
    )
    with st.container(horizontal=True):
        for fmt, label in (("csv", "Template (CSV)"), ("xlsx", "Template (Excel)")):
            st.download_button(
                label,
                data=dataset.template(fmt),
                file_name=f"inspections-template.{fmt}",
                mime=names.MIME[fmt],
                key=f"template_{fmt}",
                on_click="ignore",
            )
    upload = st.file_uploader(
        "Inspections file",
        type=["csv", "xlsx"],
        key="import_file",
        max_upload_size=5,
        help="5 MB at most",
    )
    replace = st.checkbox(
        "Replace inspections that already exist with different values", key="import_replace"
    )
    allow_new = st.checkbox("Allow units not yet known (new PDUs)", key="import_new_units")
    if upload is not None:
        check_upload(
            upload, data_dir=data_dir, db_path=db_path, replace=replace, allow_new=allow_new
        )
    st.header("Imports so far")
    log = journal.import_log(db_path)
    if log.empty:
        st.caption("No imports yet.")
        return
    st.dataframe(log, hide_index=True, width="stretch", key="import_log")
    active = log.loc[log["undone_at"] == "", "import_id"].tolist()
    if active:
        with st.container(horizontal=True, vertical_alignment="bottom"):
            chosen = st.selectbox("Undo import", active, key="undo_pick")
            if st.button("Undo", key="undo_import"):
                try:
                    ingest.undo_import(int(chosen), csv_dir=data_dir, db_path=db_path)
                except AnalyticsError as exc:
                    st.error(md_escape(exc))
                else:
                    st.success(f"Import {chosen} undone.")
                    st.rerun()


with boundary():
    render()

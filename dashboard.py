"""Streamlit front end: widgets, layout, caching, errors. Every number comes from analytics/.

Run with ``make run`` (or ``streamlit run dashboard.py``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from analytics import breakdowns, charts, db, units
from analytics.errors import AnalyticsError, DatabaseError, DataValidationError
from analytics.filters import Filters

TITLE = "Probation inspection ratings: England and Wales"


# --- data access: the only place that caches -----------------------------------------------------


@st.cache_resource(show_spinner="Building the ratings database from data/*.csv ...")
def _ensure_built(data_dir: str, db_path: str, csv_hash: str) -> None:
    """Rebuild once per CSV content; the hash in the key makes an edited CSV trigger a rebuild."""
    del csv_hash  # only part of the cache key
    db.ensure_database(Path(data_dir), Path(db_path))


@st.cache_resource(show_spinner=False)
def _connection(db_path: str, mtime_ns: int):
    """One read-only connection per database file version; queries take a cursor each."""
    del mtime_ns  # only part of the cache key: a replaced file gets a new connection
    return db.connect(Path(db_path))


@st.cache_data(show_spinner=False, max_entries=512)
def _query(_con, db_key: tuple, name: str, filters: Filters, **options) -> pd.DataFrame:
    del db_key  # only part of the cache key
    return ANALYSES[name](_con, filters, **options)


ANALYSES = {
    "kpis": breakdowns.kpis,
    "distribution": breakdowns.rating_distribution,
    "inspections": units.inspection_list,
}


def open_database():
    """Rebuild if the CSVs changed, then connect; on failure show the problem and stop."""
    data_dir, db_path = db.default_data_dir(), db.default_db_path()
    try:
        _ensure_built(str(data_dir), str(db_path), db.content_hash(data_dir))
    except DataValidationError as exc:
        st.error(
            "The data files could not be loaded:\n\n"
            + "\n".join(f"- `{p}`" for p in exc.problems[:20])
            + ("\n\n(and more)" if len(exc.problems) > 20 else "")
        )
        if not db_path.exists():
            st.stop()
        st.warning("Showing the database built before these files changed.")
    try:
        con = _connection(str(db_path), db_path.stat().st_mtime_ns)
    except (DatabaseError, FileNotFoundError) as exc:
        st.error(f"{exc}")
        st.stop()
    return con, (str(db_path), db_path.stat().st_mtime_ns)


def query(con, db_key, name: str, filters: Filters, **options) -> pd.DataFrame:
    try:
        return _query(con, db_key, name, filters, **options)
    except AnalyticsError as exc:
        st.error(str(exc))
        st.stop()


# --- page --------------------------------------------------------------------------------------


def percent(value) -> str:
    return "–" if pd.isna(value) else f"{value:.0%}"


def provenance(con, k: pd.Series) -> str:
    info = db.dataset_info(con)
    years = (
        f"from {k.first_published:%Y} to {k.latest_published:%Y}"
        if k.inspections
        else "(none selected)"
    )
    kind = "**SYNTHETIC test data, not real ratings**" if info.synthetic else info.source
    return (
        f"Source: {kind}. Licence: [{db.LICENCE}]({db.LICENCE_URL}). "
        f"{k.inspections} inspections {years}. "
        f"{k.approximate_dates} of {k.inspections} have approximate dates. "
        f"Database built {info.built_at:%Y-%m-%d %H:%M} UTC."
    )


def kpi_tiles(k: pd.Series) -> None:
    cols = st.columns(5)
    cols[0].metric("Inspections", f"{k.inspections:,}")
    cols[1].metric("Units", f"{k.units:,}")
    cols[2].metric(
        "Inadequate",
        percent(k.share_inadequate),
        help=f"{k.inadequate} of {k.inspections} inspections",
    )
    cols[3].metric(
        "Requires improvement",
        percent(k.share_requires_improvement),
        help=f"{k.requires_improvement} of {k.inspections} inspections",
    )
    cols[4].metric(
        "Good or better",
        percent(k.share_good_or_better),
        help=f"{k.good_or_better} of {k.inspections} inspections",
    )


def inspections_table(df: pd.DataFrame) -> None:
    shown = df.assign(
        published=df["published"]
        + df["date_basis"].map({"stated": "", "url": " (approx.)", "derived": " (approx.)"}),
        source_url=df["source_url"].fillna(""),
    )[["published", "unit_type", "unit_name", "region", "rating", "source_url"]]
    st.dataframe(
        shown,
        key="inspections_table",
        hide_index=True,
        width="stretch",
        column_config={
            "published": st.column_config.TextColumn(
                "Published", help="As precise as the source; (approx.) = no page states the date"
            ),
            "unit_type": "Type",
            "unit_name": "Unit",
            "region": st.column_config.TextColumn(
                "Region", help="Blank for CRCs, NPS divisions and national inspections"
            ),
            "rating": "Overall rating",
            "source_url": st.column_config.LinkColumn(
                "Source report", display_text="open source", help="Blank: no source recorded"
            ),
        },
    )


def main() -> None:
    st.set_page_config(page_title="Probation ratings", layout="wide")
    st.title(TITLE)
    con, db_key = open_database()
    filters = Filters()

    k = query(con, db_key, "kpis", filters).iloc[0]
    st.caption(provenance(con, k))
    kpi_tiles(k)

    by_year = query(con, db_key, "distribution", filters, by="year")
    fig = charts.ratings_by_year(by_year)
    st.plotly_chart(fig, key="chart_by_year", width="stretch")
    st.caption(fig.layout.meta["alt"])

    st.subheader("Inspections")
    inspections_table(query(con, db_key, "inspections", filters))


main()

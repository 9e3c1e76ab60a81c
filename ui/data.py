"""Data access for the pages: the only place that caches (Streamlit's caches, keyed by the
database file's version).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from analytics.analyses import catalog, registry, viewspecs
from analytics.analyses.league import league_table
from analytics.analyses.views import View, ViewOptions
from analytics.errors import AnalyticsError, CorruptDataError, DatabaseError, DataValidationError
from analytics.export.context import Context, context_of
from analytics.filters import Filters
from analytics.pipeline import db, journal
from analytics.serving.throttle import Backoff, backoff_path
from analytics.settings import Settings
from ui.tables import DISPLAY_ROWS, league_view
from ui.text import md_escape

# --- data access: the only place that caches -----------------------------------------------------


@st.cache_resource(show_spinner="Building the ratings database from data/*.csv ...")
def _ensure_built(data_dir: str, db_path: str, csv_hash: str) -> None:
    """Rebuild once per CSV content; the hash in the key makes an edited CSV trigger a rebuild."""
    del csv_hash  # only part of the cache key
    db.ensure_database(Path(data_dir), Path(db_path))


@st.cache_data(show_spinner=False, max_entries=16)
def _content_hash(data_dir: str, imports_dir: str, signature: tuple) -> str:
    """The CSVs' content hash, read again only when a file's size or time changes (every rerun
    asks; reading and hashing every CSV each time cost 3% of a rerun under load).
    """
    del signature  # only part of the cache key
    return db.content_hash(Path(data_dir), Path(imports_dir))


def _close(con) -> None:
    con.close()


# A few file versions at once (the live one, the one just replaced, a read-only fallback); an
# older one is superseded for good and its connection closed when it leaves the cache.
@st.cache_resource(show_spinner=False, max_entries=4, on_release=_close)
def _connection(db_path: str, mtime_ns: int):
    """One read-only connection per database file version; queries take a cursor each."""
    del mtime_ns  # only part of the cache key: a replaced file gets a new connection
    return db.connect(Path(db_path))


@st.cache_data(show_spinner=False, max_entries=1024)
def _query(_con, db_key: tuple, name: str, filters: Filters, **options) -> pd.DataFrame:
    del db_key  # only part of the cache key
    return registry.analysis(name).function(_con, filters, **options)


# A resource, shared read-only (its fields are tuples): as cached data each of a rerun's three
# reads unpickled a copy, 33 ms each for a million inspections' 100,000 units (BENCHMARKS.md).
@st.cache_resource(show_spinner=False, max_entries=4)
def _vocabulary(_con, db_key: tuple) -> catalog.Vocabulary:
    del db_key
    return catalog.vocabulary(_con)


@st.cache_resource(show_spinner=False, max_entries=8)
def _typed(_con, db_key: tuple, field: str) -> dict:
    """How each of the vocabulary's ``field`` (regions, unit_names or units) may be typed."""
    values = getattr(_vocabulary(_con, db_key), field)
    return catalog.typed_units(values) if field == "units" else catalog.typed_names(values)


@st.cache_data(show_spinner=False, max_entries=16)
def _info(_con, db_key: tuple) -> db.DatasetInfo:
    del db_key  # the row changes only with the database file
    return db.dataset_info(_con)


# A resource, not data: the same View object is handed to every session that asks for it.
# cache_data would pickle it, and unpickling a Plotly figure validates it anew, which costs about
# as much as building it. Views are read-only once built (exports decorate a copy).
@st.cache_resource(show_spinner=False, max_entries=512)
def _view(_con, db_key: tuple, name: str, filters: Filters, options: ViewOptions | None) -> View:
    def run(analysis: Callable[..., pd.DataFrame], f: Filters, **opts) -> pd.DataFrame:
        return _query(_con, db_key, registry.of(analysis).name, f, **opts)

    return viewspecs.build_view(run, name, filters, options)


@dataclass(frozen=True)
class LeaguePage:
    """The league as the page shows it: its first rows, those rows in the page's columns with
    the columns' configuration, and whether there are more.
    """

    rows: pd.DataFrame
    table: pd.DataFrame
    columns: dict[str, Any]
    more: bool


# A resource, as views are: made once per process for its filters and shared read-only. Putting
# the rows into the page's columns on every rerun was a tenth of a warm Overview (BENCHMARKS.md,
# issue 30).
@st.cache_resource(show_spinner=False, max_entries=256)
def _league_page(
    _con, db_key: tuple, filters: Filters, as_of: dt.date, older_than_years: int | None
) -> LeaguePage:
    del db_key  # only part of the cache key
    # run directly: nothing else asks for this league, so a cached copy of it would be a second
    league = league_table(
        _con, filters, limit=DISPLAY_ROWS + 1, as_of=as_of, older_than_years=older_than_years
    )
    rows = league.head(DISPLAY_ROWS)
    # an empty league is said in words, not drawn (its empty columns may have no text type)
    table, columns = league_view(rows) if len(rows) else (rows, {})
    return LeaguePage(rows=rows, table=table, columns=columns, more=len(league) > DISPLAY_ROWS)


class Data:
    """The open database for this rerun: runs cached analyses and shows analytics errors."""

    def __init__(self, con, key: tuple):
        self.con = con
        self.key = key

    def __call__(
        self, analysis: Callable[..., pd.DataFrame], filters: Filters, **options
    ) -> pd.DataFrame:
        """Run ``analysis`` (a registered analysis's function) through the cache, under its
        registry name; an analytics error is shown, then stops.
        """
        try:
            return _query(self.con, self.key, registry.of(analysis).name, filters, **options)
        except AnalyticsError as exc:
            st.error(md_escape(exc))
            st.stop()

    def view(
        self, spec: viewspecs.ViewSpec, filters: Filters, options: ViewOptions | None = None
    ) -> View:
        """The view ``spec`` (one of viewspecs'), its analyses run through the cache."""
        try:
            return _view(self.con, self.key, spec.name, filters, options)
        except AnalyticsError as exc:
            st.error(md_escape(exc))
            st.stop()

    def league_page(
        self, filters: Filters, *, as_of: dt.date, older_than_years: int | None = None
    ) -> LeaguePage:
        """The league of ``filters`` (as of ``as_of``; only units last inspected at least
        ``older_than_years`` ago, if given) as the page shows it.
        """
        try:
            return _league_page(self.con, self.key, filters, as_of, older_than_years)
        except AnalyticsError as exc:
            st.error(md_escape(exc))
            st.stop()

    @property
    def vocabulary(self) -> catalog.Vocabulary:
        """The values the filters offer (regions, inspected units, years)."""
        return _vocabulary(self.con, self.key)

    def typed(self, field: str) -> dict:
        """How each value of the vocabulary's ``field`` may be typed into a picker (catalog's
        typed_names, or typed_units for ``"units"``).
        """
        return _typed(self.con, self.key, field)

    def context(self, title: str, filters: Filters, selection: str = "") -> Context:
        """What an export of ``title`` (of the units ``selection`` names, if any) from this
        database says about itself, dated today.
        """
        return context_of(self.info, title, filters, selection=selection)

    @property
    def info(self) -> db.DatasetInfo:
        """The open database's ``dataset_info`` row."""
        return _info(self.con, self.key)


REBUILD_HINT = "Rebuild it with `probation-ratings build-db` (or `make run`)."


def _journal_hint(exc: DataValidationError) -> str:
    """How to take out journalled imports that no longer fit (their problems name the entry)."""
    ids = sorted(
        {
            p.file[len("import-") : -len(".json")]
            for p in exc.problems
            if p.file.startswith("import-")
        }
    )
    if not ids:
        return ""
    commands = ", ".join(f"`probation-ratings undo-import {int(i)}`" for i in ids if i.isdigit())
    return f"\n\nAn import no longer fits the data: take it out with {commands}."


@st.cache_resource(show_spinner="Building a copy of the ratings database ...")
def _fallback_built(data_dir: str, db_path: str, fallback: str, csv_hash: str) -> None:
    """Build the read-only folder's copy once per process and CSV content (never reuse one found
    on disk: see db.build_fallback).
    """
    del csv_hash  # only part of the cache key
    db.build_fallback(Path(data_dir), Path(db_path), Path(fallback))


def _built_and_connected(data_dir: Path, db_path: Path, csv_hash: str):
    # A serving process of a fleet is handed its database: it never rebuilds it from local CSVs.
    if not Settings.from_env().serve_only:
        _ensure_built(str(data_dir), str(db_path), csv_hash)
    mtime = db_path.stat().st_mtime_ns
    return _connection(str(db_path), mtime), mtime


def _fallback_connected(data_dir: Path, db_path: Path, csv_hash: str):
    fallback = db.fallback_db_path(csv_hash)
    _fallback_built(str(data_dir), str(db_path), str(fallback), csv_hash)
    mtime = fallback.stat().st_mtime_ns
    return fallback, _connection(str(fallback), mtime), mtime


def open_database() -> Data:
    """Rebuild if the CSVs changed, then connect; on failure say what to do and stop.

    A damaged or deleted database is rebuilt; a data folder the app cannot write to is served
    from a copy built in the temporary folder; bad CSVs keep the previous database in service.
    """
    data_dir, db_path = db.default_data_dir(), db.default_db_path()
    imports_dir = journal.imports_dir_for(db_path)
    signature = db.source_signature(data_dir, imports_dir)
    csv_hash = _content_hash(str(data_dir), str(imports_dir), signature)
    try:
        try:
            con, mtime = _built_and_connected(data_dir, db_path, csv_hash)
        except (DatabaseError, FileNotFoundError):
            # Replaced, deleted or damaged since it was checked: check again, once.
            _ensure_built.clear()
            con, mtime = _built_and_connected(data_dir, db_path, csv_hash)
    except DataValidationError as exc:
        st.error(
            "The data files could not be loaded:\n\n"
            + "\n".join(f"- {md_escape(p)}" for p in exc.problems[:20])
            + (f"\n\n(and {exc.total - 20:,} more)" if exc.total > 20 else "")
            + _journal_hint(exc)
        )
        if not db_path.exists():
            st.error(f"There is no database to show instead. {REBUILD_HINT}")
            st.stop()
        st.warning("Showing the database built before these files changed.")
        try:
            mtime = db_path.stat().st_mtime_ns
            con = _connection(str(db_path), mtime)
        except (DatabaseError, FileNotFoundError) as err:
            st.error(f"{md_escape(err)} {REBUILD_HINT}")
            st.stop()
    except OSError as exc:
        if exc.errno not in db.READ_ONLY_ERRNOS:
            st.error(f"The ratings database could not be opened: {md_escape(exc)}. {REBUILD_HINT}")
            st.stop()
        try:
            db_path, con, mtime = _fallback_connected(data_dir, db_path, csv_hash)
        except (OSError, DatabaseError, CorruptDataError, DataValidationError) as err:
            st.error(
                md_escape(
                    f"The database {db_path} could not be written ({exc.strerror}), nor a private "
                    f"copy in the temporary folder ({err})."
                )
                + f" {REBUILD_HINT}"
            )
            st.stop()
        st.info(
            "The data folder is read-only, so the dashboard serves a copy built from its files "
            + md_escape(f"in {db_path.parent}.")
        )
    except (DatabaseError, CorruptDataError) as exc:
        st.error(f"The ratings database could not be opened: {md_escape(exc)}. {REBUILD_HINT}")
        st.stop()
    return Data(con, (str(db_path), mtime))


def sign_in_backoff() -> Backoff:
    """The sign-in back-off of the database this process serves: a file beside it, shared by
    every process serving it (nothing to cache: each call reads the file).
    """
    return Backoff(backoff_path(db.default_db_path()))

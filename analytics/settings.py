"""Every setting read from the environment, documented once (the README links here).

``PROBATION_RATINGS_DB``
    The database file (default ``data/ratings.duckdb``).
``PROBATION_RATINGS_DATA``
    The folder of shipped CSV files (default: the shipped ``data/``).
``PROBATION_RATINGS_IMPORTS``
    The import journal's folder (default: ``<database name>.imports`` beside the database).
``PROBATION_RATINGS_SERVE_ONLY``
    Any value: serve the database as handed over and never rebuild it from local CSVs (the
    serving processes of a fleet). Default unset.
``PROBATION_RATINGS_ADMIN_PASSWORD``
    Turns on the *Add inspections* page (as does ``admin_password`` in
    ``.streamlit/secrets.toml``). Default unset: the page is off.
``BROWSER_PATH``
    Chromium for chart images and PDF, also read by kaleido (default: ``chromium`` on the PATH).

Read afresh on every call (:meth:`Settings.from_env`), so a test or an operator that changes the
environment is obeyed at once.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DB = "PROBATION_RATINGS_DB"
DATA = "PROBATION_RATINGS_DATA"
IMPORTS = "PROBATION_RATINGS_IMPORTS"
SERVE_ONLY = "PROBATION_RATINGS_SERVE_ONLY"
ADMIN_PASSWORD = "PROBATION_RATINGS_ADMIN_PASSWORD"  # noqa: S105 -- a variable's name
BROWSER = "BROWSER_PATH"


@dataclass(frozen=True)
class Settings:
    """The environment's settings; None (or False) where a variable is unset or empty."""

    db_path: Path | None = None
    data_dir: Path | None = None
    imports_dir: Path | None = None
    serve_only: bool = False
    admin_password: str | None = None
    browser_path: Path | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The settings in ``environ`` (default: this process's environment)."""
        env = os.environ if environ is None else environ

        def path(name: str) -> Path | None:
            value = env.get(name)
            return Path(value) if value else None

        return cls(
            db_path=path(DB),
            data_dir=path(DATA),
            imports_dir=path(IMPORTS),
            serve_only=bool(env.get(SERVE_ONLY)),
            admin_password=env.get(ADMIN_PASSWORD) or None,
            browser_path=path(BROWSER),
        )

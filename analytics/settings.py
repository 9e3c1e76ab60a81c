"""Every setting read from the environment, documented once (the README links here).

``PROBATION_RATINGS_DB``
    The database file. Default: ``data/ratings.duckdb`` in a checkout (or beside the CSVs of
    ``PROBATION_RATINGS_DATA``); for an installed package (``pip install .``), which never writes
    inside itself, ``$XDG_DATA_HOME/probation-ratings/ratings.duckdb`` (by default under
    ``~/.local/share``), where its server's configuration is also copied.
``PROBATION_RATINGS_DATA``
    The folder of shipped CSV files (default: the shipped ``data/``, in a checkout or the
    package).
``PROBATION_RATINGS_IMPORTS``
    The import journal's folder (default: ``<database name>.imports`` beside the database).
``PROBATION_RATINGS_SERVE_ONLY``
    Any value: serve the database as handed over and never rebuild it from local CSVs (the
    serving processes of a fleet). Default unset.
``PROBATION_RATINGS_ADMIN_PASSWORD``
    Turns on the *Add inspections* page (as does ``admin_password`` in
    ``.streamlit/secrets.toml``), except in a serve-only process. Default unset: the page is off.
``PROBATION_RATINGS_TRUSTED_PROXIES``
    The addresses or networks (comma-separated) of the reverse proxies whose X-Forwarded-For
    names the client, e.g. ``127.0.0.1`` for a proxy on the same machine. Default unset: nobody's;
    a client is the address its connection comes from. ``probation-ratings serve`` and ``fleet``
    hand it to the server (uvicorn's ``FORWARDED_ALLOW_IPS``); a fleet's processes trust only its
    own nginx, which overwrites the header with the real peer.
``PROBATION_RATINGS_API_PER_MINUTE``
    Requests a client may make to the data API and feed in one clock minute, counted across
    every process serving the database (a whole number, 1 to 1,000,000). Default 120.
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
TRUSTED_PROXIES = "PROBATION_RATINGS_TRUSTED_PROXIES"
API_PER_MINUTE = "PROBATION_RATINGS_API_PER_MINUTE"
# uvicorn's own variable: whose X-Forwarded-For the server under Streamlit believes
SERVER_TRUST = "FORWARDED_ALLOW_IPS"
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
    trusted_proxies: str = ""
    api_per_minute: str = ""  # as given: analytics.serving.throttle.per_minute checks it

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
            trusted_proxies=env.get(TRUSTED_PROXIES, ""),
            api_per_minute=env.get(API_PER_MINUTE, ""),
        )

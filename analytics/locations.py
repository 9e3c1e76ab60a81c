"""Where the dashboard's files are: in a checkout, or in an installed package (``pip install .``).

A checkout keeps the shipped CSVs in ``data/`` and Streamlit's configuration in ``.streamlit/``
beside the code. The wheel carries them as ``analytics/shipped_data/`` and
``analytics/streamlit_config/`` (pyproject.toml), beside ``dashboard.py``, ``app_pages/`` and
``ui/`` in site-packages. An installed package never writes inside itself: its database and the
folder a server runs in are in the user's data folder (:func:`user_dir`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent  # the checkout, or site-packages
IN_CHECKOUT = (ROOT / "pyproject.toml").is_file() and (ROOT / "data").is_dir()
DASHBOARD = ROOT / "dashboard.py"
# what a server runs: the dashboard with the data API and feed beside it (one st.App)
SERVER_APP = ROOT / "ui" / "asgi.py"
DB_NAME = "ratings.duckdb"
SHIPPED_DATA = ROOT / "data" if IN_CHECKOUT else PACKAGE / "shipped_data"
STREAMLIT_CONFIG = (
    ROOT / ".streamlit" if IN_CHECKOUT else PACKAGE / "streamlit_config"
) / "config.toml"


def user_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The installed package's own folder: ``$XDG_DATA_HOME/probation-ratings`` (by default
    ``~/.local/share/probation-ratings``).
    """
    env = os.environ if environ is None else environ
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "probation-ratings"


def run_dir() -> Path:
    """The folder a dashboard server runs in, where Streamlit finds ``.streamlit/config.toml``:
    the checkout, or for an installed package a folder of the user's holding a copy of its
    configuration (written again when the package's differs, e.g. after an upgrade).
    """
    if IN_CHECKOUT:
        return ROOT
    folder = user_dir() / "server"
    config = folder / ".streamlit" / "config.toml"
    packaged = STREAMLIT_CONFIG.read_bytes()
    if not config.is_file() or config.read_bytes() != packaged:
        config.parent.mkdir(parents=True, exist_ok=True)
        partial = config.with_suffix(".toml.partial")
        partial.write_bytes(packaged)
        partial.replace(config)  # a server starting meanwhile reads the old file or the new
    return folder

"""One dashboard process: the command and environment that start it, its health check, and
``probation-ratings serve``.

Whose X-Forwarded-For the server believes is decided here, when the process starts: Streamlit
runs under uvicorn, which reads ``FORWARDED_ALLOW_IPS`` once and, when it is unset, believes the
header from any loopback peer. Every process this project starts gets the operator's trusted
proxies instead (by default nobody), so a client is the address its connection comes from.
"""

from __future__ import annotations

import os
import socket
import sys
import urllib.request
from collections.abc import Mapping
from pathlib import Path

from analytics import locations, settings
from analytics.serving import throttle

SERVER_APP = locations.SERVER_APP


def free_port() -> int:
    """A free loopback TCP port (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(url: str, *, timeout: float = 2.0) -> bool:
    """True if ``url`` answers 200 within ``timeout`` seconds."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 -- loopback, ours
            return response.status == 200
    except OSError:
        return False


def dashboard_command(
    port: int, dashboard: Path = SERVER_APP, *, host: str | None = "127.0.0.1"
) -> list[str]:
    """The command serving ``dashboard`` (by default this checkout's or package's dashboard.py
    with the data API beside it, ``ui/asgi.py``) on ``host:port`` with this interpreter,
    headless (``host`` None: every interface, Streamlit's default).
    """
    address = ["--server.address", host] if host is not None else []
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(dashboard),
        "--server.headless",
        "true",
        *address,
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
    ]


def dashboard_env(base: Mapping[str, str], *, trusted_proxies: str | None = None) -> dict[str, str]:
    """``base`` with the server told whose X-Forwarded-For to believe: ``trusted_proxies``, or
    the operator's setting in ``base`` (PROBATION_RATINGS_TRUSTED_PROXIES; unset: nobody's).

    Raises
    ------
    ConfigurationError
        If the setting names something that is not an IP address or network.
    """
    env = dict(base)
    if trusted_proxies is None:
        trusted_proxies = settings.Settings.from_env(env).trusted_proxies
    trusted = throttle.proxy_list(trusted_proxies)
    env[settings.TRUSTED_PROXIES] = trusted
    env[settings.SERVER_TRUST] = trusted
    return env


def serve(*, port: int, host: str | None, db_path: Path, data_dir: Path) -> None:
    """Replace this process with the dashboard server (``probation-ratings serve``, ``make
    run``): Ctrl+C then reaches Streamlit itself.

    The server runs where Streamlit finds ``.streamlit/config.toml`` (the checkout, or an
    installed package's folder of the user's: :func:`analytics.locations.run_dir`), so the
    database and data folder are handed to it as absolute paths.

    Raises
    ------
    ConfigurationError
        If the trusted proxies setting is malformed (nothing is started).
    """
    env = dashboard_env(os.environ)
    env[settings.DB] = str(Path(db_path).absolute())
    env[settings.DATA] = str(Path(data_dir).absolute())
    command = dashboard_command(port, host=host)
    os.chdir(locations.run_dir())
    os.execve(command[0], command, env)  # noqa: S606 -- our own interpreter and script

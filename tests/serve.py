"""Start dashboard.py as a real server on a free loopback port (browser tests, benchmarks, load)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(
    env: dict[str, str],
    *,
    unset: tuple[str, ...] = (),
    log=subprocess.DEVNULL,
    deadline_s: float = 120,
):
    """Start the dashboard with ``env`` added to (and ``unset`` taken from) this environment.

    Returns
    -------
    tuple[subprocess.Popen, str]
        The server process and its base URL, once its health check answers.
    """
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(REPO / "dashboard.py"),
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=REPO,
        env={k: v for k, v in {**os.environ, **env}.items() if k not in unset},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:  # noqa: S310 -- loopback
                if response.status == 200:
                    return process, url
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError(f"streamlit did not become healthy at {url}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=30)

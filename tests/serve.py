"""Start dashboard.py as a real server on a free loopback port (browser tests, benchmarks, load)."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from analytics.serving import server

REPO = Path(__file__).resolve().parent.parent


def start(
    env: dict[str, str],
    *,
    unset: tuple[str, ...] = (),
    log=subprocess.DEVNULL,
    deadline_s: float = 120,
    port: int | None = None,
):
    """Start the dashboard with ``env`` added to (and ``unset`` taken from) this environment,
    on ``port`` (default: a free one).

    Returns
    -------
    tuple[subprocess.Popen, str]
        The server process and its base URL, once its health check answers.
    """
    port = port or server.free_port()
    process = subprocess.Popen(
        # REPO's own server: a benchmark may point REPO at another checkout (--repo), which
        # may predate the data API beside the dashboard
        server.dashboard_command(
            port,
            REPO / "ui" / "asgi.py"
            if (REPO / "ui" / "asgi.py").exists()
            else REPO / "dashboard.py",
        ),
        cwd=REPO,
        env=server.dashboard_env(
            {k: v for k, v in {**os.environ, **env}.items() if k not in unset}
        ),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        if server.healthy(f"{url}/_stcore/health"):
            return process, url
        time.sleep(0.1)
    process.terminate()
    raise RuntimeError(f"streamlit did not become healthy at {url}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=30)

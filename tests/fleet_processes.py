"""What the fleet's tests share (tests/test_fleet.py, tests/test_fleet_supervision.py): a real
`probation-ratings fleet` started in its own process group, what it says, asked over HTTP and
Streamlit's protocol; whether nginx is here.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from analytics.serving import fleet, nginx
from tests.load import session as protocol_session

NGINX = nginx.nginx_path()
needs_nginx = pytest.mark.skipif(
    NGINX is None and not os.environ.get("CI"),
    reason="nginx is not installed (make test and .ci/run install it)",
)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is gone in all but name
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"


def read_until(process: subprocess.Popen, pattern: str, deadline_s: float) -> list[str]:
    lines: list[str] = []
    end = time.monotonic() + deadline_s
    assert process.stdout is not None
    while time.monotonic() < end:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
        if re.search(pattern, line):
            return lines
    raise AssertionError(f"no line matching {pattern!r} in {lines}")


def start(port: int, *args: str, cwd: Path | None = None, env: dict | None = None):
    """Start `probation-ratings fleet` on ``port`` in its own process group (as in a terminal)."""
    return subprocess.Popen(
        [sys.executable, "-m", "analytics.cli", "fleet", "--port", str(port), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        cwd=cwd or Path(fleet.__file__).parents[1],
        env=env,
    )


def pids(lines: list[str]) -> list[int]:
    return [int(p) for p in re.findall(r"\(pid (\d+)\)", "\n".join(lines))]


def end(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    if process.stdout is not None:
        process.stdout.close()


def get(url: str, timeout: float = 90) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 -- loopback
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except OSError:
        return 0, ""  # nothing answers (yet)


def private_tmp(monkeypatch, tmp_path) -> dict:
    """The fleets' records go to this test's own temporary folder (theirs and this process's)."""
    folder = tmp_path / "shared-tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return {**os.environ, "TMPDIR": str(folder)}


def session_report(port: int) -> protocol_session.Rerun:
    async def one():
        s = protocol_session.Session(protocol_session.ws_address(f"http://127.0.0.1:{port}"), "")
        try:
            return await s.open()
        finally:
            await s.close()

    return protocol_session.run_apart(one)

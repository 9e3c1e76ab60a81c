"""A fleet's child processes: they stop when the supervisor dies, and a record of them (in this
user's private temporary folder) lets the next fleet on the port find any left behind.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

from analytics.errors import FleetError
from analytics.pipeline import store

PR_SET_PDEATHSIG = 1


_LIBC = ctypes.CDLL(None, use_errno=True)  # this process's C library, loaded before any fork


def die_with_parent() -> None:
    """Ask the kernel to stop this (child) process when its parent dies."""
    # Runs in the child between fork and exec (the supervisor runs no threads): the kernel sends
    # it SIGTERM when the supervisor dies, however it dies (SIGKILL included), so no child serves
    # unsupervised.
    _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def record_path(port: int) -> Path:
    """Where the fleet on ``port`` records its processes (this user's private folder)."""
    return store.private_temp_dir("fleets") / f"port-{port}.json"


def _cmdline(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    return raw.replace(b"\0", b" ").decode(errors="replace")


def _alive(pid: int, marker: str) -> bool:
    """Whether ``pid`` runs and its command line holds ``marker`` (a reused pid does not)."""
    return bool(pid) and marker in _cmdline(pid)


def clear_stale(port: int, say: Callable[[str], None]) -> None:
    """Stop what a fleet on ``port`` whose supervisor has gone left behind.

    Raises
    ------
    FleetError
        If that fleet's supervisor still runs.
    """
    path = record_path(port)
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    supervisor = int(record.get("supervisor", 0))
    if supervisor != os.getpid() and _alive(supervisor, "fleet"):
        raise FleetError(
            f"a fleet is already serving port {port} (pid {supervisor}); stop it first"
        )
    work = str(record.get("work", "")) or "\0"
    left = [int(record.get("nginx", 0))] if _alive(int(record.get("nginx", 0)), work) else []
    left += [int(p) for p in record.get("dashboards", []) if _alive(int(p), "dashboard.py")]
    for pid in left:
        os.kill(pid, signal.SIGTERM)
    end = time.monotonic() + 10
    while any(Path(f"/proc/{p}").exists() for p in left) and time.monotonic() < end:
        time.sleep(0.1)
    for pid in left:
        if Path(f"/proc/{pid}").exists():
            os.kill(pid, signal.SIGKILL)
    if left:
        say(f"fleet: stopped {len(left)} processes left on port {port} by pid {supervisor}")
    path.unlink(missing_ok=True)

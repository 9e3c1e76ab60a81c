"""A fleet's child processes (analytics/serving/children.py): what a fleet whose supervisor has
gone left on a port is found from its record and stopped; a running fleet is never doubled.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from analytics.errors import FleetError
from analytics.serving import children

PORT = 8765


@pytest.fixture
def record(monkeypatch, tmp_path):
    """The fleets' records in this test's own temporary folder."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    path = children.record_path(PORT)
    assert path == folder / f"probation-ratings-{os.geteuid()}" / "fleets" / f"port-{PORT}.json"
    return path


def _sleeper(marker: str) -> int:
    """The pid of a process whose command line carries ``marker`` (as a dashboard's carries
    dashboard.py), started in the background of a shell that exits: like what a gone fleet left,
    it is not this process's child, so it is reaped by init the moment it stops.
    """
    shell = subprocess.run(
        [
            "sh",
            "-c",
            f'"{sys.executable}" -c "import time; time.sleep(120)" {marker} >/dev/null 2>&1 & echo $!',
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(shell.stdout)


def _running(pid: int) -> bool:
    return Path(f"/proc/{pid}").exists()


def _stop(*pids: int) -> None:
    for pid in pids:
        if _running(pid):
            os.kill(pid, signal.SIGKILL)


def _gone_pid() -> int:
    gone = subprocess.Popen(["true"])
    gone.wait()
    return gone.pid


def test_what_a_gone_supervisor_left_is_stopped_and_its_record_removed(record):
    dashboard = _sleeper("dashboard.py")
    stranger = _sleeper("something-else")  # a pid reused by another program is left alone
    supervisor = _gone_pid()
    record.write_text(
        json.dumps(
            {
                "supervisor": supervisor,
                "work": "/nowhere",
                "nginx": 0,
                "dashboards": [dashboard, stranger],
            }
        )
    )
    said: list[str] = []
    try:
        children.clear_stale(PORT, said.append)
        assert (_running(dashboard), _running(stranger)) == (False, True)
        assert said == [f"fleet: stopped 1 processes left on port {PORT} by pid {supervisor}"]
        assert not record.exists()
    finally:
        _stop(dashboard, stranger)


def test_a_fleet_whose_supervisor_runs_is_refused_and_left_serving(record):
    supervisor = _sleeper("fleet")
    dashboard = _sleeper("dashboard.py")
    record.write_text(json.dumps({"supervisor": supervisor, "nginx": 0, "dashboards": [dashboard]}))
    try:
        with pytest.raises(FleetError) as refused:
            children.clear_stale(PORT, print)
        assert str(refused.value) == (
            f"a fleet is already serving port {PORT} (pid {supervisor}); stop it first"
        )
        assert _running(dashboard)
        assert record.exists()
    finally:
        _stop(supervisor, dashboard)


@pytest.mark.parametrize("content", [None, "", "{not json"])
def test_no_record_or_an_unreadable_one_stops_nothing(record, content):
    if content is not None:
        record.write_text(content)
    said: list[str] = []
    children.clear_stale(PORT, said.append)
    assert said == []

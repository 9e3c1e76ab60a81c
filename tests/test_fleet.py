"""The fleet (analytics/fleet.py): nginx's configuration, and a real fleet that serves and stops."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analytics import fleet
from tests.load import protocol

NGINX = fleet.nginx_path()
needs_nginx = pytest.mark.skipif(
    NGINX is None and not os.environ.get("CI"),
    reason="nginx is not installed (make test and .ci/run install it)",
)


def test_the_upstream_hashes_on_the_affinity_cookie_over_every_process(tmp_path):
    conf = fleet.nginx_config(tmp_path, "127.0.0.1", 8501, [9001, 9002])
    upstream = conf[conf.index("    upstream dashboards {") : conf.index("    server {")]
    assert upstream == (
        "    upstream dashboards {\n"
        "        hash $affinity consistent;\n"
        "        server 127.0.0.1:9001 max_fails=1 fail_timeout=10s;\n"
        "        server 127.0.0.1:9002 max_fails=1 fail_timeout=10s;\n"
        "    }\n"
    )
    assert "        listen 127.0.0.1:8501;\n" in conf
    assert f"pid {tmp_path}/nginx.pid;\n" in conf
    assert "daemon off;\n" in conf


@needs_nginx
def test_the_dashboard_command_serves_the_script_it_is_given(tmp_path):
    other = tmp_path / "dashboard.py"  # another checkout's (a benchmark's --repo)
    common = ["--server.headless", "true", "--server.address", "127.0.0.1", "--server.port"]
    options = ["--browser.gatherUsageStats", "false"]
    assert fleet.dashboard_command(8601, other) == [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(other),
        *common,
        "8601",
        *options,
    ]
    assert fleet.dashboard_command(8602)[4] == str(Path(fleet.__file__).parents[1] / "dashboard.py")


def test_nginx_accepts_the_configuration(tmp_path):
    conf = tmp_path / "nginx.conf"
    conf.write_text(fleet.nginx_config(tmp_path, "127.0.0.1", 8501, [9001, 9002]))
    result = subprocess.run(
        [str(NGINX), "-t", "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "e.log")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--processes", "0"], "error: --processes must be 1 to 16, not 0\n"),
        (["--processes", "17"], "error: --processes must be 1 to 16, not 17\n"),
        (["--port", "70000"], "error: --port must be 1 to 65535, not 70000\n"),
    ],
)
def test_bad_fleet_options_are_refused(argv, message):
    result = subprocess.run(
        [sys.executable, "-m", "analytics.cli", "fleet", *argv],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout, result.stderr) == (2, "", message)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is gone in all but name
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"


def _read_until(process: subprocess.Popen, pattern: str, deadline_s: float) -> list[str]:
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


@needs_nginx
def test_a_fleet_of_two_serves_protocol_sessions_then_stops_everything(store):
    csv_dir, db_path = store
    port = fleet.free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "analytics.cli",
            "fleet",
            "--processes",
            "2",
            "--port",
            str(port),
            "--host",
            "127.0.0.1",
            "--db",
            str(db_path),
            "--data",
            str(csv_dir),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, as `make fleet` has in a terminal
    )
    try:
        lines = _read_until(process, r"^fleet: serving ", 180)
        pids = [int(p) for p in re.findall(r"\(pid (\d+)\)", "\n".join(lines))]
        assert len(pids) == 3, lines  # two dashboards and nginx
        nginx_pid = pids[-1]
        workers = [
            int(p)
            for p in subprocess.run(
                ["pgrep", "-P", str(nginx_pid)], capture_output=True, text=True, check=False
            ).stdout.split()
        ]
        assert len(workers) == 1
        # the load generator as a script: Playwright's tests keep an event loop running in
        # this process, and the script is what BENCHMARKS.md runs
        load = subprocess.run(
            [
                sys.executable,
                str(protocol.__file__),
                "--url",
                f"http://127.0.0.1:{port}",
                "--pid",
                str(pids[0]),
                "--pid",
                str(pids[1]),
                "--sessions",
                "4",
                "--seconds",
                "8",
                "--seed",
                "3",
                "--data",
                str(csv_dir),
            ],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert load.returncode == 0, load.stdout + load.stderr
        report = json.loads(load.stdout)
        assert report["reruns"] > 0
        assert (report["finished"], report["unfinished"]) == (report["reruns"], 0)
        assert (report["exceptions"], report["error_alerts"], report["problems"]) == (0, 0, [])
        assert report["server_cpu_s"] > 0
        os.killpg(process.pid, signal.SIGTERM)
        rest = process.communicate(timeout=60)[0].splitlines()
        assert process.returncode == 0
        assert rest[-1] == "fleet: stopped"
        assert [p for p in (*pids, *workers) if _alive(p)] == []
        with socket.socket() as sock:
            assert sock.connect_ex(("127.0.0.1", port)) != 0
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        if process.stdout is not None:
            process.stdout.close()

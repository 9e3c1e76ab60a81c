"""The fleet's supervisor (analytics/serving/fleet.py): a hung or crashing process restarted or
left stopped, a stopped one's visitors served by the other, and every way the fleet ends (a
signal, a killed supervisor, what a vanished one left, a port held by another program).
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import re
import signal
import socket
import subprocess
import tempfile
import time
from collections import deque

import pytest

from analytics.serving import fleet, nginx, server
from tests import fleet_processes as fp


class FakeProcess:
    """A dashboard process as the supervisor sees it: running, hung or exited."""

    pids = iter(range(1000, 2000))

    def __init__(self):
        self.pid = next(self.pids)
        self.returncode = None
        self.killed = False

    def poll(self):
        return self.returncode

    def kill(self):
        self.killed = True
        self.returncode = -9

    def wait(self, timeout=None):
        del timeout  # never waits: the fake has already exited when asked
        return self.returncode


@pytest.fixture
def supervised(tmp_path, monkeypatch):
    """A fleet of two fake processes on a clock the test moves; health answers as told."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    now = [0.0]
    answers: dict[int, bool] = {}
    said: list[str] = []
    started: list[FakeProcess] = []

    def start(_fleet, _port):
        process = FakeProcess()
        started.append(process)
        return process

    monkeypatch.setattr(fleet.Fleet, "_start_dashboard", start)
    f = fleet.Fleet(
        db_path=tmp_path / "ratings.duckdb",
        data_dir=tmp_path,
        host="127.0.0.1",
        port=8501,
        processes=2,
        say=said.append,
        work=tmp_path / "work",
        probe=lambda url: answers.get(int(url.split(":")[2].split("/")[0]), True),
        clock=lambda: now[0],
    )
    monkeypatch.setattr(fleet.Fleet, "_repair", lambda _fleet: None)
    f.backends = [fleet.Backend(p, start(f, p), 0.0, last_ok=0.0) for p in (9001, 9002)]
    return f, now, answers, said


def test_a_process_that_stops_answering_is_killed_and_restarted(supervised):
    f, now, answers, said = supervised
    hung = f.backends[0].process
    answers[9001] = False
    for t in (2, 4, 6, 8, 9.9):
        now[0] = t
        assert f.check() is None
    assert not hung.killed and said == []  # under 10 s without an answer is not yet hung
    now[0] = 10.2
    assert f.check() is None
    assert hung.killed
    assert said == [
        "fleet: dashboard on port 9001 answered no health check for 10 s; restarting it "
        "(1 in 10 minutes)"
    ]
    assert f.backends[0].process is not hung and f.backends[1].process.killed is False
    # the new process has START_TIMEOUT_S to answer for the first time
    now[0] = 10.2 + fleet.START_TIMEOUT_S - 1
    assert f.check() is None and len(said) == 1


def test_a_crash_loop_stops_that_process_not_the_site(supervised):
    f, now, answers, said = supervised
    for i in range(fleet.MAX_RESTARTS):
        now[0] = 60.0 * i
        f.backends[0].process.returncode = 1
        assert f.check() is None
    assert len(said) == 5 and said[-1].endswith("restarting it (5 in 10 minutes)")
    now[0] = 300.0
    f.backends[0].process.returncode = 1
    assert f.check() is None  # the other process still serves
    assert said[-1] == (
        "fleet: dashboard on port 9001 exited with 1; restarted 5 times in 10 minutes, so it is "
        "left stopped (the others serve)"
    )
    assert f.backends[0].stopped and not f.backends[1].stopped
    now[0] = 302.0
    f.backends[1].process.returncode = 1
    assert f.check() is None  # its first restart
    assert f.backends[1].restarts == deque([302.0])


def test_restarts_long_ago_do_not_count_against_a_process(supervised):
    f, now, answers, said = supervised
    # six exits over the fleet's life, each more than 10 minutes after the one five before
    for i in range(6):
        now[0] = 200.0 * i
        f.backends[0].process.returncode = 1
        assert f.check() is None
    assert not f.backends[0].stopped
    # at 1000 s: the restarts at 400, 600 and 800 s are within the window, and this one
    assert said[-1].endswith("restarting it (4 in 10 minutes)")


def test_the_fleet_stops_when_no_process_is_left_serving(supervised):
    f, now, answers, said = supervised
    for backend in f.backends:
        backend.stopped = True
    assert f.check() == 1
    assert said == ["fleet: no dashboard process is left serving; stopping"]


@fp.needs_nginx
def test_a_stopped_process_is_restarted_and_new_visitors_reach_the_other(
    store, monkeypatch, tmp_path
):
    """SIGSTOP one of two processes: new visitors, with no affinity yet, are all answered (nginx
    once waited an hour on it), and the supervisor kills and restarts it. The fleet is started
    with paths relative to where it was typed (they once named files in the checkout instead).
    """
    csv_dir, db_path = store
    env = fp.private_tmp(monkeypatch, tmp_path)
    port = server.free_port()
    process = fp.start(port, "--processes", "2", "--host", "127.0.0.1", "--db", db_path.name,
                     "--data", csv_dir.name, cwd=db_path.parent, env=env)  # fmt: skip
    try:
        lines = fp.read_until(process, r"^fleet: serving ", 180)
        stopped, other, _nginx = fp.pids(lines)
        report = fp.session_report(port)
        assert (report.finished, report.exceptions, report.errors) == (True, 0, 0), report
        os.kill(stopped, signal.SIGSTOP)
        with concurrent.futures.ThreadPoolExecutor(7) as pool:
            visits = list(pool.map(fp.get, [f"http://127.0.0.1:{port}/"] * 6))
            health = pool.submit(fp.get, f"http://127.0.0.1:{port}/_fleet/health").result()
        assert [status for status, _ in visits] == [200] * 6
        assert health == (200, "ok")
        said = fp.read_until(process, r"answered no health check", 60)[-1]
        assert re.fullmatch(
            r"fleet: dashboard on port \d+ answered no health check for 1\d s; restarting it "
            r"\(1 in 10 minutes\)",
            said,
        ), said
        assert not fp.alive(stopped) and fp.alive(other)
    finally:
        fp.end(process)


@fp.needs_nginx
@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGQUIT, signal.SIGTERM])
def test_a_closed_terminal_or_quit_stops_everything(store, monkeypatch, tmp_path, sig):
    csv_dir, db_path = store
    env = fp.private_tmp(monkeypatch, tmp_path)
    port = server.free_port()
    process = fp.start(port, "--processes", "1", "--host", "127.0.0.1", "--db", str(db_path),
                     "--data", str(csv_dir), env=env)  # fmt: skip
    try:
        pids = fp.pids(fp.read_until(process, r"^fleet: serving ", 180))
        os.killpg(process.pid, sig)  # the terminal signals its foreground group
        rest = process.communicate(timeout=60)[0].splitlines()
        assert (process.returncode, rest[-1]) == (0, "fleet: stopped")
        assert [p for p in pids if fp.alive(p)] == []
        with socket.socket() as sock:
            assert sock.connect_ex(("127.0.0.1", port)) != 0
    finally:
        fp.end(process)


@fp.needs_nginx
def test_a_killed_supervisors_processes_stop_and_a_new_fleet_serves_the_port(
    store, monkeypatch, tmp_path
):
    csv_dir, db_path = store
    env = fp.private_tmp(monkeypatch, tmp_path)
    port = server.free_port()
    common = ["--processes", "1", "--host", "127.0.0.1", "--db", str(db_path)]
    first = fp.start(port, *common, "--data", str(csv_dir), env=env)
    second = None
    try:
        pids = fp.pids(fp.read_until(first, r"^fleet: serving ", 180))
        os.kill(first.pid, signal.SIGKILL)  # the supervisor alone, as the OOM killer would
        first.wait()
        end = time.monotonic() + 20
        while [p for p in pids if fp.alive(p)] and time.monotonic() < end:
            time.sleep(0.1)
        assert [p for p in pids if fp.alive(p)] == []  # told to stop by the kernel
        second = fp.start(port, *common, "--data", str(csv_dir), env=env)
        lines = fp.read_until(second, r"^fleet: serving ", 180)
        assert not [line for line in lines if "left on port" in line]
        assert fp.get(f"http://127.0.0.1:{port}/_fleet/health") == (200, "ok")
    finally:
        fp.end(first)
        if second is not None:
            fp.end(second)


@fp.needs_nginx
def test_what_a_vanished_fleet_left_is_stopped_and_a_running_one_is_not_doubled(
    store, monkeypatch, tmp_path
):
    csv_dir, db_path = store
    env = fp.private_tmp(monkeypatch, tmp_path)
    port = server.free_port()
    # an nginx left serving port P by a supervisor that is gone (no PR_SET_PDEATHSIG then)
    work = tmp_path / "old-work"
    work.mkdir()
    work.chmod(0o755)
    conf = work / "nginx.conf"
    conf.write_text(nginx.nginx_config(work, "127.0.0.1", port, [9], fleet_id="old"))
    old = subprocess.Popen(
        [fp.NGINX, "-p", str(work), "-c", str(conf), "-e", str(work / "error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    gone = subprocess.Popen(["true"])
    gone.wait()
    record = fleet.record_path(port)
    record.write_text(
        json.dumps({"supervisor": gone.pid, "work": str(work), "nginx": old.pid, "dashboards": []})
    )
    end = time.monotonic() + 10
    while fp.get(f"http://127.0.0.1:{port}/_fleet/id", timeout=2)[1] != "old\n":
        assert time.monotonic() < end
        time.sleep(0.1)
    common = ["--processes", "1", "--host", "127.0.0.1", "--db", str(db_path)]
    new = fp.start(port, *common, "--data", str(csv_dir), env=env)
    again = None
    try:
        lines = fp.read_until(new, r"^fleet: serving ", 180)
        assert f"fleet: stopped 1 processes left on port {port} by pid {gone.pid}" in lines
        assert old.wait(timeout=10) is not None
        assert fp.get(f"http://127.0.0.1:{port}/_fleet/id")[1] not in ("old\n", "")
        # a second fleet on the same port while the first serves: refused, the first untouched
        again = fp.start(port, *common, "--data", str(csv_dir), env=env)
        out = again.communicate(timeout=60)[0].splitlines()
        assert again.returncode == 1
        assert (
            out[0]
            == f"fleet: a fleet is already serving port {port} (pid {new.pid}); stop it first"
        )
        assert fp.get(f"http://127.0.0.1:{port}/_fleet/health") == (200, "ok")
    finally:
        if old.poll() is None:
            old.kill()
            old.wait()
        fp.end(new)
        if again is not None:
            fp.end(again)


@fp.needs_nginx
def test_a_port_held_by_another_program_is_said_not_served(store, monkeypatch, tmp_path):
    csv_dir, db_path = store
    env = fp.private_tmp(monkeypatch, tmp_path)
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        process = fp.start(port, "--processes", "1", "--host", "127.0.0.1", "--db", str(db_path),
                         "--data", str(csv_dir), env=env)  # fmt: skip
        try:
            out = process.communicate(timeout=60)[0].splitlines()
        finally:
            fp.end(process)
    assert process.returncode == 1
    assert out == [f"fleet: port {port} is in use by another program", "fleet: stopped"]

"""The fleet (analytics/serving/fleet.py): nginx's configuration, and a real fleet that serves and
stops.
"""

from __future__ import annotations

import concurrent.futures
import gzip
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import deque
from pathlib import Path

import pytest
import streamlit

from analytics.pipeline import db, journal, readers
from analytics.serving import fleet, nginx, server
from tests.load import protocol
from tests.load import session as protocol_session

HEADER = ",".join(readers.IMPORT_COLUMNS)
NEW = "PDU,Gamma,South,2025-06-01,stated,2025-03,Inadequate,,,https://example.org/gamma-2025"

NGINX = nginx.nginx_path()
needs_nginx = pytest.mark.skipif(
    NGINX is None and not os.environ.get("CI"),
    reason="nginx is not installed (make test and .ci/run install it)",
)


@needs_nginx
def test_the_dashboard_command_serves_the_script_it_is_given(tmp_path):
    other = tmp_path / "dashboard.py"  # another checkout's (a benchmark's --repo)
    common = ["--server.headless", "true", "--server.address", "127.0.0.1", "--server.port"]
    options = ["--browser.gatherUsageStats", "false"]
    assert server.dashboard_command(8601, other) == [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(other),
        *common,
        "8601",
        *options,
    ]
    # by default the st.App that serves dashboard.py with the data API beside it
    assert server.dashboard_command(8602)[4] == str(
        Path(server.__file__).parents[2] / "ui" / "asgi.py"
    )


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
    port = server.free_port()
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
        backend = int(re.findall(r"on 127\.0\.0\.1:(\d+) \(pid", "\n".join(lines))[0])
        _the_plotly_bundle_travels_compressed(port, backend)
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


def test_a_clients_forwarded_header_is_overwritten_and_plain_http_waits_minutes(tmp_path):
    conf = nginx.nginx_config(tmp_path, "127.0.0.1", 8501, [9001], fleet_id="t0")
    assert "    proxy_set_header X-Forwarded-For $remote_addr;\n" in conf
    assert "$proxy_add_x_forwarded_for" not in conf  # which would pass the client's own on
    assert "real_ip" not in conf  # nobody's header is believed unless the operator says so
    assert "    proxy_read_timeout 120s;\n" in conf  # plain HTTP: minutes, not an hour
    stream = conf[conf.index("location = /_stcore/stream") : conf.index("location / {")]
    assert "proxy_read_timeout 3600s;" in stream  # a quiet websocket, pinged by Streamlit
    assert 'return 200 "t0\\n";' in conf
    trusted = nginx.nginx_config(
        tmp_path, "127.0.0.1", 8501, [9001], fleet_id="t0", trusted_proxies="192.0.2.7,10.0.0.0/8"
    )
    assert (
        "    set_real_ip_from 192.0.2.7;\n"
        "    set_real_ip_from 10.0.0.0/8;\n"
        "    real_ip_header X-Forwarded-For;\n"
        "    real_ip_recursive on;\n"
    ) in trusted


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


def _fleet(port: int, *args: str, cwd: Path | None = None, env: dict | None = None):
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


def _pids(lines: list[str]) -> list[int]:
    return [int(p) for p in re.findall(r"\(pid (\d+)\)", "\n".join(lines))]


def _end(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    if process.stdout is not None:
        process.stdout.close()


def _get(url: str, timeout: float = 90) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 -- loopback
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except OSError:
        return 0, ""  # nothing answers (yet)


def _private_tmp(monkeypatch, tmp_path) -> dict:
    """The fleets' records go to this test's own temporary folder (theirs and this process's)."""
    folder = tmp_path / "shared-tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return {**os.environ, "TMPDIR": str(folder)}


def _session_report(port: int) -> protocol_session.Rerun:
    async def one():
        s = protocol_session.Session(protocol_session.ws_address(f"http://127.0.0.1:{port}"), "")
        try:
            return await s.open()
        finally:
            await s.close()

    return protocol_session.run_apart(one)


@needs_nginx
def test_a_stopped_process_is_restarted_and_new_visitors_reach_the_other(
    store, monkeypatch, tmp_path
):
    """SIGSTOP one of two processes: new visitors, with no affinity yet, are all answered (nginx
    once waited an hour on it), and the supervisor kills and restarts it. The fleet is started
    with paths relative to where it was typed (they once named files in the checkout instead).
    """
    csv_dir, db_path = store
    env = _private_tmp(monkeypatch, tmp_path)
    port = server.free_port()
    process = _fleet(port, "--processes", "2", "--host", "127.0.0.1", "--db", db_path.name,
                     "--data", csv_dir.name, cwd=db_path.parent, env=env)  # fmt: skip
    try:
        lines = _read_until(process, r"^fleet: serving ", 180)
        stopped, other, _nginx = _pids(lines)
        report = _session_report(port)
        assert (report.finished, report.exceptions, report.errors) == (True, 0, 0), report
        os.kill(stopped, signal.SIGSTOP)
        with concurrent.futures.ThreadPoolExecutor(7) as pool:
            visits = list(pool.map(_get, [f"http://127.0.0.1:{port}/"] * 6))
            health = pool.submit(_get, f"http://127.0.0.1:{port}/_fleet/health").result()
        assert [status for status, _ in visits] == [200] * 6
        assert health == (200, "ok")
        said = _read_until(process, r"answered no health check", 60)[-1]
        assert re.fullmatch(
            r"fleet: dashboard on port \d+ answered no health check for 1\d s; restarting it "
            r"\(1 in 10 minutes\)",
            said,
        ), said
        assert not _alive(stopped) and _alive(other)
    finally:
        _end(process)


@needs_nginx
@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGQUIT, signal.SIGTERM])
def test_a_closed_terminal_or_quit_stops_everything(store, monkeypatch, tmp_path, sig):
    csv_dir, db_path = store
    env = _private_tmp(monkeypatch, tmp_path)
    port = server.free_port()
    process = _fleet(port, "--processes", "1", "--host", "127.0.0.1", "--db", str(db_path),
                     "--data", str(csv_dir), env=env)  # fmt: skip
    try:
        pids = _pids(_read_until(process, r"^fleet: serving ", 180))
        os.killpg(process.pid, sig)  # the terminal signals its foreground group
        rest = process.communicate(timeout=60)[0].splitlines()
        assert (process.returncode, rest[-1]) == (0, "fleet: stopped")
        assert [p for p in pids if _alive(p)] == []
        with socket.socket() as sock:
            assert sock.connect_ex(("127.0.0.1", port)) != 0
    finally:
        _end(process)


@needs_nginx
def test_a_killed_supervisors_processes_stop_and_a_new_fleet_serves_the_port(
    store, monkeypatch, tmp_path
):
    csv_dir, db_path = store
    env = _private_tmp(monkeypatch, tmp_path)
    port = server.free_port()
    common = ["--processes", "1", "--host", "127.0.0.1", "--db", str(db_path)]
    first = _fleet(port, *common, "--data", str(csv_dir), env=env)
    second = None
    try:
        pids = _pids(_read_until(first, r"^fleet: serving ", 180))
        os.kill(first.pid, signal.SIGKILL)  # the supervisor alone, as the OOM killer would
        first.wait()
        end = time.monotonic() + 20
        while [p for p in pids if _alive(p)] and time.monotonic() < end:
            time.sleep(0.1)
        assert [p for p in pids if _alive(p)] == []  # told to stop by the kernel
        second = _fleet(port, *common, "--data", str(csv_dir), env=env)
        lines = _read_until(second, r"^fleet: serving ", 180)
        assert not [line for line in lines if "left on port" in line]
        assert _get(f"http://127.0.0.1:{port}/_fleet/health") == (200, "ok")
    finally:
        _end(first)
        if second is not None:
            _end(second)


@needs_nginx
def test_what_a_vanished_fleet_left_is_stopped_and_a_running_one_is_not_doubled(
    store, monkeypatch, tmp_path
):
    csv_dir, db_path = store
    env = _private_tmp(monkeypatch, tmp_path)
    port = server.free_port()
    # an nginx left serving port P by a supervisor that is gone (no PR_SET_PDEATHSIG then)
    work = tmp_path / "old-work"
    work.mkdir()
    work.chmod(0o755)
    conf = work / "nginx.conf"
    conf.write_text(nginx.nginx_config(work, "127.0.0.1", port, [9], fleet_id="old"))
    old = subprocess.Popen(
        [NGINX, "-p", str(work), "-c", str(conf), "-e", str(work / "error.log")],
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
    while _get(f"http://127.0.0.1:{port}/_fleet/id", timeout=2)[1] != "old\n":
        assert time.monotonic() < end
        time.sleep(0.1)
    common = ["--processes", "1", "--host", "127.0.0.1", "--db", str(db_path)]
    new = _fleet(port, *common, "--data", str(csv_dir), env=env)
    again = None
    try:
        lines = _read_until(new, r"^fleet: serving ", 180)
        assert f"fleet: stopped 1 processes left on port {port} by pid {gone.pid}" in lines
        assert old.wait(timeout=10) is not None
        assert _get(f"http://127.0.0.1:{port}/_fleet/id")[1] not in ("old\n", "")
        # a second fleet on the same port while the first serves: refused, the first untouched
        again = _fleet(port, *common, "--data", str(csv_dir), env=env)
        out = again.communicate(timeout=60)[0].splitlines()
        assert again.returncode == 1
        assert (
            out[0]
            == f"fleet: a fleet is already serving port {port} (pid {new.pid}); stop it first"
        )
        assert _get(f"http://127.0.0.1:{port}/_fleet/health") == (200, "ok")
    finally:
        if old.poll() is None:
            old.kill()
            old.wait()
        _end(new)
        if again is not None:
            _end(again)


@needs_nginx
def test_a_port_held_by_another_program_is_said_not_served(store, monkeypatch, tmp_path):
    csv_dir, db_path = store
    env = _private_tmp(monkeypatch, tmp_path)
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        process = _fleet(port, "--processes", "1", "--host", "127.0.0.1", "--db", str(db_path),
                         "--data", str(csv_dir), env=env)  # fmt: skip
        try:
            out = process.communicate(timeout=60)[0].splitlines()
        finally:
            _end(process)
    assert process.returncode == 1
    assert out == [f"fleet: port {port} is in use by another program", "fleet: stopped"]


@needs_nginx
def test_an_import_killed_after_its_journal_entry_is_repaired_by_a_serving_fleet(
    store, monkeypatch, tmp_path
):
    csv_dir, db_path = store
    env = _private_tmp(monkeypatch, tmp_path)
    # the journal entry an import writes before its database swap, made on a copy
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    shutil.copy(db_path, scratch / db_path.name)
    new = tmp_path / "new.csv"
    new.write_text(f"{HEADER}\n{NEW}\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "analytics.cli", "import", str(new), "--data", str(csv_dir),
         "--db", str(scratch / db_path.name)],
        capture_output=True, text=True, check=False, cwd=Path(fleet.__file__).parents[1],
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    port = server.free_port()
    process = _fleet(port, "--processes", "1", "--host", "127.0.0.1", "--db", str(db_path),
                     "--data", str(csv_dir), env=env)  # fmt: skip
    try:
        _read_until(process, r"^fleet: serving ", 180)
        imports = journal.imports_dir_for(db_path)
        imports.mkdir(exist_ok=True)
        shutil.copy(journal.imports_dir_for(scratch / db_path.name) / "import-00001.json", imports)
        said = _read_until(process, r"rebuilt", 60)[-1]
        assert said == f"fleet: {db_path} rebuilt (its files or import journal changed)"
        con = db.connect(db_path)
        try:
            assert db.cursor(con).execute("select count(*) from inspections").fetchone() == (11,)
        finally:
            con.close()
    finally:
        _end(process)


@needs_nginx
def test_the_fleet_offers_no_sign_in_whatever_the_passwords_source(store, monkeypatch, tmp_path):
    csv_dir, db_path = store
    env = _private_tmp(monkeypatch, tmp_path)
    home = tmp_path / "home"
    (home / ".streamlit").mkdir(parents=True)
    (home / ".streamlit" / "secrets.toml").write_text('admin_password = "in secrets.toml"\n')
    env = {**env, "HOME": str(home), "PROBATION_RATINGS_ADMIN_PASSWORD": "in the environment"}
    port = server.free_port()
    process = _fleet(port, "--processes", "1", "--host", "127.0.0.1", "--db", str(db_path),
                     "--data", str(csv_dir), env=env)  # fmt: skip

    async def admin_page():
        s = protocol_session.Session(
            protocol_session.ws_address(f"http://127.0.0.1:{port}"), "", page_name="add-inspections"
        )
        try:
            return await s.open(), set(s.ids)
        finally:
            await s.close()

    try:
        _read_until(process, r"^fleet: serving ", 180)
        page, keys = protocol_session.run_apart(admin_page)
    finally:
        _end(process)
    assert "admin_password" not in keys and "import_file" not in keys
    assert page.alerts == (
        "This dashboard process only serves the database it is given (a fleet's public processes "
        "do), so it never offers sign-in or upload. Inspections are added on the server with "
        "`probation-ratings import`, or on an admin dashboard started beside the fleet (README: "
        "Serving many users).",
    )


def _fetch(url: str, *, compressed: bool) -> tuple[dict[str, str], bytes]:
    asked = {"Accept-Encoding": "gzip"} if compressed else {}
    request = urllib.request.Request(url, headers=asked)  # noqa: S310 -- a local URL
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 -- a local URL
        return {k.lower(): v for k, v in response.headers.items()}, response.read()


def _the_plotly_bundle_travels_compressed(port: int, backend: int) -> None:
    """Issue 28, point 3: Streamlit's bundles travel gzipped at gzip's best level (Streamlit
    serves them uncompressed), with the type and cache header a dashboard process gives them; a
    client that does not ask gets them plain.
    """
    static = Path(streamlit.__file__).parent / "static"
    (bundle,) = (static / "static" / "js").glob("PlotlyChart.*.js")
    original = bundle.read_bytes()
    url = f"http://127.0.0.1:{port}/static/js/{bundle.name}"
    headers, body = _fetch(url, compressed=True)
    assert headers["content-encoding"] == "gzip"
    assert headers["vary"] == "Accept-Encoding"
    assert gzip.decompress(body) == original
    # compressed before it was asked for: its length known (not chunked), as small as level 9
    assert int(headers["content-length"]) == len(body) <= len(gzip.compress(original, 9))
    plain_headers, plain = _fetch(url, compressed=False)
    assert "content-encoding" not in plain_headers
    assert plain == original
    assert "immutable" in headers["cache-control"]
    # a file of every kind Streamlit serves has the type and cache header a dashboard gives it
    kinds = {p.suffix: p for p in sorted((static / "static").rglob("*.*"))}
    assert sorted(kinds) == [".css", ".gif", ".js", ".png", ".svg", ".woff2"]
    for path in kinds.values():
        at = "/" + path.relative_to(static).as_posix()
        fleet_headers, fleet_body = _fetch(f"http://127.0.0.1:{port}{at}", compressed=False)
        direct_headers, direct = _fetch(f"http://127.0.0.1:{backend}{at}", compressed=False)
        assert fleet_body == direct
        for name in ("cache-control", "content-type"):
            assert fleet_headers[name] == direct_headers[name], (at, name)
    # a path under /static/ that Streamlit has no file for is still the dashboard's answer
    _, missing = _fetch(f"http://127.0.0.1:{port}/static/no-such.js", compressed=False)
    _, direct_missing = _fetch(f"http://127.0.0.1:{backend}/static/no-such.js", compressed=False)
    assert missing == direct_missing
    # the page itself, HTML, compressed too
    page_headers, _ = _fetch(f"http://127.0.0.1:{port}/", compressed=True)
    assert page_headers["content-encoding"] == "gzip"
    # the data API is served by the fleet too (every process runs it beside the dashboard)
    api_headers, api_body = _fetch(f"http://127.0.0.1:{port}/api/v1/kpis.json", compressed=False)
    assert api_headers["content-type"] == "application/json; charset=utf-8"
    assert json.loads(api_body)[0]["inspections"] > 0

"""The fleet (analytics/serving/fleet.py) serving: its command and options, nginx's
configuration, a real fleet that serves protocol sessions, repairs an import and compresses what
it sends. Keeping it up and stopping it: tests/test_fleet_supervision.py.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import streamlit

from analytics.pipeline import db, journal, readers
from analytics.serving import fleet, nginx, server
from tests import fleet_processes as fp
from tests.load import protocol
from tests.load import session as protocol_session

HEADER = ",".join(readers.IMPORT_COLUMNS)
NEW = "PDU,Gamma,South,2025-06-01,stated,2025-03,Inadequate,,,https://example.org/gamma-2025"


@fp.needs_nginx
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


@fp.needs_nginx
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
        lines = fp.read_until(process, r"^fleet: serving ", 180)
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
        assert [p for p in (*pids, *workers) if fp.alive(p)] == []
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


@fp.needs_nginx
def test_an_import_killed_after_its_journal_entry_is_repaired_by_a_serving_fleet(
    store, monkeypatch, tmp_path
):
    csv_dir, db_path = store
    env = fp.private_tmp(monkeypatch, tmp_path)
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
    process = fp.start(port, "--processes", "1", "--host", "127.0.0.1", "--db", str(db_path),
                     "--data", str(csv_dir), env=env)  # fmt: skip
    try:
        fp.read_until(process, r"^fleet: serving ", 180)
        imports = journal.imports_dir_for(db_path)
        imports.mkdir(exist_ok=True)
        shutil.copy(journal.imports_dir_for(scratch / db_path.name) / "import-00001.json", imports)
        said = fp.read_until(process, r"rebuilt", 60)[-1]
        assert said == f"fleet: {db_path} rebuilt (its files or import journal changed)"
        con = db.connect(db_path)
        try:
            assert db.cursor(con).execute("select count(*) from inspections").fetchone() == (11,)
        finally:
            con.close()
    finally:
        fp.end(process)


@fp.needs_nginx
def test_the_fleet_offers_no_sign_in_whatever_the_passwords_source(store, monkeypatch, tmp_path):
    csv_dir, db_path = store
    env = fp.private_tmp(monkeypatch, tmp_path)
    home = tmp_path / "home"
    (home / ".streamlit").mkdir(parents=True)
    (home / ".streamlit" / "secrets.toml").write_text('admin_password = "in secrets.toml"\n')
    env = {**env, "HOME": str(home), "PROBATION_RATINGS_ADMIN_PASSWORD": "in the environment"}
    port = server.free_port()
    process = fp.start(port, "--processes", "1", "--host", "127.0.0.1", "--db", str(db_path),
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
        fp.read_until(process, r"^fleet: serving ", 180)
        page, keys = protocol_session.run_apart(admin_page)
    finally:
        fp.end(process)
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

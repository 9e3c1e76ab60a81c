"""analytics/serving/server.py: whose X-Forwarded-For a dashboard believes, and the sign-in back-off as a
real server sees it (websocket sessions, each claiming another client address).
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
import time

import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetState

from analytics import locations
from analytics.errors import ConfigurationError
from analytics.serving import server, throttle
from tests.load.session import Session, run_apart, ws_address

PASSWORD = "correct horse battery staple"  # noqa: S105 -- the test's own


def test_a_dashboard_believes_nobodys_forwarded_header_unless_told():
    env = server.dashboard_env({"PATH": "/usr/bin"})
    assert env == {
        "PATH": "/usr/bin",
        "PROBATION_RATINGS_TRUSTED_PROXIES": "",
        "FORWARDED_ALLOW_IPS": "",  # uvicorn's own default would be 127.0.0.1,::1
    }
    told = server.dashboard_env({"PROBATION_RATINGS_TRUSTED_PROXIES": " 10.0.0.1 ,192.0.2.0/24"})
    assert told["FORWARDED_ALLOW_IPS"] == "10.0.0.1,192.0.2.0/24"
    assert server.dashboard_env({}, trusted_proxies="127.0.0.1")["FORWARDED_ALLOW_IPS"] == (
        "127.0.0.1"
    )
    with pytest.raises(ConfigurationError):
        server.dashboard_env({"PROBATION_RATINGS_TRUSTED_PROXIES": "*"})


def test_serve_refuses_a_bad_trusted_proxies_setting_in_one_line():
    result = subprocess.run(
        [sys.executable, "-m", "analytics.cli", "serve", "--port", "8599"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PROBATION_RATINGS_TRUSTED_PROXIES": "everyone"},
    )
    assert (result.returncode, result.stdout, result.stderr) == (
        2,
        "",
        "error: PROBATION_RATINGS_TRUSTED_PROXIES: 'everyone' is not an IP address or network "
        "(e.g. 127.0.0.1, 10.0.0.0/8)\n",
    )


async def _guess_all(url: str, addresses: list[str]) -> list[tuple[str, ...]]:
    """One new session per address, each claiming it in X-Forwarded-For, each opening the Add
    inspections page; then every session sends a wrong password at once. What each was told.
    """
    sessions = [
        Session(ws_address(url), "", headers={"X-Forwarded-For": a}, page_name="add-inspections")
        for a in addresses
    ]
    try:
        opened = await asyncio.gather(*(s.open() for s in sessions))
        assert all(r.finished for r in opened)
        for s in sessions:
            assert {"admin_password", "sign_in_submit"} <= set(s.ids), s.ids
            s.states["admin_password"] = WidgetState(
                id=s.ids["admin_password"], string_value="a wrong guess"
            )
            s.states["sign_in_submit"] = WidgetState(id=s.ids["sign_in_submit"], trigger_value=True)
        answers = await asyncio.gather(*(s.rerun("guess") for s in sessions))
        return [a.alerts for a in answers]
    finally:
        await asyncio.gather(*(s.close() for s in sessions))


def _start(command: list[str], env: dict[str, str], port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        command, env=env, cwd=locations.ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    end = time.monotonic() + 120
    while not server.healthy(f"http://127.0.0.1:{port}/_stcore/health"):
        assert process.poll() is None and time.monotonic() < end, "the dashboard did not start"
        time.sleep(0.2)
    return process


@pytest.mark.parametrize(
    ("started_by", "key"),
    [
        # `probation-ratings serve` (make run): the server believes no forwarded header, so a
        # client is its connection's address (loopback here: "local")
        ("serve", throttle.LOCAL),
        # `streamlit run` by hand: uvicorn believes loopback's header, so the dashboard counts
        # every client that sends one under one key
        ("streamlit run", throttle.FORWARDED),
    ],
)
def test_thirty_guesses_claiming_thirty_addresses_are_slowed_as_one_client(store, started_by, key):
    csv_dir, db_path = store
    port = server.free_port()
    env = {
        **os.environ,
        "PROBATION_RATINGS_ADMIN_PASSWORD": PASSWORD,
        "PROBATION_RATINGS_DATA": str(csv_dir),
        "PROBATION_RATINGS_DB": str(db_path),
    }
    env.pop("FORWARDED_ALLOW_IPS", None)
    if started_by == "serve":
        command = [sys.executable, "-m", "analytics.cli", "serve", "--port", str(port)]
        command += ["--host", "127.0.0.1"]
    else:
        command = server.dashboard_command(port)
    process = _start(command, env, port)
    try:
        addresses = [f"198.51.100.{i}" for i in range(1, 31)]
        answers = run_apart(lambda: _guess_all(f"http://127.0.0.1:{port}", addresses))
    finally:
        process.terminate()
        process.wait(timeout=30)
    compared = [a for a in answers if a == ("Wrong password.",)]
    refused = [a for a in answers if a and a[0].startswith("Too many wrong passwords: try again")]
    assert len(compared) + len(refused) == 30, answers
    # made at once by one client: the first is compared, and whichever come after it within
    # its pause are refused uncompared (forged addresses once gave every guess its own count)
    assert 1 <= len(compared) <= 3, answers
    with sqlite3.connect(throttle.backoff_path(db_path)) as con:
        counted = con.execute("select client, count from failures").fetchall()
    assert counted == [(key, len(compared))]

"""Fleet benchmark: one process direct against two behind nginx, same load, same run; then an
import under load.

A script, not a test (it measures; nothing here asserts a time). On a copy of the shipped data:
starts one dashboard process and a fleet of ``--processes`` behind nginx, drives each with the
protocol client (``--sessions`` for ``--seconds``), and reports both and their throughput ratio.
Then it drives the fleet again and, half-way, runs ``probation-ratings import`` of one new unit
against the fleet's database; afterwards it opens a session on each dashboard process directly
and checks that it knows the new unit (no "unknown unit" warning for a link naming it).

    .venv/bin/python tests/load/bench_fleet.py --sessions 20 --seconds 60
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
from analytics.pipeline.readers import IMPORT_COLUMNS  # noqa: E402
from analytics.serving import server  # noqa: E402
from tests import serve  # noqa: E402 -- this file runs as a script: the path comes first
from tests.load import protocol  # noqa: E402

NEW_UNIT = "Synthetic fleet import test unit"
IMPORT_ROWS = (
    ",".join(IMPORT_COLUMNS) + f"\r\nPDU,{NEW_UNIT},Wales,2026-01,stated,,Inadequate,,,\r\n"
)


def start_fleet(work: Path, processes: int) -> tuple[subprocess.Popen, str, list[int], list[int]]:
    """The fleet's process, URL, dashboard pids and ports."""
    port = server.free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "analytics.cli", "fleet", "--processes", str(processes)]
        + ["--port", str(port), "--host", "127.0.0.1"]
        + ["--db", str(work / "ratings.duckdb"), "--data", str(work / "csv")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        cwd=REPO,
    )
    lines = []
    assert process.stdout is not None
    for line in process.stdout:
        lines.append(line)
        if line.startswith("fleet: serving"):
            break
    text = "".join(lines)
    pids = [int(p) for p in re.findall(r"\(pid (\d+)\)", text)][:processes]
    ports = [int(p) for p in re.findall(r"on 127\.0\.0\.1:(\d+) \(pid", text)]
    return process, f"http://127.0.0.1:{port}", pids, ports


async def warnings_for(url: str, query: str) -> list[str]:
    """The warning texts a fresh session on ``url`` shows for the link ``query``."""
    ws = await websockets.connect(protocol.ws_address(url), subprotocols=["streamlit"])
    back = BackMsg()
    back.rerun_script.query_string = query
    await ws.send(back.SerializeToString())
    texts = []
    while True:
        msg = ForwardMsg()
        msg.ParseFromString(await ws.recv())
        if msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            if element.WhichOneof("type") == "alert":
                texts.append(element.alert.body)
        if msg.WhichOneof("type") == "script_finished":
            break
    await ws.close()
    return texts


async def load_with_import(url: str, work: Path, pids: list[int], args) -> dict:
    """Drive the fleet; half-way, import one new unit into its database."""

    async def importer() -> dict:
        await asyncio.sleep(args.seconds / 2)
        (work / "new.csv").write_text(IMPORT_ROWS, encoding="utf-8")
        start = time.perf_counter()
        result = await asyncio.to_thread(
            subprocess.run,
            [str(Path(sys.executable).parent / "probation-ratings"), "import"]
            + [str(work / "new.csv"), "--allow-new-units"]
            + ["--db", str(work / "ratings.duckdb"), "--data", str(work / "csv")],
            capture_output=True,
            text=True,
            check=False,
        )
        return {
            "exit": result.returncode,
            "seconds": round(time.perf_counter() - start, 2),
            "output": (result.stdout + result.stderr).strip()[-300:],
        }

    load = protocol.run(
        url,
        sessions=args.sessions,
        seconds=args.seconds,
        changes=args.changes,
        seed=args.seed + 1000,
        pids=pids,
        links=tuple(args.link),
    )
    report, imported = await asyncio.gather(load, importer())
    return {"load": report, "import": imported}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--changes", type=int, default=2)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--link",
        action="append",
        default=[],
        help="open only these query strings (repeatable; '' is the default view: with "
        "--changes 0, every page the same, the floor of a page whose views are all cached)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copytree(
            REPO / "data", work / "csv", ignore=shutil.ignore_patterns("*.duckdb*", "*.imports")
        )
        subprocess.run(
            [str(Path(sys.executable).parent / "probation-ratings"), "build-db"]
            + ["--data", str(work / "csv"), "--db", str(work / "ratings.duckdb")],
            check=True,
            capture_output=True,
        )
        env = {
            "PROBATION_RATINGS_DATA": str(work / "csv"),
            "PROBATION_RATINGS_DB": str(work / "ratings.duckdb"),
            "PROBATION_RATINGS_SERVE_ONLY": "1",
        }
        single, single_url = serve.start(env)
        fleet_process, fleet_url, pids, ports = start_fleet(work, args.processes)
        options = dict(
            sessions=args.sessions,
            seconds=args.seconds,
            changes=args.changes,
            links=tuple(args.link),
        )
        try:
            direct = asyncio.run(
                protocol.run(single_url, **options, seed=args.seed, pids=[single.pid])
            )
            serve.stop(single)
            behind = asyncio.run(protocol.run(fleet_url, **options, seed=args.seed, pids=pids))
            under_import = asyncio.run(load_with_import(fleet_url, work, pids, args))
            query = urllib.parse.urlencode({"unit": NEW_UNIT})
            after = {
                str(port): asyncio.run(warnings_for(f"http://127.0.0.1:{port}", query))
                for port in ports
            }
        finally:
            if single.poll() is None:
                serve.stop(single)
            os.killpg(fleet_process.pid, signal.SIGTERM)
            fleet_process.wait(timeout=60)
    report = {
        "one_process_direct": direct,
        f"{args.processes}_processes_behind_nginx": behind,
        "throughput_ratio": round(behind["reruns_per_s"] / direct["reruns_per_s"], 2),
        "import_under_load": under_import,
        "each_process_after_import": {
            port: "serves the new unit"
            if not any(NEW_UNIT in w for w in warnings)
            else f"does not know it: {warnings}"
            for port, warnings in after.items()
        },
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

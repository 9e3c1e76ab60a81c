"""Protocol-level load: simulated sessions that speak Streamlit's websocket protocol.

A script, not a test (it measures; nothing here asserts a time). Each simulated session does
what a manager's browser does, minus the drawing: it connects to ``/_stcore/stream``, asks for a
script run with a filtered link's query string (a page open), then changes a filter or a tab the
way the browser would (a rerun carrying the widget states), and times each request until the
server's ``script_finished``. It counts exception elements, error alerts and reruns that never
finish, and reports reruns/s, p50, p95 and max seconds, and the server's CPU and peak memory.
Bounded: at most 200 sessions, 600 s, 60 s per rerun; loopback addresses only.

    .venv/bin/python tests/load/protocol.py --sessions 20 --seconds 60
    .venv/bin/python tests/load/protocol.py --url http://127.0.0.1:8501 --sessions 5 --seconds 30

Without ``--url`` it starts the dashboard on a copy of the shipped data in a temporary folder.
Prints one JSON report.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import random
import shutil
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import websockets
from streamlit.proto.WidgetStates_pb2 import WidgetState

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
from analytics.vocab import RATING_NAMES, UNIT_TYPES  # noqa: E402
from tests import serve  # noqa: E402 -- this file runs as a script: the path comes first
from tests.load.session import Rerun, Session, ws_address  # noqa: E402

MAX_SESSIONS = 200
MAX_SECONDS = 600
TABS = ("Overview", "Trends", "Domains", "Units", "Compare", "Data", "About")
# filters a browser changes by widget: the sidebar's multiselects, and the tabs
MULTISELECTS = ("f_region", "f_unit_type", "f_rating")


@dataclass
class Vocabulary:
    """What links and filter changes are drawn from: the shipped data's names."""

    regions: list[str]
    units: list[str]

    @classmethod
    def from_data(cls, data_dir: Path = REPO / "data") -> Vocabulary:
        with (data_dir / "units.csv").open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        regions = sorted({r["region"] for r in rows if r["region"]})
        units = sorted({r["unit_name"] for r in rows if r["unit_type"] == "PDU"})
        return cls(regions=regions, units=units)


def random_link(rng: random.Random, vocab: Vocabulary) -> str:
    """A query string a manager might open: a tab and zero to three filters."""
    params: list[tuple[str, str]] = [("tab", rng.choice(TABS))]
    choices = [
        lambda: [("region", r) for r in rng.sample(vocab.regions, rng.randint(1, 2))],
        lambda: [("unit_type", rng.choice(UNIT_TYPES))],
        lambda: [("rating", r) for r in rng.sample(RATING_NAMES, rng.randint(1, 2))],
        lambda: [("from", f"{rng.randint(2018, 2024)}-01-01")],
        lambda: [("unit", rng.choice(vocab.units))],
        lambda: [("compare", u) for u in rng.sample(vocab.units, 2)],
    ]
    for pick in rng.sample(choices, rng.randint(0, 3)):
        params += pick()
    return urllib.parse.urlencode(params)


async def change(session: Session, rng: random.Random, vocab: Vocabulary) -> Rerun:
    """A filter or tab change, sent as the widget states a browser would send."""
    key = rng.choice([k for k in (*MULTISELECTS, "tab") if k in session.states] or ["tab"])
    state = WidgetState(id=session.ids.get(key, ""))
    if key == "tab":
        state.string_value = rng.choice(TABS)
    else:
        pool = {"f_region": vocab.regions, "f_unit_type": UNIT_TYPES, "f_rating": RATING_NAMES}
        state.string_array_value.data.extend(rng.sample(list(pool[key]), 1))
    if state.id:
        session.states[key] = state
    return await session.rerun("change")


async def simulate(
    ws_url: str,
    vocab: Vocabulary,
    *,
    seed: int,
    end: float,
    changes: int,
    results: list,
    links: tuple[str, ...] = (),
) -> None:
    """One simulated manager until ``end``: open a random link, make ``changes``, leave, repeat."""
    rng = random.Random(seed)  # noqa: S311 -- choosing links, not secrets
    while time.perf_counter() < end:
        link = rng.choice(links) if links else random_link(rng, vocab)
        session = Session(ws_url, link)
        try:
            results.append(await session.open())
            for _ in range(changes):
                if time.perf_counter() >= end:
                    break
                results.append(await change(session, rng, vocab))
        except (OSError, websockets.WebSocketException):
            results.append(Rerun("open", 0.0, False))
        finally:
            await session.close()


def _quantile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))], 3)


def summarise(results: list[Rerun], seconds: float) -> dict:
    """Reruns/s, p50/p95/max seconds and problem counts, overall and per kind."""

    def block(rows: list[Rerun]) -> dict:
        done = [r.seconds for r in rows if r.finished]
        return {
            "reruns": len(rows),
            "finished": len(done),
            "p50_s": _quantile(done, 0.5),
            "p95_s": _quantile(done, 0.95),
            "max_s": round(max(done), 3) if done else None,
        }

    return {
        **block(results),
        "reruns_per_s": round(sum(r.finished for r in results) / seconds, 2),
        "unfinished": sum(not r.finished for r in results),
        "exceptions": sum(r.exceptions for r in results),
        "error_alerts": sum(r.errors for r in results),
        # the first few distinct things the problems said, to find them in the server's log
        "problems": sorted({p for r in results for p in r.problems})[:10],
        "opens": block([r for r in results if r.kind == "open"]),
        "changes": block([r for r in results if r.kind == "change"]),
    }


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds of the processes (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / tick


def peak_rss_mb(pids: list[int]) -> float:
    """Sum of the processes' peak resident memory (VmHWM), MiB."""
    total = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                total += int(line.split()[1])
    return round(total / 1024, 1)


async def run(
    url: str,
    *,
    sessions: int,
    seconds: float,
    changes: int,
    seed: int,
    pids: list[int],
    links: tuple[str, ...] = (),
    data_dir: Path = REPO / "data",
) -> dict:
    """Run ``sessions`` simulated managers for ``seconds`` against ``url``; the report.
    Links name the regions and units of the CSVs in ``data_dir`` (the served data's).
    """
    vocab = Vocabulary.from_data(data_dir)
    ws_url = ws_address(url)
    results: list[Rerun] = []
    cpu_before = cpu_seconds(pids) if pids else None
    client_before = time.process_time()
    start = time.perf_counter()
    end = start + seconds
    await asyncio.gather(
        *(
            simulate(
                ws_url,
                vocab,
                seed=seed + i,
                end=end,
                changes=changes,
                results=results,
                links=links,
            )
            for i in range(sessions)
        )
    )
    elapsed = time.perf_counter() - start
    report = {
        "url": url,
        "sessions": sessions,
        "seconds": round(elapsed, 1),
        "changes_per_open": changes,
        **summarise(results, elapsed),
    }
    # the client shares the machine's cores with the server: what it used is not the server's
    report["client_cpu_s"] = round(time.process_time() - client_before, 1)
    if pids:
        used = cpu_seconds(pids) - cpu_before
        finished = sum(r.finished for r in results)
        report["server_cpu_s"] = round(used, 1)
        report["server_cpu_s_per_rerun"] = round(used / finished, 3) if finished else None
        report["server_peak_rss_mb"] = peak_rss_mb(pids)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running dashboard (loopback); default: start one")
    parser.add_argument("--pid", type=int, action="append", default=[], help="its server pid(s)")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--changes", type=int, default=2, help="filter changes per page open")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--link", action="append", default=[], help="open only these query strings (repeatable)"
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=REPO / "data",
        help="CSV folder whose region and unit names the links use (with --url: the served data)",
    )
    args = parser.parse_args(argv)
    if not 1 <= args.sessions <= MAX_SESSIONS:
        parser.error(f"--sessions must be 1 to {MAX_SESSIONS}")
    if not 1 <= args.seconds <= MAX_SECONDS:
        parser.error(f"--seconds must be 1 to {MAX_SECONDS}")
    if not 0 <= args.changes <= 20:
        parser.error("--changes must be 0 to 20")
    options = dict(
        sessions=args.sessions,
        seconds=args.seconds,
        changes=args.changes,
        links=tuple(args.link),
    )
    if args.url:
        report = asyncio.run(
            run(args.url, **options, seed=args.seed, pids=args.pid, data_dir=args.data)
        )
    else:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            csv_dir = work / "csv"
            shutil.copytree(
                REPO / "data", csv_dir, ignore=shutil.ignore_patterns("*.duckdb*", "*.imports")
            )
            server, url = serve.start(
                {
                    "PROBATION_RATINGS_DATA": str(csv_dir),
                    "PROBATION_RATINGS_DB": str(work / "ratings.duckdb"),
                }
            )
            try:
                report = asyncio.run(run(url, **options, seed=args.seed, pids=[server.pid]))
            finally:
                serve.stop(server)
    print(json.dumps(report, indent=2))
    return 0 if report["unfinished"] == 0 and report["exceptions"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

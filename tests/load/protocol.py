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
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
from analytics.vocab import RATING_NAMES, UNIT_TYPES  # noqa: E402
from tests import serve  # noqa: E402 -- this file runs as a script: the path comes first

MAX_SESSIONS = 200
MAX_SECONDS = 600
RERUN_TIMEOUT_S = 60.0
LOOPBACK = ("127.0.0.1", "localhost", "::1")
TABS = ("Overview", "Trends", "Domains", "Units", "Compare", "Data", "About")
# filters a browser changes by widget: the sidebar's multiselects, and the tabs
MULTISELECTS = ("f_region", "f_unit_type", "f_rating")


@dataclass
class Rerun:
    """One request's outcome: a page open or a widget change, timed to ``script_finished``."""

    kind: str
    seconds: float
    finished: bool
    exceptions: int = 0
    errors: int = 0
    problems: tuple[str, ...] = ()  # what the exceptions and error alerts said


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


def _browser_state(kind: str, widget) -> WidgetState | None:
    """The state a browser holds for a widget it has just drawn: its value, as the server set it.

    The frontend sends every drawn widget's state with each rerun; a rerun lacking one resets
    that widget to its constructor default, which no browser does. Buttons send a trigger only
    when clicked, so they have no standing state.
    """
    state = WidgetState(id=widget.id)
    if kind == "multiselect":
        values = (
            widget.raw_values if widget.set_value else [widget.options[i] for i in widget.default]
        )
        state.string_array_value.data.extend(values)
    elif kind == "slider":
        state.double_array_value.data.extend(widget.value if widget.set_value else widget.default)
    elif kind == "checkbox":
        state.bool_value = widget.value if widget.set_value else widget.default
    elif kind in ("selectbox", "radio"):
        if widget.set_value:
            state.string_value = widget.raw_value
        elif widget.HasField("default") and widget.options:
            state.string_value = widget.options[widget.default]
        else:
            return None
    elif kind == "number_input":
        if not (widget.set_value or widget.HasField("default")):
            return None
        state.double_value = widget.value if widget.set_value else widget.default
    elif kind == "tab_container":
        state.string_value = widget.default_tab_label
    elif kind == "expandable":
        state.bool_value = widget.expanded
    else:
        return None
    return state


def _user_key(element_id: str) -> str | None:
    # keyed widget ids end with "-<key>" (streamlit's compute_and_register_element_id)
    return element_id.rsplit("-", 1)[-1] if "-" in element_id else None


def _record_widgets(msg: ForwardMsg, states: dict[str, WidgetState], ids: dict[str, str]) -> None:
    """Keep the state of each widget a delta draws, as a browser does, by its user key; ``ids``
    collects the keys drawn in this run.
    """
    delta = msg.delta
    kind = delta.WhichOneof("type")
    if kind == "new_element":
        which = delta.new_element.WhichOneof("type")
        widget = getattr(delta.new_element, which) if which else None
    elif kind == "add_block":
        which = delta.add_block.WhichOneof("type")
        widget = getattr(delta.add_block, which) if which else None
    else:
        return
    element_id = getattr(widget, "id", "") if widget is not None else ""
    key = _user_key(element_id) if element_id else None
    if key is None:
        return
    ids[key] = element_id
    known = states.get(key)
    if known is not None and known.id == element_id and not getattr(widget, "set_value", False):
        return  # the browser keeps what it holds unless the server sets a new value
    state = _browser_state(which, widget)
    if state is not None:
        states[key] = state


def _problems(msg: ForwardMsg) -> tuple[int, int, str]:
    """(exception elements, error alerts, what it said) in one message."""
    if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
        return 0, 0, ""
    element = msg.delta.new_element
    which = element.WhichOneof("type")
    if which == "exception":
        return 1, 0, f"{element.exception.type}: {element.exception.message}"[:300]
    if which == "alert" and element.alert.format == 1:  # Alert.ERROR
        return 0, 1, element.alert.body[:300]
    return 0, 0, ""


@dataclass
class Session:
    """One simulated browser tab: its websocket, its link and the widget states it has sent."""

    ws_url: str
    query_string: str
    ws: object = None
    page_hash: str = ""
    ids: dict[str, str] = field(default_factory=dict)
    states: dict[str, WidgetState] = field(default_factory=dict)

    async def connect(self) -> None:
        """Load the page (as a browser does first: a load balancer may set its affinity
        cookie there), then open the websocket carrying that cookie.
        """
        cookie = await asyncio.to_thread(page_cookie, http_address(self.ws_url), self.query_string)
        self.ws = await websockets.connect(
            self.ws_url,
            subprotocols=["streamlit"],
            max_size=None,
            open_timeout=RERUN_TIMEOUT_S,
            additional_headers={"Cookie": cookie} if cookie else None,
        )

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def _rerun(self, kind: str) -> Rerun:
        back = BackMsg()
        back.rerun_script.query_string = self.query_string
        back.rerun_script.page_script_hash = self.page_hash
        back.rerun_script.widget_states.widgets.extend(self.states.values())
        start = time.perf_counter()
        await self.ws.send(back.SerializeToString())
        exceptions = errors = 0
        said: list[str] = []
        self.ids = {}
        deadline = start + RERUN_TIMEOUT_S
        while True:
            left = deadline - time.perf_counter()
            try:
                raw = await asyncio.wait_for(self.ws.recv(), timeout=max(left, 0.001))
            except (TimeoutError, websockets.ConnectionClosed):
                seconds = time.perf_counter() - start
                return Rerun(kind, seconds, False, exceptions, errors, tuple(said))
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            which = msg.WhichOneof("type")
            if which == "new_session":
                self.page_hash = msg.new_session.page_script_hash or self.page_hash
            elif which == "delta":
                _record_widgets(msg, self.states, self.ids)
                e, a, text = _problems(msg)
                exceptions, errors = exceptions + e, errors + a
                if text:
                    said.append(text)
            elif which == "script_finished":
                status = msg.script_finished
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # a callback's rerun follows; wait for the one that finishes
                ok = status == ForwardMsg.FINISHED_SUCCESSFULLY
                # the frontend forgets the state of widgets the finished run did not draw
                self.states = {k: v for k, v in self.states.items() if k in self.ids}
                seconds = time.perf_counter() - start
                if not ok:
                    said.append(f"script finished with status {status}")
                return Rerun(kind, seconds, ok, exceptions + (not ok), errors, tuple(said))

    async def open(self) -> Rerun:
        """A page open: a fresh session's first script run for the link."""
        await self.connect()
        return await self._rerun("open")

    async def change(self, rng: random.Random, vocab: Vocabulary) -> Rerun:
        """A filter or tab change, sent as the widget states a browser would send."""
        key = rng.choice([k for k in (*MULTISELECTS, "tab") if k in self.states] or ["tab"])
        state = WidgetState(id=self.ids.get(key, ""))
        if key == "tab":
            state.string_value = rng.choice(TABS)
        else:
            pool = {"f_region": vocab.regions, "f_unit_type": UNIT_TYPES, "f_rating": RATING_NAMES}
            state.string_array_value.data.extend(rng.sample(list(pool[key]), 1))
        if state.id:
            self.states[key] = state
        return await self._rerun("change")


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
                results.append(await session.change(rng, vocab))
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


def page_cookie(base: str, query_string: str) -> str:
    """GET the page; the cookies it sets, as a Cookie header's value ("" if none)."""
    url = f"{base}/?{query_string}" if query_string else f"{base}/"
    with urllib.request.urlopen(url, timeout=RERUN_TIMEOUT_S) as response:  # noqa: S310 -- loopback
        response.read()
        cookies = response.headers.get_all("Set-Cookie") or []
    return "; ".join(c.split(";", 1)[0].strip() for c in cookies)


def http_address(ws_url: str) -> str:
    """The dashboard's base URL from its websocket address."""
    base = ws_url.removesuffix("/_stcore/stream")
    return "https" + base[3:] if base.startswith("wss") else "http" + base[2:]


def ws_address(url: str) -> str:
    """The websocket address of a dashboard's base URL, refusing anything but loopback."""
    parts = urllib.parse.urlsplit(url)
    if parts.hostname not in LOOPBACK:
        raise SystemExit(f"error: --url must be a loopback address, not {parts.hostname!r}")
    scheme = "wss" if parts.scheme == "https" else "ws"
    return f"{scheme}://{parts.netloc}{parts.path.rstrip('/')}/_stcore/stream"


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

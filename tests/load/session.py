"""One simulated browser tab speaking Streamlit's websocket protocol (``/_stcore/stream``).

It loads the page over HTTP first (a load balancer may set its affinity cookie there), opens the
websocket with Streamlit's own protobufs, asks for script runs with the link's query string and
every widget state it holds (as the frontend does), and times each run to ``script_finished``,
counting exception elements and error alerts. Loopback addresses only. Used by
:mod:`tests.load.protocol`.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

RERUN_TIMEOUT_S = 60.0
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass
class Rerun:
    """One request's outcome: a page open or a widget change, timed to ``script_finished``."""

    kind: str
    seconds: float
    finished: bool
    exceptions: int = 0
    errors: int = 0
    problems: tuple[str, ...] = ()  # what the exceptions and error alerts said
    alerts: tuple[str, ...] = ()  # every alert's text (error, warning, info, success), in order


def browser_state(kind: str, widget) -> WidgetState | None:
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
    state = browser_state(which, widget)
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
    headers: dict[str, str] = field(default_factory=dict)  # sent with the page and websocket
    page_name: str = ""  # another page of the app than the first ("add_inspections")
    ws: object = None
    page_hash: str = ""
    ids: dict[str, str] = field(default_factory=dict)
    states: dict[str, WidgetState] = field(default_factory=dict)

    async def connect(self) -> None:
        """Load the page (as a browser does first: a load balancer may set its affinity
        cookie there), then open the websocket carrying that cookie.
        """
        cookie = await asyncio.to_thread(
            page_cookie, http_address(self.ws_url), self.query_string, self.headers
        )
        self.ws = await websockets.connect(
            self.ws_url,
            subprotocols=["streamlit"],
            max_size=None,
            open_timeout=RERUN_TIMEOUT_S,
            additional_headers={**self.headers, **({"Cookie": cookie} if cookie else {})},
        )

    async def close(self) -> None:
        """Close the websocket."""
        if self.ws is not None:
            await self.ws.close()

    async def rerun(self, kind: str) -> Rerun:
        """Ask for a script run with the link and every held widget state; time it."""
        back = BackMsg()
        back.rerun_script.query_string = self.query_string
        # a named page is asked for by name on every run (new_session's hash is the entry
        # script's under st.navigation)
        back.rerun_script.page_script_hash = "" if self.page_name else self.page_hash
        back.rerun_script.page_name = self.page_name
        back.rerun_script.widget_states.widgets.extend(self.states.values())
        start = time.perf_counter()
        await self.ws.send(back.SerializeToString())
        exceptions = errors = 0
        said: list[str] = []
        alerts: list[str] = []
        self.ids = {}
        deadline = start + RERUN_TIMEOUT_S
        while True:
            left = deadline - time.perf_counter()
            try:
                raw = await asyncio.wait_for(self.ws.recv(), timeout=max(left, 0.001))
            except (TimeoutError, websockets.ConnectionClosed):
                seconds = time.perf_counter() - start
                return Rerun(kind, seconds, False, exceptions, errors, tuple(said), tuple(alerts))
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            which = msg.WhichOneof("type")
            if which == "new_session":
                self.page_hash = msg.new_session.page_script_hash or self.page_hash
            elif which == "delta":
                _record_widgets(msg, self.states, self.ids)
                if msg.delta.new_element.WhichOneof("type") == "alert":
                    alerts.append(msg.delta.new_element.alert.body)
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
                return Rerun(
                    kind, seconds, ok, exceptions + (not ok), errors, tuple(said), tuple(alerts)
                )

    async def open(self) -> Rerun:
        """A page open: a fresh session's first script run for the link."""
        await self.connect()
        return await self.rerun("open")


def page_cookie(base: str, query_string: str, headers: dict[str, str] | None = None) -> str:
    """GET the page; the cookies it sets, as a Cookie header's value ("" if none)."""
    url = f"{base}/?{query_string}" if query_string else f"{base}/"
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 -- loopback
    with urllib.request.urlopen(request, timeout=RERUN_TIMEOUT_S) as response:  # noqa: S310
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


def run_apart(make):
    """``asyncio.run(make())`` in a thread of its own: the calling thread may already run an event
    loop (Playwright's, in a test process), where ``asyncio.run`` refuses to start another.
    """
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(make())).result()

"""A fleet: N dashboard processes on one read-only database, with Debian's nginx in front.

``probation-ratings fleet`` (and ``make fleet``) runs in the foreground. It builds the database
once if needed, starts the dashboard processes on free loopback ports with
``PROBATION_RATINGS_SERVE_ONLY=1`` (they serve the file they are given, never rebuild it and
never offer sign-in or upload), waits until each answers its health check, then starts nginx in
front of them (:mod:`.nginx`). Ctrl+C, SIGTERM, SIGHUP (a closed terminal) or SIGQUIT stops
every process it started; if the supervisor itself is killed, its children are told to
stop by the kernel (``PR_SET_PDEATHSIG``), and a record of them lets the next fleet on the port
find any left behind.

Supervision, every :data:`POLL_S` seconds: a process that exits, or that answers no health check
for :data:`HUNG_AFTER_S` seconds, is killed and restarted; one restarted :data:`MAX_RESTARTS`
times within :data:`RESTART_WINDOW_S` is left stopped while the others serve (the site stops
only when none is left). When the CSVs or the import journal change (an import killed between
its journal entry and its database swap leaves exactly that), the database is rebuilt under the
import lock, as the CLI does; the processes serve the new file from their next rerun.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from analytics import locations, settings
from analytics.errors import AnalyticsError, FleetError, InvalidInputError, MissingPackageError
from analytics.pipeline import db, journal, store
from analytics.serving import nginx, throttle
from analytics.serving.children import clear_stale, die_with_parent, record_path
from analytics.serving.server import dashboard_command, dashboard_env, free_port, healthy

MAX_PROCESSES = 16
START_TIMEOUT_S = 120.0  # a process's first answer (imports, the first connection)
POLL_S = 2.0  # how often the supervisor checks its processes
PROBE_TIMEOUT_S = 2.0  # one health check's wait
HUNG_AFTER_S = 10.0  # no answer for this long after answering once: hung, restarted
MAX_RESTARTS = 5  # of one process within RESTART_WINDOW_S before it is left stopped
RESTART_WINDOW_S = 600.0
SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)


def _answers(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(2)
        return sock.connect_ex((host, port)) == 0


@dataclass
class Backend:
    """One dashboard process of the fleet: its port, its process and its history."""

    port: int
    process: subprocess.Popen
    started: float
    last_ok: float | None = None
    restarts: deque = field(default_factory=deque)
    stopped: bool = False  # left stopped after too many restarts

    @property
    def health_url(self) -> str:
        """Its Streamlit health check."""
        return f"http://127.0.0.1:{self.port}/_stcore/health"


@dataclass
class Fleet:
    """The processes a fleet started, how to keep them serving and how to stop them all."""

    db_path: Path
    data_dir: Path
    host: str
    port: int
    processes: int
    say: Callable[[str], None] = print
    work: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="pr-fleet-")))
    backends: list[Backend] = field(default_factory=list)
    nginx: subprocess.Popen | None = None
    fleet_id: str = field(default_factory=lambda: secrets.token_hex(16))
    probe: Callable[[str], bool] = field(default=lambda url: healthy(url, timeout=PROBE_TIMEOUT_S))
    clock: Callable[[], float] = time.monotonic
    sources: tuple | None = None  # the CSVs' and journal's signature the database was checked at

    def _env(self) -> dict[str, str]:
        # the processes believe X-Forwarded-For from nginx alone, which overwrites it
        env = dashboard_env(os.environ, trusted_proxies="127.0.0.1")
        env[settings.DB] = str(self.db_path)
        env[settings.SERVE_ONLY] = "1"
        # Serve-only processes never offer sign-in; the password does not even reach them.
        env.pop(settings.ADMIN_PASSWORD, None)
        return env

    def _start_dashboard(self, port: int) -> subprocess.Popen:
        # Errors reach the operator's terminal (stderr); stdout would only print this
        # process's own loopback address, which nobody should open. Its own session: a
        # terminal's signals reach the supervisor, which stops it.
        return subprocess.Popen(  # noqa: S603 -- our own interpreter and script
            dashboard_command(port),
            cwd=locations.run_dir(),
            env=self._env(),
            stdout=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=die_with_parent,
        )

    def _wait_healthy(self, backend: Backend) -> None:
        end = self.clock() + START_TIMEOUT_S
        while self.clock() < end:
            if backend.process.poll() is not None:
                raise FleetError(
                    f"dashboard on port {backend.port} exited with {backend.process.returncode}"
                )
            if healthy(backend.health_url):
                backend.last_ok = self.clock()
                return
            time.sleep(0.2)
        raise FleetError(f"dashboard on port {backend.port} did not answer its health check")

    def _write_record(self) -> None:
        record = {
            "supervisor": os.getpid(),
            "work": str(self.work),
            "nginx": self.nginx.pid if self.nginx is not None else 0,
            "dashboards": [b.process.pid for b in self.backends],
        }
        store.write_json(record_path(self.port), record)

    def start(self, nginx_binary: str) -> None:
        """Start the dashboard processes, wait until each is healthy, then nginx in front.

        Raises
        ------
        FleetError
            If a fleet already serves the port, another program holds it, or a process fails
            to start: nothing is left running.
        """
        clear_stale(self.port, self.say)
        if _answers(_loopback(self.host), self.port):
            raise FleetError(f"port {self.port} is in use by another program")
        self._write_record()
        if os.geteuid() == 0:
            # nginx's workers run as nobody: they must reach their temporary folders
            self.work.chmod(0o755)
        self.sources = self._signature()
        ports = [free_port() for _ in range(self.processes)]
        now = self.clock()
        self.backends = [Backend(p, self._start_dashboard(p), now) for p in ports]
        self._write_record()
        for i, backend in enumerate(self.backends, 1):
            self._wait_healthy(backend)
            self.say(
                f"fleet: dashboard {i} of {self.processes} on 127.0.0.1:{backend.port} "
                f"(pid {backend.process.pid})"
            )
        nginx.copy_static(self.work)
        conf = self.work / "nginx.conf"
        trusted = throttle.proxy_list(settings.Settings.from_env().trusted_proxies)
        conf.write_text(
            nginx.nginx_config(
                self.work,
                self.host,
                self.port,
                [b.port for b in self.backends],
                fleet_id=self.fleet_id,
                trusted_proxies=trusted,
            )
        )
        self.nginx = subprocess.Popen(  # noqa: S603 -- Debian's nginx with our config
            [
                nginx_binary,
                "-p",
                str(self.work),
                "-c",
                str(conf),
                "-e",
                str(self.work / "error.log"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=die_with_parent,
        )
        self._write_record()
        self._wait_for_nginx()
        self.say(
            f"fleet: serving http://{self.host}:{self.port}/ through nginx (pid {self.nginx.pid})"
            f" with {self.processes} dashboard processes on {self.db_path}; Ctrl+C stops them all"
        )

    def _wait_for_nginx(self) -> None:
        """Until this fleet's own nginx answers on the port (never another's)."""
        if self.nginx is None:
            raise FleetError("nginx was not started")
        url = f"http://{_loopback(self.host)}:{self.port}/_fleet/id"
        end = time.monotonic() + 30
        while time.monotonic() < end:
            if self.nginx.poll() is not None:
                raise FleetError(f"nginx did not start: {self._nginx_errors()}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 -- ours
                    answer = response.read().decode(errors="replace").strip()
            except OSError:
                time.sleep(0.1)
                continue
            if answer != self.fleet_id:
                raise FleetError(f"another fleet's nginx answers on port {self.port}")
            return
        raise FleetError(f"nginx did not answer on port {self.port}: {self._nginx_errors()}")

    def _nginx_errors(self) -> str:
        log = self.work / "error.log"
        return log.read_text(errors="replace").strip()[-500:] if log.exists() else "no log"

    def _signature(self) -> tuple:
        imports = journal.imports_dir_for(self.db_path)
        return db.source_signature(self.data_dir, imports) + (
            self.db_path.stat().st_mtime_ns if self.db_path.exists() else None,
        )

    def check(self) -> int | None:
        """One round of supervision; an exit code once the fleet cannot go on, else None."""
        if self.nginx is not None and self.nginx.poll() is not None:
            self.say(f"fleet: nginx exited with {self.nginx.returncode}: {self._nginx_errors()}")
            return 1
        for backend in self.backends:
            if not backend.stopped:
                self._check_backend(backend)
        if all(b.stopped for b in self.backends):
            self.say("fleet: no dashboard process is left serving; stopping")
            return 1
        self._repair()
        return None

    def _check_backend(self, backend: Backend) -> None:
        now = self.clock()
        code = backend.process.poll()
        if code is None:
            if self.probe(backend.health_url):
                backend.last_ok = self.clock()
                return
            since = backend.last_ok if backend.last_ok is not None else backend.started
            limit = HUNG_AFTER_S if backend.last_ok is not None else START_TIMEOUT_S
            if now - since < limit:
                return
            why = f"answered no health check for {now - since:.0f} s"
            backend.process.kill()  # a stopped (SIGSTOP) or hung process ignores SIGTERM
            backend.process.wait()
        else:
            why = f"exited with {code}"
        while backend.restarts and now - backend.restarts[0] > RESTART_WINDOW_S:
            backend.restarts.popleft()
        if len(backend.restarts) >= MAX_RESTARTS:
            backend.stopped = True
            self.say(
                f"fleet: dashboard on port {backend.port} {why}; restarted {MAX_RESTARTS} times in "
                f"{RESTART_WINDOW_S / 60:.0f} minutes, so it is left stopped (the others serve)"
            )
            return
        backend.restarts.append(now)
        self.say(
            f"fleet: dashboard on port {backend.port} {why}; restarting it "
            f"({len(backend.restarts)} in {RESTART_WINDOW_S / 60:.0f} minutes)"
        )
        backend.process = self._start_dashboard(backend.port)
        backend.started, backend.last_ok = self.clock(), None
        self._write_record()

    def _repair(self) -> None:
        """Rebuild the database if its CSVs or journal changed since it was last checked."""
        sources = self._signature()
        if sources == self.sources:
            return
        try:
            if db.ensure_database(self.data_dir, self.db_path):
                self.say(f"fleet: {self.db_path} rebuilt (its files or import journal changed)")
        except AnalyticsError as exc:
            self.say(f"fleet: {self.db_path} kept as it is: {exc}")
        self.sources = self._signature()

    def supervise(self, stopping: Callable[[], bool]) -> int:
        """Check every :data:`POLL_S` seconds until stopped; an exit code."""
        while not stopping():
            time.sleep(POLL_S)
            if stopping():
                break
            code = self.check()
            if code is not None:
                return code
        return 0

    def stop(self) -> None:
        """Stop nginx and every dashboard process (SIGTERM, then SIGKILL after 10 s)."""
        children = [b.process for b in self.backends]
        if self.nginx is not None:
            children.insert(0, self.nginx)
        for child in children:
            if child.poll() is None:
                child.terminate()
        end = time.monotonic() + 10
        for child in children:
            try:
                child.wait(timeout=max(0.1, end - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        shutil.rmtree(self.work, ignore_errors=True)
        record = record_path(self.port)
        try:
            if json.loads(record.read_text(encoding="utf-8")).get("supervisor") == os.getpid():
                record.unlink()
        except (OSError, ValueError):
            pass
        self.say("fleet: stopped")


def _loopback(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "") else host  # noqa: S104 -- reaching it, not binding


def run_fleet(*, processes: int, port: int, host: str, db_path: Path, data_dir: Path) -> int:
    """Build the database if needed, start the fleet and serve until stopped.

    Returns
    -------
    int
        0 after Ctrl+C, SIGTERM, SIGHUP or SIGQUIT; 1 if the fleet could not start or keep
        serving (said in one line).

    Raises
    ------
    InvalidInputError
        For a process count or port out of range.
    MissingPackageError
        If nginx is not installed.
    """
    if not 1 <= processes <= MAX_PROCESSES:
        raise InvalidInputError(f"--processes must be 1 to {MAX_PROCESSES}, not {processes}")
    if not 1 <= port <= 65535:
        raise InvalidInputError(f"--port must be 1 to 65535, not {port}")
    binary = nginx.nginx_path()
    if binary is None:
        raise MissingPackageError("nginx is not installed: run 'sudo apt-get install -y nginx'")
    throttle.proxy_list(settings.Settings.from_env().trusted_proxies)  # a bad setting stops here
    # the processes run in the checkout: a path relative to where the command was typed would
    # name another file there
    db_path, data_dir = Path(db_path).absolute(), Path(data_dir).absolute()
    db.ensure_database(data_dir, db_path)
    stop_requested = False

    def request_stop(_signum, _frame) -> None:
        nonlocal stop_requested
        stop_requested = True

    previous = {s: signal.signal(s, request_stop) for s in SIGNALS}
    fleet = Fleet(
        db_path=db_path, data_dir=data_dir, host=host, port=port, processes=processes, say=_say
    )
    try:
        fleet.start(binary)
        return fleet.supervise(lambda: stop_requested)
    except (FleetError, OSError) as exc:
        _say(f"fleet: {exc}")
        return 1
    finally:
        fleet.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _say(line: str) -> None:
    print(line, flush=True)

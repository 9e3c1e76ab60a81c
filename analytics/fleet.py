"""A fleet: N dashboard processes on one read-only database, with Debian's nginx in front.

``probation-ratings fleet`` (and ``make fleet``) runs in the foreground. It builds the database
once if needed, starts the dashboard processes on free loopback ports with
``PROBATION_RATINGS_SERVE_ONLY=1`` (they serve the file they are given and never rebuild it),
waits until each answers its health check, then starts nginx in front of them. Ctrl+C, or
SIGTERM to its process group, stops every process it started, nginx included.

Sessions stick to one process: Streamlit keeps a session's widgets in the process that holds its
websocket, and the page's own HTTP requests (media, downloads, uploads) must reach the same one.
Open-source nginx has no ``sticky cookie``, so nginx sets an affinity cookie itself on a
browser's first request (a random request id) and hashes every request on it; ``ip_hash`` would
send every user behind one proxy, and every loopback client, to the same process. Health:
nginx takes a process out for 10 s after a failed connection (passive checks), and this
supervisor polls each process's ``/_stcore/health`` and restarts one that exits.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from analytics import db
from analytics.errors import InvalidFilterError

REPO = Path(__file__).resolve().parent.parent
DASHBOARD = REPO / "dashboard.py"
MAX_PROCESSES = 16
HEALTH_TIMEOUT_S = 120.0  # a process's first answer (imports, the first connection)
POLL_S = 2.0  # how often the supervisor checks its processes
MAX_RESTARTS = 5  # per process, before the fleet gives up on it and stops
COOKIE = "pr_affinity"

NGINX_CONF = """\
# Written by `probation-ratings fleet`; removed when it stops.
daemon off;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {work}/client_body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    client_max_body_size 6m;  # Streamlit refuses uploads over 5 MB itself (server.maxUploadSize)

    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ''      close;
    }}
    # The affinity: the browser's cookie, or on its first request a new random id.
    map $cookie_{cookie} $affinity {{
        ''      $request_id;
        default $cookie_{cookie};
    }}
    map $cookie_{cookie} $set_affinity {{
        ''      "{cookie}=$request_id; Path=/; HttpOnly; SameSite=Lax";
        default '';
    }}
    upstream dashboards {{
        hash $affinity consistent;
{servers}
    }}
    server {{
        listen {host}:{port};
        location = /_fleet/health {{
            default_type text/plain;
            return 200 "ok\\n";
        }}
        location / {{
            proxy_pass http://dashboards;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_buffering off;
            proxy_read_timeout 1h;
            proxy_send_timeout 1h;
            add_header Set-Cookie $set_affinity always;
        }}
    }}
}}
"""


def nginx_config(work: Path, host: str, port: int, backends: list[int]) -> str:
    """The nginx configuration of a fleet listening on ``host:port`` in front of ``backends``.

    Parameters
    ----------
    work : Path
        The fleet's working folder (pid, error log and nginx's temporary folders).
    host, port : str, int
        Where nginx listens.
    backends : list of int
        The dashboard processes' loopback ports.

    Returns
    -------
    str
        The whole nginx.conf.
    """
    servers = "\n".join(
        f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;" for p in backends
    )
    return NGINX_CONF.format(work=work, host=host, port=port, servers=servers, cookie=COOKIE)


def free_port() -> int:
    """A free loopback TCP port (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(url: str) -> bool:
    """True if ``url`` answers 200 within 2 s."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 -- loopback, ours
            return response.status == 200
    except OSError:
        return False


def dashboard_command(port: int, dashboard: Path = DASHBOARD) -> list[str]:
    """The command serving ``dashboard`` (this checkout's dashboard.py) on ``127.0.0.1:port``
    with this interpreter, headless.
    """
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(dashboard),
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
    ]


def nginx_path() -> str | None:
    """Debian's nginx (``/usr/sbin/nginx``, or ``nginx`` on the PATH), if installed."""
    for candidate in ("/usr/sbin/nginx", shutil.which("nginx")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@dataclass
class Backend:
    """One dashboard process of the fleet: its port, its process and how often it restarted."""

    port: int
    process: subprocess.Popen
    restarts: int = 0

    @property
    def health_url(self) -> str:
        """Its Streamlit health check."""
        return f"http://127.0.0.1:{self.port}/_stcore/health"


@dataclass
class Fleet:
    """The processes a fleet started, and how to stop them all."""

    db_path: Path
    host: str
    port: int
    processes: int
    say: Callable[[str], None] = print
    work: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="pr-fleet-")))
    backends: list[Backend] = field(default_factory=list)
    nginx: subprocess.Popen | None = None

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["PROBATION_RATINGS_DB"] = str(self.db_path)
        env["PROBATION_RATINGS_SERVE_ONLY"] = "1"
        # The public processes never offer the Add inspections page.
        env.pop("PROBATION_RATINGS_ADMIN_PASSWORD", None)
        return env

    def _start_dashboard(self, port: int) -> subprocess.Popen:
        # Errors reach the operator's terminal (stderr); stdout would only print this
        # process's own loopback address, which nobody should open.
        return subprocess.Popen(  # noqa: S603 -- our own interpreter and script
            dashboard_command(port),
            cwd=REPO,
            env=self._env(),
            stdout=subprocess.DEVNULL,
        )

    def _wait_healthy(self, backend: Backend) -> None:
        end = time.monotonic() + HEALTH_TIMEOUT_S
        while time.monotonic() < end:
            if backend.process.poll() is not None:
                raise RuntimeError(
                    f"dashboard on port {backend.port} exited with {backend.process.returncode}"
                )
            if healthy(backend.health_url):
                return
            time.sleep(0.2)
        raise RuntimeError(f"dashboard on port {backend.port} did not answer its health check")

    def start(self, nginx: str) -> None:
        """Start the dashboard processes, wait until each is healthy, then nginx in front."""
        if os.geteuid() == 0:
            # nginx's workers run as nobody: they must reach their temporary folders
            self.work.chmod(0o755)
        ports = [free_port() for _ in range(self.processes)]
        self.backends = [Backend(port, self._start_dashboard(port)) for port in ports]
        for i, backend in enumerate(self.backends, 1):
            self._wait_healthy(backend)
            self.say(
                f"fleet: dashboard {i} of {self.processes} on 127.0.0.1:{backend.port} "
                f"(pid {backend.process.pid})"
            )
        conf = self.work / "nginx.conf"
        conf.write_text(
            nginx_config(self.work, self.host, self.port, [b.port for b in self.backends])
        )
        self.nginx = subprocess.Popen(  # noqa: S603 -- Debian's nginx with our config
            [nginx, "-p", str(self.work), "-c", str(conf), "-e", str(self.work / "error.log")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        end = time.monotonic() + 30
        url = f"http://{_loopback(self.host)}:{self.port}/_fleet/health"
        while not healthy(url):
            if self.nginx.poll() is not None or time.monotonic() > end:
                raise RuntimeError(f"nginx did not start: {self._nginx_errors()}")
            time.sleep(0.1)
        self.say(
            f"fleet: serving http://{self.host}:{self.port}/ through nginx (pid {self.nginx.pid})"
            f" with {self.processes} dashboard processes on {self.db_path}; Ctrl+C stops them all"
        )

    def _nginx_errors(self) -> str:
        log = self.work / "error.log"
        return log.read_text(errors="replace").strip()[-500:] if log.exists() else "no log"

    def supervise(self, stopping: Callable[[], bool]) -> int:
        """Restart a dashboard process that exits; stop if nginx exits. Returns an exit code."""
        while not stopping():
            time.sleep(POLL_S)
            if stopping():
                break
            if self.nginx is not None and self.nginx.poll() is not None:
                errors = self._nginx_errors()
                self.say(f"fleet: nginx exited with {self.nginx.returncode}: {errors}")
                return 1
            for backend in self.backends:
                if backend.process.poll() is None:
                    continue
                if backend.restarts >= MAX_RESTARTS:
                    self.say(f"fleet: dashboard on port {backend.port} keeps exiting; stopping")
                    return 1
                backend.restarts += 1
                self.say(
                    f"fleet: dashboard on port {backend.port} exited with "
                    f"{backend.process.returncode}; restarting it ({backend.restarts})"
                )
                backend.process = self._start_dashboard(backend.port)
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
        self.say("fleet: stopped")


def _loopback(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "") else host  # noqa: S104 -- reaching it, not binding


def run_fleet(*, processes: int, port: int, host: str, db_path: Path, data_dir: Path) -> int:
    """Build the database if needed, start the fleet and serve until stopped.

    Returns
    -------
    int
        0 after Ctrl+C or SIGTERM, 1 if a process could not be kept running.

    Raises
    ------
    InvalidFilterError
        For a process count or port out of range, or no nginx installed.
    """
    if not 1 <= processes <= MAX_PROCESSES:
        raise InvalidFilterError(f"--processes must be 1 to {MAX_PROCESSES}, not {processes}")
    if not 1 <= port <= 65535:
        raise InvalidFilterError(f"--port must be 1 to 65535, not {port}")
    nginx = nginx_path()
    if nginx is None:
        raise InvalidFilterError("nginx is not installed: run 'sudo apt-get install -y nginx'")
    db.ensure_database(data_dir, db_path)
    stop_requested = False

    def request_stop(_signum, _frame) -> None:
        nonlocal stop_requested
        stop_requested = True

    previous = {s: signal.signal(s, request_stop) for s in (signal.SIGINT, signal.SIGTERM)}
    fleet = Fleet(db_path=db_path, host=host, port=port, processes=processes, say=_say)
    try:
        fleet.start(nginx)
        return fleet.supervise(lambda: stop_requested)
    except RuntimeError as exc:
        _say(f"fleet: {exc}")
        return 1
    finally:
        fleet.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _say(line: str) -> None:
    print(line, flush=True)

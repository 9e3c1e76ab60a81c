"""The fleet's load balancer: Debian's nginx, its configuration, and where it is installed.

Sessions stick to one process: Streamlit keeps a session's widgets in the process that holds its
websocket, and the page's own HTTP requests (media, downloads, uploads) must reach the same one.
Open-source nginx has no ``sticky cookie``, so nginx sets an affinity cookie itself on a
browser's first request (a random request id) and hashes every request on it; ``ip_hash`` would
send every user behind one proxy, and every loopback client, to the same process.

Who a client is: nginx overwrites X-Forwarded-For with the address its connection comes from
(after taking the real client from the operator's trusted proxies' header, if any), and the
dashboards believe that header from nginx alone. A client's own X-Forwarded-For never reaches
them.

Streamlit's own bundles (``/static/``) are served by nginx from a copy made when the fleet
starts, each text file beside its gzip at the best level: compressed once rather than on every
first visit, and by no dashboard process.
"""

from __future__ import annotations

import gzip
import importlib.util
import shutil
from pathlib import Path

from analytics.errors import MissingPackageError

COOKIE = "pr_affinity"
# Plain HTTP (the page, its media, downloads, the health check) answers within seconds; a hung
# process is taken out by the supervisor long before nginx would give up on it.
HTTP_TIMEOUT_S = 120
# The websocket is quiet while a manager reads the page; Streamlit pings it, so an hour only
# bounds a connection whose process has gone.
WEBSOCKET_TIMEOUT_S = 3600

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
    # Streamlit leaves compression to the proxy: what a dashboard answers (the page, the API)
    # is compressed here on the fly; Streamlit's bundles are served from the copy's gzips below.
    gzip on;
    gzip_comp_level 5;
    gzip_min_length 1024;
    gzip_proxied any;
    gzip_vary on;
    gzip_types text/css text/javascript application/javascript application/json
               image/svg+xml text/plain text/csv application/xml;
    # the types of Streamlit's bundles (nginx's own table is Debian's, not ours to rely on)
    types {{
{types}
    }}
    default_type application/octet-stream;
{realip}
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
    proxy_http_version 1.1;
    proxy_set_header Host $host;
    # the client is who connected to nginx: a client's own header is overwritten, never passed on
    proxy_set_header X-Forwarded-For $remote_addr;
    proxy_buffering off;
    proxy_connect_timeout 5s;
    proxy_read_timeout {http_timeout}s;
    proxy_send_timeout {http_timeout}s;
    server {{
        listen {host}:{port};
        # which fleet answers here: a new fleet checks it is its own nginx before "serving"
        location = /_fleet/id {{
            default_type text/plain;
            return 200 "{fleet_id}\\n";
        }}
        # ok only if a dashboard process answers its own health check within seconds
        location = /_fleet/health {{
            proxy_pass http://dashboards/_stcore/health;
            proxy_read_timeout 5s;
            proxy_next_upstream error timeout http_502 http_503 http_504;
        }}
        location = /_stcore/stream {{
            gzip off;  # the websocket's frames are Streamlit's own; never compressed here
            proxy_pass http://dashboards;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_read_timeout {ws_timeout}s;
            proxy_send_timeout {ws_timeout}s;
            add_header Set-Cookie $set_affinity always;
        }}
        # Streamlit's content-hashed bundles, as Streamlit would answer them (its immutable
        # cache header), from the fleet's copy with each one's gzip beside it; a path the copy
        # lacks goes to a dashboard as before
        location ^~ /static/ {{
            root {work}/{static};
            gzip_static on;
            charset utf-8;
            charset_types text/css;  # as Streamlit names its CSS, and only its CSS
            add_header Cache-Control "{immutable}" always;
            try_files $uri @dashboards;
        }}
        location @dashboards {{
            proxy_pass http://dashboards;
            add_header Set-Cookie $set_affinity always;
        }}
        location / {{
            proxy_pass http://dashboards;
            add_header Set-Cookie $set_affinity always;
        }}
    }}
}}
"""


# The folder under the fleet's working folder holding the copy of Streamlit's static files.
STATIC = "streamlit_static"
# What Streamlit answers for its content-hashed bundles (STATIC_ASSET_CACHE_MAX_AGE_SECONDS).
IMMUTABLE = "public, immutable, max-age=31536000"
# Streamlit's static files by extension: their type, and whether they are text worth a gzip.
STATIC_TYPES = {
    "html": ("text/html", True),
    "js": ("application/javascript", True),
    "css": ("text/css", True),
    "json": ("application/json", True),
    "svg": ("image/svg+xml", True),
    "txt": ("text/plain", True),
    "png": ("image/png", False),
    "gif": ("image/gif", False),
    "woff2": ("font/woff2", False),
}


def copy_static(work: Path) -> Path:
    """Copy Streamlit's static files into ``work`` with a best-level gzip beside each text file.

    Streamlit serves its bundles uncompressed and leaves compression to the proxy; compressing
    them here once (level 9, about 1 s on one core) sends fewer bytes than nginx's on-the-fly
    level 5 and costs no CPU per visitor.

    Parameters
    ----------
    work : Path
        The fleet's working folder; the copy is ``work / STATIC``.

    Returns
    -------
    Path
        The copy's folder (its ``static/`` sub-folder answers ``/static/``).
    """
    spec = importlib.util.find_spec("streamlit")  # found, not imported: no Streamlit here
    if spec is None or not spec.submodule_search_locations:
        raise MissingPackageError("Streamlit is not installed: run 'make run' in the checkout")
    source = Path(next(iter(spec.submodule_search_locations))) / "static"
    target = work / STATIC
    shutil.copytree(source, target)
    for path in (target / "static").rglob("*"):
        kind = STATIC_TYPES.get(path.suffix.lstrip("."))
        if path.is_file() and kind is not None and kind[1]:
            data = path.read_bytes()
            # mtime 0: the same file gives the same bytes on every start
            path.with_name(path.name + ".gz").write_bytes(gzip.compress(data, 9, mtime=0))
    return target


def nginx_config(
    work: Path,
    host: str,
    port: int,
    backends: list[int],
    *,
    fleet_id: str,
    trusted_proxies: str = "",
) -> str:
    """The nginx configuration of a fleet listening on ``host:port`` in front of ``backends``.

    Parameters
    ----------
    work : Path
        The fleet's working folder (pid, error log and nginx's temporary folders).
    host, port : str, int
        Where nginx listens.
    backends : list of int
        The dashboard processes' loopback ports.
    fleet_id : str
        What ``/_fleet/id`` answers: this fleet's own id.
    trusted_proxies : str
        The operator's trusted proxies (comma-separated, checked): a connection from one of
        them is attributed to the client its X-Forwarded-For names (nginx's realip module).

    Returns
    -------
    str
        The whole nginx.conf.
    """
    servers = "\n".join(
        f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;" for p in backends
    )
    proxies = [p for p in trusted_proxies.split(",") if p]
    realip = "".join(f"    set_real_ip_from {p};\n" for p in proxies)
    if proxies:
        realip += "    real_ip_header X-Forwarded-For;\n    real_ip_recursive on;\n"
    return NGINX_CONF.format(
        work=work,
        host=host,
        port=port,
        servers=servers,
        cookie=COOKIE,
        fleet_id=fleet_id,
        realip=realip,
        http_timeout=HTTP_TIMEOUT_S,
        ws_timeout=WEBSOCKET_TIMEOUT_S,
        static=STATIC,
        immutable=IMMUTABLE,
        types="\n".join(f"        {kind} {ext};" for ext, (kind, _) in STATIC_TYPES.items()),
    )


def nginx_path() -> str | None:
    """Debian's nginx (``/usr/sbin/nginx``, or ``nginx`` on the PATH), if installed."""
    for candidate in ("/usr/sbin/nginx", shutil.which("nginx")):
        if candidate and Path(candidate).exists():
            return candidate
    return None

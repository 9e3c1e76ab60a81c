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
"""

from __future__ import annotations

import shutil
from pathlib import Path

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
    # Streamlit serves its bundles uncompressed and leaves compression to the proxy: text is
    # compressed here (Plotly's 4.7 MB bundle travels as 1.4 MB), once per browser, as Streamlit's
    # immutable cache headers pass through untouched. HTML is always compressed when gzip is on.
    gzip on;
    gzip_comp_level 5;
    gzip_min_length 1024;
    gzip_proxied any;
    gzip_vary on;
    gzip_types text/css text/javascript application/javascript application/json
               image/svg+xml text/plain text/csv application/xml;
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
        location / {{
            proxy_pass http://dashboards;
            add_header Set-Cookie $set_affinity always;
        }}
    }}
}}
"""


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
    )


def nginx_path() -> str | None:
    """Debian's nginx (``/usr/sbin/nginx``, or ``nginx`` on the PATH), if installed."""
    for candidate in ("/usr/sbin/nginx", shutil.which("nginx")):
        if candidate and Path(candidate).exists():
            return candidate
    return None

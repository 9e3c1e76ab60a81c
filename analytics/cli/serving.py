"""``probation-ratings serve`` (one process) and ``fleet`` (several behind Debian's nginx)."""

from __future__ import annotations

import argparse

from analytics import settings
from analytics.errors import InvalidFilterError
from analytics.pipeline import db
from analytics.serving import fleet, server, throttle


def cmd_serve(args: argparse.Namespace) -> int:
    """``serve``: build the database if needed, then become the dashboard server."""
    if not 1 <= args.port <= 65535:
        raise InvalidFilterError(f"--port must be 1 to 65535, not {args.port}")
    db_path = args.db or db.default_db_path()
    data_dir = args.data or db.default_data_dir()
    configured = settings.Settings.from_env()
    throttle.proxy_list(configured.trusted_proxies)  # a bad setting stops before any build
    throttle.per_minute(configured.api_per_minute)
    if not configured.serve_only:
        db.ensure_database(data_dir, db_path)
    server.serve(port=args.port, host=args.host, db_path=db_path, data_dir=data_dir)
    return 0  # not reached: serve() replaces this process


def cmd_fleet(args: argparse.Namespace) -> int:
    """``fleet``: serve the dashboard from N processes behind nginx until Ctrl+C or SIGTERM."""
    return fleet.run_fleet(
        processes=args.processes,
        port=args.port,
        host=args.host,
        db_path=args.db or db.default_db_path(),
        data_dir=args.data or db.default_data_dir(),
    )

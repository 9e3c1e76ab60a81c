"""``probation-ratings fleet``: several dashboard processes behind Debian's nginx."""

from __future__ import annotations

import argparse

from analytics import db, fleet


def cmd_fleet(args: argparse.Namespace) -> int:
    """``fleet``: serve the dashboard from N processes behind nginx until Ctrl+C or SIGTERM."""
    return fleet.run_fleet(
        processes=args.processes,
        port=args.port,
        host=args.host,
        db_path=args.db or db.default_db_path(),
        data_dir=args.data or db.default_data_dir(),
    )

"""The ``probation-ratings`` command: build the database, describe it, and run every analysis.

Exit codes: 0 on success, 2 on bad input (options, files or filter values), with a one-line
message on standard error saying what is wrong and what is allowed.
"""

import os
import sys
from collections.abc import Sequence

from analytics.cli.benchmarks import cmd_bench, cmd_synth
from analytics.cli.importing import (
    cmd_export_data,
    cmd_import,
    cmd_imports,
    cmd_template,
    cmd_undo_import,
)
from analytics.cli.parser import build_parser
from analytics.cli.queries import cmd_build_db, cmd_export, cmd_gallery, cmd_info, cmd_query
from analytics.cli.serving import cmd_fleet, cmd_serve
from analytics.errors import AnalyticsError, DataValidationError

COMMANDS = {
    "build-db": cmd_build_db,
    "info": cmd_info,
    "query": cmd_query,
    "export": cmd_export,
    "gallery": cmd_gallery,
    "import": cmd_import,
    "imports": cmd_imports,
    "undo-import": cmd_undo_import,
    "export-data": cmd_export_data,
    "template": cmd_template,
    "bench": cmd_bench,
    "synth": cmd_synth,
    "serve": cmd_serve,
    "fleet": cmd_fleet,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command in ``argv``; return 0, or 2 with a one-line message for bad input."""
    args = build_parser().parse_args(argv)
    try:
        code = COMMANDS[args.command](args)
        sys.stdout.flush()  # a reader that has gone is found here, not at interpreter exit
        return code
    except BrokenPipeError:
        # The reader stopped early (`... | head`): what is left goes nowhere, without a
        # traceback at exit (Python's advice for pipes).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        print("error: the output was closed before all of it was written", file=sys.stderr)
        return 2
    except DataValidationError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        if exc.omitted_line():
            print(f"error: {exc.omitted_line()}", file=sys.stderr)
        return 2
    except AnalyticsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        # a file the command was told to write or read that the system refuses: one line too
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2

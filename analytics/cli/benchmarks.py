"""Commands for SYNTHETIC data: ``bench`` (timings, printed) and ``synth``."""

from __future__ import annotations

import argparse
import json
import sys

from analytics.errors import InvalidFilterError


def cmd_bench(args: argparse.Namespace) -> int:
    """``bench``: time every analysis on a SYNTHETIC database and print the numbers."""
    from analytics.analyses import bench

    if args.runs < 5:
        raise InvalidFilterError("--runs must be at least 5 for a median and a 95th percentile")
    report = bench.run(
        inspections=args.inspections,
        seed=args.seed,
        runs=args.runs,
        reference_runs=args.reference_runs,
        dashboard=not args.no_dashboard,
        progress=lambda line: print(line, file=sys.stderr, flush=True),
    )
    print(bench.format_report(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


def cmd_synth(args: argparse.Namespace) -> int:
    """``synth``: write a SYNTHETIC database of the requested size."""
    from analytics.pipeline import synthetic

    info = synthetic.generate(args.out, inspections=args.inspections, seed=args.seed)
    print(
        f"wrote SYNTHETIC database {args.out}: {args.inspections} inspections, seed {args.seed} "
        f"({info.source})"
    )
    return 0

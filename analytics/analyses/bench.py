"""``probation-ratings bench``: how fast every analysis is at scale, measured, never asserted.

Builds a SYNTHETIC database (analytics/pipeline/synthetic.py), times each analysis unfiltered
and filtered (median and 95th percentile over repeated runs), times the plain-pandas reference
implementation (analytics/reference/, the oracle of the tests) on the same query, and reports
the ratio, the build time, the file size and the peak memory. The dashboard's own rerun and
cold-start times are measured by tests/bench_dashboard.py (it needs Streamlit and a browser), run
as a subprocess.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb
import pandas as pd

from analytics.analyses import breakdowns, catalog, registry, summary, viewspecs
from analytics.errors import InvalidFilterError
from analytics.filters import Filters
from analytics.pipeline import db, synthetic

FILTERED = Filters(
    regions=("London", "North East", "Yorkshire and the Humber"),
    unit_types=("PDU",),
    date_from=dt.date(2022, 1, 1),
)


@dataclass
class Timing:
    """One analysis's timings, unfiltered or filtered, beside its pandas reference."""

    analysis: str
    filtered: bool
    runs: int
    median_ms: float
    p95_ms: float
    reference_runs: int
    reference_median_ms: float | None
    speedup: float | None
    rows: int


def _cases(picked: list[tuple[str, str]]) -> dict[str, tuple[Callable, Callable, dict]]:
    """Benchmark case -> (SQL analysis, pandas reference, options), from the registry.

    ``picked`` are the most inspected PDUs: the first is the one unit of a unit analysis, all
    of them (up to 6) the units compared.
    """
    cases = {}
    for analysis in registry.ANALYSES.values():
        for case, options in analysis.bench.items():
            options = dict(options)
            if analysis.needs_unit:
                options.update(unit_type=picked[0][0], unit_name=picked[0][1])
            if analysis.needs_units:
                options.update(units=picked)
            ref = _first_rows(analysis.reference) if "limit" in options else analysis.reference
            cases[case] = (analysis.function, ref, options)
    return cases


def _first_rows(reference_fn: Callable) -> Callable:
    """A pandas reference cut to the page's first rows (it computes all of them first)."""

    def page(con, filters, *, limit: int) -> pd.DataFrame:
        return reference_fn(con, filters).head(limit)

    return page


def _time(function: Callable, runs: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - start) * 1000)
    return times, result


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def run_analyses(
    con: duckdb.DuckDBPyConnection,
    *,
    runs: int = 7,
    reference_runs: int = 3,
    progress: Callable[[str], None] = lambda _: None,
) -> list[Timing]:
    """Time every analysis, unfiltered and filtered, against its pandas reference."""
    # six units: the most Compare takes
    picked = catalog.most_inspected_units(con, "PDU", limit=6)
    if len(picked) < 2:
        raise InvalidFilterError("the database has fewer than 2 PDUs with inspections to benchmark")
    out = []
    for name, (sql_fn, ref_fn, options) in _cases(picked).items():
        for filters in (Filters(), FILTERED):
            sql_fn(con, filters, **options)  # warm-up: DuckDB's first touch of the file
            times, result = _time(functools.partial(sql_fn, con, filters, **options), runs)
            ref_times: list[float] = []
            if reference_runs:
                ref_times, _ = _time(
                    functools.partial(ref_fn, con, filters, **options), reference_runs
                )
            median = statistics.median(times)
            ref_median = statistics.median(ref_times) if ref_times else None
            out.append(
                Timing(
                    analysis=name,
                    filtered=filters != Filters(),
                    runs=runs,
                    median_ms=round(median, 2),
                    p95_ms=round(_p95(times), 2),
                    reference_runs=reference_runs,
                    reference_median_ms=round(ref_median, 1) if ref_median is not None else None,
                    speedup=round(ref_median / median, 1) if ref_median else None,
                    rows=len(result) if isinstance(result, pd.DataFrame) else 0,
                )
            )
            progress(
                f"{name:<31}{'filtered' if filters != Filters() else 'all':<10}"
                f"{median:9.1f} ms" + (f"  pandas {ref_median:9.1f} ms" if ref_median else "")
            )
    out += [_shared_summary(con, filters, runs) for filters in (Filters(), FILTERED)]
    progress(
        f"{'view_summary_shared':<31}"
        + "".join(f"{t.median_ms:9.1f} ms  " for t in out[-2:])
        + "(all, filtered)"
    )
    return out


def _shared_summary(con: duckdb.DuckDBPyConnection, filters: Filters, runs: int) -> Timing:
    """The summary as a report makes it: after its tiles and charts, on the same runner, so it
    computes only what they did not (the dashboard's cache shares the same way).
    """
    times = []
    for _ in range(runs + 1):  # the first warms DuckDB's file, as the other cases' warm-up
        run = registry.runner(con)
        run(breakdowns.kpis, filters)
        for name in viewspecs.SELECTION_VIEWS:
            viewspecs.build_view(run, name, filters)
        start = time.perf_counter()
        result = summary.summary_sentences(run, filters)
        times.append((time.perf_counter() - start) * 1000)
    times = times[1:]
    return Timing(
        analysis="view_summary_shared",
        filtered=filters != Filters(),
        runs=runs,
        median_ms=round(statistics.median(times), 2),
        p95_ms=round(_p95(times), 2),
        reference_runs=0,
        reference_median_ms=None,
        speedup=None,
        rows=len(result),
    )


def peak_rss_mb() -> float:
    """Peak resident memory of this process (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def dashboard_timings(db_path: Path, *, runs: int) -> dict:
    """Run tests/bench_dashboard.py (AppTest reruns, Chromium cold start) and read its JSON."""
    script = Path(__file__).resolve().parents[2] / "tests" / "bench_dashboard.py"
    if not script.exists():
        return {"skipped": f"{script} not found (it ships with the source tree)"}
    result = subprocess.run(  # noqa: S603 -- our own script with fixed arguments
        [sys.executable, str(script), "--db", str(db_path), "--runs", str(runs)],
        capture_output=True,
        text=True,
        check=False,
        timeout=1800,
    )
    if result.returncode != 0:
        return {"error": result.stderr.strip().splitlines()[-1:] or ["failed"]}
    return json.loads(result.stdout)


def run(
    *,
    inspections: int,
    seed: int = 42,
    runs: int = 7,
    reference_runs: int = 3,
    db_path: Path | None = None,
    dashboard: bool = True,
    progress: Callable[[str], None] = lambda _: None,
) -> dict:
    """The whole benchmark; returns a JSON-ready report."""
    workdir = None
    if db_path is None:
        workdir = tempfile.TemporaryDirectory(prefix="probation-bench-")
        db_path = Path(workdir.name) / "synthetic.duckdb"
    try:
        start = time.perf_counter()
        synthetic.generate(db_path, inspections=inspections, seed=seed)
        build_s = time.perf_counter() - start
        progress(
            f"built {inspections:,} synthetic inspections in {build_s:.1f} s "
            f"({db_path.stat().st_size / 2**20:.0f} MiB)"
        )
        con = db.connect(db_path)
        try:
            counts = dict(db.table_counts(con).itertuples(index=False))
            timings = run_analyses(con, runs=runs, reference_runs=reference_runs, progress=progress)
        finally:
            con.close()
        report = {
            "synthetic": True,
            "inspections": inspections,
            "seed": seed,
            "rows": counts,
            "build_seconds": round(build_s, 1),
            "database_mib": round(db_path.stat().st_size / 2**20, 1),
            "analyses": [asdict(t) for t in timings],
            "peak_rss_mib_bench_process": peak_rss_mb(),
            "machine": {
                "cpus": os.cpu_count(),
                "python": sys.version.split()[0],
                "duckdb": duckdb.__version__,
                "pandas": pd.__version__,
            },
        }
        if dashboard:
            progress("timing the dashboard (AppTest reruns, Chromium cold start) ...")
            report["dashboard"] = dashboard_timings(db_path, runs=runs)
        return report
    finally:
        if workdir is not None:
            workdir.cleanup()


def format_report(report: dict) -> str:
    """The report as aligned text tables."""
    lines = [
        f"SYNTHETIC data: {report['inspections']:,} inspections, "
        f"{report['rows']['standard_ratings']:,} standard ratings (seed {report['seed']})",
        f"database build: {report['build_seconds']} s, {report['database_mib']} MiB; "
        f"peak memory of this process: {report['peak_rss_mib_bench_process']} MiB",
        "",
        f"{'analysis':<31}{'filter':<9}{'median ms':>10}{'p95 ms':>9}"
        f"{'pandas ms':>11}{'x faster':>9}{'rows':>8}",
    ]
    for t in report["analyses"]:
        ref = "" if t["reference_median_ms"] is None else f"{t['reference_median_ms']:.0f}"
        speed = "" if t["speedup"] is None else f"{t['speedup']:.1f}"
        lines.append(
            f"{t['analysis']:<31}{'yes' if t['filtered'] else 'no':<9}{t['median_ms']:>10.1f}"
            f"{t['p95_ms']:>9.1f}{ref:>11}{speed:>9}{t['rows']:>8}"
        )
    if "dashboard" in report:
        lines += ["", "dashboard: " + json.dumps(report["dashboard"])]
    return "\n".join(lines)

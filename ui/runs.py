"""How many page runs one server process works on at once.

Every session's script runs in a thread of its own, and a process runs Python in one thread at a
time. Twenty runs at once took turns in 5 ms slices: each finished only when nearly all had, and
the event loop that sends every run's elements to its browser waited for its turn between them,
so a run's first element reached its browser a second after the run began (BENCHMARKS.md,
issue 30). Two at a time keep one run's database work (which frees the interpreter) beside
another's Python; the rest wait their turn and then finish in a fraction of the time.

A limit of this process only, on purpose: each process of a fleet has its own interpreter.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

RUNS_AT_ONCE = 2

_slots = threading.BoundedSemaphore(RUNS_AT_ONCE)


@contextlib.contextmanager
def run_slot() -> Iterator[None]:
    """Hold one of the process's ``RUNS_AT_ONCE`` places for a page run, waiting for one to
    free; it is given back however the run ends (a rerun or stop request ends it with an
    exception).
    """
    with _slots:
        yield

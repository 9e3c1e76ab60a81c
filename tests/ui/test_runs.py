"""ui/runs.py: a process works on at most RUNS_AT_ONCE page runs; the others wait their turn."""

from __future__ import annotations

import threading

import pytest

from ui import runs


def test_a_third_run_waits_until_one_of_two_ends():
    assert runs.RUNS_AT_ONCE == 2
    inside: list[str] = []
    leave = {name: threading.Event() for name in ("a", "b", "c")}
    entered = {name: threading.Event() for name in ("a", "b", "c")}

    def run(name: str) -> None:
        with runs.run_slot():
            inside.append(name)
            entered[name].set()
            leave[name].wait(timeout=30)
        inside.remove(name)

    threads = {name: threading.Thread(target=run, args=(name,)) for name in ("a", "b", "c")}
    threads["a"].start()
    threads["b"].start()
    assert entered["a"].wait(timeout=30) and entered["b"].wait(timeout=30)
    threads["c"].start()
    # c cannot enter while a and b hold both places (whether or not it has asked yet)
    assert not entered["c"].wait(timeout=0.2)
    assert sorted(inside) == ["a", "b"]
    leave["a"].set()
    assert entered["c"].wait(timeout=30)
    assert sorted(inside) == ["b", "c"]
    leave["b"].set()
    leave["c"].set()
    for t in threads.values():
        t.join(timeout=30)
    assert inside == []


def test_a_run_ended_by_an_exception_gives_its_place_back():
    for _ in range(runs.RUNS_AT_ONCE + 1):
        with pytest.raises(RuntimeError), runs.run_slot():
            raise RuntimeError("a rerun request ends the run")
    # every place is free again: as many runs as places enter without waiting
    held = [runs._slots.acquire(blocking=False) for _ in range(runs.RUNS_AT_ONCE)]
    try:
        assert held == [True] * runs.RUNS_AT_ONCE
        assert runs._slots.acquire(blocking=False) is False
    finally:
        for _ in range(runs.RUNS_AT_ONCE):
            runs._slots.release()

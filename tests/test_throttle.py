"""analytics/serving/throttle.py: the sign-in back-off shared through a file, and who a client is."""

from __future__ import annotations

import multiprocessing
import sqlite3

import pytest

from analytics.errors import ConfigurationError
from analytics.serving.throttle import (
    FORWARDED,
    LOCAL,
    Backoff,
    backoff_path,
    client_key,
    proxy_list,
)


@pytest.fixture
def clock():
    return [1000.0]


@pytest.fixture
def path(tmp_path):
    return backoff_path(tmp_path / "ratings.duckdb")


def test_the_file_lies_beside_the_database(tmp_path):
    assert backoff_path(tmp_path / "ratings.duckdb") == tmp_path / "ratings.duckdb.sign-in"


def fail(backoff: Backoff, client: str, clock: list[float]) -> float:
    """One wrong attempt as soon as it is allowed; the pause it earns."""
    allowed, seconds = backoff.attempt(client)
    if not allowed:
        clock[0] += seconds
        allowed, seconds = backoff.attempt(client)
    assert allowed
    return seconds


def test_each_failure_doubles_the_wait_up_to_the_cap_and_success_forgets(path, clock):
    backoff = Backoff(path, clock=lambda: clock[0])
    assert [fail(backoff, "a", clock) for _ in range(6)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert backoff.failures("a") == 6
    assert backoff.attempt("a") == (False, 8.0)
    clock[0] += 3
    assert backoff.attempt("a") == (False, 5.0)
    assert backoff.failures("a") == 6  # a refused attempt is not another failure
    assert backoff.attempt("b") == (True, 0.5)
    backoff.succeeded("a")
    assert backoff.failures("a") == 0
    assert backoff.attempt("a") == (True, 0.5)


def test_every_backoff_on_one_file_counts_the_same_failures(path, clock):
    """Two processes serving one database open the same file: guesses add up, not multiply."""
    first, second = Backoff(path, clock=lambda: clock[0]), Backoff(path, clock=lambda: clock[0])
    assert fail(first, "a", clock) == 0.5
    assert fail(second, "a", clock) == 1.0
    assert fail(first, "a", clock) == 2.0
    assert second.attempt("a") == (False, 2.0)


def _attempts(path, times: int, allowed) -> None:
    backoff = Backoff(path, first=0.0)  # no wait: every attempt is allowed and counted
    for _ in range(times):
        allowed.put(backoff.attempt("local")[0])


def test_attempts_from_concurrent_processes_are_all_counted(path):
    # four real processes, 25 attempts each, all at once: none lost to a race
    context = multiprocessing.get_context("spawn")
    allowed = context.Queue()
    workers = [context.Process(target=_attempts, args=(path, 25, allowed)) for _ in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=60)
    assert [w.exitcode for w in workers] == [0, 0, 0, 0]
    assert [allowed.get(timeout=5) for _ in range(100)] == [True] * 100
    assert Backoff(path).failures("local") == 100


def test_a_client_quiet_for_an_hour_starts_again(path, clock):
    backoff = Backoff(path, clock=lambda: clock[0])
    fail(backoff, "a", clock)
    fail(backoff, "a", clock)
    clock[0] += 3600
    assert backoff.failures("a") == 2
    clock[0] += 1
    assert backoff.failures("a") == 0
    assert backoff.attempt("a") == (True, 0.5)


def test_a_clock_set_back_does_not_make_the_wait_endless(path, clock):
    backoff = Backoff(path, clock=lambda: clock[0])
    backoff.attempt("a")  # at 1000
    clock[0] -= 86_400  # the clock is set back a day
    assert backoff.attempt("a") == (False, 0.5)  # counted as just now: one pause, not a day's
    assert backoff.failures("a") == 1


def test_the_file_keeps_at_most_max_clients_forgetting_the_longest_quiet(path, clock):
    backoff = Backoff(path, clock=lambda: clock[0], max_clients=3)
    for client in ("a", "b", "c", "d"):
        clock[0] += 1
        backoff.attempt(client)
    clock[0] += 1
    backoff.attempt("b")
    clock[0] += 1
    backoff.attempt("e")
    with sqlite3.connect(path) as con:
        kept = con.execute("select client, count from failures order by client").fetchall()
    assert kept == [("b", 2), ("d", 1), ("e", 1)]


def test_a_folder_that_cannot_be_written_raises_rather_than_allow_guesses(tmp_path):
    backoff = Backoff(tmp_path / "missing-folder" / "ratings.duckdb.sign-in")
    with pytest.raises(sqlite3.OperationalError, match="unable to open database file"):
        backoff.attempt("a")


def test_a_damaged_file_raises_rather_than_allow_guesses(path):
    path.write_bytes(b"not a database" * 100)
    with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
        Backoff(path).attempt("a")


@pytest.mark.parametrize(
    ("address", "headers", "server_trust", "trusted", "key"),
    [
        # started by `probation-ratings serve`: the server believes nobody's header, so its
        # address is the connection's, header or not
        ("203.0.113.9", {"X-Forwarded-For": "198.51.100.1"}, "", "", "203.0.113.9"),
        (None, {"x-forwarded-for": "198.51.100.1"}, "", "", LOCAL),
        (None, {}, "", "", LOCAL),
        # a fleet's process: it believes only its own nginx, which overwrote the header
        (
            "198.51.100.7",
            {"X-Forwarded-For": "198.51.100.7"},
            "127.0.0.1",
            "127.0.0.1",
            "198.51.100.7",
        ),
        # `streamlit run` by hand: uvicorn believes loopback's header by default, so an address
        # that may come from the header is one shared key
        ("198.51.100.1", {"X-Forwarded-For": "198.51.100.1"}, None, "", FORWARDED),
        ("198.51.100.2", {"X-FORWARDED-FOR": "198.51.100.2"}, None, "", FORWARDED),
        ("203.0.113.9", {}, None, "", "203.0.113.9"),
        # the server was told to trust more than the operator's setting says
        ("198.51.100.1", {"X-Forwarded-For": "198.51.100.1"}, "*", "127.0.0.1", FORWARDED),
    ],
)
def test_client_key(address, headers, server_trust, trusted, key):
    assert client_key(address, headers, server_trust=server_trust, trusted_proxies=trusted) == key


def test_trusted_proxies_are_addresses_or_networks():
    assert proxy_list(None) == ""
    assert proxy_list(" 127.0.0.1 , 10.0.0.0/8,::1 ") == "127.0.0.1,10.0.0.0/8,::1"
    with pytest.raises(ConfigurationError) as info:
        proxy_list("127.0.0.1,*")
    assert str(info.value) == (
        "PROBATION_RATINGS_TRUSTED_PROXIES: '*' is not an IP address or network "
        "(e.g. 127.0.0.1, 10.0.0.0/8)"
    )
    with pytest.raises(ConfigurationError, match="'proxy.example' is not an IP address"):
        proxy_list("proxy.example")


def test_an_attempt_is_counted_before_it_is_compared(path, clock):
    backoff = Backoff(path, clock=lambda: clock[0])
    assert backoff.attempt("a") == (True, 0.5)  # allowed; a wrong answer pauses 0.5 s
    assert backoff.failures("a") == 1
    clock[0] += 0.2
    assert backoff.attempt("a") == (False, pytest.approx(0.3))  # at once: refused uncompared
    clock[0] += 0.3
    assert backoff.attempt("a") == (True, 1.0)
    backoff.succeeded("a")  # the right password forgets them all
    assert backoff.attempt("a") == (True, 0.5)

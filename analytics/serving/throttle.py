"""Back-off after failed sign-ins, shared by every process serving one database, and who a
client is.

Kept per session, a back-off resets whenever the page is reloaded; kept per process, N processes
behind one address give N times the guesses. So the failures live in a small SQLite file beside
the database (:func:`backoff_path`), which every process serving that database opens: SQLite
serialises the processes' updates and its journal keeps the file whole through a crash.
"""

from __future__ import annotations

import hashlib
import ipaddress
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import closing, contextmanager
from pathlib import Path

from analytics.errors import ConfigurationError
from analytics.settings import API_PER_MINUTE, TRUSTED_PROXIES

# What uvicorn (the server under Streamlit) believes X-Forwarded-For from when FORWARDED_ALLOW_IPS
# is unset: its own default.
UVICORN_DEFAULT_TRUST = "127.0.0.1,::1"
# One key for every client whose address the server may have taken from a header anyone can
# send: slower for all of them, never weaker.
FORWARDED = "forwarded"
LOCAL = "local"

SCHEMA = """
create table if not exists failures (
    client text primary key,
    count  integer not null,
    last   real not null
)
"""


def backoff_path(db_path: Path) -> Path:
    """Where the sign-in failures of the database at ``db_path`` are kept (beside it)."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".sign-in")


def proxy_list(value: str | None) -> str:
    """A trusted-proxies setting in the form uvicorn's FORWARDED_ALLOW_IPS reads: addresses or
    networks, comma-separated, checked; empty trusts nobody.

    Raises
    ------
    ConfigurationError
        Naming the first entry that is not an IP address or network.
    """
    entries = [e.strip() for e in (value or "").split(",") if e.strip()]
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ConfigurationError(
                f"{TRUSTED_PROXIES}: '{entry[:80]}' is not an IP address or network "
                "(e.g. 127.0.0.1, 10.0.0.0/8)"
            ) from None
    return ",".join(entries)


def client_key(
    address: str | None,
    headers: Mapping[str, str],
    *,
    server_trust: str | None,
    trusted_proxies: str,
) -> str:
    """The key a client's failed sign-ins are counted under.

    Parameters
    ----------
    address
        The client's address as the server reports it (``st.context.ip_address``; None for
        loopback).
    headers
        The request's headers (names in any case).
    server_trust
        The server's FORWARDED_ALLOW_IPS (None when unset: uvicorn then believes the header from
        loopback).
    trusted_proxies
        The proxies the operator trusts (:func:`proxy_list` of the setting).

    Returns
    -------
    str
        The address; ``"local"`` for loopback; ``"forwarded"`` for every request carrying
        X-Forwarded-For to a server that was not started with the operator's trusted proxies
        (``streamlit run`` by hand): its reported address may come from that header.
    """
    believed = UVICORN_DEFAULT_TRUST if server_trust is None else server_trust
    forwarded = any(name.lower() == "x-forwarded-for" for name in headers)
    if forwarded and _normalised(believed) != trusted_proxies:
        return FORWARDED
    return address if isinstance(address, str) and address else LOCAL


def _normalised(trust: str) -> str | None:
    try:
        return proxy_list(trust)
    except ValueError:
        return None  # "*" or a name: uvicorn's own forms, never what the operator set


@contextmanager
def locked(path: Path, schema: str) -> Iterator[sqlite3.Connection]:
    """A transaction on the SQLite file at ``path`` (``schema`` created if need be) holding its
    write lock from the start: autocommit mode with an explicit BEGIN IMMEDIATE, so two processes
    never both read the same count and both add one.
    """
    with closing(sqlite3.connect(path, timeout=30, isolation_level=None)) as con:
        con.execute("begin immediate")
        try:
            con.execute(schema)
            yield con
        except BaseException:
            con.execute("rollback")
            raise
        con.execute("commit")


class Backoff:
    """Failures per client key, each wrong attempt doubling the wait up to a cap.

    Parameters
    ----------
    path
        The SQLite file shared by every process serving one database (:func:`backoff_path`).
    first, cap
        The wait after the first failure, and the longest wait (seconds).
    forget_after
        Seconds after a client's last failure when its count starts again from zero.
    max_clients
        Clients remembered at once; the longest-quiet is forgotten first, so the file stays
        bounded whatever the number of addresses trying.
    clock
        Wall-clock time (shared by processes; tests pass a fake one). A failure dated in the
        future (the clock was set back) counts as just now.

    Raises
    ------
    OSError, sqlite3.Error
        From any method, when the file cannot be created or written (a read-only folder): the
        caller refuses the attempt rather than allow it uncounted.
    """

    def __init__(
        self,
        path: Path,
        *,
        first: float = 0.5,
        cap: float = 8.0,
        forget_after: float = 3600.0,
        max_clients: int = 10_000,
        clock: Callable[[], float] = time.time,
    ):
        self.path = Path(path)
        self.first = first
        self.cap = cap
        self.forget_after = forget_after
        self.max_clients = max_clients
        self.clock = clock

    def _transaction(self):
        return locked(self.path, SCHEMA)

    def _current(self, con: sqlite3.Connection, client: str) -> tuple[int, float]:
        row = con.execute("select count, last from failures where client = ?", (client,)).fetchone()
        if row is None:
            return 0, 0.0
        count, last = row
        now = self.clock()
        last = min(last, now)
        if now - last > self.forget_after:
            con.execute("delete from failures where client = ?", (client,))
            return 0, 0.0
        return count, last

    def failures(self, client: str) -> int:
        """Recent failed attempts of ``client``."""
        with self._transaction() as con:
            return self._current(con, client)[0]

    def attempt(self, client: str) -> tuple[bool, float]:
        """Check and count one attempt at once, so attempts made together cannot all pass.

        Returns
        -------
        tuple[bool, float]
            ``(True, wait)``: the attempt may be compared; it is already counted as a failure
            (:meth:`succeeded` forgets it) and ``wait`` is how long to pause before answering a
            wrong one. ``(False, left)``: refused uncompared, ``left`` seconds before the next.
        """
        with self._transaction() as con:
            count, last = self._current(con, client)
            left = last + self._wait(count) - self.clock() if count else 0.0
            if left > 0:
                return False, left
            return True, self._record(con, client, count + 1)

    def _record(self, con: sqlite3.Connection, client: str, count: int) -> float:
        con.execute(
            "insert into failures values (?, ?, ?) on conflict (client) do update "
            "set count = excluded.count, last = excluded.last",
            (client, count, self.clock()),
        )
        # bounded: the longest-quiet clients beyond max_clients are forgotten
        con.execute(
            "delete from failures where client in (select client from failures "
            "order by last desc limit -1 offset ?)",
            (self.max_clients,),
        )
        return self._wait(count)

    def succeeded(self, client: str) -> None:
        """Forget ``client``'s failures."""
        with self._transaction() as con:
            con.execute("delete from failures where client = ?", (client,))

    def _wait(self, count: int) -> float:
        return min(self.first * 2 ** (count - 1), self.cap)


def per_minute(value: str) -> int:
    """The API's requests per client a minute from its setting ("" is the default, 120).

    Raises
    ------
    ConfigurationError
        If the setting is not a whole number from 1 to 1,000,000.
    """
    if not value:
        return RequestLimit.PER_MINUTE
    number = int(value) if value.isascii() and value.isdigit() and len(value) <= 7 else 0
    if not 1 <= number <= 1_000_000:
        raise ConfigurationError(
            f"{API_PER_MINUTE}: '{value[:40]}' is not a whole number from 1 to 1,000,000"
        )
    return number


REQUESTS_SCHEMA = """
create table if not exists requests (
    client text primary key,
    window integer not null,
    count  integer not null
)
"""


class RequestLimit:
    """At most ``per_minute`` data API requests per client in each clock minute, counted in one
    SQLite file per database in the shared temporary folder, so every process serving the
    database (a fleet's too) shares the count.

    Parameters
    ----------
    db_path
        The database served: its limit's file is named after it.
    per_minute
        Requests a client may make in one clock minute.
    clock
        Wall-clock time (tests pass a fake one).
    """

    PER_MINUTE = 120

    def __init__(
        self,
        db_path: Path,
        *,
        per_minute: int = PER_MINUTE,
        clock: Callable[[], float] = time.time,
    ):
        digest = hashlib.sha256(str(Path(db_path).absolute()).encode()).hexdigest()[:16]
        self.path = Path(tempfile.gettempdir()) / f"probation-ratings-requests-{digest}.sqlite"
        self.per_minute = per_minute
        self.clock = clock

    def attempt(self, client: str) -> tuple[bool, float]:
        """Count one request of ``client``: whether it may be answered, and if not, the seconds
        until it may.
        """
        now = self.clock()
        window = int(now // 60)
        with locked(self.path, REQUESTS_SCHEMA) as con:  # the count read and written at once
            row = con.execute(
                "select window, count from requests where client = ?", (client,)
            ).fetchone()
            count = row[1] + 1 if row is not None and row[0] == window else 1
            con.execute(
                "insert into requests values (?, ?, ?) on conflict (client) do update "
                "set window = excluded.window, count = excluded.count",
                (client, window, count),
            )
            if count == 1:  # a new minute for this client: forget the clients gone quiet
                con.execute("delete from requests where window < ?", (window - 1,))
        if count > self.per_minute:
            return False, (window + 1) * 60 - now
        return True, 0.0

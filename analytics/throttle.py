"""Back-off after failed sign-ins, kept per client for the whole process.

Kept per session, a back-off resets whenever the page is reloaded (a new session); kept here, a
reload or a new browser tab from the same address waits as long as the last attempt did. The
dashboard holds one :class:`Backoff` per process.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable


class Backoff:
    """Failures per client key, each wrong attempt doubling the wait up to a cap.

    Parameters
    ----------
    first, cap
        The wait after the first failure, and the longest wait (seconds).
    forget_after
        Seconds after a client's last failure when its count starts again from zero.
    max_clients
        Clients remembered at once; the longest-quiet is forgotten first, so memory stays bounded
        whatever the number of addresses trying.
    clock
        Monotonic time source (tests pass a fake one).
    """

    def __init__(
        self,
        *,
        first: float = 0.5,
        cap: float = 8.0,
        forget_after: float = 3600.0,
        max_clients: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.first = first
        self.cap = cap
        self.forget_after = forget_after
        self.max_clients = max_clients
        self.clock = clock
        self._lock = threading.Lock()
        self._failures: OrderedDict[str, tuple[int, float]] = OrderedDict()

    def failures(self, client: str) -> int:
        """Recent failed attempts of ``client``."""
        with self._lock:
            return self._current(client)

    def failed(self, client: str) -> float:
        """Record a failed attempt; return the seconds to wait before answering it.

        Until that wait is over, :meth:`wait_left` refuses the client's next attempt, so opening
        more sessions in parallel does not buy more guesses.
        """
        with self._lock:
            count = self._current(client) + 1
            self._failures[client] = (count, self.clock())
            self._failures.move_to_end(client)
            while len(self._failures) > self.max_clients:
                self._failures.popitem(last=False)
        return self._wait(count)

    def wait_left(self, client: str) -> float:
        """Seconds before ``client`` may try again (0 when it may now)."""
        with self._lock:
            count = self._current(client)
            if not count:
                return 0.0
            _, last = self._failures[client]
            return max(0.0, last + self._wait(count) - self.clock())

    def succeeded(self, client: str) -> None:
        """Forget ``client``'s failures."""
        with self._lock:
            self._failures.pop(client, None)

    def _wait(self, count: int) -> float:
        return min(self.first * 2 ** (count - 1), self.cap)

    def _current(self, client: str) -> int:
        count, last = self._failures.get(client, (0, 0.0))
        if count and self.clock() - last > self.forget_after:
            del self._failures[client]
            return 0
        return count

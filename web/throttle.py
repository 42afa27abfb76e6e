"""How many password checks run, and how often one client may try: a wrong-password flood cannot exhaust memory.

A password check is werkzeug's scrypt, about 32 MiB and tens of milliseconds each, by design. Unbounded, 32
clients sending wrong passwords held a server at 1.14 GB. So:
- slots: at most `MAX_CONCURRENT_CHECKS` checks run at once in a process; a request waits up to `SLOT_WAIT`
  seconds for one, else it is refused (503, try again) without a check;
- back-off: a client (its address) may fail `FREE_FAILURES` times; then it must wait 1 s, 2 s, 4 s ... (at most
  `MAX_BACKOFF`) before its next check, and a request in that time is refused (429) without a check, even with
  the right password (else the wait would not slow down guessing). A success clears the client's failures.
  `MAX_CLIENTS` clients are remembered (the longest quiet forgotten first), so the table itself stays small.

State is per process: each gunicorn worker has its own slots and table.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from contextlib import contextmanager

MAX_CONCURRENT_CHECKS = 2
SLOT_WAIT = 5.0
FREE_FAILURES = 5
MAX_BACKOFF = 300.0
MAX_CLIENTS = 10_000


class Throttle:
    def __init__(self, concurrent: int = MAX_CONCURRENT_CHECKS, clock=time.monotonic):
        self._slots = threading.BoundedSemaphore(concurrent)
        self._clock = clock
        self._lock = threading.Lock()
        self._failures: OrderedDict[str, tuple[int, float]] = OrderedDict()  # client -> (failures, last failure)

    def wait_for(self, client: str) -> float:
        """Seconds `client` must still wait before its next password check (0: it may try now)."""
        with self._lock:
            failures, last = self._failures.get(client, (0, 0.0))
        if failures < FREE_FAILURES:
            return 0.0
        backoff = min(MAX_BACKOFF, 2.0 ** (failures - FREE_FAILURES))
        return max(0.0, last + backoff - self._clock())

    def failed(self, client: str) -> None:
        with self._lock:
            failures, _ = self._failures.pop(client, (0, 0.0))
            self._failures[client] = (failures + 1, self._clock())
            while len(self._failures) > MAX_CLIENTS:
                self._failures.popitem(last=False)

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)

    @contextmanager
    def slot(self, wait: float | None = None):
        """A slot for one password check: yields True while holding one, False when none came free in time."""
        acquired = self._slots.acquire(timeout=SLOT_WAIT if wait is None else wait)
        try:
            yield acquired
        finally:
            if acquired:
                self._slots.release()

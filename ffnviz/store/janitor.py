"""Classes expire whether or not anyone visits: a daemon thread per server process forgets the
students of every class past its time, once a minute; and any use of the store also purges when a
minute has passed (cheap: one indexed query), so a process whose thread has not started yet, or a
second process behind a load balancer, keeps the promise too."""

from __future__ import annotations

import logging
import threading
import time

from ffnviz.store.classes import ClassStore

log = logging.getLogger("ffnviz")
PURGE_EVERY_S = 60.0


class Janitor:
    """Purges `store`'s expired classes at most once per `every_s` (monotonic `clock`)."""

    def __init__(self, store: ClassStore, every_s: float = PURGE_EVERY_S, clock=time.monotonic):
        self.store, self.every_s, self._clock = store, every_s, clock
        self._lock = threading.Lock()
        self._last: float | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def maybe_purge(self) -> int:
        """Purge if `every_s` has passed since the last purge; returns the classes expired now.
        Never raises: a store that cannot be reached is the page's message, not the janitor's."""
        with self._lock:
            now = self._clock()
            if self._last is not None and now - self._last < self.every_s:
                return 0
            self._last = now
        try:
            return self.store.purge_expired()
        except Exception:  # the next minute tries again
            log.exception("purging expired classes failed")
            return 0

    def start(self) -> Janitor:
        """The thread that purges every `every_s` with no visitor at all (a daemon: it dies with
        the server)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="ffnviz-class-janitor", daemon=True)
            self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            self.maybe_purge()
            self._stop.wait(self.every_s)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=1)

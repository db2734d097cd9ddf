"""The server-wide cap on models in training. A class of 30 students shares one server
process; past the cap, a new run waits its turn ("queued") instead of slowing everyone. Turns are
first come, first served: a run that asked first starts first, and each waiting run knows its
place in the line (the page says it)."""

from __future__ import annotations

import threading

from ffnviz import limits


class WorkCap:
    def __init__(self, max_models: int):
        self.max_models = max_models
        self._lock = threading.Lock()
        self._holders: dict[int, int] = {}  # id(owner) -> models it trains
        self._line: list[int] = []  # id(owner) of the runs waiting, first come first

    @property
    def in_use(self) -> int:
        with self._lock:
            return sum(self._holders.values())

    @property
    def waiting(self) -> int:
        with self._lock:
            return len(self._line)

    def try_acquire(self, owner: object, models: int = 1) -> bool:
        """Take `models` slots for `owner`; False (and a place in the line) while the cap is full
        or a run that asked earlier still waits."""
        key = id(owner)
        with self._lock:
            if key in self._holders:
                return True
            if key not in self._line:
                self._line.append(key)
            if self._line[0] != key or sum(self._holders.values()) + models > self.max_models:
                return False
            self._line.pop(0)
            self._holders[key] = models
            return True

    def place(self, owner: object) -> int | None:
        """`owner`'s place in the line (1: next), or None when it does not wait."""
        with self._lock:
            return self._line.index(id(owner)) + 1 if id(owner) in self._line else None

    def release(self, owner: object) -> None:
        """Give back `owner`'s slots, or its place in the line (a waiting run that was paused)."""
        with self._lock:
            self._holders.pop(id(owner), None)
            if id(owner) in self._line:
                self._line.remove(id(owner))


SERVER_CAP = WorkCap(limits.MAX_MODELS_TRAINING)

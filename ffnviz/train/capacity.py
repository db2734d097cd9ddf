"""The server-wide cap on models in training. A class of 30 students shares one server
process; past the cap, a new run waits its turn ("queued") instead of slowing everyone."""

from __future__ import annotations

import threading

from ffnviz import limits


class WorkCap:
    def __init__(self, max_models: int):
        self.max_models = max_models
        self._lock = threading.Lock()
        self._holders: dict[int, int] = {}  # id(owner) -> models it trains

    @property
    def in_use(self) -> int:
        with self._lock:
            return sum(self._holders.values())

    def try_acquire(self, owner: object, models: int = 1) -> bool:
        with self._lock:
            if id(owner) in self._holders:
                return True
            if sum(self._holders.values()) + models > self.max_models:
                return False
            self._holders[id(owner)] = models
            return True

    def release(self, owner: object) -> None:
        with self._lock:
            self._holders.pop(id(owner), None)


SERVER_CAP = WorkCap(limits.MAX_MODELS_TRAINING)

"""The server-wide cap on models in training. A class of 30 students shares one server
process; past the cap, a new run waits its turn ("queued") instead of slowing everyone. Turns are
first come, first served: a run that asked first starts first, and each waiting run knows its
place in the line (the page says it).

A cap per group too (a browser session: a holder's `cap_group`, set by the page): past it the
group's next run waits until one of its own runs gives its slots back, without holding up anyone
behind it in the line."""

from __future__ import annotations

import threading

from ffnviz import limits


class WorkCap:
    def __init__(self, max_models: int, per_group: int | None = None):
        self.max_models = max_models
        self.per_group = per_group if per_group is not None else max_models
        self._lock = threading.Lock()
        self._holders: dict[int, tuple[int, object]] = {}  # id(owner) -> (models it trains, its group)
        self._line: dict[int, tuple[int, object]] = {}  # the runs waiting, first come first: the same

    def models_for(self, wanted: int) -> int:
        """The slots a run of `wanted` models takes: never more than one group or the whole cap may hold
        (a bigger run trains its models in turns all the same)."""
        return max(1, min(wanted, self.max_models, self.per_group))

    def _group_full(self, group: object, models: int) -> bool:
        if group is None:
            return False
        held = sum(n for n, g in self._holders.values() if g == group)
        return held + models > self.per_group

    @property
    def in_use(self) -> int:
        with self._lock:
            return sum(n for n, _ in self._holders.values())

    @property
    def waiting(self) -> int:
        with self._lock:
            return len(self._line)

    def try_acquire(self, owner: object, models: int = 1) -> bool:
        """Take `models` slots for `owner` (its `cap_group`, if any, counted); False (and a place in
        the line) while the cap is full, a run that asked earlier still waits, or its group holds its
        share (then it waits for its own group's runs, and the runs behind it go first)."""
        key, group = id(owner), getattr(owner, "cap_group", None)
        models = self.models_for(models)
        with self._lock:
            if key in self._holders:
                return True
            self._line.setdefault(key, (models, group))
            first = next((k for k, (n, g) in self._line.items() if not self._group_full(g, n)), None)
            if first != key or sum(n for n, _ in self._holders.values()) + models > self.max_models:
                return False
            del self._line[key]
            self._holders[key] = (models, group)
            return True

    def place(self, owner: object) -> int | None:
        """`owner`'s place in the line (1: next), or None when it does not wait."""
        with self._lock:
            return list(self._line).index(id(owner)) + 1 if id(owner) in self._line else None

    def waits_for_its_group(self, owner: object) -> bool:
        """`owner` waits because its group's other runs hold the group's share."""
        with self._lock:
            entry = self._line.get(id(owner))
            return entry is not None and self._group_full(entry[1], entry[0])

    def release(self, owner: object) -> None:
        """Give back `owner`'s slots, or its place in the line (a waiting run that was paused)."""
        with self._lock:
            self._holders.pop(id(owner), None)
            self._line.pop(id(owner), None)


SERVER_CAP = WorkCap(limits.MAX_MODELS_TRAINING, limits.MAX_SESSION_MODELS)

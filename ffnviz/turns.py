"""Turns: a lock handed over first come, first served.

Threads of one Python process share its interpreter lock. Many threads that each want the CPU
at once (thirty students' runs in a worker process, thirty pages drawing their charts in the
server) do not go faster together: they hand the interpreter lock back and forth at every torch
call and every message, the thread that serves the websockets waits behind them, and the
operating system spends its time switching (docs/PERFORMANCE.md, "A class on one server"). Taking
turns instead — one thread works, the others sleep on a lock of their own — keeps the throughput
and gives each one an equal share, in the order they asked: Python's own Lock promises no order,
and a thread that lets go and asks again at once can starve the rest.
"""

from __future__ import annotations

import threading
from collections import deque


class Turns:
    """`with turns:` waits for this thread's turn (first come, first served) and gives it to the
    next one after."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._busy = False
        self._waiting: deque[threading.Lock] = deque()

    def __enter__(self) -> Turns:
        with self._lock:
            if not self._busy:
                self._busy = True
                return self
            mine = threading.Lock()
            mine.acquire()
            self._waiting.append(mine)
        mine.acquire()  # released by the thread whose turn ends before ours
        return self

    def __exit__(self, *exc) -> None:
        with self._lock:
            if self._waiting:
                self._waiting.popleft().release()  # handed over: still busy
            else:
                self._busy = False

    @property
    def waiting(self) -> int:
        return len(self._waiting)

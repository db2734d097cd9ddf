"""Runs of one process that take turns get the same CPU time, even when one run's chunks always run
over (a race's update, an evaluation at an epoch's end): it passes turns until it has paid back
what it took beyond its share (Worker._take_turn)."""

from __future__ import annotations

import time

from ffnviz.train.capacity import WorkCap
from ffnviz.train.worker import Worker


class _Spinner(Worker):
    """Trains by spinning: each chunk uses `chunk_cpu_s` of this thread's CPU time, whatever the
    chunk's share (a run whose every chunk overruns when chunk_cpu_s > chunk_s)."""

    def __init__(self, chunk_cpu_s: float):
        super().__init__(cap=WorkCap(10), chunk_s=0.01, idle_pause_s=600)
        self.chunk_cpu_s = chunk_cpu_s
        self.cpu_s = 0.0
        self.chunks = 0
        self.turns = 0
        self._publish()

    def _take_turn(self):
        self.turns += 1
        super()._take_turn()

    def _train_for(self, seconds, limit):
        start = time.thread_time()
        while time.thread_time() - start < self.chunk_cpu_s:
            pass
        self.cpu_s += time.thread_time() - start
        self.chunks += 1
        self._publish_if_due()
        return 1

    def _publish(self):
        self._version += 1
        self._rate = (self._clock(), 0)
        self._snapshot = self._version


def test_a_run_whose_chunks_overrun_gets_no_more_cpu_than_the_others():
    heavy, light = _Spinner(chunk_cpu_s=0.03), _Spinner(chunk_cpu_s=0.01)  # 3x and 1x the chunk
    runs = [heavy, light, _Spinner(chunk_cpu_s=0.01)]
    for r in runs:
        r.attach()
        r.start(wait_s=0)
    deadline = time.monotonic() + 60
    while min(r.cpu_s for r in runs) < 0.6 and time.monotonic() < deadline:
        time.sleep(0.05)
    for r in runs:
        r.detach()
    cpu = [r.cpu_s for r in runs]
    # Without paying back, the heavy run would get 3x the others' CPU (one chunk each per round).
    assert max(cpu) / min(cpu) < 1.5, cpu
    assert heavy.turns - heavy.chunks > heavy.chunks  # it passed about two turns in three


def test_a_run_alone_never_passes_its_turn():
    alone = _Spinner(chunk_cpu_s=0.03)
    alone.attach()
    alone.start(wait_s=0)
    deadline = time.monotonic() + 60
    while alone.chunks < 20 and time.monotonic() < deadline:
        time.sleep(0.02)
    alone.detach()
    assert alone.chunks >= 20
    assert alone.turns == alone.chunks  # nobody waited: nothing owed, no turn passed

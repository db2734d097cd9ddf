"""The learning-rate sweep: for each chosen optimizer, the training loss after N updates over a
log grid of learning rates ("where does each optimizer work").

`Sweep` is what a page holds: it checks the sweep's settings, and trains it like any run, in a
worker process of the training pool (a RemoteRunner hosting a `SweepRunner`, when given `pool`),
or in a thread of this process (a `SweepRunner` itself, without a pool: FFNVIZ_WORKERS=0). Both
give the same numbers, bit for bit. The work itself (the points, their order, the chunks, the cap)
is ffnviz/train/sweep_runner.py's.

The page reads one immutable `SweepSnapshot` (status, progress, result) per refresh; from a worker
it crosses only when the page asks and the worker has a newer one. `cancel()` lands within one
chunk (~20 ms) and gives back the sweep's model of the server's cap; a sweep whose worker process
died says so (status "failed", with a note), and a new sweep starts on a live worker.
"""

from __future__ import annotations

import math
import numbers
import threading
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from ffnviz import limits
from ffnviz.data import Dataset, make_dataset
from ffnviz.specs import OptimSpec, RunSpec
from ffnviz.train.capacity import SERVER_CAP, WorkCap
from ffnviz.train.pool import Pool, WorkerDied
from ffnviz.train.remote_runner import RemoteRunner
from ffnviz.train.sweep_runner import (  # noqa: F401 - the statuses and SweepResult are this module's API too
    CANCELLED,
    DONE,
    FAILED,
    FINISHED,
    QUEUED,
    READY,
    RUNNING,
    SweepResult,
    SweepRunner,
    SweepSnapshot,
    SweepSpec,
)
from ffnviz.train.worker import PAUSED, Note

WORKER_DIED = "the worker process that trained the sweep stopped"


def lr_grid(lo: float, hi: float, points: int) -> np.ndarray:
    """`points` learning rates from `lo` to `hi` (both included), evenly spaced in log10.
    Raises ValueError naming the argument that is outside limits.LEARNING_RATE / SWEEP_POINTS."""
    problems = []
    if isinstance(points, bool) or not isinstance(points, (int, np.integer)) or not limits.SWEEP_POINTS.contains(points):
        problems.append(f"points must be a whole number in {limits.SWEEP_POINTS}, got {points!r}")
    for name, value in (("lo", lo), ("hi", hi)):
        if not _finite_number(value) or not limits.LEARNING_RATE.contains(value):
            problems.append(f"{name} must be a learning rate in {limits.LEARNING_RATE}, got {value!r}")
    if not problems and not lo < hi:
        problems.append(f"lo must be below hi, got lo={lo:g}, hi={hi:g}")
    if problems:
        raise ValueError("; ".join(problems))
    grid = np.logspace(math.log10(lo), math.log10(hi), int(points))
    # logspace's end points are 10**log10(x), which can miss x by an ulp and leave the range.
    grid[0], grid[-1] = lo, hi
    return grid


def _whole(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _finite_number(value) -> bool:
    return isinstance(value, (int, float, np.floating, np.integer)) and not isinstance(value, bool) \
        and math.isfinite(value)


class Sweep:
    """A learning-rate sweep trained in the background. Construct (validates; raises ValueError),
    `start()`, read `snapshot` (or `progress`, `status`, `error` and `result`); `cancel()` at any time.

    `base` fixes data, model, regularization, batch size and device; each run replaces its
    optimizer (an `OptimSpec`, hyperparameter overrides included, with the sweep's learning
    rate), its seed, and its step cap (`updates`). `dataset`: the data of base.data when it
    cannot be generated from the spec (an upload), as for `Runner`. `pool`: train in one of its
    worker processes (else in a thread of this process)."""

    cap_group: object = None  # whose share of the server's cap the sweep counts in (its page's session)

    def __init__(self, base: RunSpec, optimizers: Sequence[OptimSpec], lrs, updates: int, seeds=(0,),
                 cap: WorkCap = SERVER_CAP, *, dataset: Dataset | None = None, chunk_s: float = 0.02,
                 queue_poll_s: float = 0.05, pool: Pool | None = None):
        self.base = base
        self.optimizers = tuple(optimizers)
        self.lrs = np.array(lrs, dtype=np.float64).reshape(-1) if np.ndim(lrs) <= 1 else np.asarray(lrs)
        # Whole numbers from numpy (a slider, an arange) are as good as ints.
        self.updates = int(updates) if _whole(updates) else updates
        self.seeds = tuple(int(s) if _whole(s) else s for s in seeds)
        self._validate()
        self.spec = SweepSpec(base, self.optimizers, tuple(float(v) for v in self.lrs), self.updates, self.seeds)
        # Made here, not in the worker: a spec whose data cannot be generated (an upload without
        # its `dataset`) is refused now, with make_dataset's ValueError, not as a failed sweep.
        self._dataset = dataset if dataset is not None else make_dataset(base.data)
        self._cap = cap
        self._chunk_s = chunk_s
        self._queue_poll_s = queue_poll_s
        self._pool = pool
        self._lock = threading.RLock()
        self._engine: SweepRunner | RemoteRunner | None = None  # made by start()
        # Before start, and a remote sweep's last snapshot once it finished (its worker let go of it).
        self._last: SweepSnapshot | None = SweepSnapshot.before_start(self.spec)

    # -- validation -----------------------------------------------------------------------------

    def _validate(self) -> None:
        problems = []
        try:
            self.base.validate()
        except ValueError as e:
            problems.append(f"base spec: {e}")
        if not limits.SWEEP_OPTIMIZERS.contains(len(self.optimizers)):
            problems.append(f"optimizers: choose {limits.SWEEP_OPTIMIZERS} optimizers, got {len(self.optimizers)}")
        for o in self.optimizers:
            if not isinstance(o, OptimSpec):
                problems.append(f"optimizers: each must be an OptimSpec, got {o!r}")
        lrs = self.lrs
        if lrs.ndim != 1 or not limits.SWEEP_POINTS.contains(len(lrs)):
            problems.append(f"lrs: {limits.SWEEP_POINTS} learning rates, got {lrs.size}")
        elif not (np.isfinite(lrs).all() and all(limits.LEARNING_RATE.contains(float(v)) for v in lrs)):
            problems.append(f"lrs: every learning rate must be in {limits.LEARNING_RATE}")
        elif not (np.diff(lrs) > 0).all():
            problems.append("lrs: learning rates must increase (see lr_grid)")
        else:
            for o in self.optimizers:
                if isinstance(o, OptimSpec):  # hyperparameter overrides, checked as any run's
                    problems.extend(f"optimizers: {m}" for _, m in replace(o, lr=float(lrs[0])).problems())
        if isinstance(self.updates, bool) or not isinstance(self.updates, int) or \
                not limits.SWEEP_UPDATES.contains(self.updates):
            problems.append(f"updates must be a whole number in {limits.SWEEP_UPDATES}, got {self.updates!r}")
        if not limits.SWEEP_SEEDS.contains(len(self.seeds)):
            problems.append(f"seeds: {limits.SWEEP_SEEDS} seeds, got {len(self.seeds)}")
        elif len(set(self.seeds)) != len(self.seeds):
            problems.append(f"seeds must differ, got {self.seeds}")
        for s in self.seeds:
            if isinstance(s, bool) or not isinstance(s, int) or not limits.SEED.contains(s):
                problems.append(f"seeds: each must be a whole number in {limits.SEED}, got {s!r}")
        if not problems:
            runs = len(self.optimizers) * len(self.lrs) * len(self.seeds)
            work = runs * self.updates
            if work > limits.SWEEP_WORK:
                problems.append(
                    f"sweep too big: {len(self.optimizers)} optimizers × {len(self.lrs)} learning rates × "
                    f"{len(self.seeds)} seeds × {self.updates} updates = {work:,} updates, at most "
                    f"{limits.SWEEP_WORK:,}; choose fewer updates, learning rates, seeds or optimizers")
        if problems:
            raise ValueError("; ".join(problems))

    # -- the runs -------------------------------------------------------------------------------

    @property
    def runs(self) -> int:
        return self.spec.runs

    def run_spec(self, optimizer: int, lr: int, seed: int) -> RunSpec:
        """The spec of one point (indices into optimizers, lrs, seeds): a plain run that gives
        the same numbers in a `Trainer` or the playground."""
        return self.spec.run_spec(optimizer, lr, seed)

    @property
    def in_worker(self) -> bool:
        """The sweep trains (or trained) in a worker process of the pool."""
        return isinstance(self._engine, RemoteRunner)

    # -- commands -------------------------------------------------------------------------------

    def start(self) -> None:
        """Start training in the background; a no-op unless the sweep is "ready" (a sweep runs once)."""
        with self._lock:
            if self._engine is not None or self._last.status != READY:
                return
            try:
                if self._pool is None:
                    engine = SweepRunner(self.spec, dataset=self._dataset, cap=self._cap, chunk_s=self._chunk_s,
                                         queue_poll_s=self._queue_poll_s)
                else:
                    engine = RemoteRunner(SweepRunner, self.spec, self._dataset, pool=self._pool, cap=self._cap)
            except WorkerDied as e:  # no worker would start: the page says so, and Start can try again
                self._last = self._failed(self._last, str(e))
                return
            engine.cap_group = self.cap_group
            self._engine, self._last = engine, None
        engine.attach()
        engine.start()

    def cancel(self) -> None:
        """Stop (within one chunk, ~20 ms) and give back the sweep's model of the cap, both done on
        return; points already run stay in `result`. A no-op on a finished sweep. (In-process, the
        thread ends by itself at its next turn: waiting for it could wait behind every other run's.)"""
        with self._lock:
            engine = self._engine
            if engine is None:
                if self._last.status == READY:  # never started: it never will
                    self._last = replace(self._last, status=CANCELLED)
                return
            if self._last is not None:  # finished, its worker let go
                return
        engine.pause()  # a sweep's pause is its cancel
        if not isinstance(engine, SweepRunner):
            self.snapshot  # noqa: B018 - reads the cancelled snapshot and lets the worker go

    # -- reading --------------------------------------------------------------------------------

    @property
    def snapshot(self) -> SweepSnapshot:
        """The latest snapshot (from a worker: fetched now if it has a newer one)."""
        with self._lock:
            engine = self._engine
            if self._last is not None:
                return self._last
            if isinstance(engine, SweepRunner):
                return engine.snapshot
            snap = engine.poll()  # watched: a queued sweep is let in here when its turn has come
            if engine.died or snap.status == PAUSED:  # a sweep never pauses: its worker is gone
                snap = self._failed(snap, WORKER_DIED)
            if snap.status in FINISHED:
                self._last = snap
                engine.close()  # nothing more to read: the worker lets go of the sweep
            return snap

    @staticmethod
    def _failed(snap: SweepSnapshot, detail: str) -> SweepSnapshot:
        return replace(snap, status=FAILED, note=Note.of("sweep_worker_died"), error=detail)

    @property
    def status(self) -> str:
        return self.snapshot.status

    @property
    def error(self) -> str | None:
        """Why the sweep failed (status "failed"), else None."""
        return self.snapshot.error

    @property
    def progress(self) -> float:
        """Runs finished, with the fraction of the current one, over all runs: 0 → 1 (1 when done)."""
        return self.snapshot.progress

    @property
    def result(self) -> SweepResult:
        """The numbers so far: complete when status is "done"."""
        return self.snapshot.result

"""The learning-rate sweep: for each chosen optimizer, the training loss after N updates over a
log grid of learning rates ("where does each optimizer work").

Every point is an ordinary run of the project's `Trainer` (the spec from `Sweep.run_spec`), so
a point can be reproduced, or opened in the playground, from its spec. The sweep trains in a
daemon thread, one model at a time, and each run holds one model of the server-wide `WorkCap`
while it trains: a sweep counts against the cap like any other run, and waits ("queued") when
it is full. The thread steps in chunks of ~20 ms, so `cancel()` lands within one chunk.

Runs go learning rate by learning rate (every optimizer at the smallest rate first, then the
next rate), seeds innermost, so a partial result shows all the curves growing together and
each point completes before the next one starts.
"""

from __future__ import annotations

import math
import numbers
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from ffnviz import limits
from ffnviz.data import Dataset, make_dataset
from ffnviz.specs import OptimSpec, RunSpec
from ffnviz.train.capacity import SERVER_CAP, WorkCap
from ffnviz.train.trainer import Trainer

READY, QUEUED, RUNNING, CANCELLED, DONE, FAILED = "ready", "queued", "running", "cancelled", "done", "failed"
FINISHED = (CANCELLED, DONE, FAILED)


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


@dataclass(frozen=True)
class SweepResult:
    """The sweep's numbers so far. Axes: optimizer (O, in the order given), learning rate (L),
    seed (S)."""

    optimizers: tuple[str, ...]  # each optimizer setting's registry key (a key may repeat with other hypers)
    lrs: np.ndarray  # (L,)
    final_loss: np.ndarray  # (O, L, S) full-training-set data loss after `updates`; NaN if not run or diverged
    diverged: np.ndarray  # (O, L, S) bool: the run met a NaN/inf loss (and stopped there)
    updates: int
    seeds: tuple[int, ...]
    done: np.ndarray = field(default_factory=lambda: np.zeros((0, 0, 0), bool))  # (O, L, S) bool: run finished
    diverged_at: np.ndarray = field(default_factory=lambda: np.zeros((0, 0, 0), np.int64))  # (O, L, S); 0 if not
    # (S,) the full-training-set loss before the first update, per seed (the same initial
    # weights for every optimizer and rate): above it, training made things worse. NaN until
    # that seed's first run starts.
    initial_loss: np.ndarray = field(default_factory=lambda: np.zeros(0))

    def __post_init__(self):
        # Built without the optional arrays (a page or a test making one by hand): a finite loss
        # or a divergence means the run finished; the rest is not known.
        shape = np.shape(self.final_loss)
        if np.shape(self.done) != shape:
            object.__setattr__(self, "done", np.isfinite(self.final_loss) | self.diverged)
        if np.shape(self.diverged_at) != shape:
            object.__setattr__(self, "diverged_at", np.zeros(shape, np.int64))
        if np.shape(self.initial_loss) != (len(self.seeds),):
            object.__setattr__(self, "initial_loss", np.full(len(self.seeds), np.nan))

    def median_loss(self) -> np.ndarray:
        """(O, L): the median over seeds of the final loss. NaN where any seed diverged (a
        learning rate that blows up on one seed in three is not one that works) and where any
        seed has not run yet (so a point never moves once drawn)."""
        loss = np.where(self.diverged, np.nan, self.final_loss)
        complete = self.done.all(axis=2) & ~self.diverged.any(axis=2)
        out = np.full(loss.shape[:2], np.nan)
        if complete.any():
            out[complete] = np.median(loss[complete], axis=1)
        return out

    def any_diverged(self) -> np.ndarray:
        """(O, L) bool: some seed diverged at this point (the chart's 'x' markers)."""
        return self.diverged.any(axis=2)

    def best_lr_index(self) -> np.ndarray:
        """(O,) for each optimizer the index into `lrs` of its lowest median loss, -1 if none
        is complete and finite. Ties go to the smaller learning rate."""
        median = self.median_loss()
        out = np.full(len(self.optimizers), -1, np.int64)
        for i, row in enumerate(median):
            if np.isfinite(row).any():
                out[i] = int(np.nanargmin(row))
        return out

    def best_rates(self) -> list[tuple[str, float]]:
        """(optimizer, its best learning rate) for each optimizer that has one, in the sweep's
        order, the rate to three significant digits (what a person would type)."""
        return [(name, float(f"{self.lrs[i]:.3g}")) for name, i in zip(self.optimizers, self.best_lr_index(), strict=True)
                if i >= 0]


class Sweep:
    """A learning-rate sweep in a background thread. Construct (validates; raises ValueError),
    `start()`, poll `progress`, `status` and `result`; `cancel()` at any time.

    `base` fixes data, model, regularization, batch size and device; each run replaces its
    optimizer (an `OptimSpec`, hyperparameter overrides included, with the sweep's learning
    rate), its seed, and its step cap (`updates`). `dataset`: the data of base.data when it
    cannot be generated from the spec (an upload), as for `Runner`."""

    def __init__(self, base: RunSpec, optimizers: Sequence[OptimSpec], lrs, updates: int, seeds=(0,),
                 cap: WorkCap = SERVER_CAP, *, dataset: Dataset | None = None, chunk_s: float = 0.02,
                 queue_poll_s: float = 0.05):
        self.base = base
        self.optimizers = tuple(optimizers)
        self.lrs = np.array(lrs, dtype=np.float64).reshape(-1) if np.ndim(lrs) <= 1 else np.asarray(lrs)
        # Whole numbers from numpy (a slider, an arange) are as good as ints.
        self.updates = int(updates) if _whole(updates) else updates
        self.seeds = tuple(int(s) if _whole(s) else s for s in seeds)
        self._validate()
        # Made here, not in the thread: a spec whose data cannot be generated (an upload without
        # its `dataset`) is refused now, with make_dataset's ValueError, not as a failed sweep.
        self._dataset = dataset if dataset is not None else make_dataset(base.data)
        self._cap = cap
        self._chunk_s = chunk_s
        self._queue_poll_s = queue_poll_s

        shape = (len(self.optimizers), len(self.lrs), len(self.seeds))
        self._lock = threading.Lock()
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self._status = READY
        self._error: str | None = None
        self._loss = np.full(shape, np.nan)
        self._diverged = np.zeros(shape, bool)
        self._diverged_at = np.zeros(shape, np.int64)
        self._done = np.zeros(shape, bool)
        self._initial = np.full(len(self.seeds), np.nan)
        self._runs_done = 0
        self._current_updates = 0  # updates made in the run in progress, for a smooth progress bar

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
        return len(self.optimizers) * len(self.lrs) * len(self.seeds)

    def run_spec(self, optimizer: int, lr: int, seed: int) -> RunSpec:
        """The spec of one point (indices into optimizers, lrs, seeds): a plain run that gives
        the same numbers in a `Trainer` or the playground."""
        b = self.base
        optim = replace(self.optimizers[optimizer], lr=float(self.lrs[lr]))
        return replace(b, optim=optim, train=replace(b.train, seed=self.seeds[seed], max_updates=self.updates))

    def _order(self):
        for j in range(len(self.lrs)):
            for i in range(len(self.optimizers)):
                for k in range(len(self.seeds)):
                    yield i, j, k

    # -- commands -------------------------------------------------------------------------------

    def start(self) -> None:
        """Start the background thread; a no-op unless the sweep is "ready" (a sweep runs once)."""
        with self._lock:
            if self._status != READY:
                return
            self._status = QUEUED
            self._thread = threading.Thread(target=self._work, name="ffnviz-sweep", daemon=True)
            self._thread.start()

    def cancel(self, timeout: float = 1.0) -> None:
        """Stop (within one chunk, ~20 ms, or one queue poll) and release the cap. Waits up to
        `timeout` s for the thread, so that on return the cap is free. Points already run stay
        in `result`. A no-op on a finished sweep."""
        with self._lock:
            if self._status in FINISHED:
                return
            self._cancel.set()
            if self._thread is None:  # never started
                self._status = CANCELLED
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    # -- reading --------------------------------------------------------------------------------

    @property
    def status(self) -> str:
        return self._status

    @property
    def error(self) -> str | None:
        """Why the sweep failed (status "failed"), else None."""
        return self._error

    @property
    def progress(self) -> float:
        """Runs finished, with the fraction of the current one, over all runs: 0 → 1 (1 when done)."""
        with self._lock:
            if self._status == DONE:
                return 1.0
            return min(1.0, (self._runs_done + self._current_updates / self.updates) / self.runs)

    @property
    def result(self) -> SweepResult:
        """The numbers so far (copies): complete when status is "done"."""
        with self._lock:
            return SweepResult(
                optimizers=tuple(o.name for o in self.optimizers), lrs=self.lrs.copy(), final_loss=self._loss.copy(),
                diverged=self._diverged.copy(), updates=self.updates, seeds=self.seeds, done=self._done.copy(),
                diverged_at=self._diverged_at.copy(), initial_loss=self._initial.copy())

    # -- the thread -----------------------------------------------------------------------------

    def _work(self) -> None:
        try:
            data = self._dataset
            for i, j, k in self._order():
                if not self._acquire():
                    break
                try:
                    self._run(i, j, k, data)
                finally:
                    # Held for one run at a time, so that the sweep counts exactly while it
                    # trains and a failure or cancel can never leave a model held. (A queued
                    # Runner polls every 0.25 s, so in practice the sweep re-takes its slot first.)
                    self._cap.release(self)
                if self._cancel.is_set():
                    break
            with self._lock:
                self._status = CANCELLED if self._cancel.is_set() else DONE
        except Exception as e:  # the page shows the message, instead of a sweep stuck "running"
            with self._lock:
                self._status, self._error = FAILED, f"{type(e).__name__}: {e}"
        finally:
            self._cap.release(self)

    def _acquire(self) -> bool:
        """Take one model of the cap, waiting ("queued") while it is full. False if cancelled."""
        while not self._cap.try_acquire(self, 1):
            with self._lock:
                self._status = QUEUED
            if self._cancel.wait(self._queue_poll_s):
                return False
        with self._lock:
            if self._cancel.is_set():
                return False
            self._status = RUNNING
        return True

    def _run(self, i: int, j: int, k: int, data: Dataset) -> None:
        """One point: train `updates` updates in ~chunk_s chunks (the chunking changes no number),
        stopping early on divergence or cancellation; a cancelled run records nothing."""
        trainer = Trainer(self.run_spec(i, j, k), data)
        if np.isnan(self._initial[k]):
            initial = trainer.evaluate().train_loss
            with self._lock:
                self._initial[k] = initial
        pace = 0.0  # seconds per update, measured on this run
        while trainer.updates < self.updates:
            n = self.updates - trainer.updates
            n = min(n, max(1, int(self._chunk_s / pace))) if pace > 0 else min(n, 1)
            tick = time.perf_counter()
            trainer.step(n)
            pace = (time.perf_counter() - tick) / n
            with self._lock:
                self._current_updates = trainer.updates
            if trainer.diverged_at is not None or self._cancel.is_set():
                break
        if self._cancel.is_set() and trainer.diverged_at is None:
            with self._lock:
                self._current_updates = 0
            return
        loss = trainer.evaluate().train_loss if trainer.diverged_at is None else math.nan
        with self._lock:
            # A run whose mini-batch losses stayed finite but whose full-set loss is not has
            # diverged too, at its last update.
            if not math.isfinite(loss):
                self._diverged[i, j, k] = True
                self._diverged_at[i, j, k] = trainer.diverged_at or trainer.updates
            else:
                self._loss[i, j, k] = loss
            self._done[i, j, k] = True
            self._runs_done += 1
            self._current_updates = 0

"""The learning-rate sweep's work: what it trains (`SweepSpec`), its numbers (`SweepResult`), and
the Worker that trains them (`SweepRunner`), hosted like a Runner or a RaceRunner: in a worker
process of the training pool (ffnviz/train/pool.py, through a RemoteRunner), or in a thread of the
server process where there is no pool (FFNVIZ_WORKERS=0). The page holds a `Sweep`
(ffnviz/train/sweep.py), which is one or the other.

Every point is an ordinary run of the project's `Trainer` (the spec from `SweepSpec.run_spec`), so
a point can be reproduced, or opened in the playground, from its spec. Points go learning rate by
learning rate (every optimizer at the smallest rate first, then the next rate), seeds innermost,
so a partial result shows all the curves growing together and each point completes before the
next one starts.

As a Worker, the sweep trains one model at a time in chunks of ~20 ms of its thread's CPU time,
in turns with the other runs of its process (`worker.TRAINING_TURNS`): a sweep gets one run's
share, not more, and a cancel lands within one chunk. It holds one model of the server-wide cap
while it trains, and waits ("queued") while the cap is full. A sweep runs once: it does not pause
(pausing it, as a page that goes away does, cancels it) and does not start again.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace

import numpy as np

from ffnviz.data import Dataset, make_dataset
from ffnviz.specs import OptimSpec, RunSpec
from ffnviz.train.capacity import SERVER_CAP, WorkCap
from ffnviz.train.trainer import Trainer
from ffnviz.train.worker import DONE, QUEUED, READY, RUNNING, Note, Worker

CANCELLED, FAILED = "cancelled", "failed"
FINISHED = (CANCELLED, DONE, FAILED)
__all__ = ["CANCELLED", "DONE", "FAILED", "FINISHED", "QUEUED", "READY", "RUNNING", "SweepResult", "SweepRunner",
           "SweepSnapshot", "SweepSpec"]


@dataclass(frozen=True)
class SweepSpec:
    """What a sweep trains: `base` with each optimizer (hyperparameter overrides included) at each
    learning rate, for each seed, `updates` updates each. Checked by `Sweep` (ffnviz/train/sweep.py)."""

    base: RunSpec
    optimizers: tuple[OptimSpec, ...]
    lrs: tuple[float, ...]
    updates: int
    seeds: tuple[int, ...]

    @property
    def shape(self) -> tuple[int, int, int]:
        return len(self.optimizers), len(self.lrs), len(self.seeds)

    @property
    def runs(self) -> int:
        return math.prod(self.shape)

    def run_spec(self, optimizer: int, lr: int, seed: int) -> RunSpec:
        """The spec of one point (indices into optimizers, lrs, seeds): a plain run that gives
        the same numbers in a `Trainer` or the playground."""
        b = self.base
        optim = replace(self.optimizers[optimizer], lr=float(self.lrs[lr]))
        return replace(b, optim=optim, train=replace(b.train, seed=self.seeds[seed], max_updates=self.updates))

    def order(self) -> list[tuple[int, int, int]]:
        """The points (optimizer, lr, seed) in the order they run."""
        optimizers, lrs, seeds = self.shape
        return [(i, j, k) for j in range(lrs) for i in range(optimizers) for k in range(seeds)]


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

    @classmethod
    def empty(cls, spec: SweepSpec) -> SweepResult:
        """Nothing run yet."""
        shape = spec.shape
        return cls(optimizers=tuple(o.name for o in spec.optimizers), lrs=np.array(spec.lrs, np.float64),
                   final_loss=np.full(shape, np.nan), diverged=np.zeros(shape, bool), updates=spec.updates,
                   seeds=spec.seeds, done=np.zeros(shape, bool), diverged_at=np.zeros(shape, np.int64),
                   initial_loss=np.full(len(spec.seeds), np.nan))

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


@dataclass(frozen=True)
class SweepSnapshot:
    """What a page reads of a sweep: replaced, never changed, at each publication (it crosses from
    a worker process only when the page asks and the worker has a newer one)."""

    version: int
    status: str
    note: Note | None  # queued: the place in the line; failed because its worker died: that
    progress: float  # runs finished, with the fraction of the current one, over all runs: 0 → 1 (1 when done)
    result: SweepResult
    error: str | None = None  # why it failed (status "failed"), else None
    updates_per_s: float = 0.0

    @classmethod
    def before_start(cls, spec: SweepSpec) -> SweepSnapshot:
        return cls(version=0, status=READY, note=None, progress=0.0, result=SweepResult.empty(spec))


class SweepRunner(Worker):
    """A sweep as a Worker: `attach()`, `start()`, read `snapshot` (or `poll()`); `pause()` cancels.
    `dataset`: the data of spec.base.data when it cannot be generated from the spec (an upload)."""

    def __init__(self, spec: SweepSpec, *, dataset: Dataset | None = None, cap: WorkCap = SERVER_CAP,
                 chunk_s: float = 0.02, queue_poll_s: float = 0.25, publish_interval_s: float = 0.25,
                 clock=time.monotonic):
        # A sweep nobody watches goes on (it ends by itself): no idle pause.
        super().__init__(cap=cap, publish_interval_s=publish_interval_s, idle_pause_s=math.inf, chunk_s=chunk_s,
                         queue_poll_s=queue_poll_s, clock=clock)
        self._spec = spec
        self._dataset = dataset  # made from the spec at the first point when None
        self._points = spec.order()
        self._next = 0  # index into _points of the point in progress (or the next one)
        self._trainer: Trainer | None = None  # the point in progress, if any
        self._pace = 0.0  # seconds per update, measured
        self._made = 0  # updates made in all, for updates/s
        self._error: str | None = None
        empty = SweepResult.empty(spec)
        self._loss, self._diverged, self._diverged_at = empty.final_loss, empty.diverged, empty.diverged_at
        self._done, self._initial = empty.done, empty.initial_loss
        self._publish()

    # -- commands -------------------------------------------------------------------------------

    def pause(self, note: Note | None = None) -> None:
        """Cancel: a sweep does not pause. The point in progress records nothing; the points run
        stay in the result. Its page going away (detach) cancels it too."""
        with self._locked():
            if self._status in FINISHED:
                return
            self._trainer = None
            self._finish(CANCELLED, note)

    cancel = pause

    def step(self, n: int, wait_s: float = 2.0) -> None:
        """A sweep has no Step: it trains from Start to its end."""

    # -- the worker thread (lock held) ----------------------------------------------------------

    def _finish(self, status: str, note: Note | None) -> None:
        super()._finish(status, note)
        self._stop = True  # a sweep runs once: the thread is done with it

    def _train_for(self, seconds: float | None, limit: int | None) -> int:
        """Train the points in order for `seconds` of this thread's CPU time (~one chunk), in
        steps sized at the measured pace (the chunking changes no number)."""
        chunk, made, finished_point = self._chunk_start(), 0, False
        try:
            while self._status == RUNNING:
                if self._trainer is None:
                    self._begin_point()
                t = self._trainer
                n = self._spec.updates - t.updates
                if seconds is not None:
                    left = seconds - (time.thread_time() - chunk[1])
                    n = min(n, max(1, int(left / self._pace)) if self._pace > 0 else 1)
                tick = time.perf_counter()
                t.step(n)
                self._pace = (time.perf_counter() - tick) / n
                made += n
                self._made += n
                if t.diverged_at is not None or t.updates >= self._spec.updates:
                    self._end_point()
                    finished_point = True
                    if self._next == len(self._points):
                        self._finish(DONE, None)
                        return made
                if seconds is None or self._chunk_over(chunk, seconds):
                    break
        except Exception as e:  # noqa: BLE001 - the page shows the message, instead of a sweep stuck "running"
            self._trainer, self._error = None, f"{type(e).__name__}: {e}"
            self._finish(FAILED, None)
            return made
        if finished_point:
            self._publish()  # a new point for the chart
        else:
            self._publish_if_due()
        return made

    def _begin_point(self) -> None:
        if self._dataset is None:
            self._dataset = make_dataset(self._spec.base.data)
        i, j, k = self._points[self._next]
        self._trainer = Trainer(self._spec.run_spec(i, j, k), self._dataset)
        if np.isnan(self._initial[k]):  # the same initial weights for every optimizer and rate
            self._initial[k] = self._trainer.evaluate().train_loss

    def _end_point(self) -> None:
        t, (i, j, k) = self._trainer, self._points[self._next]
        loss = t.evaluate().train_loss if t.diverged_at is None else math.nan
        # A run whose mini-batch losses stayed finite but whose full-set loss is not has
        # diverged too, at its last update.
        if not math.isfinite(loss):
            self._diverged[i, j, k] = True
            self._diverged_at[i, j, k] = t.diverged_at or t.updates
        else:
            self._loss[i, j, k] = loss
        self._done[i, j, k] = True
        self._trainer = None
        self._next += 1

    # -- publication ----------------------------------------------------------------------------

    def _progress(self) -> float:
        if self._status == DONE:
            return 1.0
        current = self._trainer.updates / self._spec.updates if self._trainer is not None else 0.0
        return min(1.0, (self._next + current) / self._spec.runs)

    def _publish(self) -> None:
        self._measure_rate(self._made)
        self._version += 1
        spec = self._spec
        self._snapshot = SweepSnapshot(
            version=self._version, status=self._status, note=self._note, progress=self._progress(),
            result=SweepResult(optimizers=tuple(o.name for o in spec.optimizers), lrs=np.array(spec.lrs, np.float64),
                               final_loss=self._loss.copy(), diverged=self._diverged.copy(), updates=spec.updates,
                               seeds=spec.seeds, done=self._done.copy(), diverged_at=self._diverged_at.copy(),
                               initial_loss=self._initial.copy()),
            error=self._error, updates_per_s=self._updates_per_s)

"""A race trained live: `RaceRunner` steps a `Race` (ffnviz/train/race.py) in a background
thread, as `Runner` does a single run (both are `Worker`s: thread, lock, chunks of at most
20 ms, commands, idle pause, the server-wide cap), and publishes `RaceSnapshot`s for the pages."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from ffnviz import limits
from ffnviz.data import Dataset
from ffnviz.specs.race import RaceSpec
from ffnviz.train.capacity import SERVER_CAP, WorkCap
from ffnviz.train.race import Race, needs_race_rebuild
from ffnviz.train.race_kinds import ExtrasView
from ffnviz.train.race_state import race_state, restore_race
from ffnviz.train.reading import Metrics
from ffnviz.train.worker import DIVERGED, DONE, PAUSED, QUEUED, READY, RUNNING, Note, Worker


@dataclass(frozen=True)
class RaceSnapshot:
    """A race as the page shows it; per contestant i (in spec.contestants' order):
    histories[i] (see Race.history), diverged_at[i] (the first update at which one of its seeds
    had a NaN or infinite loss, or at whose end, an epoch's end, its weights were found not
    finite; it dropped out there; None while it races), current[i] (mean over seeds, see
    Race.current; while it runs, at the last epoch end), best_test_acc[i], updates_to_target[i] (first update at an epoch end with
    mean test accuracy ≥ spec.target_accuracy, or None) and seconds_per_update[i] (one model's
    update, measured; in a stacked step, the shared forward and backward split evenly).
    extras[i]: for a race of sequence, text or image models, what the page shows of the model (see
    Race.extras: a SeqView, AttnView, ConvView or TextView; None once it has dropped out); () for
    an MLP race. device: where the models train. parameters[i]: contestant i's model's parameter
    count. loaded: the race went on from a saved file (RaceRunner.restore) since its last start
    at update 0. Plain data, picklable."""

    version: int
    status: str
    note: Note | None
    spec: RaceSpec
    updates: int
    epoch: float
    updates_per_epoch: int
    updates_per_s: float
    histories: tuple[dict[str, np.ndarray], ...]
    diverged_at: tuple[int | None, ...]
    current: tuple[Metrics, ...]
    best_test_acc: tuple[float, ...]
    updates_to_target: tuple[int | None, ...]
    seconds_per_update: tuple[float, ...]
    extras: tuple[ExtrasView | None, ...] = ()
    device: str = "cpu"  # where the models train ("cuda" or "cpu"), as the trainers report it
    parameters: tuple[int, ...] = ()
    loaded: bool = False  # its weights came from a saved file: its link alone cannot reproduce it


class RaceRunner(Worker):
    """A Race stepped by a background thread (see Worker and Runner): the same commands,
    chunks, idle pause and cap; it takes contestants × seeds models from the cap. While it
    runs it publishes every `publish_interval_s`, or less often when a publication is slow (see
    worker.PUBLISH_SHARE)."""

    def __init__(self, spec: RaceSpec, *, cap: WorkCap = SERVER_CAP, publish_interval_s: float = 0.25,
                 idle_pause_s: float = limits.IDLE_PAUSE_S, chunk_s: float = 0.02, clock=time.monotonic,
                 dataset: Dataset | None = None, stacked: bool = True):
        super().__init__(cap=cap, publish_interval_s=publish_interval_s, idle_pause_s=idle_pause_s,
                         chunk_s=chunk_s, clock=clock)
        self._stacked = stacked  # see Race
        self._build(spec, dataset)

    def _build(self, spec: RaceSpec, dataset: Dataset | None = None) -> None:
        self._race = Race(spec, dataset, stacked=self._stacked)  # raises ValueError on a spec it cannot run
        self._pace: tuple[int, float] = (0, 0.0)  # (batch size, seconds per race update)
        self._loaded = False
        self._ready()

    def _ready(self) -> None:
        self._status, self._note = READY, None
        self._pending = 0
        self._last_poll = self._clock()
        self._publish()

    def _models(self) -> int:
        # Never more than the whole cap, so that a race bigger than a small cap still runs, alone.
        return min(self._race.spec.models, self._cap.max_models)

    @property
    def race(self) -> Race:
        """The live race; touch it only with the runner paused and detached (tests, benchmarks)."""
        return self._race

    def poll(self) -> RaceSnapshot:
        return super().poll()

    # -- commands -------------------------------------------------------------------------------

    def reset(self) -> None:
        """Back to update 0: the same initial weights and batch orders."""
        with self._locked():
            self._cap.release(self)
            self._race.reset()
            self._loaded = False
            self._ready()

    def update_spec(self, spec: RaceSpec, dataset: Dataset | None = None) -> bool:
        """Apply a new race spec: live when needs_race_rebuild says it can (and no contestant whose
        training changes has dropped out: its weights are gone), else start over (returns True).
        Raises ValueError."""
        with self._locked():
            old = self._race.spec
            if spec == old:  # every rerun of an unchanged page: nothing to check or apply
                return False
            spec.validate()
            # Each contestant's optimizer and regularization, as its (first seed's) run has them.
            revived = any(d is not None and (a[0].optim, a[0].reg) != (b[0].optim, b[0].reg) for d, a, b in
                          zip(self._race.diverged_at, old.run_specs(), spec.run_specs(), strict=False))
            if needs_race_rebuild(old, spec) or revived:
                self._cap.release(self)
                if dataset is None and spec.base.data == old.base.data:
                    dataset = self._race.dataset
                self._build(spec, dataset)
                return True
            self._race.apply_live(spec)
            if self._status == DONE and self._race.updates < spec.base.train.max_updates:
                self._status, self._note = PAUSED, None
            self._publish()
            return False

    def state(self) -> dict[str, np.ndarray]:
        """Every contestant's weights, curves and the race's counters, for a saved run file (see
        race_state); only an optimizer race of MLPs keeps its weights so."""
        with self._locked():
            return race_state(self._race)

    def restore(self, tensors: dict[str, np.ndarray]) -> None:
        """Go on from a saved race of this spec (see race_state.restore_race), paused; only while
        the race is not training. Raises ValueError, the race untouched, on a state that does not fit."""
        with self._locked():
            if self._status in (RUNNING, QUEUED) or self._pending:
                raise ValueError("a saved race can be loaded only while the race is paused")
            restore_race(self._race, tensors)
            self._loaded = True
            r = self._race
            self._status = DIVERGED if not r.any_alive else DONE if r.updates >= r.spec.base.train.max_updates else PAUSED
            self._note = None
            self._publish()

    def set_example(self, example) -> None:
        """Show another example: an attention race's tokens, an image race's test image (see
        Race.set_example); published at once."""
        with self._locked():
            self._race.set_example(example)
            self._publish()

    # -- the worker thread ----------------------------------------------------------------------

    def _train_for(self, seconds: float | None, limit: int | None) -> int:
        """As Runner._train_for: race updates up to an epoch's end, or as many as fit in
        `seconds` at the measured pace. Lock held."""
        r = self._race
        chunk, done = self._chunk_start(), 0
        while True:
            cap = r.spec.base.train.max_updates
            room = cap - r.updates
            if room <= 0:
                self._finish(DONE, Note.of("note_done", updates=r.updates))
                break
            n = min(r.updates_left_in_epoch, room, *(() if limit is None else (limit - done,)))
            if seconds is not None:
                paced_batch, update_s = self._pace
                n = min(n, max(1, int(seconds / update_s)) if paced_batch == r.batch_size and update_s > 0 else 1)
            tick = time.perf_counter()
            made = r.step(n)
            if made:
                self._pace = (r.batch_size, (time.perf_counter() - tick) / made)
            done += made
            if not r.any_alive:
                self._finish(DIVERGED, Note.of("note_diverged", update=max(d for d in r.diverged_at if d)))
                break
            if r.updates >= cap:
                self._finish(DONE, Note.of("note_done", updates=r.updates))
                break
            if (limit is not None and done >= limit) or (seconds is not None and self._chunk_over(chunk, seconds)):
                break
        self._publish_if_due()
        return done

    # -- publication ----------------------------------------------------------------------------

    def _epochs_done(self) -> int:
        return int(self._race.epoch)

    def _publish(self) -> None:
        r = self._race
        k = range(len(r.trainers))
        self._measure_rate(r.updates)
        self._version += 1
        self._snapshot = RaceSnapshot(
            version=self._version,
            status=self._status,
            note=self._note,
            spec=r.spec,
            updates=r.updates,
            epoch=r.epoch,
            updates_per_epoch=r.updates_per_epoch,
            updates_per_s=self._updates_per_s,
            histories=tuple(r.history(i) for i in k),
            diverged_at=tuple(r.diverged_at),
            current=tuple(r.current(i, fresh=self._status != RUNNING) for i in k),
            best_test_acc=tuple(r.best_test_acc(i) for i in k),
            updates_to_target=tuple(r.updates_to_target(i) for i in k),
            seconds_per_update=tuple(r.seconds_per_update(i) for i in k),
            extras=r.extras(),
            device=r.trainers[0][0].device,
            parameters=tuple(sum(p.numel() for p in row[0].model.parameters()) for row in r.trainers),
            loaded=self._loaded,
        )


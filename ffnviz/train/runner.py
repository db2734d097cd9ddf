"""The Runner: a Trainer stepped by a background thread, read through immutable snapshots.

The worker thread owns the torch objects while it trains; commands (start, pause, step, reset,
a new spec) take the same lock between chunks of at most ~20 ms (an epoch that takes longer is
split, at the measured pace), so a pause lands well within 200 ms. Readers never touch the
model: they take `snapshot`, a frozen object of numbers and numpy arrays, replaced (not
mutated) at each publication.

The thread is separate from the state: `attach()` starts one, `detach()` stops it, and a later
`attach()` carries on the same run (a page reconnecting after a network blip).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import torch

from ffnviz import limits
from ffnviz.data.toy2d import EXTENT, Dataset
from ffnviz.specs import RunSpec
from ffnviz.specs.schedule import schedule_of, stop_of
from ffnviz.train.capacity import SERVER_CAP, WorkCap
from ffnviz.train.history import History
from ffnviz.train.inspection import ProbeHistory, neuron_grids
from ffnviz.train.probes import LayerProbe, Prober
from ffnviz.train.reading import Metrics
from ffnviz.train.trainer import Trainer, needs_rebuild
from ffnviz.train.worker import (  # noqa: F401 - the statuses and Note are this module's API too
    DIVERGED,
    DONE,
    FINISHED,
    PAUSED,
    QUEUED,
    READY,
    RUNNING,
    Note,
    Worker,
)


@dataclass(frozen=True)
class Snapshot:
    version: int
    status: str
    note: Note | None
    spec: RunSpec
    device: str
    updates: int
    epoch: float
    updates_per_epoch: int
    metrics: Metrics
    history: dict[str, np.ndarray]
    probes: tuple[LayerProbe, ...]
    act_edges: tuple[np.ndarray, ...]
    weight_edges: tuple[np.ndarray, ...]
    grid: np.ndarray | None  # class probabilities or predicted values over the plane, see Trainer.predict_grid
    grid_extent: float
    updates_per_s: float
    weights: tuple[np.ndarray, ...] = ()  # per linear layer, (out, in), input side first
    biases: tuple[np.ndarray, ...] = ()
    neuron_grids: tuple[np.ndarray, ...] = ()  # see inspection.neuron_grids; () if not measured
    probe_history: dict = field(default_factory=dict)  # see inspection.ProbeHistory.as_arrays
    edited: bool = False  # weights were set by hand: a link cannot reproduce this run
    extras: Any = None  # what a subclass of Runner measures besides (ffnviz/train/deep_runner.py)
    # The learning rate per update (updates, rates; thinned), see Trainer.lr_trace; empty at a constant rate.
    lr_trace: tuple[np.ndarray, np.ndarray] = (np.zeros(0), np.zeros(0))
    best_epoch: int | None = None  # early stopping: the epoch of the best validation loss so far
    stopped_at: int | None = None  # early stopping: the epoch at which patience ran out
    restored: bool = False  # the best validation epoch's weights are the model's now


class Runner(Worker):
    # What a subclass with another run type changes (ffnviz/train/deep_runner.py).
    TRAINER: type[Trainer] = Trainer
    PROBER: type[Prober] = Prober
    NEURON_MAPS = True  # every neuron's map over the plane, for the playground's inside panel
    probing = True  # measure the probes at each publication (the per-layer pictures)

    def __init__(self, spec: RunSpec, *, cap: WorkCap = SERVER_CAP, grid_resolution: int | None = limits.DECISION_GRID,
                 publish_interval_s: float = 0.25, idle_pause_s: float = limits.IDLE_PAUSE_S,
                 chunk_s: float = 0.02, clock=time.monotonic, dataset: Dataset | None = None):
        # `dataset`: the data of spec.data when it cannot be generated from the spec (an upload).
        super().__init__(cap=cap, publish_interval_s=publish_interval_s, idle_pause_s=idle_pause_s,
                         chunk_s=chunk_s, clock=clock)
        self._grid_resolution = grid_resolution
        self._metrics: Metrics | None = None  # the last evaluation, see _evaluate
        self._build(spec, dataset)

    # -- state ----------------------------------------------------------------------------------

    def _build(self, spec: RunSpec, dataset: Dataset | None = None) -> None:
        self._trainer = self.TRAINER(spec, dataset)  # raises ValueError on a spec it cannot run
        self._prober = self.PROBER()
        self._probe_history = ProbeHistory()
        self._edited = False
        # Seconds per update, measured, to size timed chunks, and the batch size it was measured
        # at (a new model or another batch size changes the pace).
        self._pace: tuple[int, float] = (0, 0.0)
        self._new_history()

    def _new_history(self) -> None:
        self._history = History()
        self._history.offer(0, self._evaluate())
        self._status, self._note = READY, None
        self._pending = 0
        self._last_poll = self._clock()
        self._publish()

    @property
    def snapshot(self) -> Snapshot:
        return self._snapshot

    def poll(self) -> Snapshot:
        """The latest snapshot; also tells the runner someone is watching."""
        return super().poll()

    # -- commands (any thread); start, pause and step are Worker's -------------------------------

    def reset(self, seed: int | None = None) -> None:
        """Back to update 0: the same initial weights and batch order, or new ones from `seed`."""
        with self._locked():
            self._cap.release(self)
            if seed is not None and seed != self._trainer.spec.train.seed:
                spec = self._trainer.spec
                self._build(replace(spec, train=replace(spec.train, seed=seed)), self._trainer.dataset)
            else:
                self._trainer.reset()
                self._probe_history, self._edited = ProbeHistory(), False
                self._new_history()

    def update_spec(self, spec: RunSpec, dataset: Dataset | None = None) -> bool:
        """Apply a new spec. Learning rate, optimizer, regularization, batch size and step cap
        change the live run; anything else starts over (returns True). Raises ValueError.
        `dataset`: the data of spec.data when it cannot be generated (an upload); without it, a
        rebuild with unchanged spec.data keeps the run's data."""
        with self._locked():
            old = self._trainer.spec
            if spec == old:  # every rerun of an unchanged page: nothing to check or apply
                return False
            spec.validate()
            if needs_rebuild(old, spec):
                self._cap.release(self)
                if dataset is None and spec.data == old.data:
                    dataset = self._trainer.dataset
                self._build(spec, dataset)
                return True
            self._trainer.apply_live(spec.optim, spec.reg, spec.train.batch_size, spec.train.max_updates)
            self._trainer.apply_plan(schedule_of(spec), stop_of(spec))
            if self._status == DONE and self._trainer.updates < spec.train.max_updates and self._trainer.stopped_at is None:
                self._status, self._note = PAUSED, None
            self._publish()
            return False

    def set_layer(self, layer: int, weight: np.ndarray, bias: np.ndarray) -> None:
        """Set one linear layer's weights (out, in) and biases by hand; only while the run is not
        training. The maps and numbers are published at once; the optimizer keeps its state
        (Adam's moments, momentum), as if the weights had moved there by themselves. Reset goes
        back to the initial weights. Raises ValueError with what is wrong."""
        with self._locked():
            if self._status in (RUNNING, QUEUED) or self._pending:
                raise ValueError("weights can be edited only while the run is paused")
            linears = self._trainer.model.linears
            if not 0 <= layer < len(linears):
                raise ValueError(f"layer must be 0..{len(linears) - 1}, got {layer}")
            w, b = np.asarray(weight, np.float32), np.asarray(bias, np.float32)
            lin = linears[layer]
            if w.shape != tuple(lin.weight.shape) or b.shape != tuple(lin.bias.shape):
                raise ValueError(f"layer {layer} needs weights {tuple(lin.weight.shape)} and biases "
                                 f"{tuple(lin.bias.shape)}, got {w.shape} and {b.shape}")
            if not (np.isfinite(w).all() and np.isfinite(b).all()):
                raise ValueError("weights and biases must be finite numbers")
            with torch.no_grad():
                lin.weight.copy_(torch.from_numpy(w))
                lin.bias.copy_(torch.from_numpy(b))
            self._edited = True
            self._evaluate()  # the remembered metrics were of the old weights
            self._publish()

    # -- the worker thread ----------------------------------------------------------------------

    def _train_for(self, seconds: float | None, limit: int | None) -> int:
        """Step until `seconds` have passed or `limit` updates are made, stopping at epoch ends
        to record history. Returns the number of updates made. Called with the lock held.

        Each `Trainer.step` call makes the rest of the epoch, or, when timed and an epoch takes
        longer than `seconds` (small batches, a big network), as many updates as fit in `seconds`
        at the last measured pace, so that the lock is never held much longer than `seconds`
        and a pause still lands within 200 ms. The chunking changes no number."""
        t = self._trainer
        chunk, done = self._chunk_start(), 0
        while True:
            room = t.spec.train.max_updates - t.updates
            if room <= 0:
                self._conclude(Note.of("note_done", updates=t.updates))
                break
            n = min(t.updates_left_in_epoch, room, *(() if limit is None else (limit - done,)))
            if seconds is not None:
                paced_batch, update_s = self._pace
                n = min(n, max(1, int(seconds / update_s)) if paced_batch == t.batch_size and update_s > 0 else 1)
            tick = time.perf_counter()  # the work's real pace, whatever self._clock is
            t.step(n)
            self._pace = (t.batch_size, (time.perf_counter() - tick) / n)
            done += n
            if t.diverged_at is not None:
                self._finish(DIVERGED, Note.of("note_diverged", update=t.diverged_at))
                break
            # An epoch's end: evaluate only if the history keeps this epoch (once it has thinned
            # itself, it keeps every stride-th one; offer() would drop the others).
            epoch_end = t.updates_left_in_epoch == t.updates_per_epoch
            stopped = epoch_end and t.end_epoch()  # early stopping, when the spec has it
            if epoch_end and (stopped or t.epochs_completed % self._history.stride == 0):
                self._history.offer(t.epochs_completed, self._evaluate())
            if stopped:
                self._conclude(Note.of("note_stopped_early", epoch=t.stopped_at, best=t.best_epoch,
                                       patience=stop_of(t.spec).patience))
                break
            if t.updates >= t.spec.train.max_updates:  # landed exactly on the cap: done now
                self._conclude(Note.of("note_done", updates=t.updates))
                break
            if (limit is not None and done >= limit) or (seconds is not None and self._chunk_over(chunk, seconds)):
                break
        self._publish_if_due()
        return done

    def _conclude(self, note: Note) -> None:
        """The run is over (the step budget, or early stopping): the best validation epoch's
        weights back if the spec asks for it (the history keeps the last ones), then done."""
        t = self._trainer
        restoring = not t.restored and t.best_epoch is not None and stop_of(t.spec).restore
        t.conclude()
        if restoring:
            self._evaluate()  # the remembered metrics were of the last weights
        self._finish(DONE, note)

    # -- publication ----------------------------------------------------------------------------

    def _evaluate(self) -> Metrics:
        """The trainer's evaluation, remembered, so that a publication right after an epoch's end
        does not evaluate the same weights again. Lock held."""
        self._metrics = self._trainer.evaluate()
        return self._metrics

    def _current_metrics(self) -> Metrics:
        """The metrics of the weights as they are now. The weights change only by updates, and
        every path that puts a trainer back to update 0 (reset, a rebuild) evaluates it afresh,
        so a remembered evaluation at the current update count is of these weights."""
        m, t = self._metrics, self._trainer
        if m is not None and m.update == t.updates:
            return m
        return self._evaluate()

    def _epochs_done(self) -> int:
        return self._trainer.epochs_completed

    def _publish(self) -> None:
        """Measure everything the pages show and replace the snapshot. Lock held."""
        t = self._trainer
        self._measure_rate(t.updates)
        finite = t.diverged_at is None
        probes = self._prober.probe(t.model, t.data_loss, t.x_probe, t.y_probe) if finite and self.probing else ()
        grid, maps = None, ()
        if finite and self._grid_resolution and t.dataset.n_features == 2:
            grid = t.predict_grid(self._grid_resolution, EXTENT)
            maps = neuron_grids(t, limits.NEURON_MAP_RESOLUTION, EXTENT) if self.NEURON_MAPS else ()
        self._probe_history.offer(t.epoch, probes)
        self._version += 1
        self._snapshot = Snapshot(
            version=self._version,
            status=self._status,
            note=self._note,
            spec=t.spec,
            device=t.device,
            updates=t.updates,
            epoch=t.epoch,
            updates_per_epoch=t.updates_per_epoch,
            metrics=self._current_metrics(),
            history=self._history.as_arrays(),
            probes=probes,
            act_edges=tuple(self._prober.act_edges or ()),
            weight_edges=tuple(self._prober.weight_edges or ()),
            grid=grid,
            grid_extent=EXTENT,
            updates_per_s=self._updates_per_s,
            weights=tuple(lin.weight.detach().float().cpu().numpy().copy() for lin in t.model.linears),
            biases=tuple(lin.bias.detach().float().cpu().numpy().copy() for lin in t.model.linears),
            neuron_grids=maps,
            probe_history=self._probe_history.as_arrays(),
            edited=self._edited,
            lr_trace=t.lr_trace.as_arrays(),
            best_epoch=t.best_epoch,
            stopped_at=t.stopped_at,
            restored=t.restored,
        )

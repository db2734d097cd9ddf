"""The Trainer's training plan: its learning-rate schedule and its early stopping, over the step
budget train.max_updates. A mixin of ffnviz.train.trainer.Trainer (its methods read the trainer's
spec, optimizer, data and counters), kept apart so that the update itself stays in one short file.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import TYPE_CHECKING

import torch

from ffnviz import limits
from ffnviz.specs.schedule import ScheduleSpec, StopSpec, schedule_of, stop_of
from ffnviz.train.schedules import LrTrace, build_scheduler

if TYPE_CHECKING:
    from ffnviz.train.reading import Metrics


class TrainingPlan:
    # -- the learning-rate schedule (ffnviz/train/schedules.py) ----------------------------------
    # A spec's `schedule` section (specs/schedule.py; a run type without one trains at a constant
    # rate) over the step budget train.max_updates. torch's scheduler steps after each optimizer
    # step; the rate each update used is kept in `lr_trace`.

    def _start_schedule(self) -> None:
        """A fresh scheduler on the fresh optimizer, at update 0."""
        self.lr_trace = LrTrace()
        self._last_lr: float | None = None
        self._reschedule()

    def _reschedule(self) -> None:
        """The scheduler on the current optimizer, brought to the current update (after a live
        change of optimizer, learning rate, schedule or budget)."""
        o = self.spec.optim
        self.scheduler = build_scheduler(self.optimizer, schedule_of(self.spec), o.name, o.lr,
                                         self.spec.train.max_updates, self.updates + len(self._losses))

    def _advance_schedule(self) -> None:
        """After an update's optimizer step: record the rate it used, then step the scheduler.
        (Before the budget's end: one-cycle raises when stepped past it.)"""
        done = self.updates + len(self._losses)
        self._last_lr = self.optimizer.param_groups[0]["lr"]
        self.lr_trace.offer(done, self._last_lr)
        if done < self.spec.train.max_updates:
            self.scheduler.step()

    @property
    def last_lr(self) -> float:
        """The rate of the last update made (before any: of the first)."""
        if self.scheduler is not None and self._last_lr is not None:
            return float(self._last_lr)
        return float(self.optimizer.param_groups[0]["lr"])

    def apply_plan(self, schedule: ScheduleSpec, stop: StopSpec) -> None:
        """Change the schedule and the patience mid-run (of the sections the run type has: the
        playground's has a schedule and no early stopping). The validation split cannot change
        live (see needs_rebuild)."""
        plan = {name: section.validate() for name, section in (("schedule", schedule), ("stop", stop))
                if hasattr(self.spec, name)}
        if not plan:
            return
        self.spec = replace(self.spec, **plan)
        self._reschedule()

    # -- early stopping ---------------------------------------------------------------------------
    # With the spec's `stop` section enabled, the last val_fraction of the training data is held
    # out as the validation split, never trained on. Whoever steps the trainer calls `end_epoch`
    # at each epoch's end (the Runner, `train_to_end`): it remembers the best validation loss and
    # its weights, and says when `patience` epochs have passed without a better one. The test set
    # is only ever reported.

    def _carve_validation(self) -> None:
        stop = stop_of(self.spec)
        self.x_val = self.y_val = None
        if not stop.enabled:
            return
        n = len(self.x_train)
        n_val = min(max(round(n * stop.val_fraction), 1), n - 1)  # at least one example on each side
        self.x_val, self.y_val = self.x_train[n - n_val:], self.y_train[n - n_val:]
        self.x_train, self.y_train = self.x_train[:n - n_val], self.y_train[:n - n_val]
        self._n_train = len(self.x_train)
        self.x_probe, self.y_probe = self.x_train[:limits.PROBE_BATCH], self.y_train[:limits.PROBE_BATCH]

    def _start_stopping(self) -> None:
        self.best_val_loss = math.inf
        self.best_epoch: int | None = None
        self.stopped_at: int | None = None  # the epoch at which patience ran out
        self.restored = False
        self._best_weights: dict[str, torch.Tensor] | None = None

    def end_epoch(self) -> bool:
        """At an epoch's end: measure the validation loss, remember the best epoch's weights;
        True when patience has run out (then `conclude`)."""
        if self.x_val is None or self.stopped_at is not None:
            return self.stopped_at is not None
        with self._eval_mode():
            val_loss, _ = self._loss_and_accuracy(self.x_val, self.y_val)
        if val_loss < self.best_val_loss:
            self.best_val_loss, self.best_epoch = val_loss, self.epochs_completed
            self._best_weights = {k: v.detach().clone() for k, v in self.model.state_dict().items()}
        elif self.epochs_completed - (self.best_epoch or 0) >= stop_of(self.spec).patience:
            self.stopped_at = self.epochs_completed
            return True
        return False

    def conclude(self) -> None:
        """The run is over (patience ran out, or the budget): restore the best validation epoch's
        weights if the spec asks for it."""
        if stop_of(self.spec).restore and self._best_weights is not None and not self.restored:
            self.model.load_state_dict(self._best_weights)
            self.restored = True

    def train_to_end(self) -> Metrics:
        """Train epoch by epoch until the step budget, early stopping or divergence; conclude;
        return the final evaluation. (Lessons, tests and benchmarks; the Runner steps in chunks.)"""
        budget = self.spec.train.max_updates
        while self.updates < budget and self.diverged_at is None:
            self.step(min(self.updates_left_in_epoch, budget - self.updates))
            if self.updates_left_in_epoch == self.updates_per_epoch and self.end_epoch():
                break
        self.conclude()
        return self.evaluate()

    # -- a saved run brought back ----------------------------------------------------------------

    def resume_at(self, weights: list, biases: list, updates: int, epochs_completed: int) -> None:
        """Go on from a saved run: its linear layers' weights and biases, `updates` and
        `epochs_completed` done. The optimizer's state (momentum, Adam's moments) is not saved: it
        starts fresh, the schedule at `updates`, the next epoch with a fresh shuffle. Shapes are
        the caller's to check (runfile.read_race)."""
        with torch.no_grad():
            for lin, w, b in zip(self.model.linears, weights, biases, strict=True):
                lin.weight.copy_(torch.as_tensor(w, dtype=lin.weight.dtype))
                lin.bias.copy_(torch.as_tensor(b, dtype=lin.bias.dtype))
        self.optimizer = self._build_optimizer()
        self._stepper = None
        self._losses = []
        self.updates, self.epochs_completed = int(updates), int(epochs_completed)
        self._cursor = len(self.x_train)  # the next batch starts an epoch
        self.diverged_at = None
        self._start_schedule()
        self._start_stopping()

"""Learning-rate schedules: torch.optim.lr_scheduler's own, built from a ScheduleSpec
(ffnviz/specs/schedule.py) over a run's step budget, and the bounded record of the learning rate
each update used.

A schedule is a function of the update count alone, so a scheduler rebuilt on another optimizer
(a live change of optimizer or learning rate) is brought to the run's update by replaying its
steps: torch's chainable schedulers compute each rate from the last one, and jumping straight to
update t with `last_epoch` would skip the chain.
"""

from __future__ import annotations

import functools
import warnings

import numpy as np
import torch
from torch.optim import lr_scheduler

from ffnviz import limits
from ffnviz.specs.optimizers import OPTIMIZERS
from ffnviz.specs.schedule import WARMUP_START, ScheduleSpec, cycles_momentum
from ffnviz.train.optimizers import torch_class


def build_scheduler(optimizer: torch.optim.Optimizer, schedule: ScheduleSpec, optimizer_name: str, lr: float,
                    budget: int, at_update: int = 0) -> lr_scheduler.LRScheduler | None:
    """The scheduler of `schedule` over `budget` updates on `optimizer` (whose groups' lr is
    `lr`), stepped `at_update` times; None for a constant rate. One-cycle cycles the momentum
    (or β₁) only where the optimizer has one: torch raises otherwise."""
    for group in optimizer.param_groups:  # every scheduler starts from the base rate
        group["lr"] = lr
        group.pop("initial_lr", None)
    kind = schedule.kind
    if kind == "constant":
        return None
    if kind == "step":
        scheduler = lr_scheduler.StepLR(optimizer, schedule.step_size, schedule.gamma)
    elif kind == "cosine":
        scheduler = lr_scheduler.CosineAnnealingLR(optimizer, T_max=budget)
    elif kind == "warmup_cosine":
        warm = schedule.warmup
        scheduler = lr_scheduler.SequentialLR(optimizer, [
            lr_scheduler.LinearLR(optimizer, start_factor=WARMUP_START, end_factor=1.0, total_iters=warm),
            lr_scheduler.CosineAnnealingLR(optimizer, T_max=budget - warm),
        ], milestones=[warm])
    elif kind == "onecycle":
        scheduler = lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=budget,
                                            cycle_momentum=cycles_momentum(optimizer_name))
    else:
        raise ValueError(f"unknown schedule {kind!r}")
    with warnings.catch_warnings():  # replaying: torch warns of scheduler steps before optimizer steps
        warnings.simplefilter("ignore", UserWarning)
        for _ in range(min(at_update, budget)):
            scheduler.step()
    return scheduler


class LrTrace:
    """The learning rate of every update, thinned by halves when full (like the metrics
    history): an evenly spaced picture of the whole run in constant memory."""

    def __init__(self, max_points: int = limits.HISTORY_POINTS):
        self.max_points = max_points
        self.stride = 1
        self._updates: list[int] = []
        self._lrs: list[float] = []

    def __len__(self) -> int:
        return len(self._updates)

    def offer(self, update: int, lr: float) -> None:
        """Update `update` (1-based) used rate `lr`."""
        if update % self.stride:
            return
        self._updates.append(update)
        self._lrs.append(lr)
        if len(self._updates) > self.max_points:
            self.stride *= 2
            keep = [i for i, u in enumerate(self._updates) if u % self.stride == 0]
            self._updates = [self._updates[i] for i in keep]
            self._lrs = [self._lrs[i] for i in keep]

    def as_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        return np.array(self._updates, np.float64), np.array(self._lrs, np.float64)


PLANNED_MAX_UPDATES = 100_000  # beyond this the whole schedule is not replayed for its picture


@functools.lru_cache(maxsize=32)
def planned_rates(schedule: ScheduleSpec, optimizer_name: str, lr: float, budget: int) -> tuple[np.ndarray, np.ndarray]:
    """The rate of every update 1..budget under `schedule` (thinned to ≤ HISTORY_POINTS), from the
    same torch scheduler on a stand-in parameter; empty for a constant rate or a budget beyond
    PLANNED_MAX_UPDATES."""
    if schedule.kind == "constant" or budget > PLANNED_MAX_UPDATES:
        return np.zeros(0), np.zeros(0)
    row = OPTIMIZERS[optimizer_name]
    optimizer = torch_class(row)([torch.nn.Parameter(torch.zeros(1))], lr=lr, **row.torch_kwargs(
        {h.name: h.default for h in row.hypers}))
    scheduler = build_scheduler(optimizer, schedule, optimizer_name, lr, budget)
    trace = LrTrace()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        for update in range(1, budget + 1):
            trace.offer(update, optimizer.param_groups[0]["lr"])
            if update < budget:
                scheduler.step()
    return trace.as_arrays()

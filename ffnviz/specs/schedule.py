"""What the shared engine adds to a run besides its optimizer: a learning-rate schedule over a
step budget, and early stopping on a validation split carved from the training data.

Plain data (no torch): ffnviz/train/schedules.py builds the torch.optim.lr_scheduler a
ScheduleSpec names, and ffnviz/train/trainer.py does the early stopping. A run spec that has no
`schedule` or `stop` section (the playground's RunSpec, the races') trains at a constant rate and
never stops early: `schedule_of` and `stop_of` give the defaults for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ffnviz import limits
from ffnviz.specs.checks import Problems, Section, check_bool, check_choice, check_range
from ffnviz.specs.optimizers import OPTIMIZERS

# constant; step: × gamma every step_size updates; cosine: from lr down to 0 over the budget;
# warmup_cosine: linear from lr/100 up to lr over `warmup` updates, then cosine down; onecycle:
# torch's OneCycleLR, up to lr and down again (momentum or β₁ cycling the other way when the
# optimizer has one).
SCHEDULES = ("constant", "step", "cosine", "warmup_cosine", "onecycle")
WARMUP_START = 0.01  # warm-up starts at this fraction of the learning rate


@dataclass(frozen=True)
class ScheduleSpec(Section):
    kind: str = "constant"
    warmup: int = 100  # warmup_cosine only
    step_size: int = 500  # step only
    gamma: float = 0.5  # step only

    def problems(self) -> Problems:
        p: Problems = []
        check_choice(p, "kind", self.kind, SCHEDULES)
        check_range(p, "warmup", self.warmup, limits.WARMUP, integer=True)
        check_range(p, "step_size", self.step_size, limits.SCHEDULE_STEP, integer=True)
        check_range(p, "gamma", self.gamma, limits.SCHEDULE_GAMMA)
        return p


def cycles_momentum(optimizer: str) -> bool:
    """One-cycle's momentum cycling needs a momentum or a β₁ to cycle (torch raises otherwise)."""
    return any(h.name in ("momentum", "beta1") for h in OPTIMIZERS[optimizer].hypers)


def schedule_problems(schedule: ScheduleSpec, budget: int) -> Problems:
    """What makes no sense about `schedule` over a run of `budget` updates (its step cap)."""
    p: Problems = []
    if schedule.kind == "warmup_cosine" and schedule.warmup >= budget:
        p.append(("schedule.warmup", f"the warm-up ({schedule.warmup} updates) must be shorter than the run "
                                     f"({budget} updates): shorten it or train for longer"))
    if schedule.kind == "warmup_cosine" and schedule.warmup == 0:
        p.append(("schedule.warmup", "a warm-up of 0 updates is no warm-up: choose at least 1, or the cosine schedule"))
    if schedule.kind == "step" and schedule.step_size >= budget:
        p.append(("schedule.step_size", f"the first cut ({schedule.step_size} updates) must come before the run "
                                        f"ends ({budget} updates)"))
    if schedule.kind == "onecycle" and budget < 2:
        p.append(("schedule.kind", "one-cycle needs at least 2 updates to go up and down"))
    return p


@dataclass(frozen=True)
class StopSpec(Section):
    enabled: bool = False
    val_fraction: float = 0.2  # of the training data, held out as the validation split
    patience: int = 10  # epochs
    restore: bool = True  # at the end, the weights of the best validation epoch

    def problems(self) -> Problems:
        p: Problems = []
        check_bool(p, "enabled", self.enabled)
        check_range(p, "val_fraction", self.val_fraction, limits.VALIDATION_FRACTION)
        check_range(p, "patience", self.patience, limits.PATIENCE, integer=True)
        check_bool(p, "restore", self.restore)
        return p


CONSTANT = ScheduleSpec()
NO_STOP = StopSpec()


def schedule_of(spec) -> ScheduleSpec:
    """The run's schedule: its `schedule` section, or a constant rate for a run type without one."""
    return getattr(spec, "schedule", CONSTANT)


def stop_of(spec) -> StopSpec:
    """The run's early stopping: its `stop` section, or none for a run type without one."""
    return getattr(spec, "stop", NO_STOP)

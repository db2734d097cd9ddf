"""Learning-rate schedules through the engine: the rate the optimizer used at update t is the
schedule's (closed forms below, written from torch's documentation), a live change of optimizer
keeps the schedule's place, and one-cycle cycles momentum only where the optimizer has one."""

from __future__ import annotations

import math
import time
from dataclasses import replace

import pytest
import torch

from ffnviz.specs import OptimSpec, TrainSpec
from ffnviz.specs.deep import DeepDataSpec, DeepModelSpec, DeepRunSpec
from ffnviz.specs.schedule import WARMUP_START, ScheduleSpec
from ffnviz.train.deep_trainer import DeepTrainer
from ffnviz.train.schedules import LrTrace

LR, BUDGET = 0.01, 120


def _spec(schedule: ScheduleSpec, optim: str = "adam") -> DeepRunSpec:
    return DeepRunSpec(data=DeepDataSpec(dataset="xor", n_points=100), model=DeepModelSpec(depth=2, width=8),
                       optim=OptimSpec(optim, LR), schedule=schedule, train=TrainSpec(batch_size=10, max_updates=BUDGET))


def _cosine(k: int, span: int) -> float:
    return LR * (1 + math.cos(math.pi * k / span)) / 2


def _expected(schedule: ScheduleSpec, t: int) -> float:
    """The rate of update t (1-based): the schedule after t - 1 steps."""
    k = t - 1
    if schedule.kind == "constant":
        return LR
    if schedule.kind == "step":
        return LR * schedule.gamma ** (k // schedule.step_size)
    if schedule.kind == "cosine":
        return _cosine(k, BUDGET)
    if schedule.kind == "warmup_cosine":
        w = schedule.warmup
        return LR * (WARMUP_START + (1 - WARMUP_START) * k / w) if k < w else _cosine(k - w, BUDGET - w)
    # one-cycle, torch's defaults: from LR/25 up to LR over 30 % of the steps, then down to LR/25/1e4, both cosine
    start, low, peak = LR / 25, LR / 25 / 1e4, 0.3 * BUDGET - 1
    if k <= peak:
        return start + (LR - start) * (1 - math.cos(math.pi * k / peak)) / 2
    return LR + (low - LR) * (1 - math.cos(math.pi * (k - peak) / (BUDGET - 1 - peak))) / 2


SCHEDULES = [ScheduleSpec("constant"), ScheduleSpec("step", step_size=25, gamma=0.5), ScheduleSpec("cosine"),
             ScheduleSpec("warmup_cosine", warmup=30), ScheduleSpec("onecycle")]


@pytest.mark.parametrize("schedule", SCHEDULES, ids=lambda s: s.kind)
def test_the_rate_the_optimizer_used_at_update_t_is_the_schedules(schedule):
    t = DeepTrainer(_spec(schedule))
    for update in range(1, BUDGET + 1):
        used = t.optimizer.param_groups[0]["lr"]  # what this update's optimizer.step reads
        t.step(1)
        assert used == pytest.approx(_expected(schedule, update), rel=1e-6, abs=1e-12), update
        assert t.last_lr == pytest.approx(used, rel=1e-12)
    if schedule.kind != "constant":  # the trace holds every update's rate
        updates, lrs = t.lr_trace.as_arrays()
        assert list(updates) == list(range(1, BUDGET + 1))
        assert lrs == pytest.approx([_expected(schedule, u) for u in range(1, BUDGET + 1)], rel=1e-6, abs=1e-12)
    assert t.evaluate().lr == pytest.approx(_expected(schedule, BUDGET), rel=1e-6, abs=1e-12)


@pytest.mark.parametrize("kind", ["warmup_cosine", "onecycle", "step"])
def test_a_live_change_of_optimizer_rebuilds_the_scheduler_at_the_same_update(kind):
    schedule = ScheduleSpec(kind, warmup=30, step_size=25)
    t = DeepTrainer(_spec(schedule))
    t.step(50)
    old = t.optimizer
    t.apply_live(OptimSpec("sgd", LR), t.spec.reg, 10, BUDGET)
    assert t.optimizer is not old
    for update in range(51, BUDGET + 1):
        assert t.optimizer.param_groups[0]["lr"] == pytest.approx(_expected(schedule, update), rel=1e-6, abs=1e-12)
        t.step(1)


def test_a_new_learning_rate_mid_run_rescales_the_schedule_from_the_same_update():
    schedule = ScheduleSpec("cosine")
    t = DeepTrainer(_spec(schedule))
    t.step(40)
    t.apply_live(OptimSpec("adam", LR * 2), t.spec.reg, 10, BUDGET)
    assert t.optimizer.param_groups[0]["lr"] == pytest.approx(2 * _expected(schedule, 41))


def test_one_cycle_cycles_momentum_where_the_optimizer_has_one_and_runs_without_it_elsewhere():
    with_beta = DeepTrainer(_spec(ScheduleSpec("onecycle"), "adam"))
    betas = []
    for _ in range(BUDGET):
        betas.append(with_beta.optimizer.param_groups[0]["betas"][0])
        with_beta.step(1)
    assert min(betas) == pytest.approx(0.85) and max(betas) == pytest.approx(0.95)  # torch's defaults
    for name in ("sgd", "adagrad"):  # no momentum, no β₁: torch would raise with cycle_momentum
        spec = _spec(ScheduleSpec("onecycle"), name)
        assert spec.momentum_note()
        t = DeepTrainer(spec)
        t.step(BUDGET)
        assert t.updates == BUDGET
    assert not _spec(ScheduleSpec("onecycle"), "momentum").momentum_note()


def test_the_trace_thins_by_halves_and_keeps_the_whole_run():
    trace = LrTrace(max_points=10)
    for u in range(1, 101):
        trace.offer(u, u / 100)
    updates, lrs = trace.as_arrays()
    assert len(updates) <= 10 and updates[-1] >= 90 and list(lrs) == list(updates / 100)


def test_restarting_the_run_restarts_its_schedule():
    t = DeepTrainer(_spec(ScheduleSpec("warmup_cosine", warmup=30)))
    t.step(60)
    t.reset()
    assert t.optimizer.param_groups[0]["lr"] == pytest.approx(LR * WARMUP_START)
    assert len(t.lr_trace) == 0


def test_the_playground_trains_at_a_constant_rate_by_default():
    from ffnviz.specs import RunSpec
    from ffnviz.train.trainer import Trainer

    t = Trainer(replace(RunSpec(), optim=OptimSpec("sgd", 0.1)))
    t.step(30)
    assert t.scheduler is None and t.last_lr == 0.1 and torch.isfinite(t.model.linears[0].weight).all()


def _playground(schedule: ScheduleSpec, optim: str = "adam", **reg):
    from ffnviz.specs import DataSpec, ModelSpec, RegSpec, RunSpec

    return RunSpec(data=DataSpec(dataset="xor", n_points=100), model=ModelSpec(hidden=(4,)), optim=OptimSpec(optim, LR),
                   reg=RegSpec(**reg) if reg else RegSpec(), train=TrainSpec(batch_size=10, max_updates=BUDGET, device="cpu"),
                   schedule=schedule)


@pytest.mark.parametrize("schedule", SCHEDULES[1:], ids=lambda s: s.kind)
def test_through_the_playground_runner_the_rate_of_update_t_is_the_schedules(schedule):
    """The playground's Runner, stepped to the budget in its thread: the rate each update used
    (its trace, in the snapshot the page draws) is the schedule's, and the run ends at the budget."""
    from ffnviz.train.capacity import WorkCap
    from ffnviz.train.runner import Runner

    runner = Runner(_playground(schedule), cap=WorkCap(8), grid_resolution=None, publish_interval_s=0.05)
    try:
        runner.attach()
        runner.start()
        deadline = time.monotonic() + 60
        while runner.snapshot.status != "done" and time.monotonic() < deadline:
            time.sleep(0.02)
        snap = runner.snapshot
        assert snap.status == "done" and snap.updates == BUDGET
        updates, lrs = snap.lr_trace
        assert list(updates) == list(range(1, BUDGET + 1))
        assert lrs == pytest.approx([_expected(schedule, u) for u in range(1, BUDGET + 1)], rel=1e-6, abs=1e-12)
    finally:
        runner.detach()


def test_a_schedule_changed_on_the_live_playground_run_keeps_its_place():
    from ffnviz.train.capacity import WorkCap
    from ffnviz.train.runner import Runner

    spec = _playground(ScheduleSpec("constant"))
    runner = Runner(spec, cap=WorkCap(8), grid_resolution=None, publish_interval_s=0.05)
    try:
        runner.step(40)
        assert runner.snapshot.updates == 40
        assert not runner.update_spec(replace(spec, schedule=ScheduleSpec("cosine")))  # live, no rebuild
        assert runner._trainer.optimizer.param_groups[0]["lr"] == pytest.approx(_expected(ScheduleSpec("cosine"), 41))
    finally:
        runner.detach()


@pytest.mark.parametrize("optim", ["sgd", "adam"])
def test_decoupled_weight_decay_uses_the_rate_of_its_update(optim, monkeypatch):
    """Beside an optimizer without decay of its own, W ← W − η_t λ W with η_t the rate the
    optimizer uses at that update (torch's AdamW: lr × weight_decay), not the spec's base rate."""
    import ffnviz.train.trainer as trainer_module

    schedule = ScheduleSpec("warmup_cosine", warmup=30)
    t = trainer_module.Trainer(_playground(schedule, optim, kind="weight_decay", rate=0.5))
    seen, real = [], trainer_module.decay_weights

    def spy(weights, lr, reg):
        seen.append(lr)
        real(weights, lr, reg)

    monkeypatch.setattr(trainer_module, "decay_weights", spy)
    t.step(50)
    assert seen == pytest.approx([_expected(schedule, u) for u in range(1, 51)], rel=1e-6)
    assert seen[0] == pytest.approx(LR * WARMUP_START)

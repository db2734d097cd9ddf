"""Learning-rate schedules through the engine: the rate the optimizer used at update t is the
schedule's (closed forms below, written from torch's documentation), a live change of optimizer
keeps the schedule's place, and one-cycle cycles momentum only where the optimizer has one."""

from __future__ import annotations

import math
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


def test_runs_without_a_schedule_section_train_at_a_constant_rate():
    from ffnviz.specs import RunSpec
    from ffnviz.train.trainer import Trainer

    t = Trainer(replace(RunSpec(), optim=OptimSpec("sgd", 0.1)))
    t.step(30)
    assert t.scheduler is None and t.last_lr == 0.1 and torch.isfinite(t.model.linears[0].weight).all()

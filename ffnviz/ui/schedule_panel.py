"""The learning-rate schedule, one set of widgets and one chart for every page that has one (the
deep page, the playground, the self-attention page): which schedule, its warm-up or its cuts,
the step budget the run ends at, why a schedule cannot run over that budget, and the learning
rate over updates beside the loss. Each widget's key comes from `key(name, value)` (a
PageState's `widget`), which seeds it from the spec on first use.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from ffnviz import limits
from ffnviz.specs.schedule import SCHEDULES, ScheduleSpec, schedule_problems
from ffnviz.train.schedules import planned_rates
from ffnviz.ui.charts import projector, show
from ffnviz.ui.i18n import labeller, tr
from ffnviz.ui.optimizer_widgets import Key, with_value
from ffnviz.viz import deep_charts


def schedule_widgets(key: Key, s: ScheduleSpec) -> ScheduleSpec:
    """The schedule's kind and, for the kinds that have them, its warm-up or its cuts."""
    kind = st.selectbox(tr("dp_w_schedule"), SCHEDULES, key=key("schedule", s.kind), format_func=labeller("sched_"),
                        help=tr("dp_help_schedule"))
    warmup, step_size, gamma = s.warmup, s.step_size, s.gamma
    if kind == "warmup_cosine":
        warmup = st.number_input(tr("dp_w_warmup"), int(limits.WARMUP.lo), int(limits.WARMUP.hi), step=50,
                                 key=key("warmup", s.warmup), help=tr("dp_help_warmup"))
    elif kind == "step":
        left, right = st.columns(2)
        step_size = left.number_input(tr("dp_w_step_size"), int(limits.SCHEDULE_STEP.lo), int(limits.SCHEDULE_STEP.hi),
                                      step=100, key=key("step_size", s.step_size))
        gamma = right.number_input(tr("dp_w_gamma"), float(limits.SCHEDULE_GAMMA.lo), float(limits.SCHEDULE_GAMMA.hi),
                                   step=0.05, key=key("gamma", s.gamma))
    return ScheduleSpec(kind, int(warmup), int(step_size), float(gamma))


def budget_widget(key: Key, budget: int, where=st) -> int:
    """The step budget the run ends at (a schedule is laid out over it)."""
    return int(where.select_slider(tr("dp_w_budget"), with_value(limits.SCHEDULE_BUDGETS, budget),
                                   key=key("budget", budget), help=tr("dp_help_budget")))


def schedule_refusal(schedule: ScheduleSpec, budget: int) -> str | None:
    """Why `schedule` cannot run over `budget` updates, in the reader's language; None when it can."""
    found = schedule_problems(schedule, budget)
    if not found:
        return None
    if schedule.kind == "warmup_cosine" and schedule.warmup >= budget:
        return tr("dp_warmup_too_long", warmup=schedule.warmup, budget=budget)
    if schedule.kind == "step" and schedule.step_size >= budget:
        return tr("dp_step_too_long", step=schedule.step_size, budget=budget)
    return tr("dp_refused", detail=found[0][1])


def lr_chart(lr_trace: tuple[np.ndarray, np.ndarray], schedule: ScheduleSpec, optimizer: str, lr: float, budget: int,
             updates_done: int, key: str) -> None:
    """The rate the optimizer used at each update (a run's `lr_trace`; empty at a constant rate)
    and, dotted, the schedule over the whole budget."""
    updates, lrs = lr_trace
    if not len(updates):  # a constant rate: every update used it
        updates, lrs = np.array([0.0, float(max(updates_done, 1))]), np.full(2, lr)
    planned = planned_rates(schedule, optimizer, lr, budget)
    labels = {"title": tr("dp_chart_lr"), "updates": tr("axis_updates"), "lr": tr("axis_lr"), "used": tr("dp_lr_used"),
              "planned": tr("dp_lr_planned")}
    show(deep_charts.learning_rate(updates, lrs, *planned, labels=labels, projector=projector()), key, tr("dp_cap_lr"))


def planned_chart(schedule: ScheduleSpec, optimizer: str, lr: float, budget: int, key: str) -> None:
    """The schedule over the whole budget, before and while a race trains (a race keeps no trace)."""
    updates, lrs = planned_rates(schedule, optimizer, lr, budget)
    if not len(updates):
        return
    labels = {"title": tr("dp_chart_lr"), "updates": tr("axis_updates"), "lr": tr("axis_lr"),
              "used": tr("dp_lr_planned"), "planned": tr("dp_lr_planned")}
    show(deep_charts.learning_rate(updates, lrs, labels=labels, projector=projector()), key, tr("cap_lr_planned"))

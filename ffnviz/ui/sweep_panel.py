"""The learning-rate sweep: for each chosen optimizer, the loss after N updates over a log grid of
learning rates. It trains in the background like any run, in a worker process of the server's pool
(in a thread of the server with FFNVIZ_WORKERS=0), one model at a time, counted against the
server's cap, with a progress bar and a Cancel button; the chart fills in as runs finish. Each
refresh reads one snapshot of it."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from ffnviz import limits
from ffnviz.specs import OptimSpec
from ffnviz.specs.optimizers import OPTIMIZERS
from ffnviz.specs.race import RaceSpec, race_of_rates
from ffnviz.train.sweep import Sweep, SweepSnapshot, lr_grid
from ffnviz.ui.charts import projector, show
from ffnviz.ui.errors import safe_callback
from ffnviz.ui.i18n import labeller, tr
from ffnviz.ui.runs import session_group, training_pool
from ffnviz.viz.sweep_charts import sweep_chart

K = "op.sweep"
_SWEEP = "ffnviz.sweep::op"
POLL_S = 0.5


def _start(base, optimizers: list[str], lo: float, hi: float, points: int, updates: int, seeds: int) -> None:
    old: Sweep | None = st.session_state.get(_SWEEP)
    if old is not None:
        old.cancel()
    sweep = Sweep(base, [OptimSpec(name, OPTIMIZERS[name].lr) for name in optimizers], lr_grid(lo, hi, points),
                  updates, seeds=tuple(range(seeds)), pool=training_pool())
    sweep.cap_group = session_group()
    st.session_state[_SWEEP] = sweep
    _cancel_when_the_session_ends(id(sweep), sweep)
    sweep.start()


def _cancel_sweep(sweep: Sweep) -> None:
    sweep.cancel()


@st.cache_resource(scope="session", on_release=_cancel_sweep, show_spinner=False, max_entries=1)
def _cancel_when_the_session_ends(sweep_id: int, _sweep: Sweep) -> Sweep:
    """Streamlit releases a session's resources soon after its tab closes: the sweep stops then.
    Keyed by the sweep's id; one entry, so a new sweep releases (cancels) the old one."""
    return _sweep


def _cancel() -> None:
    sweep: Sweep | None = st.session_state.get(_SWEEP)
    if sweep is not None:
        sweep.cancel()


def _snapshot() -> SweepSnapshot | None:
    sweep: Sweep | None = st.session_state.get(_SWEEP)
    return sweep.snapshot if sweep is not None else None


def _running(snap: SweepSnapshot | None) -> bool:
    return snap is not None and snap.status in ("queued", "running")


def _progress() -> None:
    snap = _snapshot()
    if snap is None:
        return
    running = _running(snap)
    st.progress(snap.progress, text=tr("sweep_status_" + snap.status, percent=f"{snap.progress:.0%}"))
    if snap.note is not None and snap.status == "failed":  # its worker process died
        st.error(tr(snap.note.key, **dict(snap.note.args)))
    elif snap.error:
        st.error(tr("sweep_failed", detail=snap.error))
    result = snap.result
    names = [tr("opt_" + name) for name in result.optimizers]
    labels = {"title": tr("chart_sweep", updates=f"{result.updates:,}"), "lr_axis": tr("axis_lr"),
              "loss_axis": tr("axis_final_loss" if len(result.seeds) == 1 else "axis_final_loss_median"),
              "diverged": tr("sweep_diverged"), "best": tr("sweep_best"), "start": tr("sweep_start_loss")}
    show(sweep_chart(result, names, labels=labels, projector=projector()), f"{K}.chart", tr("cap_sweep"))
    if running != st.session_state.get(f"{K}.was_running", False):
        st.session_state[f"{K}.was_running"] = running
        st.rerun()  # the whole panel: the buttons and the timer follow the sweep's state


def _to_race(race: RaceSpec, to_race: Callable[[RaceSpec], None]) -> None:
    snap = _snapshot()
    best = snap.result.best_rates() if snap is not None else []
    if len(best) < limits.RACE_CONTESTANTS.lo:
        st.session_state[f"{K}.message"] = tr("sweep_too_few_best", lo=int(limits.RACE_CONTESTANTS.lo))
        return
    to_race(race_of_rates(race, best))
    rates = tr("list_sep").join(f"{tr('opt_' + name)} {lr:g}" for name, lr in best)
    st.session_state[f"{K}.message"] = tr("sweep_raced", rates=rates)


def _best_to_race(race: RaceSpec, to_race: Callable[[RaceSpec], None] | None) -> None:
    """'Race the best rates': shown once the sweep has stopped with a best rate for some optimizer."""
    snap = _snapshot()
    if to_race is not None and snap is not None and snap.status in ("done", "cancelled") and snap.result.best_rates():
        st.button(tr("btn_sweep_to_race"), key=f"{K}.to_race", icon=":material/sports_score:", width="stretch",
                  on_click=safe_callback(_to_race, race, to_race), help=tr("help_sweep_to_race"))
    message = st.session_state.pop(f"{K}.message", None)
    if message:
        st.info(message, icon=":material/sports_score:")


def sweep_panel(race: RaceSpec, to_race: Callable[[RaceSpec], None] | None = None) -> None:
    """The sweep trains the race's base network (its data, layers, batch size); `to_race` makes a
    race the page's (the best rates go into the race with one click)."""
    st.caption(tr("sweep_intro"))
    chosen = st.multiselect(tr("w_sweep_optimizers"), list(OPTIMIZERS), default=["sgd", "momentum", "adam"],
                            key=f"{K}.optimizers", format_func=labeller("opt_"), max_selections=int(limits.SWEEP_OPTIMIZERS.hi),
                            help=tr("help_sweep_optimizers"))
    cols = st.columns(4)
    grid_choices = limits.LEARNING_RATES
    lo, hi = cols[0].select_slider(tr("w_sweep_range"), grid_choices, value=(1e-4, 3.0), key=f"{K}.range",
                                   format_func=lambda v: f"{v:g}", help=tr("help_sweep_range"))
    points = cols[1].slider(tr("w_sweep_points"), int(limits.SWEEP_POINTS.lo), int(limits.SWEEP_POINTS.hi), value=9,
                            key=f"{K}.points", help=tr("help_sweep_points"))
    updates = cols[2].number_input(tr("w_sweep_updates"), 10, int(limits.SWEEP_UPDATES.hi), value=500, step=100,
                                   key=f"{K}.updates", help=tr("help_sweep_updates"))
    seeds = cols[3].slider(tr("w_race_seeds"), 1, int(limits.SWEEP_SEEDS.hi), value=1, key=f"{K}.seeds",
                           help=tr("help_sweep_seeds"))
    running = _running(_snapshot())
    start, cancel = st.columns(2)
    start.button(tr("btn_sweep"), key=f"{K}.start", type="primary", width="stretch", icon=":material/query_stats:",
                 disabled=running or not chosen or lo >= hi, help=tr("help_btn_sweep"),
                 on_click=safe_callback(_start, race.base, chosen, lo, hi, int(points), int(updates), int(seeds)))
    cancel.button(tr("btn_cancel"), key=f"{K}.cancel", width="stretch", icon=":material/cancel:", disabled=not running,
                  on_click=safe_callback(_cancel), help=tr("help_btn_cancel"))
    st.session_state[f"{K}.was_running"] = running
    st.fragment(_progress, run_every=POLL_S if running else None)()
    _best_to_race(race, to_race)

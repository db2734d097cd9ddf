"""The shared run controls: Start/Pause, Step (labelled with what it does), Reset, new weights,
and the numbers a teacher points at as big metrics."""

from __future__ import annotations

import math
from collections.abc import Callable

import streamlit as st

from ffnviz.train.capacity import SERVER_CAP
from ffnviz.train.runner import DIVERGED, FINISHED, QUEUED, RUNNING, Note, Runner, Snapshot
from ffnviz.ui.errors import safe_callback
from ffnviz.ui.i18n import tr
from ffnviz.ui.layout import fold_settings


def run_buttons(runner: Runner, key: str, step_updates: int, step_help: str,
                on_new_weights: Callable[[], None]) -> None:
    status = runner.status
    start, step, reset, new = st.columns(4)
    if status in (RUNNING, QUEUED):
        start.button(tr("btn_pause"), key=f"{key}.pause", type="primary", width="stretch", icon=":material/pause:",
                     on_click=safe_callback(runner.pause), help=tr("help_pause"))
    else:
        start.button(tr("btn_start"), key=f"{key}.start", type="primary", width="stretch", icon=":material/play_arrow:",
                     on_click=safe_callback(_start, runner, key), disabled=status in FINISHED,
                     help=tr("help_start_finished") if status in FINISHED else tr("help_start"))
    step.button(tr("btn_step"), key=f"{key}.step", width="stretch", icon=":material/skip_next:", disabled=status in FINISHED,
                on_click=safe_callback(runner.step, step_updates), help=step_help)
    reset.button(tr("btn_reset"), key=f"{key}.reset", width="stretch", icon=":material/replay:",
                 on_click=safe_callback(runner.reset), help=tr("help_reset"))
    new.button(tr("btn_new_weights"), key=f"{key}.new", width="stretch", icon=":material/casino:",
               on_click=safe_callback(on_new_weights), help=tr("help_new_weights"))


def _start(runner: Runner, key: str) -> None:
    runner.start()
    fold_settings(key)  # the settings fold away: the picture moves up onto the first screen


def note_text(note: Note | None) -> str:
    return tr(note.key, **dict(note.args)) if note else ""


def metric_text(value: float, digits: int = 4) -> str:
    """`digits` decimals; a value too small for them in two significant digits (a deep network's train
    loss of 1e-5 read "0.000", as if it were exactly zero)."""
    if not math.isfinite(value):
        return "—"
    if value != 0 and abs(value) < 0.5 * 10 ** -digits:
        return f"{value:.1e}"
    return f"{value:.{digits}f}"


def status_line(snap: Snapshot) -> None:
    """Status and why, in words; a diverged or idle-paused run says what happened. Works for any
    snapshot with status, note and updates_per_s, and its device when it has one."""
    text = f"**{tr('status')}: {tr('status_' + snap.status)}**"
    note = note_text(snap.note)
    if snap.status == DIVERGED:
        st.error(f"{text} — {note} {tr('hint_diverged')}")
    elif note:
        st.info(f"{text} — {note}")
    else:
        device = getattr(snap, "device", None)
        where = f" · {tr('device')}: `{device}`" if device else ""
        st.caption(text + where + f" · {tr('updates_per_s', rate=f'{snap.updates_per_s:,.0f}')}" + _server_load(snap))


def _server_load(snap: Snapshot) -> str:
    """While it trains beside others: how many models share the server (its rate above is this
    run's own share), and how many runs wait for a turn."""
    models, waiting = SERVER_CAP.in_use, SERVER_CAP.waiting
    if snap.status != RUNNING or models <= 1:
        return ""
    text = f" · {tr('server_shared', models=models)}"
    return text + (f" · {tr('server_waiting', runs=waiting)}" if waiting else "")


def metrics_row(snap: Snapshot, regression: bool = False) -> None:
    m = snap.metrics
    loss_help = tr("help_metric_loss_regression" if regression else "help_metric_loss")
    cols = st.columns(5)
    cols[0].metric(tr("metric_epoch"), f"{snap.epoch:,.0f}", help=tr("help_metric_epoch"))
    cols[1].metric(tr("metric_updates"), f"{snap.updates:,}", help=tr("help_metric_updates"))
    cols[2].metric(tr("metric_train_loss"), metric_text(m.train_loss, 3), help=loss_help)
    cols[3].metric(tr("metric_test_loss"), metric_text(m.test_loss, 3), help=loss_help)
    cols[4].metric(tr("metric_test_acc"), "—" if not math.isfinite(m.test_acc) else f"{m.test_acc:.1%}",
                   help=tr("help_metric_acc"))

"""'Pin this run': keep a run's curves on the charts as a ghost while the settings change and a
new run trains, so the two can be compared on one axis. While a run is pinned, a changed setting
starts the run over by itself, from the same initial weights, and trains it (`compare_with_pin`):
pin → change → watch the two curves."""

from __future__ import annotations

import streamlit as st

from ffnviz.train.runner import Runner
from ffnviz.ui.errors import safe_callback
from ffnviz.ui.i18n import tr
from ffnviz.viz.charts import Ghost

SERIES = ("train_loss", "test_loss", "train_acc", "test_acc")


def _key(page: str) -> str:
    return f"ffnviz.pin::{page}"


def _compared(page: str) -> str:
    return f"ffnviz.pin.compared::{page}"  # the spec the run last started over for


def pinned(page: str) -> Ghost | None:
    return st.session_state.get(_key(page))


def _pin(page: str, runner: Runner, label: str, spec=None) -> None:
    h = runner.snapshot.history  # at the click, not when the button was drawn
    st.session_state[_key(page)] = Ghost(label, h["epoch"].copy(), {k: h[k].copy() for k in SERIES})
    if spec is not None:
        st.session_state[_compared(page)] = spec


def compare_with_pin(page: str, runner: Runner, spec) -> bool:
    """While a run pinned with its spec is on the charts, a spec that differs from the one the run
    last trained for starts the run over from update 0 (the same seed: the same initial weights
    where the layers' shapes allow) and trains it. True when it did."""
    last = st.session_state.get(_compared(page))
    if pinned(page) is None or last is None or last == spec:
        return False
    st.session_state[_compared(page)] = spec
    runner.reset()
    runner.start()
    return True


def pin_history(page: str, label: str, history: dict) -> None:
    """Pin curves that come from elsewhere (a loaded run file) under `label`."""
    if "epoch" in history and all(k in history for k in SERIES):
        st.session_state[_key(page)] = Ghost(label, history["epoch"].copy(), {k: history[k].copy() for k in SERIES})


def _unpin(page: str) -> None:
    st.session_state.pop(_key(page), None)
    st.session_state.pop(_compared(page), None)


def pin_buttons(page: str, key: str, runner: Runner, label: str, spec=None) -> None:
    """Pin the run as it is at the click (under `label`), or drop the pinned one. With `spec` (the
    run's), the next changed setting starts the run over by itself (see compare_with_pin)."""
    left, right = st.columns(2)
    left.button(tr("btn_pin"), key=f"{key}.pin", icon=":material/push_pin:", width="stretch",
                on_click=safe_callback(_pin, page, runner, label, spec),
                help=tr("help_pin_compare" if spec is not None else "help_pin"))
    right.button(tr("btn_unpin"), key=f"{key}.unpin", icon=":material/close:", width="stretch",
                 on_click=safe_callback(_unpin, page), disabled=pinned(page) is None, help=tr("help_unpin"))

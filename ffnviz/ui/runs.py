"""Runners for pages: the run's state in session_state, its thread in a session-scoped resource.

Runners are keyed by (page, slot), never by spec: changing the learning rate must not build a
new runner. Streamlit releases the session's resources within seconds of the tab going away,
and `on_release` stops the thread; the run's state stays for a later rerun to attach again.
"""

from __future__ import annotations

import streamlit as st

from ffnviz.data import Dataset
from ffnviz.specs import RunSpec
from ffnviz.train.runner import Runner

_REBUILT = "ffnviz.rebuilt::"


def _stop_thread(runner: Runner) -> None:
    runner.detach()


@st.cache_resource(scope="session", on_release=_stop_thread, show_spinner=False, max_entries=16)
def _thread_for(page: str, slot: str, _runner: Runner) -> Runner:
    _runner.attach()
    return _runner


def runner_for(page: str, slot: str, spec: RunSpec, dataset: Dataset | None = None, **runner_options) -> Runner:
    """The page's runner, brought up to date with `spec` (raises ValueError on a spec it cannot
    run). `dataset`: the points of spec.data when they cannot be generated (an upload).
    `was_rebuilt` tells whether this call started the run over."""
    key = f"ffnviz.runner::{page}::{slot}"
    runner = st.session_state.get(key)
    if runner is None:
        runner = Runner(spec, dataset=dataset, **runner_options)
        st.session_state[key] = runner
        st.session_state[_REBUILT + key] = False
    else:
        st.session_state[_REBUILT + key] = runner.update_spec(spec, dataset)
    _thread_for(page, slot, runner).attach()  # attach() again: idempotent, revives a stopped thread
    return runner


def was_rebuilt(page: str, slot: str) -> bool:
    return bool(st.session_state.get(f"{_REBUILT}ffnviz.runner::{page}::{slot}", False))

"""The live panel: a fragment on a timer that redraws from the runner's latest snapshot.

The timer runs only while the runner runs. When the status changes (paused, diverged, done),
the fragment reruns the whole page so the buttons and the timer follow. Light pictures refresh
at ~3 Hz, heavier ones at 1 Hz (docs/ARCHITECTURE.md, "Live training": the refresh budget): each rate is
its own fragment.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from ffnviz.train.runner import QUEUED, RUNNING, Runner, Snapshot
from ffnviz.ui.class_member import report_run
from ffnviz.ui.errors import error_boundary

FAST_S = 0.3  # numbers and the main charts
SLOW_S = 1.0  # heavier pictures


def _body(runner: Runner, draw: Callable[[Snapshot], None], was_live: bool) -> None:
    snap = runner.poll()
    if (snap.status in (RUNNING, QUEUED)) != was_live:
        st.rerun()
    with error_boundary("live_panel"):
        draw(snap)
    report_run(runner, snap)  # a student in a class: every few seconds, to the wall


_FRAGMENTS = {every: st.fragment(_body, run_every=every) for every in (FAST_S, SLOW_S)}
_STILL = st.fragment(_body)


def live_panel(runner: Runner, draw: Callable[[Snapshot], None], every: float = FAST_S) -> None:
    """Draw the runner's snapshot now, and again every `every` seconds while it trains."""
    live = runner.status in (RUNNING, QUEUED)
    (_FRAGMENTS[every] if live else _STILL)(runner, draw, live)

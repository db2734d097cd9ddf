"""The live panel: a fragment on a timer that redraws from the runner's latest snapshot.

The timer runs only while the runner runs. When the status changes (paused, diverged, done),
the fragment reruns the whole page so the buttons and the timer follow.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from ffnviz.train.runner import QUEUED, RUNNING, Runner, Snapshot
from ffnviz.ui.errors import error_boundary

REFRESH_S = 0.3  # numbers and the main charts at ~3 Hz


def _body(runner: Runner, draw: Callable[[Snapshot], None], was_live: bool) -> None:
    snap = runner.poll()
    if (snap.status in (RUNNING, QUEUED)) != was_live:
        st.rerun()
    with error_boundary("live_panel"):
        draw(snap)


_live = st.fragment(_body, run_every=REFRESH_S)
_still = st.fragment(_body)


def live_panel(runner: Runner, draw: Callable[[Snapshot], None]) -> None:
    """Draw the runner's snapshot now, and again every REFRESH_S while it trains."""
    live = runner.status in (RUNNING, QUEUED)
    (_live if live else _still)(runner, draw, live)

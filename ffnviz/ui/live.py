"""The live panel: a fragment on a timer that redraws from the runner's latest snapshot.

The timer runs only while the runner runs. When the status changes (paused, diverged, done),
the fragment reruns the whole page so the buttons and the timer follow. Light pictures refresh
at ~3 Hz, heavier ones at 1 Hz (docs/ARCHITECTURE.md, "Live training": the refresh budget): each rate is
its own fragment.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from ffnviz.train.capacity import SERVER_CAP
from ffnviz.train.runner import QUEUED, RUNNING, Runner, Snapshot
from ffnviz.turns import Turns
from ffnviz.ui.class_member import report_run
from ffnviz.ui.errors import error_boundary

FAST_S = 0.3  # numbers and the main charts
SLOW_S = 1.0  # heavier pictures
# Under load the main charts refresh less often, so that every student keeps about one refresh a
# second rather than a few keeping three and the rest none: (models in training or waiting for a
# turn on the server, from; seconds between refreshes). A changed interval costs the page a full rerun, so it moves
# with hysteresis: back down only when the load is HYSTERESIS models below the step. The top step is
# below a second: a refresh asked for while the last one is still being drawn is lost, so a timer of
# exactly one second gave 0.7-0.9 refreshes a second at 30 students.
LADDER = ((0, FAST_S), (12, 0.6), (24, 0.8))
HYSTERESIS = 3
_EVERY_KEY = "ffnviz.refresh_every"
# The pages draw their live charts in turns (ffnviz/turns.py): thirty students' fragments drawing at
# once starved the thread that serves every websocket, and no page refreshed at all.
_DRAWING = Turns()


def refresh_every(models: int, previous: float = FAST_S) -> float:
    """The main charts' refresh interval with `models` in training, coming from `previous`."""
    wanted = max(every for start, every in LADDER if models >= start)
    if wanted >= previous:
        return wanted
    start_of_previous = next((start for start, every in LADDER if every == previous), 0)
    return previous if models > start_of_previous - HYSTERESIS else wanted


def _paced(every: float) -> float:
    """`every` (the page's own wish), or longer when the server is loaded."""
    if every != FAST_S:
        return every
    # The load is every run that wants training, the queued ones too: the cap bounds those training,
    # but each waiting run's page refreshes all the same.
    paced = refresh_every(SERVER_CAP.in_use + SERVER_CAP.waiting, st.session_state.get(_EVERY_KEY, FAST_S))
    st.session_state[_EVERY_KEY] = paced
    return paced


def _body(runner: Runner, draw: Callable[[Snapshot], None], was_live: bool, paced: float | None = None) -> None:
    """`paced`: the interval of a main-charts fragment, which follows the load (None: fixed)."""
    snap = runner.poll()
    if (snap.status in (RUNNING, QUEUED)) != was_live:
        st.rerun()
    if paced is not None and _paced(FAST_S) != paced:
        st.rerun()  # the load moved a step: the page draws its timer again
    with _DRAWING, error_boundary("live_panel"):
        draw(snap)
    report_run(runner, snap)  # a student in a class: every few seconds, to the wall


_FRAGMENTS = {every: st.fragment(_body, run_every=every) for every in {*(every for _, every in LADDER), SLOW_S}}
_STILL = st.fragment(_body)


def live_panel(runner: Runner, draw: Callable[[Snapshot], None], every: float = FAST_S) -> None:
    """Draw the runner's snapshot now, and again every `every` seconds while it trains (the main
    charts less often when the server is loaded, see LADDER)."""
    live = runner.status in (RUNNING, QUEUED)
    if live:
        paced = _paced(every)
        _FRAGMENTS[paced](runner, draw, live, paced if every == FAST_S else None)
    else:
        _STILL(runner, draw, live)

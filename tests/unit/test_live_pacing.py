"""The live charts back off under load, with hysteresis (ffnviz/ui/live.py: a changed refresh
interval costs the page a full rerun, so it must not flap around a threshold)."""

from __future__ import annotations

from ffnviz.ui.live import FAST_S, HYSTERESIS, LADDER, SLOW_S, refresh_every


def test_the_interval_grows_with_the_load():
    assert refresh_every(0) == FAST_S
    assert refresh_every(LADDER[1][0]) == LADDER[1][1]
    top = LADDER[-1][1]
    assert refresh_every(LADDER[2][0]) == top
    assert refresh_every(1000) == top < SLOW_S  # the main charts keep more than one refresh a second


def test_it_comes_back_only_well_below_the_step():
    step, slower = LADDER[1]
    assert refresh_every(step - 1, slower) == slower  # just below: stays
    assert refresh_every(step - HYSTERESIS + 1, slower) == slower
    assert refresh_every(step - HYSTERESIS, slower) == FAST_S
    assert refresh_every(LADDER[2][0] - 1, LADDER[2][1]) == LADDER[2][1]
    assert refresh_every(0, LADDER[2][1]) == FAST_S


def test_a_load_moving_around_a_threshold_changes_the_interval_once():
    every, changes = FAST_S, 0
    for models in [10, 11, 12, 11, 12, 10, 12, 11, 13, 11] * 3:
        new = refresh_every(models, every)
        changes += new != every
        every = new
    assert changes == 1

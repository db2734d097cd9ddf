"""The server's cap on models in training (train/capacity.py): first come, first served across the
server, and a share per browser session (FFNVIZ_MAX_SESSION_MODELS) that holds up only that session."""

from __future__ import annotations

import time

from ffnviz import limits
from ffnviz.train.capacity import SERVER_CAP, WorkCap
from ffnviz.train.runner import Runner
from ffnviz.train.worker import queued_note
from tests.unit.test_runner import SPEC


class Run:
    def __init__(self, group=None):
        self.cap_group = group


def test_first_come_first_served_across_the_server():
    cap = WorkCap(4)
    a, b, c = Run(), Run(), Run()
    assert cap.try_acquire(a, 3)
    assert not cap.try_acquire(b, 2)  # 3 + 2 > 4: waits, first in line
    assert not cap.try_acquire(c, 1)  # it would fit, but b asked first
    assert (cap.place(b), cap.place(c)) == (1, 2)
    cap.release(a)
    assert not cap.try_acquire(c, 1) and cap.try_acquire(b, 2) and cap.try_acquire(c, 1)
    assert cap.in_use == 3 and cap.waiting == 0


def test_a_session_past_its_share_waits_for_its_own_runs_not_for_the_class():
    cap = WorkCap(100, per_group=6)
    race, second_race = Run("anna"), Run("anna")
    classmate = Run("ben")
    assert cap.try_acquire(race, 6)
    assert not cap.try_acquire(second_race, 6)  # anna's share is taken by her own first race
    assert cap.waits_for_its_group(second_race)
    assert queued_note(cap, second_race).key == "note_session_cap"
    assert cap.try_acquire(classmate, 6)  # behind anna's waiting race in the line, and not held up by it
    cap.release(race)  # anna pauses her first race
    assert not cap.waits_for_its_group(second_race) and cap.try_acquire(second_race, 6)


def test_a_run_bigger_than_a_share_takes_the_share_and_runs_alone():
    cap = WorkCap(100, per_group=4)
    big = Run("anna")
    assert cap.try_acquire(big, 16) and cap.in_use == 4
    assert cap.models_for(16) == 4 and WorkCap(3).models_for(16) == 3


def test_runs_without_a_session_share_only_the_server_cap():
    cap = WorkCap(10, per_group=2)
    assert cap.try_acquire(Run(), 5) and cap.try_acquire(Run(), 5)


def test_the_server_cap_has_a_session_share_from_the_environment():
    assert SERVER_CAP.per_group == limits.MAX_SESSION_MODELS >= limits.RACE_MODELS  # the largest race fits


def test_a_queued_runner_says_its_session_holds_its_share():
    cap = WorkCap(100, per_group=1)
    first, second = Runner(SPEC, cap=cap), Runner(SPEC, cap=cap)
    first.cap_group = second.cap_group = "anna"
    first.start(wait_s=0)
    second.start(wait_s=0)
    assert first.status == "running" and second.status == "queued"
    assert second.snapshot.note.key == "note_session_cap"
    first.pause()
    second.attach()
    try:
        deadline = time.monotonic() + 30
        while second.status != "running" and time.monotonic() < deadline:
            time.sleep(0.02)
        assert second.status == "running"
    finally:
        second.detach()

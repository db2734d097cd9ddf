"""The Runner: commands, the worker thread, stopping by itself, the server cap, and two runs in
threads reproducing their solo numbers.

No timing assertions: a test waits (with a generous deadline) for a state to be reached, and
asserts states and numbers, never how long something took.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import numpy as np
import pytest

from ffnviz.specs import DataSpec, ModelSpec, OptimSpec, RunSpec, TrainSpec
from ffnviz.train.capacity import WorkCap
from ffnviz.train.runner import Runner
from ffnviz.train.trainer import Trainer

SPEC = RunSpec(
    data=DataSpec(dataset="spiral", noise=0.1),
    model=ModelSpec(hidden=(8, 8), activation="relu", init="he", dropout=0.3),
    optim=OptimSpec(name="momentum", lr=0.03),
    train=TrainSpec(seed=11, device="cpu"),
)
OTHER = RunSpec(
    data=DataSpec(dataset="circle", noise=0.2, seed=3),
    model=ModelSpec(hidden=(6, 5, 4), activation="tanh", init="xavier", dropout=0.3),
    optim=OptimSpec(name="adam", lr=0.01),
    train=TrainSpec(seed=4, batch_size=7, device="cpu"),
)
# See tests/unit/test_trainer.py: diverges within ~6 updates on every seed tried.
DIVERGING = RunSpec(
    data=DataSpec(dataset="spiral"),
    model=ModelSpec(hidden=(8, 8), activation="linear", init="he"),
    optim=OptimSpec(name="sgd", lr=10.0),
    train=TrainSpec(device="cpu"),
)


def capped(spec: RunSpec, max_updates: int) -> RunSpec:
    return replace(spec, train=replace(spec.train, max_updates=max_updates))


def wait_until(condition, deadline_s: float = 30.0) -> bool:
    """Wait for a state, not for a time: True as soon as `condition()` holds. Conditions read
    the published snapshot: `Runner.status` may change a moment before the snapshot that
    goes with it is published."""
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


@pytest.fixture
def make_runner():
    made: list[Runner] = []

    def make(spec: RunSpec = SPEC, **kwargs) -> Runner:
        kwargs.setdefault("cap", WorkCap(8))  # never the server's own cap
        kwargs.setdefault("grid_resolution", None)
        kwargs.setdefault("publish_interval_s", 0.05)
        runner = Runner(spec, **kwargs)
        made.append(runner)
        return runner

    yield make
    for runner in made:
        runner.detach()
    for runner in made:
        assert runner._thread is None or not runner._thread.is_alive()


# -- commands without a thread ------------------------------------------------------------------

def test_a_new_runner_is_ready_at_update_0(make_runner):
    r = make_runner(grid_resolution=20)
    snap = r.snapshot
    assert (snap.status, snap.updates, snap.note) == ("ready", 0, None)
    assert snap.spec == SPEC and snap.device == "cpu" and snap.updates_per_epoch == 25
    assert list(snap.history["update"]) == [0.0]
    assert snap.grid.shape == (20, 20)
    assert len(snap.probes) == 3


def test_step_without_a_thread_runs_inline(make_runner):
    r = make_runner()
    r.step(30)
    snap = r.snapshot
    assert (snap.status, snap.updates) == ("paused", 30)
    assert list(snap.history["update"]) == [0.0, 25.0]  # a row at each epoch's end
    t = Trainer(SPEC)
    t.step(30)
    assert snap.metrics == t.evaluate()  # the same numbers as the trainer on its own


def test_start_and_pause_without_a_thread(make_runner):
    r = make_runner()
    r.start()
    assert r.status == "running"
    r.pause()
    assert r.status == "paused"
    r.start()
    r.step(5)  # pauses a running run first
    assert (r.status, r.snapshot.updates) == ("paused", 5)


def test_snapshots_are_replaced_not_changed(make_runner):
    r = make_runner()
    old = r.snapshot
    r.step(10)
    assert old.updates == 0 and old.status == "ready"
    assert r.snapshot.version > old.version and r.snapshot.updates == 10


def test_poll_returns_the_snapshot(make_runner):
    r = make_runner()
    assert r.poll() is r.snapshot


def test_reset_reproduces_the_run(make_runner):
    r = make_runner()
    r.step(60)
    first = r.snapshot
    r.reset()
    snap = r.snapshot
    assert (snap.status, snap.updates, len(snap.history["update"])) == ("ready", 0, 1)
    r.step(60)
    again = r.snapshot
    assert again.metrics == first.metrics
    for column in first.history:
        assert np.array_equal(first.history[column], again.history[column], equal_nan=True), column


def test_reset_with_another_seed(make_runner):
    r = make_runner()
    r.step(25)
    r.reset(seed=5)
    assert r.snapshot.spec.train.seed == 5 and r.snapshot.updates == 0
    r.step(25)
    t = Trainer(replace(SPEC, train=replace(SPEC.train, seed=5)))
    t.step(25)
    assert r.snapshot.metrics == t.evaluate()


def test_update_spec_rebuilds_for_a_new_architecture(make_runner):
    r = make_runner()
    r.step(30)
    new = replace(SPEC, model=replace(SPEC.model, hidden=(8, 9)))
    assert r.update_spec(new) is True
    snap = r.snapshot
    assert (snap.status, snap.updates, snap.spec) == ("ready", 0, new)
    assert [p.layer for p in snap.probes] == [1, 2, 3]


def test_update_spec_keeps_the_run_for_a_new_learning_rate(make_runner):
    r = make_runner()
    r.step(30)
    before = r.snapshot
    new = replace(SPEC, optim=replace(SPEC.optim, lr=0.2))
    assert r.update_spec(new) is False
    snap = r.snapshot
    assert snap.updates == 30 and snap.spec.optim.lr == 0.2
    assert snap.metrics == before.metrics  # same weights
    assert r.update_spec(new) is False  # nothing changed
    r.step(5)
    assert r.snapshot.updates == 35


def test_update_spec_refuses_an_invalid_spec(make_runner):
    r = make_runner()
    r.step(3)
    with pytest.raises(ValueError, match="lr"):
        r.update_spec(replace(SPEC, optim=OptimSpec(lr=50.0)))
    assert r.snapshot.updates == 3 and r.snapshot.spec == SPEC


# -- stopping by itself -------------------------------------------------------------------------

def test_divergence_stops_the_run_and_names_the_update(make_runner):
    expected = Trainer(DIVERGING)
    expected.step(100)
    assert expected.diverged_at is not None
    r = make_runner(DIVERGING, grid_resolution=20)
    r.step(100)
    snap = r.snapshot
    assert snap.status == "diverged"
    assert snap.note.key == "note_diverged"
    assert dict(snap.note.args) == {"update": expected.diverged_at}
    assert snap.updates < 100  # it stopped there
    assert snap.probes == () and snap.grid is None  # nothing measured on NaN weights
    r.start()
    r.step(5)
    assert r.snapshot.status == "diverged" and r.snapshot.updates == snap.updates


def test_divergence_stops_the_thread(make_runner):
    r = make_runner(DIVERGING)
    r.attach()
    r.start()
    assert wait_until(lambda: r.snapshot.status == "diverged")
    assert r.snapshot.note.key == "note_diverged"
    assert r.snapshot.status == "diverged"


def test_step_cap_in_the_thread(make_runner):
    r = make_runner(capped(SPEC, 60))
    r.attach()
    r.start()
    assert wait_until(lambda: r.snapshot.status == "done")
    snap = r.snapshot
    assert (snap.status, snap.updates) == ("done", 60)
    assert snap.note.key == "note_done" and dict(snap.note.args) == {"updates": 60}


def test_step_past_the_cap(make_runner):
    r = make_runner(capped(SPEC, 60))
    r.step(100)
    assert (r.snapshot.status, r.snapshot.updates) == ("done", 60)
    r.step(10)
    assert r.snapshot.updates == 60
    # A higher cap lets it go on.
    assert r.update_spec(capped(SPEC, 80)) is False
    assert r.status == "paused"
    r.step(100)
    assert (r.snapshot.status, r.snapshot.updates) == ("done", 80)


def test_step_exactly_to_the_cap_is_done(make_runner):
    r = make_runner(capped(SPEC, 50))
    r.step(50)
    assert (r.snapshot.status, r.snapshot.updates) == ("done", 50)


# -- the worker thread --------------------------------------------------------------------------

def test_start_trains_in_the_thread_and_pause_stops_it(make_runner):
    r = make_runner()
    r.attach()
    r.start()
    assert wait_until(lambda: r.snapshot.updates > 0)
    assert r.snapshot.status == "running"
    r.pause()
    assert r.status == "paused" and r.snapshot.status == "paused"
    stopped_at = r.snapshot.updates
    time.sleep(0.3)
    assert r.snapshot.updates == stopped_at
    assert r._trainer.updates == stopped_at  # the snapshot tells the truth, and nothing moved
    r.start()
    assert wait_until(lambda: r.snapshot.updates > stopped_at)


def test_the_first_picture_after_start_comes_before_the_regular_publications(make_runner):
    """Publications every 60 s, yet the run shows trained weights soon after Start: the first
    publication is due FIRST_PICTURE_S after it, and start() waits briefly for it."""
    r = make_runner(publish_interval_s=60.0)
    r.attach()
    r.start()
    assert wait_until(lambda: r.snapshot.updates > 0, deadline_s=20.0)
    first = r.snapshot
    assert first.status == "running"
    time.sleep(0.3)
    assert r.snapshot is first  # after it, the regular (here, slow) interval again
    r.pause()
    assert r.snapshot.updates >= first.updates


def test_start_returns_once_the_first_picture_can_be_read(make_runner):
    """start() waits for the first publication's snapshot, not for its counter: a publication
    counts before it builds its snapshot, and a race's extras took ~10 ms to build, so start()
    returned with update 0 still showing and the page's first trained picture came a refresh
    later (0.6 s after the click on the self-attention page)."""
    r = make_runner(publish_interval_s=60.0)
    measure = r._current_metrics

    def slow_metrics():  # what building a slow snapshot does after the counter has moved
        time.sleep(0.03)
        return measure()

    r._current_metrics = slow_metrics
    r.attach()
    r.start(wait_s=10.0)  # generous: a loaded machine may take long for the first chunk
    assert r.snapshot.updates > 0


def test_the_first_picture_waits_for_the_first_epoch_end_when_it_comes_soon(make_runner):
    """The curves have a point per epoch: the first publication after Start waits for the first
    epoch's end, up to FIRST_EPOCH_WAIT_S (a self-attention race's first epoch takes ~0.1 s)."""
    from ffnviz.train.worker import FIRST_EPOCH_WAIT_S, FIRST_PICTURE_S

    r = make_runner()
    r._expect_first_picture()
    soon = (FIRST_PICTURE_S + FIRST_EPOCH_WAIT_S) / 2
    assert not r._first_picture_due(FIRST_PICTURE_S / 2)
    assert not r._first_picture_due(soon)  # no epoch has ended yet
    assert r._first_picture_due(FIRST_EPOCH_WAIT_S)  # no longer than that
    r._trainer.step(r._trainer.updates_per_epoch)
    assert r._first_picture_due(soon)
    assert not r._first_picture_due(FIRST_PICTURE_S / 2)


def test_step_with_a_thread(make_runner):
    r = make_runner()
    r.attach()
    r.step(40)
    assert wait_until(lambda: r.snapshot.updates == 40)
    assert r.snapshot.status == "paused"
    t = Trainer(SPEC)
    t.step(40)
    assert r.snapshot.metrics == t.evaluate()


def test_detach_and_attach_carry_on_the_same_run(make_runner):
    r = make_runner()
    r.attach()
    r.start()
    assert wait_until(lambda: r.snapshot.updates > 0)
    r.detach()
    assert r.status == "paused"
    stopped_at = r.snapshot.updates
    r.attach()
    r.step(10)
    assert wait_until(lambda: r.snapshot.updates == stopped_at + 10)


def test_idle_pause(make_runner):
    r = make_runner(idle_pause_s=1.0)  # long enough to train some updates on a loaded machine
    r.attach()
    r.start()
    assert wait_until(lambda: r.snapshot.status != "running")
    snap = r.snapshot
    assert snap.status == "paused"
    assert snap.note.key == "note_idle"
    assert snap.updates > 0


def test_polling_keeps_a_run_going(make_runner):
    """A clock that the test moves on: each poll comes 4 s after the last one, under the 5 s
    limit, so the run goes on although 12 s pass in all; then no poll for 10 s pauses it."""
    offset = [0.0]
    r = make_runner(idle_pause_s=5.0, clock=lambda: time.monotonic() + offset[0])
    r.attach()
    r.start()
    for _ in range(3):
        r.poll()
        offset[0] += 4.0
        r.poll()
        assert wait_until(lambda: r.snapshot.updates > 0)
        assert r.status == "running"
    offset[0] += 10.0
    assert wait_until(lambda: r.snapshot.status != "running")
    assert r.snapshot.note.key == "note_idle"


def test_a_full_cap_queues_and_a_pause_lets_the_next_run(make_runner):
    cap = WorkCap(1)
    first, second = make_runner(cap=cap), make_runner(OTHER, cap=cap)
    first.attach()
    second.attach()
    first.start()
    second.start()
    assert first.status == "running"
    assert second.status == "queued"
    assert second.snapshot.note.key == "note_queued" and dict(second.snapshot.note.args) == {"cap": 1, "place": 1}
    assert cap.in_use == 1
    assert wait_until(lambda: first.snapshot.updates > 0)
    assert second.status == "queued" and second.snapshot.updates == 0
    first.pause()
    assert wait_until(lambda: second.snapshot.status == "running")
    assert wait_until(lambda: second.snapshot.updates > 0)
    assert second.snapshot.note is None
    first.start()
    assert first.status == "queued"
    second.pause()
    assert wait_until(lambda: first.snapshot.status == "running")
    first.pause()
    assert cap.in_use == 0


def test_the_queue_is_first_come_first_served_and_says_each_run_its_place(make_runner):
    cap = WorkCap(1)
    a, b, c = make_runner(cap=cap), make_runner(OTHER, cap=cap), make_runner(SPEC, cap=cap)
    for r in (a, b, c):
        r.attach()
        r.start()
    assert (a.status, b.status, c.status) == ("running", "queued", "queued")
    assert dict(b.snapshot.note.args)["place"] == 1 and dict(c.snapshot.note.args)["place"] == 2
    a.pause()
    assert wait_until(lambda: b.snapshot.status == "running")  # b asked before c
    assert c.status == "queued"
    assert wait_until(lambda: c.snapshot.note is not None and dict(c.snapshot.note.args)["place"] == 1)
    c.pause()  # a waiting run paused leaves the line
    assert cap.waiting == 0
    b.pause()
    assert cap.in_use == 0


def test_finishing_releases_the_cap(make_runner):
    cap = WorkCap(1)
    r = make_runner(capped(SPEC, 30), cap=cap)
    r.attach()
    r.start()
    assert wait_until(lambda: r.snapshot.status == "done")
    assert cap.in_use == 0


def test_two_runners_in_threads_reproduce_their_solo_numbers(make_runner):
    specs = [capped(SPEC, 500), capped(OTHER, 500)]
    solo = []
    for spec in specs:
        r = make_runner(spec)
        r.step(600)  # inline, in this thread, alone
        assert (r.status, r.snapshot.updates) == ("done", 500)
        solo.append(r.snapshot)
    together = [make_runner(spec, chunk_s=0.002) for spec in specs]  # many turns each
    for r in together:
        r.attach()
    # Start both from two threads at once, so that their steps interleave from the start.
    barrier = threading.Barrier(len(together))

    def go(runner: Runner) -> None:
        barrier.wait()
        runner.start()

    starters = [threading.Thread(target=go, args=(r,)) for r in together]
    for s in starters:
        s.start()
    for s in starters:
        s.join()
    assert wait_until(lambda: all(r.snapshot.status == "done" for r in together), deadline_s=120)
    for alone, r in zip(solo, together, strict=True):
        snap = r.snapshot
        assert snap.updates == 500
        assert set(snap.history) == set(alone.history)
        assert len(snap.history["update"]) == len(alone.history["update"]) > 10
        for column in alone.history:
            assert np.array_equal(snap.history[column], alone.history[column], equal_nan=True), column
        assert snap.metrics == alone.metrics
        assert [p.weight_norm for p in snap.probes] == [p.weight_norm for p in alone.probes]
        assert [p.grad_norm for p in snap.probes] == [p.grad_norm for p in alone.probes]

"""Training in worker processes (ffnviz/train/pool.py): the same commands and snapshots as an
in-process runner, the same numbers bit for bit, a worker killed mid-run, and no worker left
behind by a server that dies; a run's resources let go in its worker when its connection closes or
its page has gone for good; the learning-rate sweep through a worker too."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from ffnviz import limits
from ffnviz.specs import DataSpec, ModelSpec, OptimSpec, RunSpec, TrainSpec
from ffnviz.specs.race import Contestant, RaceSpec
from ffnviz.train.capacity import WorkCap
from ffnviz.train.pool import Pool, WorkerDied, workers_setting
from ffnviz.train.race_runner import RaceRunner
from ffnviz.train.remote_runner import RemoteRunner
from ffnviz.train.runner import Runner
from ffnviz.train.sweep import Sweep, lr_grid

ROOT = Path(__file__).resolve().parents[2]
SPEC = RunSpec(data=DataSpec(dataset="spiral", n_points=200), model=ModelSpec(hidden=(8, 8)),
               optim=OptimSpec("adam", 0.01), train=TrainSpec(device="cpu"))
TINY = RunSpec(data=DataSpec(dataset="xor", n_points=50, noise=0.1), model=ModelSpec(hidden=(3,)),
               train=TrainSpec(batch_size=5, device="cpu"))  # as tests/unit/test_sweep.py's


def wait_until(condition, seconds: float = 60.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


@pytest.fixture(scope="module")
def pool():
    p = Pool(2)
    yield p
    p.close()


def test_the_setting_reads_a_number_or_auto():
    assert workers_setting({}) == (os.cpu_count() or 1)  # the default: one per core
    assert workers_setting({"FFNVIZ_WORKERS": "0"}) == 0
    assert workers_setting({"FFNVIZ_WORKERS": "3"}) == 3
    assert workers_setting({"FFNVIZ_WORKERS": "auto"}) == (os.cpu_count() or 1)
    assert workers_setting({"FFNVIZ_WORKERS": "1000"}) == 64  # limits.WORKERS
    with pytest.raises(ValueError, match="FFNVIZ_WORKERS"):
        workers_setting({"FFNVIZ_WORKERS": "many"})


def test_a_run_in_a_worker_gives_the_numbers_it_gives_in_process(pool):
    remote = RemoteRunner(Runner, SPEC, pool=pool)
    local = Runner(SPEC, grid_resolution=None)
    remote.step(60)
    local.step(60)
    a, b = remote.snapshot, local.snapshot
    assert a.updates == b.updates == 60
    assert a.metrics == b.metrics
    for wa, wb in zip(a.weights, b.weights, strict=True):
        assert np.array_equal(wa, wb)


def test_commands_and_snapshots_cross_the_process(pool):
    r = RemoteRunner(Runner, SPEC, pool=pool)
    assert r.status == "ready" and r.snapshot.updates == 0
    r.attach()
    r.start()
    assert wait_until(lambda: r.poll().updates > 0)
    assert r.status == "running"
    tick = time.monotonic()
    r.pause()
    assert time.monotonic() - tick < 1.0  # within 200 ms on a quiet machine; room for a loaded one
    stopped = r.snapshot.updates
    time.sleep(0.3)
    assert r.snapshot.updates == stopped and r.status == "paused"
    # a live change, then a rebuild
    assert r.update_spec(RunSpec(**{**SPEC.__dict__, "optim": OptimSpec("sgd", 0.1)})) is False
    assert r.snapshot.spec.optim == OptimSpec("sgd", 0.1)
    assert r.update_spec(RunSpec(**{**SPEC.__dict__, "model": ModelSpec(hidden=(3,))})) is True
    assert r.snapshot.updates == 0
    with pytest.raises(ValueError):
        r.update_spec(RunSpec(**{**SPEC.__dict__, "optim": OptimSpec("sgd", -1.0)}))
    r.set_layer(0, np.zeros((3, 2), np.float32), np.zeros(3, np.float32))
    assert r.snapshot.edited
    r.reset()
    assert r.snapshot.updates == 0 and not r.snapshot.edited
    r.detach()


def test_a_rerun_of_an_unchanged_page_asks_the_worker_nothing_but_its_snapshot(pool, monkeypatch):
    """Every rerun of a page calls update_spec with its spec and attach: with the spec unchanged and
    the run's thread up, neither is a round trip to the worker (busy training, it answers late)."""
    r = RemoteRunner(Runner, SPEC, pool=pool)
    r.attach()
    sent = []
    request = r._request
    monkeypatch.setattr(r, "_request", lambda *message: sent.append(message[0]) or request(*message))
    for _ in range(3):
        assert r.update_spec(SPEC) is False
        r.attach()
        r.poll()
    assert sent == ["snapshot"] * 3
    r.detach()  # the thread stops: the next attach goes to the worker, and the run trains again
    r.attach()
    r.start()
    assert wait_until(lambda: r.poll().updates > 0)
    assert sent[3:5] == ["detach", "attach"]
    r.update_spec(RunSpec(**{**SPEC.__dict__, "optim": OptimSpec("sgd", 0.1)}))
    assert "update_spec" in sent
    r.detach()


def test_an_unchanged_snapshot_does_not_cross_again(pool):
    r = RemoteRunner(Runner, SPEC, pool=pool)
    first = r.snapshot
    assert r.snapshot is first  # same version: the worker answered "nothing newer"


def test_a_race_trains_in_a_worker_and_its_data_set_can_be_read(pool):
    race = RaceSpec(base=SPEC, contestants=(Contestant(OptimSpec("sgd", 0.03)), Contestant(OptimSpec("adam", 0.01))))
    r = RemoteRunner(RaceRunner, race, pool=pool)
    r.step(30)
    assert r.snapshot.updates == 30
    assert len(r.race.dataset.x_train) == 100


def test_the_servers_cap_admits_runs_in_workers_first_come_first_served(pool):
    cap = WorkCap(1)
    a, b = (RemoteRunner(Runner, SPEC, pool=pool, cap=cap) for _ in range(2))
    for r in (a, b):
        r.attach()
        r.start()
    assert (a.status, b.status) == ("running", "queued"), (a.snapshot.note, a.snapshot.updates, a.snapshot.spec.train)
    snap = b.poll()
    assert snap.status == "queued" and snap.note.key == "note_queued" and dict(snap.note.args)["place"] == 1
    assert b.snapshot.updates == 0
    a.pause()
    assert wait_until(lambda: b.poll().status == "running")  # its page's next poll lets it in
    assert cap.in_use == 1
    b.detach()  # the page went away: its slot comes back
    assert cap.in_use == 0
    a.detach()


def test_runs_are_spread_over_the_workers(pool):
    runs = [RemoteRunner(Runner, SPEC, pool=pool) for _ in range(4)]
    assert {r._index for r in runs} == {0, 1}  # noqa: SLF001 - which worker is the point here
    del runs


def test_a_new_run_goes_where_the_fewest_pages_are_then_the_fewest_runs_train():
    """Runs take turns within their worker: a new run goes where the fewest runs of pages still
    there are (the runs of pages that went away stay connected until retired), then where the
    fewest train, so that students' shares of the CPU stay even."""
    pool = Pool(2, retire_s=600.0)
    try:
        cap = WorkCap(8)
        training = RemoteRunner(Runner, TINY, pool=pool, cap=cap)
        idle = RemoteRunner(Runner, TINY, pool=pool, cap=cap)
        assert {training._index, idle._index} == {0, 1}
        training.attach()
        training.start()
        new = RemoteRunner(Runner, TINY, pool=pool, cap=cap)
        assert new._index == idle._index  # as many runs on each: the one training none
        new.attach()
        new.start()
        training.pause()
        after = RemoteRunner(Runner, TINY, pool=pool, cap=cap)
        assert after._index == training._index  # fewer runs there
        new.pause()
        idle.detach()  # its page went away: counted no more, though connected until retired
        last = RemoteRunner(Runner, TINY, pool=pool, cap=cap)
        assert last._index == idle._index
        for run in (training, idle, new, after, last):
            run.close()
        assert all(w.training == 0 and w.runs == 0 for w in pool._workers if w is not None)
    finally:
        pool.close()


def test_a_killed_worker_leaves_its_runs_paused_with_a_note_and_start_trains_them_again():
    pool = Pool(2)
    try:
        victim = RemoteRunner(Runner, SPEC, pool=pool)
        other = RemoteRunner(Runner, SPEC, pool=pool)
        assert victim._index != other._index  # noqa: SLF001
        for r in (victim, other):
            r.attach()
            r.start()
        assert wait_until(lambda: victim.poll().updates > 0 and other.poll().updates > 0)
        os.kill(pool.processes()[victim._index].pid, signal.SIGKILL)  # noqa: SLF001
        assert wait_until(lambda: victim.poll().note is not None)
        snap = victim.snapshot
        assert snap.status == "paused" and snap.note.key == "note_worker_died" and victim.died
        before = other.poll().updates
        assert wait_until(lambda: other.poll().updates > before)  # the other worker's run goes on
        victim.start()  # one click: built again from its spec, on a live worker, and training
        victim.attach()
        assert not victim.died
        assert wait_until(lambda: victim.poll().updates > 0 and victim.status == "running")
    finally:
        pool.close()


def test_a_dead_worker_is_an_error_for_the_caller_only_through_the_note():
    pool = Pool(1)
    try:
        r = RemoteRunner(Runner, SPEC, pool=pool)
        pool.processes()[0].kill()
        pool.processes()[0].join(10)
        r.pause()  # a command to a gone worker: no exception for the page
        assert r.status == "paused" and r.snapshot.note.key == "note_worker_died"
        with pytest.raises(WorkerDied):
            r._request("status")  # noqa: SLF001 - the error the page never sees
    finally:
        pool.close()


def test_a_worker_that_died_after_the_check_is_replaced_at_the_next_connect(monkeypatch):
    pool = Pool(1)
    try:
        RemoteRunner(Runner, SPEC, pool=pool)  # starts the worker
        dead = pool.processes()[0]
        dead.kill()
        dead.join(10)
        worker_class = type(pool._workers[0])  # noqa: SLF001 - the pool's record of a worker process
        monkeypatch.setattr(worker_class, "alive", property(lambda self: True))  # as if it died just after the check
        with pytest.raises(WorkerDied):
            RemoteRunner(Runner, SPEC, pool=pool)
        r = RemoteRunner(Runner, SPEC, pool=pool)  # the next one: on a new worker
        r.step(5)
        assert r.snapshot.updates == 5 and pool.processes()[0] is not dead
    finally:
        pool.close()


# -- what a run leaves behind in its worker ----------------------------------------------------------

def _worker_holds(pool: Pool) -> dict:
    """What the pool's first worker holds, asked over a connection of its own (which counts as one of
    its run connections, and one "ffnviz-run" thread, while it is open)."""
    conn, index = pool.connect()
    try:
        conn.send(("worker",))
        status, info = conn.recv()
    finally:
        conn.close()
        pool.released(index)
    assert status == "ok", info
    return info


def _only_the_question(info: dict) -> bool:
    """The worker holds no run: the asking connection alone, no run in memory, no training thread."""
    return (info["runs"] == 1 and info["runners"] == 0 and info["threads"].get("ffnviz-run") == 1
            and "ffnviz-runner" not in info["threads"])


def test_a_runs_resources_are_released_in_its_worker_when_its_connection_closes():
    pool = Pool(1)
    try:
        assert _only_the_question(_worker_holds(pool))
        r = RemoteRunner(Runner, TINY, pool=pool)
        r.attach()
        r.start()
        assert wait_until(lambda: r.poll().updates > 0)
        info = _worker_holds(pool)
        assert info["runs"] == 2 and info["runners"] == 1 and info["threads"]["ffnviz-runner"] == 1
        r.close()  # as when the page's RemoteRunner goes: its connection closes
        assert wait_until(lambda: _only_the_question(_worker_holds(pool)), seconds=30), _worker_holds(pool)
    finally:
        pool.close()


def test_a_run_whose_page_went_away_ends_in_its_worker_and_is_built_again_if_the_page_comes_back():
    pool = Pool(1, retire_s=0.1)
    try:
        r = RemoteRunner(Runner, TINY, pool=pool)
        r.attach()
        r.step(5)
        assert r.snapshot.updates == 5  # the page's last read
        r.detach()  # the session disconnected (Streamlit released its resources)
        assert wait_until(lambda: r.retired, seconds=30)
        assert wait_until(lambda: _only_the_question(_worker_holds(pool)), seconds=30), _worker_holds(pool)
        # The retiring thread ends once nothing waits to be retired: the server's threads as before.
        assert wait_until(lambda: pool._reaper is None, seconds=30)  # noqa: SLF001 - its thread, gone
        assert r.snapshot.updates == 5  # what the page last read stays readable, no error
        r.attach()  # its page came back after all (another session's TTL, a cache eviction): built again
        assert not r.retired and r.snapshot.updates == 0 and r.snapshot.status == "ready"
        r.step(3)
        assert r.snapshot.updates == 3
        r.close()
    finally:
        pool.close()


def test_a_page_that_comes_back_in_time_keeps_its_run():
    pool = Pool(1, retire_s=600.0)
    try:
        r = RemoteRunner(Runner, TINY, pool=pool)
        r.attach()
        r.step(5)
        r.detach()
        assert pool.retiring(r)
        r.attach()  # the session reconnected within its TTL: the page attaches again
        assert not pool.retiring(r)
        r.retire()  # were the retiring thread late: an attached run is not retired
        assert not r.retired and r.snapshot.updates == 5
        r.step(1)
        assert r.snapshot.updates == 6
        r.close()
    finally:
        pool.close()


def test_a_session_that_ends_detaches_its_runs_off_streamlits_event_loop():
    """Streamlit releases an ended session's runs on its event loop, which serves every websocket
    of the server: the round trip to the worker (it waits for the run's current chunk) goes from a
    thread of its own, and the run is then paused and due to retire as before."""
    from ffnviz.ui.runs import release_run

    pool = Pool(1, retire_s=600.0)
    try:
        r = RemoteRunner(Runner, TINY, pool=pool)
        r.attach()
        r.start()
        asked, request = [], r._request

        def recording(*message):
            asked.append((message[0], threading.current_thread().name))
            return request(*message)

        r._request = recording
        release_run(r)
        assert wait_until(lambda: pool.retiring(r))
        assert asked == [("detach", "ffnviz-detach")]
        assert r.poll().status == "paused"
        r.attach()  # the page came back
        assert not pool.retiring(r)
        r.close()
    finally:
        pool.close()


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_no_worker_outlives_the_server(how, tmp_path):
    """A 'server' process starts a pool and a run training in it, prints the worker's pid, and is
    killed: the worker must be gone soon after."""
    script = tmp_path / "server.py"
    script.write_text(textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from ffnviz.specs import RunSpec, TrainSpec
        from ffnviz.train.pool import Pool
        from ffnviz.train.remote_runner import RemoteRunner
        from ffnviz.train.runner import Runner
        if __name__ == "__main__":
            pool = Pool(1)
            r = RemoteRunner(Runner, RunSpec(train=TrainSpec(device="cpu")), pool=pool)
            r.attach()
            r.start()
            print(pool.processes()[0].pid, flush=True)
            time.sleep(600)
    """))
    server = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    pid = int(server.stdout.readline())
    assert _alive(pid)
    server.send_signal(how)
    server.wait(30)
    assert wait_until(lambda: not _alive(pid), seconds=30), f"worker {pid} outlived the server ({how.name})"


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"  # a zombie has exited
    except FileNotFoundError:
        return False


# -- the learning-rate sweep ------------------------------------------------------------------------
# A sweep trains in a worker like any run: a SweepRunner there, a RemoteRunner in the Sweep the page holds.

def _sweep(updates: int = 17, cap: WorkCap | None = None, pool: Pool | None = None, **kwargs) -> Sweep:
    return Sweep(TINY, [OptimSpec("sgd"), OptimSpec("adam", hyper=(("beta1", 0.8),))], lr_grid(1e-3, 0.3, 3),
                 updates, seeds=(0, 5), cap=cap or WorkCap(4), pool=pool, **kwargs)


def test_a_sweep_in_a_worker_gives_the_numbers_it_gives_in_process(pool):
    local, remote = _sweep(), _sweep(pool=pool)
    for sweep in (local, remote):
        sweep.start()
        assert wait_until(lambda s=sweep: s.status in ("done", "cancelled", "failed"))
    assert remote.in_worker and not local.in_worker
    assert local.status == remote.status == "done" and remote.progress == 1.0 and remote.error is None
    a, b = local.result, remote.result
    assert a.optimizers == b.optimizers and a.seeds == b.seeds and a.updates == b.updates
    for name in ("lrs", "final_loss", "diverged", "done", "diverged_at", "initial_loss"):
        assert np.array_equal(getattr(a, name), getattr(b, name), equal_nan=True), name
    assert b.done.all() and np.isfinite(b.final_loss).all()


def test_a_sweep_in_a_worker_holds_one_model_of_the_servers_cap_and_cancels_within_a_chunk(pool):
    cap = WorkCap(1)
    sweep = _sweep(updates=limits.SWEEP_UPDATES.hi, cap=cap, pool=pool)
    sweep.start()
    assert wait_until(lambda: sweep.progress > 0)
    assert sweep.status == "running" and sweep.snapshot.updates_per_s >= 0
    other = object()
    assert cap.in_use == 1 and not cap.try_acquire(other)  # one model, counted in the server
    cap.release(other)
    tick = time.monotonic()
    sweep.cancel()
    assert time.monotonic() - tick < 1.0  # one ~20 ms chunk and a request, with room for a loaded machine
    assert sweep.status == "cancelled" and cap.in_use == 0 and cap.waiting == 0
    assert sweep.progress < 1.0 and not sweep.result.done.all()
    sweep.start()  # a sweep runs once
    assert sweep.status == "cancelled"


def test_a_sweep_in_a_worker_waits_its_turn_when_the_cap_is_full(pool):
    cap, other = WorkCap(1), object()
    assert cap.try_acquire(other)
    sweep = _sweep(cap=cap, pool=pool)
    sweep.start()
    snap = sweep.snapshot
    assert snap.status == "queued" and snap.note.key == "note_queued" and snap.progress == 0.0
    cap.release(other)
    assert wait_until(lambda: sweep.status == "done")  # let in at the page's next read
    assert sweep.result.done.all() and cap.in_use == 0


def test_a_killed_worker_fails_its_sweep_with_a_note_and_a_new_sweep_runs():
    pool, cap = Pool(1), WorkCap(2)
    try:
        sweep = _sweep(updates=limits.SWEEP_UPDATES.hi, cap=cap, pool=pool)
        sweep.start()
        assert wait_until(lambda: sweep.progress > 0)
        os.kill(pool.processes()[0].pid, signal.SIGKILL)
        assert wait_until(lambda: sweep.status == "failed")
        snap = sweep.snapshot
        assert snap.note.key == "sweep_worker_died" and snap.error and cap.in_use == 0
        sweep.cancel()  # the page's Cancel, or its session ending: nothing left to stop, no error
        assert sweep.status == "failed"
        again = _sweep(cap=cap, pool=pool)  # a new Start: on a live worker
        again.start()
        assert wait_until(lambda: again.status == "done") and again.result.done.all() and cap.in_use == 0
    finally:
        pool.close()

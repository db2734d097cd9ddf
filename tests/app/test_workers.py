"""Pages train through worker processes when FFNVIZ_WORKERS says so (ffnviz/train/pool.py): the
page holds a RemoteRunner, its buttons reach the run in the worker, its charts and numbers come
back from there. The optimizer page's learning-rate sweep too."""

from __future__ import annotations

import os
import signal
import time

from ffnviz.train.remote_runner import RemoteRunner
from tests.app.conftest import charts_of
from tests.app.test_optimizers import small_sweep
from tests.app.test_pages import no_errors


def _remote(at) -> list[RemoteRunner]:
    return [at.session_state[k] for k in at.session_state if isinstance(at.session_state[k], RemoteRunner)]


def test_the_playground_trains_in_a_worker(app, monkeypatch):
    monkeypatch.setenv("FFNVIZ_WORKERS", "1")
    at = app("pages/playground.py")
    at.button(key="pg.step").click().run()
    at.button(key="pg.step").click().run()
    no_errors(at)
    (runner,) = _remote(at)
    assert runner.snapshot.updates == 50  # two clicks on "Step: 1 epoch = 25 updates"
    assert [m.value for m in at.metric][:2] == ["2", "50"]
    assert len(charts_of(at)["pg.loss"]["data"]) == 2
    assert runner.cap_group  # its session's share of the server's cap counts it (FFNVIZ_MAX_SESSION_MODELS)


def test_the_self_attention_page_trains_in_a_worker(app, monkeypatch):
    monkeypatch.setenv("FFNVIZ_WORKERS", "1")
    at = app("pages/attention.py")
    step = next(b for b in at.button if b.key and b.key.endswith(".step"))
    step.click().run()
    no_errors(at)
    (race,) = _remote(at)
    assert race.snapshot.updates > 0
    assert len(race.race.dataset.x_test) > 0


def test_the_optimizer_pages_sweep_trains_in_a_worker(app, monkeypatch):
    monkeypatch.setenv("FFNVIZ_WORKERS", "1")
    at = app("pages/optimizers.py")
    sweep = small_sweep(at, wait_s=120)
    no_errors(at)
    assert sweep.in_worker and sweep.status == "done" and sweep.progress == 1.0
    chart = charts_of(at)["op.sweep.chart"]
    assert len([t for t in chart["data"] if t.get("mode") == "lines+markers"]) == 3  # sgd, momentum, adam
    # A long one, cancelled from the page.
    at.number_input(key="op.sweep.updates").set_value(5000).run()
    at.button(key="op.sweep.start").click().run()
    at.button(key="op.sweep.cancel").click().run()
    cancelled = at.session_state["ffnviz.sweep::op"]
    assert cancelled is not sweep and cancelled.in_worker
    assert cancelled.status == "cancelled" and cancelled.progress < 1.0
    no_errors(at)


def test_a_sweep_whose_worker_dies_says_so_on_the_page_and_a_new_one_runs(app, monkeypatch):
    monkeypatch.setenv("FFNVIZ_WORKERS", "1")
    at = app("pages/optimizers.py")
    at.number_input(key="op.sweep.updates").set_value(5000).run()
    at.button(key="op.sweep.start").click().run()
    sweep = at.session_state["ffnviz.sweep::op"]
    deadline = time.monotonic() + 60
    while sweep.progress == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    (worker,) = sweep._pool.processes()  # noqa: SLF001 - the process to kill
    os.kill(worker.pid, signal.SIGKILL)
    worker.join(10)
    at.run()
    assert sweep.status == "failed"
    assert any("The process that trained the sweep stopped" in e.value for e in at.error)
    assert not at.button(key="op.sweep.start").disabled and at.button(key="op.sweep.cancel").disabled
    again = small_sweep(at, wait_s=120)  # Start again: on a new worker
    no_errors(at)
    assert again is not sweep and again.status == "done" and again.result.done.all()

"""Every page renders from app.py without an exception; the playground trains."""

from __future__ import annotations

import time

import pytest

from ffnviz import page_links
from ffnviz.ui.shell import PAGES as PAGE_TABLE
from tests.app.conftest import charts_of, runners_of

PAGES = [file for file, *_ in PAGE_TABLE]  # the app's own table: a new page is tested the day it is added


def no_errors(at) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_without_errors(app, page):
    at = app(page)
    no_errors(at)
    assert at.title, "every page has a title"


def test_every_page_with_settings_has_a_link_form():
    """What a page keeps in its URL is read by ffnviz.page_links, against the defaults of the link's version."""
    without = {"home", *page_links.WITHOUT_SETTINGS}
    assert {path for _, path, *_ in PAGE_TABLE if path not in without} == set(page_links.PAGES)


def test_home_shows_device_and_torch_version(app):
    at = app()
    labels = {m.label: m.value for m in at.metric}
    assert labels["Device for training"] in ("cpu", "cuda")
    assert labels["torch"].startswith("2.13.0")


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_playground_has_its_controls(app):
    at = app("pages/playground.py")
    for key in ("pg.dataset", "pg.noise", "pg.train", "pg.points", "pg.layers", "pg.units.0", "pg.units.1",
                "pg.activation", "pg.init", "pg.dropout", "pg.optimizer", "pg.lr", "pg.reg", "pg.batch",
                "pg.seed", "pg.device"):
        assert at.session_state[key] is not None, key
    assert {b.key for b in at.button} >= {"pg.start", "pg.step", "pg.reset", "pg.new"}


def test_step_advances_the_epoch_and_changes_the_loss(app):
    at = app("pages/playground.py")
    before = metric(at, "Train loss")
    assert metric(at, "Epoch") == "0"
    at.button(key="pg.step").click().run()
    no_errors(at)
    assert metric(at, "Epoch") == "1"
    assert metric(at, "Updates") == "25"
    assert metric(at, "Train loss") != before
    assert set(charts_of(at)) == {"pg.decision", "pg.loss", "pg.accuracy"}


def test_start_trains_in_the_background_and_pause_stops_it(app):
    at = app("pages/playground.py")
    at.button(key="pg.start").click().run()
    runner = runners_of(at)[0]
    deadline = time.monotonic() + 20
    while runner.snapshot.updates < 200 and time.monotonic() < deadline:
        time.sleep(0.1)
    at.run()  # the fragment's timer never fires under AppTest: rerun to redraw
    assert int(metric(at, "Updates").replace(",", "")) >= 200
    at.button(key="pg.pause").click().run()
    no_errors(at)
    assert runner.status == "paused"
    assert at.button(key="pg.start")


def test_a_learning_rate_change_keeps_the_run_but_a_new_architecture_restarts_it(app):
    at = app("pages/playground.py")
    at.button(key="pg.step").click().run()
    at.select_slider(key="pg.lr").set_value(0.1).run()
    no_errors(at)
    assert metric(at, "Updates") == "25"
    at.number_input(key="pg.units.0").set_value(6).run()
    no_errors(at)
    assert metric(at, "Updates") == "0"
    assert any("started over" in i.value for i in at.info)


def test_new_weights_moves_to_the_next_seed(app):
    at = app("pages/playground.py")
    at.button(key="pg.new").click().run()
    no_errors(at)
    assert at.number_input(key="pg.seed").value == 1
    assert at.query_params["train.seed"] in ("1", ["1"])


def test_settings_reach_the_url_and_come_back_from_it(app):
    at = app("pages/playground.py")
    at.selectbox(key="pg.dataset").set_value("spiral").run()
    at.select_slider(key="pg.lr").set_value(0.01).run()
    query = {k: v[0] if isinstance(v, list) else v for k, v in at.query_params.items()}
    assert query["data.dataset"] == "spiral" and query["optim.lr"] == "0.01"
    again = app("pages/playground.py", query=query)
    assert again.selectbox(key="pg.dataset").value == "spiral"
    assert again.select_slider(key="pg.lr").value == 0.01


@pytest.mark.parametrize("key,value", [("optim.lr", "banana"), ("model.hidden", "4,999"), ("data.noise", "-3"),
                                       ("optim.name", "sgdx"), ("train.batch_size", "1e9")])
def test_garbage_in_the_url_gets_a_message_not_a_crash(app, key, value):
    at = app("pages/playground.py", query={key: value})
    no_errors(at)
    assert any(key.split(".")[0] in w.value for w in at.warning), [w.value for w in at.warning]
    assert metric(at, "Epoch") == "0"


def test_cuda_without_a_gpu_is_a_message(app):
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    at = app("pages/playground.py")
    at.selectbox(key="pg.device").set_value("cuda").run()
    assert not at.exception
    assert any("CUDA" in e.value for e in at.error)


# What a person sees when the runner stops or waits by itself (the runner's side is unit-tested).

def test_a_diverging_run_says_at_which_update_and_what_to_change(app):
    # A linear network with SGD at the largest learning rate overflows within a few updates.
    at = app("pages/playground.py", query={"model.activation": "linear", "model.hidden": "8,8,8",
                                            "model.init": "xavier", "optim.lr": "10"})
    at.button(key="pg.step").click().run()
    assert not at.exception
    assert runners_of(at)[0].snapshot.status == "diverged"
    message = " ".join(e.value for e in at.error)
    assert "diverged at update 5" in message and "Lower the learning rate" in message


def test_a_run_nobody_watches_pauses_itself_and_says_why(app):
    at = app("pages/playground.py")
    runner = runners_of(at)[0]
    runner._idle_pause_s = 0.3  # instead of two minutes: a tab nobody looks at stops polling
    at.button(key="pg.start").click().run()
    deadline = time.monotonic() + 10
    while runner.snapshot.status == "running" and time.monotonic() < deadline:
        time.sleep(0.1)  # no at.run(): no polls
    at.run()
    assert not at.exception
    assert runner.snapshot.status == "paused"
    assert any("no one watched this page" in i.value for i in at.info)


def test_a_full_server_queues_the_run_and_says_so(app, monkeypatch):
    from ffnviz.train.capacity import SERVER_CAP

    monkeypatch.setattr(SERVER_CAP, "max_models", 0)  # as if the class had taken every slot
    at = app("pages/playground.py")
    at.button(key="pg.start").click().run()
    assert not at.exception
    assert runners_of(at)[0].snapshot.status == "queued"
    assert any("trains its maximum of 0 models" in i.value for i in at.info)

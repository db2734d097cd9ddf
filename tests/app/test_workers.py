"""Pages train through worker processes when FFNVIZ_WORKERS says so (ffnviz/train/pool.py): the
page holds a RemoteRunner, its buttons reach the run in the worker, its charts and numbers come
back from there."""

from __future__ import annotations

from ffnviz.train.pool import RemoteRunner
from tests.app.conftest import charts_of
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


def test_the_self_attention_page_trains_in_a_worker(app, monkeypatch):
    monkeypatch.setenv("FFNVIZ_WORKERS", "1")
    at = app("pages/attention.py")
    step = next(b for b in at.button if b.key and b.key.endswith(".step"))
    step.click().run()
    no_errors(at)
    (race,) = _remote(at)
    assert race.snapshot.updates > 0
    assert len(race.race.dataset.x_test) > 0

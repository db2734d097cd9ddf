"""The deep-networks page: it trains, draws every layer, refuses what cannot run with a reason,
keeps its spec in the URL, and its lessons load with one click."""

from __future__ import annotations

from ffnviz.lessons import DEEP_LESSONS
from ffnviz.specs.deep import deep_from_flat
from tests.app.conftest import charts_of
from tests.app.test_pages import no_errors

PAGE = "pages/deep.py"
RUNNER = "ffnviz.runner::deep::main"


def test_a_step_trains_and_every_layer_is_drawn(app):
    at = app(PAGE)
    no_errors(at)
    at.button(key="dp.step").click().run()
    no_errors(at)
    snap = at.session_state[RUNNER].snapshot
    assert snap.updates == snap.updates_per_epoch
    charts = charts_of(at)
    for name in ("loss", "lr", "act", "grad", "units", "hist", "ratio"):
        assert f"dp.chart.{name}" in charts, name
    depth = snap.spec.model.depth
    std_now = charts["dp.chart.act"]["data"][1]
    assert len(std_now["x"]["bdata"] if isinstance(std_now["x"], dict) else std_now["x"]) > 0
    assert len(snap.extras.init) == depth + 1 and len(snap.extras.ratios) == depth + 1
    assert any(c.value.startswith("Size of all weights together") for c in at.caption)


def test_over_the_cap_is_refused_naming_the_cap_and_the_run_keeps_the_last_setting(app):
    at = app(PAGE)
    at.slider(key="dp.depth").set_value(30).run()
    at.select_slider(key="dp.width").set_value(256).run()
    at.select_slider(key="dp.batch").set_value(512).run()
    assert not at.exception
    assert any("20,000,000" in e.value and "parameters" in e.value for e in at.error)
    assert at.session_state[RUNNER].snapshot.spec.model.width != 256 or \
        at.session_state[RUNNER].snapshot.spec.train.batch_size != 512


def test_batchnorm_with_a_batch_of_one_is_explained(app):
    at = app(PAGE)
    at.selectbox(key="dp.norm").set_value("batch").run()
    at.select_slider(key="dp.batch").set_value(1).run()
    assert not at.exception
    assert any("BatchNorm" in e.value and "LayerNorm" in e.value for e in at.error)
    assert at.session_state[RUNNER].snapshot.spec.train.batch_size != 1


def test_a_warm_up_longer_than_the_run_is_a_message(app):
    at = app(PAGE)
    at.selectbox(key="dp.schedule").set_value("warmup_cosine").run()
    at.number_input(key="dp.warmup").set_value(5000).run()
    assert not at.exception
    assert any("5000" in e.value and "3000" in e.value for e in at.error)


def test_one_cycle_without_momentum_says_so_and_trains(app):
    at = app(PAGE)
    at.selectbox(key="dp.optimizer").set_value("sgd").run()
    at.selectbox(key="dp.schedule").set_value("onecycle").run()
    no_errors(at)
    assert any("momentum" in i.value for i in at.info)
    at.button(key="dp.step").click().run()
    no_errors(at)
    assert at.session_state[RUNNER].snapshot.updates > 0


def test_the_spec_lives_in_the_url(app):
    at = app(PAGE)
    at.selectbox(key="dp.norm").set_value("layer").run()
    at.toggle(key="dp.residual").set_value(True).run()
    flat = {k: at.query_params[k][0] if isinstance(at.query_params[k], list) else at.query_params[k]
            for k in at.query_params}
    spec, errors = deep_from_flat(flat)
    assert errors == [] and spec.model.norm == "layer" and spec.model.residual


def test_a_link_opens_the_page_with_its_setting(app):
    at = app(PAGE, query={"model.depth": "20", "model.norm": "rms", "v": "2"}, deep_link=True)
    no_errors(at)
    assert at.session_state[RUNNER].snapshot.spec.model.norm == "rms"
    assert at.slider(key="dp.depth").value == 20


def test_every_lesson_loads_with_one_click(app):
    at = app(PAGE)
    for lesson in DEEP_LESSONS:
        at.button(key=f"dp.lesson.{lesson.key}").click().run()
        no_errors(at)
        assert at.session_state[RUNNER].snapshot.spec == lesson.spec, lesson.key


def test_the_page_in_chinese(app):
    at = app(PAGE, lang="zh")
    no_errors(at)
    assert at.title[0].value == "深层网络"


def test_a_diverging_run_says_so_in_words(app):
    at = app(PAGE)
    at.selectbox(key="dp.optimizer").set_value("sgd").run()
    at.select_slider(key="dp.lr").set_value(10.0).run()
    at.button(key="dp.step").click().run()
    assert not at.exception
    snap = at.session_state[RUNNER].snapshot
    assert snap.status == "diverged"
    assert any("diverged" in e.value for e in at.error)
    assert any("nothing to measure" in c.value for c in at.caption)

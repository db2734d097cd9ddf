"""The optimizer page: paths on 2-D surfaces, the race (steps, several seeds, a diverging
contestant), the learning-rate sweep."""

from __future__ import annotations

import time

from tests.app.conftest import charts_of
from tests.app.test_pages import no_errors

PAGE = "pages/optimizers.py"


def race_of(at):
    return at.session_state["ffnviz.race::op.race"]


def test_both_parts_render_with_their_charts(app):
    at = app(PAGE)
    no_errors(at)
    charts = charts_of(at)
    for key in ("op.paths.contour", "op.paths.loss", "op.paths.arrows", "op.race.loss", "op.race.accuracy"):
        assert key in charts, key
    contour = charts["op.paths.contour"]
    assert contour.get("frames"), "the paths are animated by plotly frames"
    assert len([t for t in contour["data"] if t.get("type") == "scatter"]) >= 3  # one path per optimizer


def test_every_surface_draws_and_the_ravine_shows_the_phase_diagram(app):
    at = app(PAGE)
    for key in ("rosenbrock", "beale", "himmelblau", "rastrigin", "saddle", "booth", "ravine"):
        at.selectbox(key="op.paths.surface").set_value(key).run()
        no_errors(at)
        assert "op.paths.contour" in charts_of(at), key
        assert ("op.paths.phase" in charts_of(at)) == (key == "ravine"), key


def test_a_step_of_the_race_moves_every_contestant(app):
    at = app(PAGE)
    at.button(key="op.race.step").click().run()
    no_errors(at)
    snap = race_of(at).snapshot
    assert snap.updates == snap.updates_per_epoch
    loss = charts_of(at)["op.race.loss"]
    assert len(loss["data"]) >= 2 * len(snap.spec.contestants)  # train and test per contestant


def test_the_race_trains_in_the_background(app):
    at = app(PAGE)
    at.button(key="op.race.start").click().run()
    time.sleep(1.0)
    at.run()
    race = race_of(at)
    assert race.snapshot.updates > 0
    at.button(key="op.race.pause").click().run()
    no_errors(at)


def test_a_bad_hyperparameter_in_the_table_is_a_message(app):
    at = app(PAGE)
    editor_key = "op.race.table"
    at.session_state[editor_key] = {"edited_rows": {0: {"hyper": "banana"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception
    assert any("banana" in e.value for e in at.error)

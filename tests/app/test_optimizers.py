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


def test_a_diverging_contestant_drops_out_and_the_others_go_on(app):
    at = app(PAGE)
    # A linear network with lr 10 blows up within a few updates (tanh would saturate instead).
    at.session_state["op.race.table"] = {"edited_rows": {0: {"lr": 10.0, "activation": "linear"}}, "added_rows": [],
                                         "deleted_rows": []}
    at.run()
    for _ in range(3):
        at.button(key="op.race.step").click().run()
    no_errors(at)
    snap = race_of(at).snapshot
    assert snap.diverged_at[0] is not None and snap.diverged_at[1] is None and snap.diverged_at[2] is None
    standings = next(d.value for d in at.dataframe if "state" in d.value.columns)
    # Ranked: the contestant that dropped out comes last, whatever its place in the table.
    assert list(standings["rank"]) == [1, 2, 3]
    assert standings["state"].iloc[-1].startswith("diverged at update")
    assert list(standings["state"].iloc[:-1]) == ["in the race"] * 2


def test_several_seeds_draw_a_band(app):
    at = app(PAGE)
    at.slider(key="op.race.seeds").set_value(3).run()
    at.button(key="op.race.step").click().run()
    at.button(key="op.race.step").click().run()
    no_errors(at)
    assert race_of(at).snapshot.spec.seeds == (0, 1, 2)
    loss = charts_of(at)["op.race.loss"]
    assert any(t.get("fill") == "toself" for t in loss["data"]), "a min-max band per contestant"


def small_sweep(at, wait_s: float = 60):
    """A sweep of 3 rates × 20 updates, started and waited for (the page drawn again after it)."""
    at.slider(key="op.sweep.points").set_value(3).run()
    at.number_input(key="op.sweep.updates").set_value(20).run()
    at.button(key="op.sweep.start").click().run()
    sweep = at.session_state["ffnviz.sweep::op"]
    deadline = time.monotonic() + wait_s
    while sweep.status in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.2)
    at.run()
    return sweep


def test_the_sweep_runs_in_the_background_and_fills_its_chart(app):
    at = app(PAGE)
    sweep = small_sweep(at)
    no_errors(at)
    assert sweep.status == "done" and sweep.progress == 1.0
    chart = charts_of(at)["op.sweep.chart"]
    assert len([t for t in chart["data"] if t.get("mode") == "lines+markers"]) == 3  # sgd, momentum, adam


def test_a_sweep_can_be_cancelled(app):
    at = app(PAGE)
    at.number_input(key="op.sweep.updates").set_value(5000).run()
    at.button(key="op.sweep.start").click().run()
    at.button(key="op.sweep.cancel").click().run()
    sweep = at.session_state["ffnviz.sweep::op"]
    assert sweep.status == "cancelled" and sweep.progress < 1.0
    no_errors(at)


def test_a_new_row_with_empty_cells_and_a_contestant_with_dropout_race_too(app):
    at = app(PAGE)
    at.session_state["op.race.table"] = {"edited_rows": {1: {"dropout": 0.2, "activation": "relu"}},
                                         "added_rows": [{"optimizer": "rmsprop", "lr": 0.003}], "deleted_rows": []}
    at.run()
    at.button(key="op.race.step").click().run()
    no_errors(at)
    snap = race_of(at).snapshot
    assert [c.optim.name for c in snap.spec.contestants] == ["sgd", "momentum", "adam", "rmsprop"]
    assert snap.spec.contestants[1].dropout == 0.2 and snap.spec.contestants[1].activation == "relu"
    assert snap.updates == snap.updates_per_epoch


def test_too_few_contestants_is_a_message_and_the_race_stays(app):
    at = app(PAGE)
    at.session_state["op.race.table"] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [0, 1]}
    at.run()
    assert any("2 to 8 contestants" in e.value for e in at.error)
    assert len(race_of(at).snapshot.spec.contestants) == 3


def test_the_race_lives_in_the_link_and_comes_back_from_it(app):
    at = app(PAGE)
    at.session_state["op.race.table"] = {"edited_rows": {0: {"lr": 0.1}}, "added_rows": [], "deleted_rows": []}
    at.run()
    query = {k: at.query_params[k][0] if isinstance(at.query_params[k], list) else at.query_params[k]
             for k in at.query_params}
    assert query.get("c0.optim.lr") == "0.1"
    again = app(PAGE, query=query)
    no_errors(again)
    assert race_of(again).snapshot.spec.contestants[0].optim.lr == 0.1


def test_a_bad_value_in_the_link_is_a_message_not_a_crash(app):
    at = app(PAGE, query={"c0.optim.lr": "banana", "data.dataset": "plane"})
    assert not at.exception
    assert any("banana" in w.value or "plane" in w.value for w in at.warning)
    assert race_of(at).snapshot.spec.contestants[0].optim.lr == 0.03


# -- the 2-D part in the link, beside the race's keys -----------------------------------------------

def query_of(at) -> dict[str, str]:
    return {k: at.query_params[k][0] if isinstance(at.query_params[k], list) else at.query_params[k]
            for k in at.query_params}


SGD_VS_ADAM = {"paths.surface": "beale", "paths.start": "-2.0,2.5", "paths.steps": "300", "paths.optimizers": "2",
               "paths.w1.name": "adam", "paths.w1.lr": "0.05", "paths.w1.hyper.beta1": "0.8"}


def test_the_2d_part_comes_back_from_its_link(app):
    at = app(PAGE, query=SGD_VS_ADAM)
    no_errors(at)
    assert at.selectbox(key="op.paths.surface").value == "beale"
    assert (at.number_input(key="op.paths.beale.x").value, at.number_input(key="op.paths.beale.y").value) == (-2.0, 2.5)
    assert at.slider(key="op.paths.steps").value == 300 and at.number_input(key="op.paths.count").value == 2
    assert at.selectbox(key="op.paths.beale.w0.optimizer").value == "sgd"
    assert at.selectbox(key="op.paths.beale.w1.optimizer").value == "adam"
    assert at.select_slider(key="op.paths.beale.w1.adam.lr").value == 0.05
    assert at.number_input(key="op.paths.beale.w1.adam.beta1").value == 0.8
    paths = [t for t in charts_of(at)["op.paths.contour"]["data"] if t.get("mode") == "lines"]
    assert [t["name"] for t in paths] == ["SGD 0.001", "Adam 0.05"]
    # The page writes back only what differs from its defaults: the link again.
    assert {k: v for k, v in query_of(at).items() if k.startswith("paths.")} == SGD_VS_ADAM


def test_a_bad_2d_value_in_the_link_is_a_message_and_the_page_renders(app):
    at = app(PAGE, query={"paths.surface": "knitting", "paths.steps": "many", "paths.start": "9,9",
                          "paths.w0.lr": "fast", "paths.optimizers": "0"})
    no_errors(at)
    warned = "\n".join(w.value for w in at.warning)
    for key in ("paths.surface", "paths.steps", "paths.start", "paths.w0.lr", "paths.optimizers"):
        assert key in warned, key
    assert "knitting" in warned and "1..6" in warned  # what was given, what is allowed
    assert at.selectbox(key="op.paths.surface").value == "rosenbrock"
    assert "op.paths.contour" in charts_of(at) and "op.race.loss" in charts_of(at)
    assert not any(k.startswith("paths.") for k in query_of(at))  # the defaults: nothing to say


def test_a_link_with_both_parts_restores_both(app):
    at = app(PAGE, query={**SGD_VS_ADAM, "c0.optim.lr": "0.1", "race.seeds": "0,1", "data.dataset": "circle"})
    no_errors(at)
    assert at.selectbox(key="op.paths.beale.w1.optimizer").value == "adam"
    spec = race_of(at).snapshot.spec
    assert spec.contestants[0].optim.lr == 0.1 and spec.seeds == (0, 1) and spec.base.data.dataset == "circle"
    query = query_of(at)
    assert query["c0.optim.lr"] == "0.1" and query["paths.w1.name"] == "adam"


def test_changing_either_part_keeps_the_others_keys_in_the_link(app):
    at = app(PAGE, query={"c0.optim.lr": "0.1"})
    at.selectbox(key="op.paths.surface").set_value("himmelblau").run()
    at.session_state["op.paths.himmelblau.x"] = 1.25  # what a click on the contour does (_start_at)
    at.run()
    no_errors(at)
    query = query_of(at)
    assert query["paths.surface"] == "himmelblau" and query["paths.start"].startswith("1.25,")
    assert query["c0.optim.lr"] == "0.1"
    at.session_state["op.race.table"] = {"edited_rows": {1: {"lr": 0.2}}, "added_rows": [], "deleted_rows": []}
    at.run()
    query = query_of(at)
    assert query["c1.optim.lr"] == "0.2" and query["c0.optim.lr"] == "0.1" and query["paths.surface"] == "himmelblau"
    assert app(PAGE, query=query).selectbox(key="op.paths.surface").value == "himmelblau"


def test_a_race_link_with_a_batch_beyond_the_training_set_trains_on_the_whole_set(app):
    """The batch slider reaches the training set's size: a link's batch of 500 (250 points to train
    on) is the whole set, as the engine would take it, not a slider out of range."""
    at = app(PAGE, query={"train.batch_size": "500", "data.n_points": "500"})
    no_errors(at)
    assert at.slider(key="op.race.batch").value == 250 and at.slider(key="op.race.batch").max == 250
    at.button(key="op.race.step").click().run()
    no_errors(at)
    assert race_of(at).snapshot.updates_per_epoch == 1


def test_new_weights_at_the_last_seed_wraps_to_the_first(app):
    from ffnviz import limits

    at = app(PAGE, query={"race.seeds": str(int(limits.SEED.hi))})
    no_errors(at)
    assert race_of(at).snapshot.spec.seeds == (int(limits.SEED.hi),)
    at.button(key="op.race.new").click().run()
    no_errors(at)
    assert race_of(at).snapshot.spec.seeds == (int(limits.SEED.lo),)


def test_a_surface_lesson_loads_its_walkers_and_says_what_to_watch(app):
    at = app(PAGE)
    at.button(key="op.paths.lesson.surf_ravine100").click().run()
    assert not at.exception and not at.error
    assert at.selectbox(key="op.paths.surface").value == "ravine"
    assert any("creeps" in i.value for i in at.info)
    assert at.query_params.get("paths.condition") in (["100.0"], "100.0", ["100"], "100")


def test_the_race_lesson_loads_three_seeds_and_the_table_follows(app):
    at = app(PAGE)
    at.data_editor(key="op.race.table")  # the table is there before the lesson
    at.button(key="op.race.new").click().run()  # 'New weights' moves the seeds on; the lesson resets them
    at.button(key="op.race.lesson.race_seeds").click().run()
    no_errors(at)
    assert any("crown the wrong winner" in i.value for i in at.info)
    assert at.slider(key="op.race.seeds").value == 3
    assert race_of(at).snapshot.spec.seeds == (0, 1, 2)
    at.button(key="op.race.step").click().run()
    loss = charts_of(at)["op.race.loss"]
    assert any(t.get("fill") == "toself" for t in loss["data"]), "a band per contestant"
    assert at.query_params.get("race.seeds") in (["0,1,2"], "0,1,2")


def test_the_sweeps_best_rates_go_into_the_race_in_one_click(app):
    at = app(PAGE)
    assert not [b for b in at.button if b.key == "op.sweep.to_race"]  # nothing swept yet: no button
    at.multiselect(key="op.sweep.optimizers").set_value(["sgd", "adam"]).run()
    sweep = small_sweep(at, wait_s=120)
    best = sweep.result.best_rates()
    assert [name for name, _ in best] == ["sgd", "adam"]
    at.button(key="op.sweep.to_race").click().run()
    no_errors(at)
    spec = race_of(at).snapshot.spec
    assert [(c.optim.name, c.optim.lr) for c in spec.contestants] == best
    assert any("press Start there" in i.value for i in at.info)
    table = at.data_editor(key="op.race.table").value
    assert list(table["optimizer"]) == ["sgd", "adam"] and list(table["lr"]) == [lr for _, lr in best]
    at.button(key="op.race.step").click().run()
    no_errors(at)
    assert race_of(at).snapshot.updates > 0 and race_of(at).snapshot.spec.contestants == spec.contestants


def test_the_paths_chart_is_built_once_for_every_rerun_and_every_student(app, monkeypatch):
    """Building the paths figure and its animation frames took ~0.1 s of the server's script at every
    rerun of the page (any click on it, Start on the race's tab too), for every student alike."""
    import streamlit as st

    from ffnviz.viz import surface_charts

    st.cache_data.clear()
    built, real = [], surface_charts.contour_race
    monkeypatch.setattr(surface_charts, "contour_race", lambda *a, **k: built.append(1) or real(*a, **k))
    at = app(PAGE)
    at.run()
    other = app(PAGE)  # another student, the same default surface
    no_errors(at)
    no_errors(other)
    assert charts_of(other)["op.paths.contour"]["frames"]  # drawn from the cache, animation and all
    assert len(built) == 1

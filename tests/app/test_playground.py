"""The playground's controls, lessons, pinning, hiding and the share link, as a person uses them."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from ffnviz.specs.links import VERSION
from tests.app.conftest import charts_of, runners_of
from tests.app.test_pages import no_errors

CONTROL_KEYS = ("pg.dataset", "pg.noise", "pg.train", "pg.points", "pg.features", "pg.layers", "pg.units.0",
                "pg.activation", "pg.per_layer", "pg.init", "pg.dropout", "pg.optimizer", "pg.lr", "pg.reg",
                "pg.batch", "pg.seed", "pg.device", "pg.show_test", "pg.discretize")
BUTTON_KEYS = {"pg.start", "pg.step", "pg.reset", "pg.new", "pg.regenerate", "pg.pin", "pg.unpin",
               "pg.lesson.features", "pg.lesson.capacity", "pg.lesson.lr_high", "pg.lesson.overfitting"}


def query_of(at) -> dict[str, str]:
    return {k: v[0] if isinstance(v, list) else v for k, v in at.query_params.items()}


def test_every_control_is_there(app):
    at = app("pages/playground.py")
    for key in CONTROL_KEYS:
        assert key in at.session_state, key
    assert {b.key for b in at.button} >= BUTTON_KEYS


def test_features_reach_the_network(app):
    at = app("pages/playground.py")
    at.get("button_group")[0]  # the feature pills exist
    at.session_state["pg.features"] = ["x1", "x2", "sin_x1"]
    at.run()
    no_errors(at)
    assert query_of(at)["data.features"] == "x1,x2,sin_x1"
    assert runners_of(at)[0].snapshot.spec.data.features == ("x1", "x2", "sin_x1")


def test_no_feature_at_all_keeps_the_previous_ones_and_says_so(app):
    at = app("pages/playground.py")
    at.session_state["pg.features"] = []
    at.run()
    assert not at.exception
    assert any("at least one input feature" in w.value for w in at.warning)
    assert runners_of(at)[0].snapshot.spec.data.features == ("x1", "x2")


def test_an_activation_per_layer(app):
    at = app("pages/playground.py")
    at.toggle(key="pg.per_layer").set_value(True).run()
    at.selectbox(key="pg.act.1").set_value("relu").run()
    no_errors(at)
    assert runners_of(at)[0].snapshot.spec.model.layer_activations == ("tanh", "relu")


def test_regenerate_draws_new_data_with_the_same_initial_weights(app):
    at = app("pages/playground.py")
    first = runners_of(at)[0].snapshot
    at.button(key="pg.regenerate").click().run()
    no_errors(at)
    second = runners_of(at)[0].snapshot
    assert second.spec.data.seed == first.spec.data.seed + 1
    assert query_of(at)["data.seed"] == "1"
    assert second.spec.train.seed == first.spec.train.seed


def test_a_lesson_loads_its_setting_and_says_what_to_watch(app):
    at = app("pages/playground.py")
    at.button(key="pg.lesson.features").click().run()
    no_errors(at)
    assert at.selectbox(key="pg.dataset").value == "spiral"
    assert "sin_x1" in at.session_state["pg.features"]
    assert any("spiral" in i.value for i in at.info)
    at.button(key="pg.lesson.lr_high").click().run()
    assert at.select_slider(key="pg.lr").value == 10.0


def test_a_pinned_run_stays_on_the_charts_as_a_ghost(app):
    at = app("pages/playground.py")
    for _ in range(3):
        at.button(key="pg.step").click().run()
    at.button(key="pg.pin").click().run()
    at.select_slider(key="pg.lr").set_value(0.1).run()
    at.button(key="pg.reset").click().run()
    no_errors(at)
    loss = charts_of(at)["pg.loss"]
    assert len(loss["data"]) == 4 and "SGD 0.3 " in loss["data"][0]["name"]  # the pinned run's rate
    at.button(key="pg.unpin").click().run()
    assert len(charts_of(at)["pg.loss"]["data"]) == 2


def test_pin_then_change_restarts_the_run_from_the_same_weights_by_itself(app):
    """Pin → change a setting → the run is back at update 0 and training, with no Reset or Start
    pressed; it starts where the pinned run started (same initial weights: the same first loss)."""
    at = app("pages/playground.py")
    for _ in range(3):
        at.button(key="pg.step").click().run()
    (runner,) = runners_of(at)
    at.button(key="pg.pin").click().run()
    ghost = at.session_state["ffnviz.pin::playground"]
    at.select_slider(key="pg.lr").set_value(0.03).run()
    no_errors(at)
    assert any("started over from the same initial weights" in i.value for i in at.info)
    assert runner.snapshot.status in ("running", "queued")
    assert at.button(key="pg.pause")  # the page shows it training
    at.button(key="pg.pause").click().run()
    history = runner.snapshot.history
    assert history["epoch"][0] == ghost.epochs[0] == 0
    assert history["train_loss"][0] == ghost.series["train_loss"][0]
    assert runner.snapshot.spec.optim.lr == 0.03
    loss = charts_of(at)["pg.loss"]
    assert len(loss["data"]) == 4 and "SGD 0.3 " in loss["data"][0]["name"]
    # an unchanged page does not start it over again; unpinning ends the comparing
    updates = runner.snapshot.updates
    at.run()
    assert runner.snapshot.updates == updates and runner.snapshot.status == "paused"
    at.button(key="pg.unpin").click().run()
    at.select_slider(key="pg.lr").set_value(0.1).run()
    assert runner.snapshot.status == "paused" and runner.snapshot.updates == updates


def test_view_switches_come_from_the_url(app):
    at = app("pages/playground.py", query={"view.show_test": "1", "view.discretize": "1"})
    assert at.toggle(key="pg.show_test").value and at.toggle(key="pg.discretize").value
    names = [t.get("name", "") for t in charts_of(at)["pg.decision"]["data"]]
    assert any(n.startswith("test") for n in names)
    at.toggle(key="pg.show_test").set_value(False).run()
    assert "view.show_test" not in query_of(at)


def test_a_teacher_hides_controls_from_the_link_and_their_values_stay(app):
    at = app("pages/playground.py", query={"noise_hide": "1", "data.noise": "0.2", "lessons_hide": "true",
                                            "optimizer_hide": "1", "optim.name": "adam"})
    no_errors(at)
    assert "pg.noise" not in at.session_state and "pg.optimizer" not in at.session_state
    assert not any(b.key.startswith("pg.lesson") for b in at.button)
    spec = runners_of(at)[0].snapshot.spec
    assert spec.data.noise == 0.2 and spec.optim.name == "adam"
    at.select_slider(key="pg.lr").set_value(0.01).run()
    query = query_of(at)
    assert query["noise_hide"] == "1" and query["data.noise"] == "0.2" and query["optim.lr"] == "0.01"


def losses_after_steps(at, n: int) -> list[float]:
    for _ in range(n):
        at.button(key="pg.step").click().run()
    return list(runners_of(at)[0].snapshot.history["train_loss"])


def test_the_share_link_restores_the_widgets_and_the_first_20_losses_exactly(app):
    at = app("pages/playground.py")
    at.selectbox(key="pg.dataset").set_value("spiral").run()
    at.select_slider(key="pg.lr").set_value(0.1).run()
    at.number_input(key="pg.seed").set_value(3).run()
    at.button(key="pg.regenerate").click().run()
    at.session_state["pg.features"] = ["x1", "x2", "sin_x1", "sin_x2"]
    at.run()
    losses = losses_after_steps(at, 20)
    link = at.code[0].value
    query = dict(parse_qsl(urlsplit(link).query))
    assert query["train.seed"] == "3" and query["data.seed"] == "1" and query["train.device"] == "cpu"
    assert query["v"] == str(VERSION)

    again = app("pages/playground.py", query=query)
    no_errors(again)
    for key in ("pg.dataset", "pg.lr", "pg.seed", "pg.features", "pg.units.0", "pg.batch"):
        assert again.session_state[key] == at.session_state[key], key
    assert losses_after_steps(again, 20) == losses
    assert len(losses) == 21  # update 0 and 20 epochs


def test_a_link_made_on_a_gpu_trains_on_the_cpu_here_and_says_so(app):
    import torch

    if torch.cuda.is_available():
        import pytest

        pytest.skip("this machine has a GPU")
    at = app("pages/playground.py", query={"train.device": "cuda"})
    no_errors(at)
    assert any("GPU" in i.value for i in at.info)
    assert runners_of(at)[0].snapshot.device == "cpu"


def test_inside_the_network_shows_its_pictures_and_the_weight_editor(app):
    at = app("pages/playground.py")
    at.toggle(key="pg.inside").set_value(True).run()
    for _ in range(3):
        at.button(key="pg.step").click().run()
    no_errors(at)
    charts = charts_of(at)
    for key in ("pg.inside.network", "pg.inside.maps", "pg.inside.time.hist", "pg.inside.time.grad",
                "pg.inside.time.dead", "pg.inside.time.wnorm", "pg.inside.norms"):
        assert key in charts, key
    assert query_of(at)["view.inside"] == "1"
    probes = next(d.value for d in at.dataframe if len(d.value) == 3)  # 2 hidden layers and the output
    assert len(probes) == 3
    at.selectbox(key="pg.inside.maps.pick").set_value((1, 0)).run()
    assert "pg.inside.maps.big" in charts_of(at)
    assert at.selectbox(key="pg.inside.edit.layer") is not None  # paused: the editor is there
    at.button(key="pg.start").click().run()
    assert any("Pause the run" in c.value for c in at.caption)
    at.button(key="pg.pause").click().run()


def test_the_page_url_says_its_link_version_once_it_names_a_value(app):
    at = app("pages/playground.py")
    assert "v" not in query_of(at)  # the bare page: nothing to read against old defaults
    at.select_slider(key="pg.lr").set_value(0.1).run()
    assert query_of(at) == {"optim.lr": "0.1", "v": str(VERSION)}


def test_a_link_of_an_unknown_version_is_read_against_todays_defaults_and_says_so(app):
    at = app("pages/playground.py", query={"v": "99", "optim.lr": "0.1"})
    assert not at.exception
    assert any("99" in w.value and "version" in w.value for w in at.warning)
    assert runners_of(at)[0].snapshot.spec.optim.lr == 0.1
    assert query_of(at)["v"] == str(VERSION)


def test_a_rerun_of_an_unchanged_page_checks_its_spec_once(app, monkeypatch):
    from ffnviz.specs import RunSpec

    at = app("pages/playground.py")
    checks = []
    original = RunSpec.validate
    monkeypatch.setattr(RunSpec, "validate", lambda self: checks.append(self) or original(self))
    at.run()
    no_errors(at)
    assert len(checks) == 1  # the page's own check of what its widgets made


def test_new_weights_at_the_last_seed_wraps_to_the_first(app):
    from ffnviz import limits

    at = app("pages/playground.py", query={"train.seed": str(int(limits.SEED.hi))})
    at.button(key="pg.new").click().run()
    no_errors(at)
    assert at.number_input(key="pg.seed").value == int(limits.SEED.lo)
    assert runners_of(at)[0].snapshot.spec.train.seed == int(limits.SEED.lo)


def test_a_schedule_trains_over_its_budget_and_its_rate_is_drawn_beside_the_loss(app):
    """Constant by default (no rate chart, the link says nothing); a warm-up then cosine over a
    budget: in the run's spec and the link, and the rate each update used beside the loss."""
    at = app("pages/playground.py")
    assert at.selectbox(key="pg.schedule").value == "constant"
    assert "pg.chart.lr" not in charts_of(at) and "pg.budget" not in at.session_state
    at.selectbox(key="pg.schedule").set_value("warmup_cosine").run()
    at.select_slider(key="pg.budget").set_value(500).run()
    at.number_input(key="pg.warmup").set_value(50).run()
    no_errors(at)
    at.button(key="pg.step").click().run()
    no_errors(at)
    snap = runners_of(at)[0].snapshot
    assert (snap.spec.schedule.kind, snap.spec.schedule.warmup, snap.spec.train.max_updates) == ("warmup_cosine", 50, 500)
    updates, lrs = snap.lr_trace
    assert len(updates) == snap.updates and lrs[0] == snap.spec.optim.lr * 0.01 and lrs[-1] > lrs[0]
    lr_chart = charts_of(at)["pg.chart.lr"]
    assert len(lr_chart["data"]) == 2  # the whole schedule, dotted, and the rates used
    query = query_of(at)
    assert (query["schedule.kind"], query["schedule.warmup"], query["train.max_updates"]) == ("warmup_cosine", "50", "500")


def test_a_warm_up_longer_than_the_budget_is_refused_and_the_run_keeps_its_schedule(app):
    at = app("pages/playground.py")
    at.selectbox(key="pg.schedule").set_value("warmup_cosine").run()
    at.select_slider(key="pg.budget").set_value(200).run()
    at.number_input(key="pg.warmup").set_value(300).run()
    assert not at.exception
    assert any("300" in e.value and "200" in e.value for e in at.error)
    spec = runners_of(at)[0].snapshot.spec
    assert spec.schedule.warmup < spec.train.max_updates


def test_a_link_with_a_schedule_restores_its_widgets(app):
    at = app("pages/playground.py", query={"schedule.kind": "step", "schedule.step_size": "100", "schedule.gamma": "0.3",
                                            "train.max_updates": "1000", "v": str(VERSION)})
    no_errors(at)
    assert at.selectbox(key="pg.schedule").value == "step" and at.select_slider(key="pg.budget").value == 1000
    assert at.number_input(key="pg.step_size").value == 100 and at.number_input(key="pg.gamma").value == 0.3
    spec = runners_of(at)[0].snapshot.spec
    assert (spec.schedule.kind, spec.schedule.step_size, spec.train.max_updates) == ("step", 100, 1000)

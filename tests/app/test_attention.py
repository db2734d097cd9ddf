"""The self-attention page: Step trains the Transformer, every attention picture comes from the
snapshot, the example can be edited (and a bad one is a message), the lessons load, a link
restores the settings."""

from __future__ import annotations

import numpy as np

from tests.app.conftest import charts_of
from tests.app.test_pages import no_errors

PAGE = "pages/attention.py"
RUNNER = "ffnviz.race::at"
CHARTS = ("at.loss", "at.accuracy", "at.grid", "at.one", "at.steps", "at.entropy", "at.positions")


def test_step_trains_and_every_picture_is_drawn(app):
    at = app(PAGE)
    no_errors(at)
    before = at.session_state[RUNNER].snapshot.extras[0].maps.copy()
    at.button(key="at.step").click().run()
    no_errors(at)
    snap = at.session_state[RUNNER].snapshot
    assert snap.updates == snap.updates_per_epoch > 0
    charts = charts_of(at)
    for key in CHARTS:
        assert key in charts, key
    maps = snap.extras[0].maps
    assert maps.shape == (2, 2, 8, 8) and not np.allclose(maps, before)
    # the grid draws the snapshot's maps: one heatmap a layer and head
    grid = charts["at.grid"]
    assert len(grid["data"]) == 4 and grid["layout"]["shapes"]  # the enlarged one is framed
    # the ideal pattern of "reverse" is drawn beside the learned map
    assert len(charts["at.one"]["data"]) == 2
    assert len(charts["at.steps"]["data"]) == 7


def test_the_example_can_be_edited_and_a_bad_one_is_a_message(app):
    at = app(PAGE)
    at.text_input(key="at.example").set_value("A B C D E F G H").run()
    no_errors(at)
    shown = at.session_state[RUNNER].snapshot.extras[0]
    assert shown.example.tolist() == list(range(8))
    assert shown.target.tolist() == list(range(8))[::-1]
    at.text_input(key="at.example").set_value("A B ?").run()
    assert not at.exception
    assert any("8 letters from A to J" in e.value for e in at.error)
    assert at.text_input(key="at.example").value == "A B C D E F G H"  # the previous example is kept
    assert at.session_state[RUNNER].snapshot.extras[0].example.tolist() == list(range(8))


def test_a_new_length_resets_the_example_to_one_that_fits(app):
    at = app(PAGE)
    at.slider(key="at.length").set_value(6).run()
    no_errors(at)
    assert len(at.text_input(key="at.example").value.split()) == 6
    assert at.session_state[RUNNER].snapshot.extras[0].maps.shape[-1] == 6


def test_heads_choose_a_width_that_splits_evenly(app):
    at = app(PAGE)
    at.slider(key="at.heads").set_value(3).run()
    no_errors(at)
    model = at.session_state[RUNNER].snapshot.spec.contestants[0].model
    assert model.heads == 3 and model.d % 3 == 0
    at.selectbox(key="at.head").set_value(3).run()
    at.button(key="at.step").click().run()
    no_errors(at)
    assert "head 3" in charts_of(at)["at.steps"]["layout"]["title"]["text"]


def test_lessons_load_their_settings(app):
    at = app(PAGE)
    at.button(key="at.lesson.attn_no_positions").click().run()
    no_errors(at)
    assert at.selectbox(key="at.positional").value == "none"
    assert at.session_state[RUNNER].snapshot.spec.contestants[0].model.positional == "none"
    at.button(key="at.lesson.attn_causal").click().run()
    no_errors(at)
    model = at.session_state[RUNNER].snapshot.spec.contestants[0].model
    assert model.causal and model.positional == "learned"
    maps = at.session_state[RUNNER].snapshot.extras[0].maps
    assert np.all(np.triu(maps, 1) == 0.0)  # nothing above the diagonal: no query sees the future
    assert any("Causal mask" in i.value for i in at.info)


def test_a_link_restores_the_settings_and_a_bad_value_is_a_warning(app):
    at = app(PAGE, query={"data.task": "sort", "c0.model.heads": "4", "c0.model.d": "16", "c0.model.layers": "lots",
                          "race.seeds": "7"})
    no_errors(at)
    spec = at.session_state[RUNNER].snapshot.spec
    assert spec.base.data.task == "sort" and spec.contestants[0].model.heads == 4
    assert spec.seeds == (7,)  # the link's training seed, not the session's
    assert any("c0.model.layers" in w.value for w in at.warning)


def test_the_torch_implementation_trains_as_well(app):
    at = app(PAGE)
    at.selectbox(key="at.impl").set_value("torch").run()
    at.button(key="at.step").click().run()
    no_errors(at)
    assert at.session_state[RUNNER].snapshot.spec.contestants[0].model.attention == "torch"
    assert "at.steps" in charts_of(at)


def test_the_caveat_is_on_the_page(app):
    at = app(PAGE)
    assert any("not explanations" in i.value for i in at.info)


def test_the_warm_up_lesson_loads_its_schedule_and_says_when_it_holds(app):
    at = app(PAGE)
    assert at.selectbox(key="at.schedule").value == "constant"
    at.button(key="at.lesson.attn_warmup").click().run()
    no_errors(at)
    spec = at.session_state[RUNNER].snapshot.spec
    assert (spec.base.schedule.kind, spec.base.schedule.warmup, spec.base.train.max_updates) == ("warmup_cosine", 300, 600)
    assert spec.contestants[0].optim.lr == 0.1
    assert at.selectbox(key="at.schedule").value == "warmup_cosine" and at.number_input(key="at.warmup").value == 300
    assert at.select_slider(key="at.budget").value == 600
    assert "at.chart.lr" in charts_of(at)  # the schedule over the budget
    assert any("Warm-up" in i.value and "0.003" in i.value for i in at.info)
    query = {k: v[0] if isinstance(v, list) else v for k, v in at.query_params.items()}
    assert query["schedule.kind"] == "warmup_cosine" and query["train.max_updates"] == "600"
    # The lesson's second half: a constant rate, live on the same race (Reset starts it over).
    at.selectbox(key="at.schedule").set_value("constant").run()
    no_errors(at)
    assert at.session_state[RUNNER].snapshot.spec.base.schedule.kind == "constant"
    assert at.session_state[RUNNER].snapshot.spec.base.train.max_updates == 600

"""The gated-layers page: both races step, their gate pictures come from the snapshots, and both
parts' settings live in the page URL."""

from __future__ import annotations

import json

from ffnviz.specs.gated import FFN, RNN, compose, page_values
from ffnviz.specs.links import VERSION
from ffnviz.specs.sequences import seq_race_to_flat
from tests.app.conftest import charts_of
from tests.app.test_pages import no_errors

PAGE = "pages/gated.py"


def test_both_races_step_and_show_their_gates(app):
    at = app(PAGE)
    no_errors(at)
    at.button(key="gl.ffn.step").click().run()
    at.button(key="gl.rnn.step").click().run()
    no_errors(at)
    charts = charts_of(at)
    for key in ("gl.ffn.loss", "gl.ffn.accuracy", "gl.ffn.hist.gate", "gl.ffn.heatmap",
                "gl.rnn.loss", "gl.rnn.accuracy", "gl.rnn.by_length", "gl.rnn.grad", "gl.rnn.heatmap"):
        assert key in charts, key
    ffn = at.session_state["ffnviz.race::gl.ffn"].snapshot
    rnn = at.session_state["ffnviz.race::gl.rnn"].snapshot
    assert ffn.updates == ffn.updates_per_epoch and rnn.updates == rnn.updates_per_epoch
    assert [c.model.cell for c in rnn.spec.contestants] == ["rnn", "gru", "lstm"]


def test_matched_parameter_counts_are_shown(app):
    at = app(PAGE)
    table = next(d.value for d in at.dataframe if "parameters" in d.value.columns)
    counts = table["parameters"].tolist()
    assert max(counts) / min(counts) < 1.02


def test_a_gru_gate_can_be_chosen(app):
    at = app(PAGE)
    at.button(key="gl.rnn.step").click().run()
    at.selectbox(key="gl.rnn.pick").set_value(1).run()
    at.selectbox(key="gl.rnn.gate").set_value("reset").run()
    no_errors(at)
    heat = charts_of(at)["gl.rnn.heatmap"]
    assert "reset gate" in heat["layout"]["title"]["text"]


def test_fewer_than_two_networks_is_a_message(app):
    at = app(PAGE)
    at.multiselect(key="gl.rnn.cells").set_value(["gru"]).run()
    assert not at.exception
    assert any("2 to 8" in e.value for e in at.error)


# -- the page URL ----------------------------------------------------------------------------------

def _query(at) -> dict[str, str]:
    return {k: v[0] if isinstance(v, list) else v for k, v in at.query_params.items()}


def _link(part, spec) -> dict[str, str]:
    """What the page writes for `spec`: the values that differ from the part's default."""
    default = seq_race_to_flat(part.default, part.prefix)
    return {k: v for k, v in seq_race_to_flat(spec, part.prefix).items() if default.get(k) != v}


def _spec(part, **changes):
    values, _ = page_values(part, part.default)
    return compose(part, part.default, {**values, **changes}).validate()


def test_a_link_restores_both_parts_widgets_and_races(app):
    ffn = _spec(FFN, task="sort", length=12, seed=11, d=16, residual=False, members=("geglu", "relu"), batch=64)
    rnn = _spec(RNN, length=25, vocab=5, seed=3, hidden=8, members=("lstm", "rnn"), lr=0.003, race_seed=4)
    at = app(PAGE, query={**_link(FFN, ffn), **_link(RNN, rnn), "v": str(VERSION)})
    no_errors(at)
    assert not at.warning, [w.value for w in at.warning]
    assert at.session_state["ffnviz.race::gl.ffn"].snapshot.spec == ffn
    assert at.session_state["ffnviz.race::gl.rnn"].snapshot.spec == rnn
    assert at.selectbox(key="gl.ffn.task").value == "sort" and at.slider(key="gl.ffn.length").value == 12
    assert at.number_input(key="gl.ffn.data_seed").value == 11 and at.select_slider(key="gl.ffn.d").value == 16
    assert at.toggle(key="gl.ffn.residual").value is False and at.slider(key="gl.ffn.batch").value == 64
    assert at.multiselect(key="gl.ffn.variants").value == ["geglu", "relu"]
    assert at.slider(key="gl.rnn.length").value == 25 and at.slider(key="gl.rnn.vocab").value == 5
    assert at.number_input(key="gl.rnn.data_seed").value == 3 and at.select_slider(key="gl.rnn.hidden").value == 8
    assert at.multiselect(key="gl.rnn.cells").value == ["lstm", "rnn"]
    assert at.select_slider(key="gl.rnn.lr").value == 0.003
    # The page keeps the link as it came, now saying which defaults it is read against.
    assert _query(at) == {**_link(FFN, ffn), **_link(RNN, rnn), "v": str(VERSION)}


def test_garbage_in_the_link_is_a_message_and_the_rest_applies(app):
    at = app(PAGE, query={"ffn.data.length": "999", "rnn.c0.model.hidden": "lots", "rnn.data.vocab": "16",
                          "rnn.data.seed": "5", "ffn.c0.model.d": "20", "v": str(VERSION)})
    no_errors(at)
    warnings = "\n".join(w.value for w in at.warning)
    for key in ("ffn.data.length", "rnn.c0.model.hidden", "ffn.c0.model.d"):
        assert key in warnings, key
    assert "2..100" in warnings and "8, 16, 32, 64" in warnings
    assert at.slider(key="gl.ffn.length").value == FFN.default.base.data.length
    assert at.number_input(key="gl.rnn.data_seed").value == 5 and at.slider(key="gl.rnn.vocab").value == 16
    assert "gl.ffn.loss" in charts_of(at) and "gl.rnn.loss" in charts_of(at)
    # What was ignored is gone from the link.
    assert _query(at) == {"rnn.data.seed": "5", "rnn.data.vocab": "16", "v": str(VERSION)}


def test_changing_a_widget_writes_the_url(app):
    at = app(PAGE)
    assert _query(at) == {}
    at.number_input(key="gl.ffn.data_seed").set_value(42).run()
    at.slider(key="gl.rnn.length").set_value(30).run()
    no_errors(at)
    assert _query(at) == {"ffn.data.seed": "42", "rnn.data.length": "30", "v": str(VERSION)}
    assert at.session_state["ffnviz.race::gl.ffn"].snapshot.spec.base.data.seed == 42
    at.multiselect(key="gl.rnn.cells").set_value(["gru", "lstm"]).run()
    query = _query(at)
    assert query["rnn.race.contestants"] == "2" and query["rnn.c0.model.cell"] == "gru"
    at.button(key="gl.rnn.new").click().run()  # New weights: the next training seed, in the link too
    assert _query(at)["rnn.race.seeds"] == "1"


def test_new_weights_at_the_last_seed_wraps_to_the_first(app):
    from ffnviz import limits

    at = app(PAGE, query={"rnn.race.seeds": str(int(limits.SEED.hi))})
    no_errors(at)
    at.button(key="gl.rnn.new").click().run()
    no_errors(at)
    assert at.session_state["ffnviz.race::gl.rnn"].snapshot.spec.seeds == (int(limits.SEED.lo),)


def test_the_recurrent_lesson_loads_its_setting_and_says_what_to_watch(app):
    at = app(PAGE)
    at.button(key="gl.rnn.lesson.gated_remember20").click().run()
    no_errors(at)
    spec = at.session_state["ffnviz.race::gl.rnn"].snapshot.spec
    assert spec.base.data.length == 20 and [c.model.cell for c in spec.contestants] == ["rnn", "gru", "lstm"]
    assert any("forget gate starts open" in i.value for i in at.info)
    assert at.query_params.get("rnn.data.length") in (["20"], "20")


def test_the_lstm_forget_gate_bias_is_a_setting_and_old_links_keep_theirs(app):
    """Shown while an LSTM races; 2 today. A link made before the setting existed (version 3)
    trains with torch's own draw (0), as it did then, and the widget says 0."""
    at = app(PAGE)
    assert at.select_slider(key="gl.rnn.forget_bias").value == 2.0
    at.select_slider(key="gl.rnn.forget_bias").set_value(1.0).run()
    no_errors(at)
    spec = at.session_state["ffnviz.race::gl.rnn"].snapshot.spec
    assert {c.model.forget_bias for c in spec.contestants} == {1.0}
    assert _query(at)["rnn.c0.model.forget_bias"] == "1.0"
    at.multiselect(key="gl.rnn.cells").set_value(["rnn", "gru"]).run()
    no_errors(at)
    assert "gl.rnn.forget_bias" not in [s.key for s in at.select_slider]  # no LSTM, no forget gate
    old = app(PAGE, query={"rnn.data.length": "20", "v": "3"})
    no_errors(old)
    assert old.select_slider(key="gl.rnn.forget_bias").value == 0.0
    assert {c.model.forget_bias for c in old.session_state["ffnviz.race::gl.rnn"].snapshot.spec.contestants} == {0.0}


def test_the_gru_update_gate_bias_is_a_setting_and_old_links_keep_theirs(app):
    """Shown while a GRU races; 0 today (torch's own draw). Set, it reaches every contestant and the
    link; a link made before the setting existed (version 4) reads 0 and the widget says so."""
    at = app(PAGE)
    assert at.select_slider(key="gl.rnn.update_bias").value == 0.0
    at.select_slider(key="gl.rnn.update_bias").set_value(4.0).run()
    no_errors(at)
    spec = at.session_state["ffnviz.race::gl.rnn"].snapshot.spec
    assert {c.model.update_bias for c in spec.contestants} == {4.0}
    assert _query(at)["rnn.c1.model.update_bias"] == "4.0"
    at.multiselect(key="gl.rnn.cells").set_value(["rnn", "lstm"]).run()
    no_errors(at)
    assert "gl.rnn.update_bias" not in [s.key for s in at.select_slider]  # no GRU, no update gate
    old = app(PAGE, query={"rnn.data.length": "20", "v": "4"})
    no_errors(old)
    assert old.select_slider(key="gl.rnn.update_bias").value == 0.0
    assert {c.model.update_bias for c in old.session_state["ffnviz.race::gl.rnn"].snapshot.spec.contestants} == {0.0}
    # The T = 50 lesson opens both gates: its widgets say 4.
    at.button(key="gl.rnn.lesson.gated_remember50").click().run()
    no_errors(at)
    assert at.select_slider(key="gl.rnn.update_bias").value == 4.0
    assert at.select_slider(key="gl.rnn.forget_bias").value == 4.0
    assert any("update-gate bias at start 4" in i.value for i in at.info)


def test_the_hidden_state_pictures_name_their_values_hidden_state_not_gate_value(app):
    """Found in a browser QA pass: with "hidden state" chosen the heatmap's scale and the histogram's
    axis said "gate value"."""
    at = app(PAGE)
    at.button(key="gl.rnn.step").click().run()
    at.selectbox(key="gl.rnn.gate").set_value("hidden").run()
    no_errors(at)
    charts = charts_of(at)
    heat = charts["gl.rnn.heatmap"]
    assert "gate value" not in json.dumps(heat) and "hidden state" in json.dumps(heat["data"])
    assert charts["gl.rnn.hist.hidden"]["layout"]["xaxis"]["title"]["text"] == "hidden state"
    assert any("hidden-state values" in c.value and "a unit near zero" in c.value for c in at.caption)  # not a gate's

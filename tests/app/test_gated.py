"""The gated-layers page: both races step, and their gate pictures come from the snapshots."""

from __future__ import annotations

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

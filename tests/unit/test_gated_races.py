"""The gated-layers page's races as specs: defaults, and a link read into what the widgets can show."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ffnviz import limits
from ffnviz.specs.gated import FFN, RNN, compose, page_values, read_part
from ffnviz.specs.sequences import seq_race_to_flat


@pytest.mark.parametrize("part", [FFN, RNN])
def test_the_default_fits_the_widgets_and_an_empty_link_gives_it(part):
    part.default.validate()
    values, errors = page_values(part, part.default)
    assert errors == [] and compose(part, part.default, values) == part.default
    assert read_part(part, {}) == (part.default, [])


def test_a_link_in_the_pages_form_round_trips():
    values, _ = page_values(FFN, FFN.default)
    values.update(task="copy_offset", length=12, vocab=6, seed=9, d=16, h=64, residual=False,
                  members=("geglu", "relu"), lr=0.003, batch=64, race_seed=5)
    spec = compose(FFN, FFN.default, values).validate()
    assert spec.base.data.offset == 2 and spec.base.data.seed == 9
    assert read_part(FFN, seq_race_to_flat(spec, "ffn.")) == (spec, [])


def test_what_the_widgets_cannot_show_is_replaced_and_named():
    flat = {"rnn.data.length": str(int(limits.GATED_LENGTH.hi) + 1), "rnn.data.task": "reverse",
            "rnn.c0.model.hidden": "12", "rnn.train.batch_size": "300", "rnn.c0.optim.lr": "0.02",
            "rnn.c0.optim.name": "sgd", "rnn.data.seed": "7", "rnn.data.vocab": "5"}
    spec, errors = read_part(RNN, flat)
    spec.validate()
    text = "\n".join(errors)
    for key in ("rnn.data.length", "rnn.data.task", "rnn.c0.model.hidden", "rnn.train.batch_size",
                "rnn.c0.optim.lr", "rnn.c0.optim.name"):
        assert key in text, key
    assert "2..60" in text and "4, 8, 16, 32, 64" in text and "remember_first" in text
    # The rest of the link still applies.
    assert spec.base.data == replace(RNN.default.base.data, seed=7, vocab=5)



def test_an_update_gate_bias_the_widget_cannot_show_is_replaced_and_named():
    """The GRU's update-gate bias, like the forget gate's: a valid value off the widget's steps
    (2.5) keeps the default (0) and says which values the page offers; one on them is kept."""
    spec, errors = read_part(RNN, {"rnn.c0.model.update_bias": "2.5", "rnn.c1.model.update_bias": "2.5",
                                   "rnn.c2.model.update_bias": "2.5"})
    assert {c.model.update_bias for c in spec.contestants} == {0.0}
    assert any(e.startswith("rnn.c0.model.update_bias") and "0, 0.5, 1, 1.5, 2, 3, 4, 5" in e for e in errors), errors
    spec, errors = read_part(RNN, {f"rnn.c{i}.model.update_bias": "4.0" for i in range(3)})
    assert errors == [] and {c.model.update_bias for c in spec.contestants} == {4.0}

def test_repeated_or_too_few_members_fall_back():
    spec, errors = read_part(FFN, {"ffn.c1.model.variant": "relu"})  # relu, relu, glu, swiglu
    assert [c.model.variant for c in spec.contestants] == ["relu", "glu", "swiglu"]
    assert errors == ["ffn.c1.model.variant: relu races already; each races once"]
    spec, errors = read_part(RNN, {"rnn.race.contestants": "1"})
    assert spec == RNN.default and len(errors) == 1 and "rnn.race.contestants" in errors[0]


def test_an_lstm_remembers_the_first_token_at_t20_with_the_pages_settings():
    """The textbook result at the gated page's settings (hidden 32, vocab 8, Adam 0.01, batch 32)
    with T = 20: the LSTM (forget-gate bias LSTM_FORGET_BIAS) is right on nearly every test
    sequence within 600 updates, median over seeds 0-4; the plain RNN stays near chance (1/8)."""
    import statistics

    from ffnviz.train.seq_trainer import SeqTrainer

    base = RNN.default.base
    data = replace(base.data, length=20)

    def accuracy(cell: str, seed: int) -> float:
        contestant = next(c for c in RNN.default.contestants if c.model.cell == cell)
        run = replace(base, data=replace(data, seed=seed), model=contestant.model, optim=contestant.optim,
                      reg=contestant.reg, train=replace(base.train, seed=seed))
        trainer = SeqTrainer(run)
        trainer.step(600)
        return trainer.evaluate().test_acc

    assert statistics.median(accuracy("lstm", seed) for seed in range(5)) >= 0.95
    assert statistics.median(accuracy("rnn", seed) for seed in range(3)) < 0.3

"""SeqTrainer: sequence models (recurrent and feedforward-block) trained by the Trainer's engine."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from torch import nn

from ffnviz.data.sequences import IGNORE, make_sequences
from ffnviz.specs import OptimSpec, RegSpec, RunSpec, TrainSpec
from ffnviz.specs.sequences import SeqContestant, SeqModelSpec, SeqRaceSpec, SeqRunSpec, SeqSpec, matched_hidden
from ffnviz.train.capacity import WorkCap
from ffnviz.train.race import Race, needs_race_rebuild
from ffnviz.train.race_runner import RaceRunner
from ffnviz.train.seq_trainer import SeqTrainer
from ffnviz.train.trainer import Trainer, needs_rebuild


@pytest.fixture(autouse=True)
def _one_thread():
    torch.set_num_threads(1)  # the numbers below are CPU numbers of one thread


def _spec(task="remember_first", length=5, vocab=4, n=300, seed=0, **model) -> SeqRunSpec:
    return SeqRunSpec(data=SeqSpec(task=task, length=length, vocab=vocab, n_sequences=n, seed=seed),
                      model=SeqModelSpec(**model), train=TrainSpec(seed=seed, batch_size=32))


# -- specs --------------------------------------------------------------------------------------

def test_default_specs_validate():
    assert SeqRunSpec().validate() == SeqRunSpec()
    assert SeqModelSpec().validate() == SeqModelSpec()
    assert SeqRunSpec().optim == OptimSpec("adam", 0.01)
    assert SeqRunSpec().train.batch_size == 32


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"kind": "cnn"}, "kind", "rnn, ffn"),
    ({"cell": "tcn"}, "cell", "rnn, gru, lstm"),
    ({"hidden": 0}, "hidden", "1..256"),
    ({"hidden": 3.5}, "hidden", "whole number"),
    ({"variant": "tanh"}, "variant", "swiglu"),
    ({"d": 0}, "d", "1..512"),
    ({"h": 5000}, "h", "1..2048"),
    ({"residual": "yes"}, "residual", "true or false"),
    ({"layer_norm": 1}, "layer_norm", "true or false"),
    ({"forget_bias": 6.0}, "forget_bias", "0..5"),
    ({"update_bias": -1.0}, "update_bias", "0..5"),
    ({"update_bias": 5.5}, "update_bias", "0..5"),
])
def test_model_spec_names_field_and_range(change, field, words):
    spec = SeqRunSpec(model=SeqModelSpec(**change))
    problems = spec.problems()
    assert [f for f, _ in problems] == [f"model.{field}"]
    assert words in problems[0][1]
    with pytest.raises(ValueError, match=field):
        spec.validate()


def test_run_spec_reports_every_section():
    spec = SeqRunSpec(data=SeqSpec(length=1), optim=OptimSpec("adam", -1.0), train=TrainSpec(batch_size=0))
    assert {f for f, _ in spec.problems()} == {"data.length", "optim.lr", "train.batch_size"}
    with pytest.raises(ValueError):
        SeqTrainer(spec)


def test_ffn_hidden_is_matched_for_gated_variants():
    m = SeqModelSpec(kind="ffn", variant="swiglu", d=16, h=32)
    assert m.block_hidden() == matched_hidden(16, 32, "swiglu") < 32
    assert SeqModelSpec(kind="ffn", variant="relu", d=16, h=32).block_hidden() == 32
    t = SeqTrainer(_spec(kind="ffn", variant="swiglu", d=16, h=32))
    assert t.model.block.h == m.block_hidden()


# -- determinism --------------------------------------------------------------------------------

@pytest.mark.parametrize("model", [{"cell": "gru"}, {"cell": "lstm"}, {"cell": "rnn"},
                                   {"kind": "ffn", "variant": "swiglu", "d": 16, "h": 32}])
def test_same_spec_same_numbers(model):
    spec = _spec(task="copy_offset", **model)
    a, b = SeqTrainer(spec), SeqTrainer(spec)
    losses = [a.step() for _ in range(20)]
    assert [b.step() for _ in range(20)] == losses
    assert a.evaluate() == b.evaluate()
    # Reset replays the run exactly: same initial weights, same batch order.
    a.step(7)
    a.reset()
    assert [a.step() for _ in range(20)] == losses


def test_a_seq_run_does_not_disturb_a_trainer():
    """Each run draws from its own generator: an MLP Trainer stepped beside a SeqTrainer gives
    the numbers it gives alone (the golden tests in test_race.py pin those numbers)."""
    spec = RunSpec()
    alone = Trainer(spec)
    alone_losses = [alone.step(5) for _ in range(4)]
    mixed, seq = Trainer(spec), SeqTrainer(_spec())
    mixed_losses = []
    for _ in range(4):
        seq.step(3)
        mixed_losses.append(mixed.step(5))
    assert mixed_losses == alone_losses


# -- learning -----------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gru_learns_remember_first(seed):
    # GRU, hidden 16, Adam 0.01, batch 32, 500 sequences (400 train) of T=5 over 4 tokens:
    # test accuracy 1.0 by update 75 on seeds 0-4 (seed 3 is the slowest: 0.82 at 50).
    t = SeqTrainer(_spec(n=500, seed=seed, cell="gru", hidden=16))
    t.step(150)
    assert t.evaluate().test_acc >= 0.9


def test_ffn_block_learns_reverse_beyond_chance():
    # Chance is 1/4 per position; swiglu at d=16, h=32 (matched: 21) is ≥ 0.87 after 25 updates.
    t = SeqTrainer(_spec(task="reverse", length=4, n=500, kind="ffn", variant="swiglu", d=16, h=32))
    before = t.evaluate().test_acc
    t.step(100)
    after = t.evaluate()
    assert before < 0.5 < 0.9 <= after.test_acc
    assert after.test_loss < math.log(4)


# -- loss and accuracy --------------------------------------------------------------------------

class _Fixed(nn.Module):
    """A stand-in model that answers the given logits whatever the input."""

    def __init__(self, logits: torch.Tensor):
        super().__init__()
        self.logits = logits

    def forward(self, x):
        return self.logits


def test_ignored_positions_are_left_out_of_loss_and_accuracy():
    t = SeqTrainer(_spec(task="copy_offset", length=4, vocab=4))
    y = torch.tensor([[IGNORE, IGNORE, 1, 2], [IGNORE, IGNORE, 0, 3]])
    logits = torch.zeros(2, 4, 4)
    logits[:, :2, 0] = 50.0  # confident and "wrong" at the ignored positions: must not count
    logits[0, 2] = torch.tensor([0.0, 2.0, 0.0, 0.0])  # right (class 1)
    logits[0, 3] = torch.tensor([1.0, 0.0, 0.0, 0.0])  # wrong (says 0, target 2)
    logits[1, 2] = torch.tensor([3.0, 0.0, 0.0, 0.0])  # right (class 0)
    logits[1, 3] = torch.tensor([0.0, 0.0, 0.0, 1.0])  # right (class 3)
    # By hand: the mean of -log softmax(z)[y] over the four counted positions.
    z, e = np.e, 1.0
    by_hand = -np.mean([np.log(z ** 2 / (z ** 2 + 3)), np.log(e / (z + 3)),
                        np.log(z ** 3 / (z ** 3 + 3)), np.log(z / (z + 3))])
    assert float(t.data_loss(logits, y)) == pytest.approx(by_hand, rel=1e-6)
    t.model = _Fixed(logits)
    loss, acc = t._loss_and_accuracy(torch.zeros(2, 4, dtype=torch.int64), y)
    assert loss == pytest.approx(by_hand, rel=1e-6)
    assert acc == 3 / 4  # not 3/8: the four IGNOREs are not positions


def test_per_position_accuracy_counts_only_targets():
    t = SeqTrainer(_spec(task="copy_offset", length=5, vocab=4, cell="gru", hidden=16))
    t.step(30)
    m = t.evaluate()
    with torch.no_grad():
        pred = t.model(t.x_test).argmax(-1).cpu().numpy()
    y = t.dataset.y_test
    counted = y != IGNORE
    assert counted.sum() == 3 * len(y)  # offset 2 of T=5
    assert m.test_acc == pytest.approx(((pred == y) & counted).sum() / counted.sum(), abs=1e-6)


@pytest.mark.parametrize("model", [{"cell": "lstm"}, {"kind": "ffn", "variant": "geglu", "d": 16, "h": 32}])
def test_adding_is_a_regression(model):
    t = SeqTrainer(_spec(task="adding", length=6, **model))
    assert t.regression and t.x_train.dtype == torch.float32 and t.y_train.dtype == torch.float32
    t.step(20)
    m = t.evaluate()
    assert math.isnan(m.train_acc) and math.isnan(m.test_acc)
    assert math.isfinite(m.train_loss) and math.isfinite(m.test_loss) and m.test_loss >= 0
    with torch.no_grad():
        out = t.model(t.x_test).squeeze(-1)
    assert m.test_loss == pytest.approx(float(((out - t.y_test) ** 2).mean()), rel=1e-5)


# -- the engine's other pieces ------------------------------------------------------------------

def test_regularization_touches_matrices_only():
    t = SeqTrainer(_spec(kind="ffn", d=8, h=16))
    assert all(p.dim() == 2 for p in t.weights) and all(p.dim() == 1 for p in t.biases)
    norm = t.model.block.norm
    assert any(p is norm.weight for p in t.biases)  # LayerNorm's γ is not decayed
    assert len(t.weights) + len(t.biases) == len(list(t.model.parameters()))


def test_apply_live_and_rebuild_rule():
    spec = _spec(cell="gru", hidden=8)
    t = SeqTrainer(spec)
    t.step(5)
    t.apply_live(OptimSpec("sgd", 0.1), RegSpec("weight_decay", 0.01), 16, 1000)
    assert t.updates == 5 and t.batch_size == 16 and t.spec.optim.name == "sgd"
    assert math.isfinite(t.step(5)) and t.updates == 10
    # The Trainer's rule reads the same fields of a SeqRunSpec.
    new_model = SeqRunSpec(data=spec.data, model=SeqModelSpec(cell="lstm", hidden=8), train=spec.train)
    assert needs_rebuild(spec, new_model) and not needs_rebuild(spec, t.spec)


def test_dataset_must_match_spec():
    spec = _spec()
    SeqTrainer(spec, make_sequences(spec.data))
    with pytest.raises(ValueError, match="SeqSpec"):
        SeqTrainer(spec, make_sequences(SeqSpec(task="reverse", length=5, vocab=4, n_sequences=300)))


# -- gates and input gradients ------------------------------------------------------------------

@pytest.mark.parametrize(("cell", "keys"), [
    ("gru", {"reset", "update", "candidate", "hidden"}),
    ("lstm", {"input", "forget", "cell_candidate", "output", "cell", "hidden"}),
    ("rnn", {"hidden"}),
])
def test_rnn_gates_shapes(cell, keys):
    t = SeqTrainer(_spec(length=5, cell=cell, hidden=8))
    g = t.gates(t.dataset.x_test[:3])  # numpy in, numpy out
    assert set(g) == keys
    assert all(isinstance(v, np.ndarray) and v.shape == (3, 5, 8) for v in g.values())
    assert t.model.training  # back in training mode


def test_ffn_gates_shape():
    t = SeqTrainer(_spec(kind="ffn", variant="swiglu", d=16, h=32))
    g = t.gates(t.x_test[:4])
    assert list(g) == ["gate"] and g["gate"].shape == (4, matched_hidden(16, 32, "swiglu"))


def test_input_gradient_norms():
    t = SeqTrainer(_spec(length=6, cell="rnn", hidden=8))
    before = [p.grad for p in t.model.parameters()]
    norms = t.input_gradient_norms(16)
    assert norms.shape == (6,) and np.all(np.isfinite(norms)) and np.all(norms >= 0)
    assert [p.grad for p in t.model.parameters()] == before
    with pytest.raises(ValueError, match="rnn"):
        SeqTrainer(_spec(kind="ffn", d=8, h=16)).input_gradient_norms()


# -- a race of sequence models ------------------------------------------------------------------

def _race_spec(**kw) -> SeqRaceSpec:
    base = SeqRunSpec(data=SeqSpec(task="remember_first", length=5, vocab=4, n_sequences=300),
                      train=TrainSpec(batch_size=32, max_updates=1000))
    cells = (SeqContestant(SeqModelSpec(cell="rnn", hidden=8)), SeqContestant(SeqModelSpec(cell="gru", hidden=8)),
             SeqContestant(SeqModelSpec(cell="lstm", hidden=8)))
    return SeqRaceSpec(base=base, contestants=kw.pop("contestants", cells), **kw)


def test_seq_race_spec_validates():
    assert SeqRaceSpec().validate().models == 3
    assert [c.label() for c in SeqRaceSpec().contestants] == ["rnn 32", "gru 32", "lstm 32"]
    bad = _race_spec(contestants=(), seeds=(1, 1))  # a sequence race may have one contestant, not none
    fields = {f for f, _ in bad.problems()}
    assert fields == {"contestants", "seeds"}
    bad = _race_spec(contestants=(SeqContestant(SeqModelSpec(hidden=0)), SeqContestant()))
    assert [f for f, _ in bad.problems()] == ["contestants[0].model.hidden"]
    # What contestants and seeds set is not the base's: equal races compare equal.
    assert SeqRaceSpec(base=SeqRunSpec(model=SeqModelSpec(cell="lstm"))) == SeqRaceSpec()


def test_race_of_seq_trainers_matches_their_single_runs():
    spec = _race_spec(seeds=(0, 1))
    race = Race(spec)
    assert all(isinstance(t, SeqTrainer) for row in race.trainers for t in row)
    assert race.step(2 * race.updates_per_epoch) == 2 * race.updates_per_epoch
    # No dropout: a contestant trains exactly as the single run of its spec.
    single = SeqTrainer(spec.run_specs()[1][1])
    single.step(race.updates)
    assert race.trainers[1][1].evaluate() == single.evaluate()
    h = race.history(2)
    assert list(h["update"]) == [0, race.updates_per_epoch, 2 * race.updates_per_epoch]
    assert np.all(np.isfinite(h["test_acc_mean"]))
    # Optimizer and regularization change live.
    live = SeqRaceSpec(base=spec.base, contestants=tuple(
        SeqContestant(c.model, OptimSpec("sgd", 0.1), RegSpec("l2", 0.001)) for c in spec.contestants), seeds=(0, 1))
    assert not needs_race_rebuild(spec, live)
    race.apply_live(live)
    assert race.trainers[0][0].spec.optim == OptimSpec("sgd", 0.1)
    race.step(3)


def test_race_runner_steps_a_seq_race():
    runner = RaceRunner(_race_spec(), cap=WorkCap(16))
    runner.step(5)
    snap = runner.snapshot
    assert snap.updates == 5 and len(snap.current) == 3 and all(math.isfinite(m.test_loss) for m in snap.current)

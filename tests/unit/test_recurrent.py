"""Recurrent models: recomputed gates reproduce torch's GRU and LSTM, gates are sigmoids, output
shapes, seeded weights, and the plain RNN's vanishing input gradients."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from torch import nn

from ffnviz.nn.recurrent import SeqClassifier, gru_gates, input_gradient_norms, lstm_gates
from ffnviz.specs.sequences import CELLS


def gen(seed: int = 0) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def randomized(layer: nn.Module, seed: int) -> nn.Module:
    # weights wider than torch's default, so the gates are far from 1/2 and mistakes show
    with torch.no_grad():
        for p in layer.parameters():
            p.copy_(torch.randn(p.shape, generator=gen(seed)) * 0.7)
            seed += 1
    return layer


@pytest.mark.parametrize("with_state", [False, True])
@pytest.mark.parametrize("bias", [True, False])
def test_recomputed_gru_is_torchs_gru(with_state, bias):
    layer = randomized(nn.GRU(5, 6, batch_first=True, bias=bias), 1)
    x = torch.randn(3, 9, 5, generator=gen(10))
    h0 = torch.randn(1, 3, 6, generator=gen(11)) if with_state else None
    with torch.no_grad():
        out, h_n = layer(x, h0)
        gates = gru_gates(layer, x, h0)
    torch.testing.assert_close(gates["hidden"], out, atol=1e-5, rtol=0)
    torch.testing.assert_close(gates["hidden"][:, -1], h_n[0], atol=1e-5, rtol=0)
    for name in ("reset", "update"):
        g = gates[name]
        assert g.shape == (3, 9, 6) and ((g > 0) & (g < 1)).all(), name
    assert (gates["candidate"].abs() < 1).all()


@pytest.mark.parametrize("with_state", [False, True])
@pytest.mark.parametrize("bias", [True, False])
def test_recomputed_lstm_is_torchs_lstm(with_state, bias):
    layer = randomized(nn.LSTM(5, 6, batch_first=True, bias=bias), 2)
    x = torch.randn(3, 9, 5, generator=gen(12))
    state = (torch.randn(1, 3, 6, generator=gen(13)), torch.randn(1, 3, 6, generator=gen(14))) if with_state else None
    with torch.no_grad():
        out, (h_n, c_n) = layer(x, state)
        gates = lstm_gates(layer, x, state)
    torch.testing.assert_close(gates["hidden"], out, atol=1e-5, rtol=0)
    torch.testing.assert_close(gates["cell"][:, -1], c_n[0], atol=1e-5, rtol=0)
    for name in ("input", "forget", "output"):
        g = gates[name]
        assert g.shape == (3, 9, 6) and ((g > 0) & (g < 1)).all(), name
    assert (gates["cell_candidate"].abs() < 1).all()


def test_gates_refuse_layers_they_cannot_recompute():
    with pytest.raises(ValueError, match="batch_first"):
        gru_gates(nn.GRU(2, 3), torch.zeros(1, 4, 2))
    with pytest.raises(ValueError, match="one-layer"):
        lstm_gates(nn.LSTM(2, 3, num_layers=2, batch_first=True), torch.zeros(1, 4, 2))


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("per_position", [False, True])
def test_classifier_output_shapes(cell, per_position):
    tokens = SeqClassifier(cell, vocab=7, input_size=None, hidden=8, n_outputs=3, per_position=per_position,
                           generator=gen())
    floats = SeqClassifier(cell, vocab=None, input_size=2, hidden=8, n_outputs=1, per_position=per_position,
                           generator=gen(), embed_dim=4)
    x_tok = torch.randint(0, 7, (5, 11), generator=gen(1))
    x_flt = torch.randn(5, 11, 2, generator=gen(2))
    assert tokens(x_tok).shape == ((5, 11, 3) if per_position else (5, 3))
    assert floats(x_flt).shape == ((5, 11, 1) if per_position else (5, 1))
    gates = floats.gates(x_flt)
    assert gates["hidden"].shape == (5, 11, 8)
    torch.testing.assert_close(gates["hidden"], floats.recurrent(floats.embed_inputs(x_flt))[0].detach())


@pytest.mark.parametrize("cell", CELLS)
def test_the_same_generator_state_gives_the_same_model(cell):
    def build(seed):
        return SeqClassifier(cell, vocab=5, input_size=None, hidden=4, n_outputs=2, per_position=False, generator=gen(seed))

    state = torch.get_rng_state()
    a, b, c = build(3), build(3), build(4)
    assert torch.equal(state, torch.get_rng_state())  # torch's global generator untouched
    for (name, p), q, r in zip(a.state_dict().items(), b.state_dict().values(), c.state_dict().values(), strict=True):
        assert torch.equal(p, q) and not torch.equal(p, r), name


def test_classifier_refuses_bad_arguments():
    with pytest.raises(ValueError, match="exactly one"):
        SeqClassifier("gru", vocab=4, input_size=2, hidden=4, n_outputs=2, per_position=False)
    with pytest.raises(ValueError, match="cell"):
        SeqClassifier("transformer", vocab=4, input_size=None, hidden=4, n_outputs=2, per_position=False)
    with pytest.raises(ValueError, match="hidden"):
        SeqClassifier("rnn", vocab=4, input_size=None, hidden=0, n_outputs=2, per_position=False)


def test_plain_rnn_input_gradients_vanish_with_distance_from_the_output():
    # With ‖W_hh‖₂ = 0.5 and tanh' ≤ 1, ∂h_T/∂h_t shrinks at least as 0.5^(T−t): step 0's
    # input gradient is bounded by ~0.5^29 ≈ 2e-9 of the scale the last step's has.
    model = SeqClassifier("rnn", vocab=None, input_size=3, hidden=16, n_outputs=2, per_position=False, generator=gen())
    with torch.no_grad():
        w = model.recurrent.weight_hh_l0
        w.mul_(0.5 / torch.linalg.matrix_norm(w, ord=2))
    x = torch.randn(8, 30, 3, generator=gen(5))
    y = torch.randint(0, 2, (8,), generator=gen(6))
    norms = input_gradient_norms(model, x, y, nn.functional.cross_entropy)
    assert norms.shape == (30,) and norms.dtype == np.float64
    assert np.isfinite(norms).all() and norms[-1] > 0
    assert norms[0] < 1e-6 * norms[-1]
    assert norms[:10].max() < norms[-10:].min()
    assert all(p.grad is None for p in model.parameters())  # parameter gradients left alone


def test_input_gradient_norms_per_position():
    model = SeqClassifier("lstm", vocab=6, input_size=None, hidden=8, n_outputs=6, per_position=True, generator=gen())
    x = torch.randint(0, 6, (4, 12), generator=gen(7))

    def loss_fn(out, y):
        return nn.functional.cross_entropy(out.transpose(1, 2), y)

    norms = input_gradient_norms(model, x, x, loss_fn)
    assert norms.shape == (12,) and (norms > 0).all()


def test_the_page_equations_are_torchs_convention():
    """CELL_FORMULAS (the gated page) state the GRU's last line as torch runs it: with torch's own
    hidden states h and the recomputed gates, h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}; the book
    convention h_t = z_t ⊙ n_t + (1 − z_t) ⊙ h_{t−1} does not hold."""
    from ffnviz.nn.recurrent import CELL_FORMULAS

    assert r"h_t = (1 - z_t) \odot n_t + z_t \odot h_{t-1}" in CELL_FORMULAS["gru"]
    assert r"c_t = f_t \odot c_{t-1} + i_t \odot g_t" in CELL_FORMULAS["lstm"]
    layer = randomized(nn.GRU(5, 6, batch_first=True), 3)
    x = torch.randn(2, 7, 5, generator=gen(15))
    with torch.no_grad():
        out, _ = layer(x)
        gates = gru_gates(layer, x)
    previous = torch.cat([torch.zeros_like(out[:, :1]), out[:, :-1]], 1)
    z, n = gates["update"], gates["candidate"]
    torch.testing.assert_close((1 - z) * n + z * previous, out, atol=1e-5, rtol=0)
    assert not torch.allclose(z * n + (1 - z) * previous, out, atol=1e-3)


def test_an_lstm_starts_with_its_forget_gate_open():
    """LSTM_FORGET_BIAS: b_if + b_hf is that value for every unit; every other bias keeps torch's
    draw, and the draws that follow (the head) are the same as without it."""
    from ffnviz.nn.recurrent import LSTM_FORGET_BIAS

    model = SeqClassifier("lstm", vocab=8, input_size=None, hidden=16, n_outputs=8, per_position=False,
                          generator=gen(3))
    layer = model.recurrent
    forget = (layer.bias_ih_l0 + layer.bias_hh_l0)[16:32]
    assert torch.allclose(forget, torch.full((16,), LSTM_FORGET_BIAS))
    others = torch.cat([layer.bias_ih_l0[:16], layer.bias_ih_l0[32:]])
    assert others.abs().max() <= 0.25 and others.abs().max() > 0  # U(±1/√16), drawn
    gru = SeqClassifier("gru", vocab=8, input_size=None, hidden=16, n_outputs=8, per_position=False, generator=gen(3))
    assert torch.equal(model.head.weight, SeqClassifier("lstm", vocab=8, input_size=None, hidden=16, n_outputs=8,
                                                        per_position=False, generator=gen(3)).head.weight)
    assert (gru.recurrent.bias_ih_l0.abs() <= 0.25).all()  # the GRU keeps torch's draw


@pytest.mark.parametrize("bias", [0.5, 4.0])
def test_a_gru_starts_with_its_update_gate_bias_as_set(bias):
    """update_bias: b_iz = the setting and b_hz = 0 for every unit (torch packs the GRU's gates as
    r, z, n), so b_iz + b_hz is the setting; the reset and candidate biases keep torch's draw, and
    every other parameter (the head, drawn after) is the same as without it. 0 keeps torch's draw."""
    def build(update_bias: float) -> SeqClassifier:
        return SeqClassifier("gru", vocab=8, input_size=None, hidden=16, n_outputs=8, per_position=False,
                             generator=gen(3), update_bias=update_bias)

    model, plain = build(bias), build(0.0)
    layer = model.recurrent
    assert torch.equal(layer.bias_ih_l0[16:32], torch.full((16,), bias))
    assert torch.equal(layer.bias_hh_l0[16:32], torch.zeros(16))
    for name in ("bias_ih_l0", "bias_hh_l0"):
        mine, torchs = getattr(layer, name), getattr(plain.recurrent, name)
        assert torch.equal(torch.cat([mine[:16], mine[32:]]), torch.cat([torchs[:16], torchs[32:]]))
    assert (plain.recurrent.bias_ih_l0.abs() <= 0.25).all() and plain.recurrent.bias_ih_l0[16:32].std() > 0
    for (name, p), q in zip(model.named_parameters(), plain.parameters(), strict=True):
        if not name.startswith("recurrent.bias"):
            assert torch.equal(p, q), name
    # At the start z ≈ σ(b) (the weights' share is small): the state is kept by default.
    with torch.no_grad():
        z = gru_gates(layer, model.embed_inputs(torch.randint(0, 8, (4, 6), generator=gen(1))))["update"]
    assert z.mean() > 1 / (1 + math.exp(-bias)) - 0.15
    lstm = SeqClassifier("lstm", vocab=8, input_size=None, hidden=16, n_outputs=8, per_position=False,
                         generator=gen(3), update_bias=bias)
    assert torch.equal(lstm.recurrent.bias_ih_l0, SeqClassifier(
        "lstm", vocab=8, input_size=None, hidden=16, n_outputs=8, per_position=False,
        generator=gen(3)).recurrent.bias_ih_l0)  # only the GRU has an update gate


def test_the_trainer_builds_the_gru_with_the_specs_update_bias():
    from ffnviz.specs.sequences import SeqModelSpec, SeqRunSpec, SeqSpec
    from ffnviz.train.seq_trainer import SeqTrainer

    spec = SeqRunSpec(data=SeqSpec("remember_first", 6, 4, n_sequences=100),
                      model=SeqModelSpec("rnn", cell="gru", hidden=8, update_bias=3.0))
    layer = SeqTrainer(spec).model.recurrent
    assert torch.equal(layer.bias_ih_l0[8:16] + layer.bias_hh_l0[8:16], torch.full((8,), 3.0))

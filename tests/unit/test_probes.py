"""Probes on networks whose answers are known by construction, and the metrics history."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from ffnviz import limits
from ffnviz.nn import build_mlp
from ffnviz.specs import ModelSpec
from ffnviz.train.history import COLUMNS, History
from ffnviz.train.probes import Prober, dead_fraction, saturated_fraction
from ffnviz.train.reading import Metrics


def bce(out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return F.binary_cross_entropy_with_logits(out.squeeze(1), y)


def net(hidden, activation, dropout=0.0, seed=0):
    return build_mlp(ModelSpec(hidden=hidden, activation=activation, dropout=dropout), 2, 1,
                     torch.Generator().manual_seed(seed))


def batch(n=64, lo=0.5, hi=2.0, seed=1):
    """n points with both coordinates uniform in [lo, hi], and random 0/1 labels."""
    g = torch.Generator().manual_seed(seed)
    x = lo + (hi - lo) * torch.rand(n, 2, generator=g)
    y = (torch.rand(n, generator=g) > 0.5).float()
    return x, y


def set_layer(linear, weight, bias):
    with torch.no_grad():
        linear.weight.copy_(torch.tensor(weight, dtype=torch.float32))
        linear.bias.copy_(torch.tensor(bias, dtype=torch.float32))


# -- the measures on their own ------------------------------------------------------------------

def test_dead_fraction_by_hand():
    a = torch.tensor([[0.0, 1.0, 0.0, 0.0], [0.0, 2.0, 3.0, 0.0], [0.0, 0.0, 0.0, 0.0]])
    assert dead_fraction(a) == 0.5  # columns 0 and 3 are zero on every row


def test_saturated_fraction_by_hand():
    a = torch.tensor([[-1.0, -0.985, -0.97, 0.0], [0.5, 0.97, 0.985, 1.0]])
    assert saturated_fraction(a, "tanh") == 0.5  # within 0.02 of -1 or 1
    s = torch.tensor([0.0, 0.005, 0.5, 0.995, 1.0, 0.02])
    assert saturated_fraction(s, "sigmoid") == pytest.approx(4 / 6)


# -- probes of hand-made networks ---------------------------------------------------------------

def test_half_the_relu_units_dead():
    """Inputs are positive; units 1 and 2 see +x, units 3 and 4 see -x: exactly half are dead."""
    model = net((4,), "relu")
    set_layer(model.linears[0], [[1, 0], [0, 1], [-1, 0], [0, -1]], [0, 0, 0, 0])
    x, y = batch()
    hidden, output = Prober().probe(model, bce, x, y)
    assert hidden.layer == 1 and hidden.activation == "relu"
    assert hidden.dead_fraction == 0.5
    assert hidden.saturated_fraction is None
    assert output.layer == 2 and output.activation == "output"
    assert output.dead_fraction is None and output.saturated_fraction is None
    assert output.act_hist.size == 0


def test_no_dead_units_and_all_dead_units():
    model = net((4,), "relu")
    set_layer(model.linears[0], [[1, 1]] * 4, [0] * 4)
    x, y = batch()
    assert Prober().probe(model, bce, x, y)[0].dead_fraction == 0.0
    set_layer(model.linears[0], [[-1, -1]] * 4, [0] * 4)
    assert Prober().probe(model, bce, x, y)[0].dead_fraction == 1.0


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_huge_weights_saturate_tiny_weights_do_not(activation):
    model = net((4,), activation)
    x, y = batch(lo=0.5, hi=5.0)
    x = x * torch.where(torch.rand(x.shape, generator=torch.Generator().manual_seed(3)) > 0.5, 1.0, -1.0)
    # Each unit sees one coordinate (|x| >= 0.5) times +-1000: |Wx| >= 500.
    set_layer(model.linears[0], [[1000, 0], [0, 1000], [-1000, 0], [0, -1000]], [0] * 4)
    probe = Prober().probe(model, bce, x, y)[0]
    assert probe.saturated_fraction == 1.0
    assert probe.dead_fraction is None
    set_layer(model.linears[0], [[1e-3, 0], [0, 1e-3], [-1e-3, 0], [0, -1e-3]], [0] * 4)
    assert Prober().probe(model, bce, x, y)[0].saturated_fraction == 0.0


def test_histograms_count_every_value():
    model = net((5, 3), "relu", seed=2)
    x, y = batch(n=100, lo=-5, hi=5)
    probes = Prober().probe(model, bce, x, y)
    assert [p.layer for p in probes] == [1, 2, 3]
    for p, units in zip(probes[:2], (5, 3), strict=True):
        assert p.act_hist.sum() == 100 * units
        assert p.act_hist.shape == (limits.HISTOGRAM_BINS,)
    for p, lin in zip(probes, model.linears, strict=True):
        assert p.weight_hist.sum() == lin.weight.numel()
        assert p.weight_hist.shape == (limits.HISTOGRAM_BINS,)


def test_bins_are_fixed_at_the_first_probe():
    model = net((6,), "relu", seed=4)
    x, y = batch(n=50, lo=-5, hi=5)
    prober = Prober()
    prober.probe(model, bce, x, y)
    act_edges = [e.copy() for e in prober.act_edges]
    weight_edges = [e.copy() for e in prober.weight_edges]
    assert all(len(e) == limits.HISTOGRAM_BINS + 1 for e in act_edges + weight_edges)
    assert all(e[0] == -e[-1] for e in weight_edges)  # symmetric about 0
    assert all(e[-1] >= 1.5 * float(lin.weight.detach().abs().max()) for e, lin in zip(weight_edges, model.linears,
                                                                                    strict=True))
    with torch.no_grad():
        for lin in model.linears:
            lin.weight.mul_(10.0)  # far outside the first bins
    probes = prober.probe(model, bce, x, y)
    for before, now in zip(act_edges + weight_edges, prober.act_edges + prober.weight_edges, strict=True):
        assert np.array_equal(before, now)
    # Values beyond the bins land in the end bins: nothing is lost.
    assert probes[0].act_hist.sum() == 50 * 6
    assert probes[0].weight_hist.sum() == model.linears[0].weight.numel()
    assert probes[0].weight_hist[0] + probes[0].weight_hist[-1] > 0


def test_bounded_activations_get_their_output_range_as_bins():
    model = net((3, 3), "tanh")
    x, y = batch()
    prober = Prober()
    prober.probe(model, bce, x, y)
    assert np.allclose(prober.act_edges[0], np.linspace(-1, 1, limits.HISTOGRAM_BINS + 1))
    model = net((3,), "sigmoid")
    prober = Prober()
    prober.probe(model, bce, x, y)
    assert np.allclose(prober.act_edges[0], np.linspace(0, 1, limits.HISTOGRAM_BINS + 1))


def test_gradient_and_weight_norms_match_autograd():
    model = net((8, 4), "tanh", dropout=0.3, seed=5)
    x, y = batch(n=40, lo=-4, hi=4)
    generator = model.dropout.generator
    state = generator.get_state()
    probes = Prober().probe(model, bce, x, y)
    assert model.training  # put back as it was
    assert torch.equal(state, generator.get_state())  # no dropout mask drawn
    model.eval()
    weights = [lin.weight for lin in model.linears]
    grads = torch.autograd.grad(bce(model(x), y), weights)
    for p, g, w in zip(probes, grads, weights, strict=True):
        assert p.grad_norm == pytest.approx(float(g.norm()), rel=1e-6)
        assert p.weight_norm == pytest.approx(float(w.detach().norm()), rel=1e-6)
        assert p.grad_norm > 0
    assert all(p.grad is None for p in model.parameters())  # probing leaves no .grad behind


def test_activation_stats_and_sparsity():
    model = net((4,), "linear")
    set_layer(model.linears[0], [[1, 0], [0, 1], [0, 0], [0, 0]], [0, 0, 0, 0])
    x, y = batch(n=30)
    probe = Prober().probe(model, bce, x, y)[0]
    expected = torch.cat([x, torch.zeros(30, 2)], dim=1)
    assert probe.act_mean == pytest.approx(float(expected.mean()), rel=1e-6)
    assert probe.act_std == pytest.approx(float(expected.std()), rel=1e-6)
    assert probe.weight_sparsity == 0.75  # six of eight weights are 0


# -- history ------------------------------------------------------------------------------------

def metrics(epoch: int) -> Metrics:
    return Metrics(update=25 * epoch, epoch=float(epoch), train_loss=1.0 / (epoch + 1), test_loss=2.0 / (epoch + 1),
                   train_acc=0.5, test_acc=0.25)


@pytest.mark.parametrize(("max_points", "epochs"), [(10, 100), (10, 10), (7, 1000), (2000, 50), (1, 20)])
def test_history_thins_evenly_and_keeps_the_first_row(max_points, epochs):
    h = History(max_points=max_points)
    for e in range(epochs + 1):
        h.offer(e, metrics(e))
        assert len(h) <= max_points
    table = h.as_arrays()
    assert set(table) == set(COLUMNS)
    kept = table["epoch"]
    assert kept[0] == 0
    steps = np.diff(kept)
    assert len(set(steps.tolist())) <= 1  # evenly strided
    assert np.array_equal(kept, np.arange(0, epochs + 1, h.stride, dtype=np.float64))
    # Each row is the metrics of its epoch.
    assert np.array_equal(table["update"], 25 * kept)
    assert np.array_equal(table["train_loss"], 1.0 / (kept + 1))


def test_history_without_thinning_keeps_everything():
    h = History(max_points=50)
    for e in range(30):
        h.offer(e, metrics(e))
    assert len(h) == 30 and h.stride == 1


def test_history_of_nothing():
    table = History().as_arrays()
    assert all(len(v) == 0 for v in table.values())

"""The MLP builder: shapes, activations, initialization schemes, and that every random draw
(weights, dropout masks) comes from the generator it is given."""

from __future__ import annotations

import math

import pytest
import torch
from torch import nn

from ffnviz.nn import build_mlp
from ffnviz.nn.activations import ACTIVATION_MODULES
from ffnviz.nn.dropout import SeededDropout
from ffnviz.specs import ACTIVATIONS, ModelSpec


def gen(seed: int = 0) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def weights_of(model) -> list[torch.Tensor]:
    return [t.detach().clone() for t in model.state_dict().values()]


@pytest.mark.parametrize("depth", range(9))
@pytest.mark.parametrize("out_dim", [1, 3])
def test_output_shape_for_every_depth(depth, out_dim):
    spec = ModelSpec(hidden=tuple(range(3, 3 + depth)), activation="relu")
    model = build_mlp(spec, 2, out_dim, gen())
    assert model(torch.zeros(7, 2)).shape == (7, out_dim)
    assert len(model.linears) == depth + 1
    assert len(model.hidden_linears) == depth
    assert [lin.out_features for lin in model.linears] == [*spec.hidden, out_dim]
    out, pre, post = model.forward_with_hidden(torch.ones(5, 2))
    assert out.shape == (5, out_dim)
    assert [p.shape for p in pre] == [(5, u) for u in spec.hidden]
    assert [p.shape for p in post] == [(5, u) for u in spec.hidden]


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_every_activation_is_applied(name):
    spec = ModelSpec(hidden=(6, 5), activation=name, init="xavier")
    model = build_mlp(spec, 2, 1, gen())
    assert model.activation_names == (name, name)
    assert all(isinstance(a, ACTIVATION_MODULES[name]) for a in model.activations)
    x = torch.randn(9, 2, generator=gen(1))
    out, pre, post = model.forward_with_hidden(x)
    for z, a in zip(pre, post, strict=True):
        assert torch.equal(a, ACTIVATION_MODULES[name]()(z))
    # The output is the linear output layer on the last activations: y = W h + b.
    last = model.linears[-1]
    assert torch.allclose(out, post[-1] @ last.weight.T + last.bias)
    assert torch.allclose(model(x), out)


def test_per_layer_activations():
    spec = ModelSpec(hidden=(3, 3, 3), activation="relu", layer_activations=("tanh", "linear", "sigmoid"))
    model = build_mlp(spec, 2, 1, gen())
    assert model.activation_names == ("tanh", "linear", "sigmoid")
    _, pre, post = model.forward_with_hidden(torch.randn(4, 2, generator=gen(2)))
    assert torch.equal(post[0], torch.tanh(pre[0]))
    assert torch.equal(post[1], pre[1])
    assert torch.equal(post[2], torch.sigmoid(pre[2]))


def test_each_hidden_layer_is_f_of_wx_plus_b():
    model = build_mlp(ModelSpec(hidden=(4, 3), activation="tanh"), 2, 1, gen())
    x = torch.randn(6, 2, generator=gen(3))
    _, pre, post = model.forward_with_hidden(x)
    w, b = model.linears[0].weight, model.linears[0].bias
    assert torch.allclose(pre[0], x @ w.T + b)
    assert torch.allclose(post[0], torch.tanh(x @ w.T + b))


# -- initialization -----------------------------------------------------------------------------

SHAPE = ModelSpec(hidden=(64, 32), activation="relu")


def test_playground_init():
    model = build_mlp(ModelSpec(hidden=(64, 32), init="playground"), 2, 1, gen())
    for lin in model.linears:
        assert lin.weight.min() >= -0.5 and lin.weight.max() <= 0.5
        assert torch.all(lin.bias == 0.1)
    big = model.linears[1].weight.detach()  # 2048 draws: spread over the whole interval
    assert big.min() < -0.45 and big.max() > 0.45
    assert abs(float(big.mean())) < 0.05


def test_zeros_init():
    model = build_mlp(ModelSpec(hidden=(5, 4), init="zeros"), 2, 1, gen())
    for lin in model.linears:
        assert torch.all(lin.weight == 0) and torch.all(lin.bias == 0)


def test_xavier_init():
    model = build_mlp(ModelSpec(hidden=(64, 32), init="xavier"), 2, 1, gen())
    for lin in model.linears:
        fan_out, fan_in = lin.weight.shape
        bound = math.sqrt(6 / (fan_in + fan_out))
        assert lin.weight.abs().max() <= bound
        assert torch.all(lin.bias == 0)
    w = model.linears[1].weight
    assert w.abs().max() > 0.9 * math.sqrt(6 / 96)


def test_he_init():
    model = build_mlp(ModelSpec(hidden=(64, 64), init="he"), 2, 1, gen())
    for lin in model.linears:
        assert torch.all(lin.bias == 0)
    w = model.linears[1].weight.detach()  # 4096 normal draws with std sqrt(2 / fan_in)
    assert abs(float(w.std()) - math.sqrt(2 / 64)) < 0.1 * math.sqrt(2 / 64)
    assert abs(float(w.mean())) < 0.02


def test_default_init_is_torch_linear_bounds():
    model = build_mlp(ModelSpec(hidden=(64, 32), init="default"), 2, 1, gen())
    for lin in model.linears:
        bound = 1 / math.sqrt(lin.weight.shape[1])
        assert lin.weight.abs().max() <= bound
        assert lin.bias.abs().max() <= bound
        assert lin.weight.abs().max() > 0.8 * bound
    assert not torch.all(model.linears[1].bias == 0)


@pytest.mark.parametrize("init", ["default", "xavier", "he", "playground"])
def test_same_seed_same_weights_and_torch_global_seed_changes_nothing(init):
    spec = ModelSpec(hidden=(8, 8), init=init)
    torch.manual_seed(1)
    a = build_mlp(spec, 2, 1, gen(5))
    torch.manual_seed(2)
    state = torch.get_rng_state()
    b = build_mlp(spec, 2, 1, gen(5))
    assert torch.equal(state, torch.get_rng_state())  # the global generator was not drawn from
    c = build_mlp(spec, 2, 1, gen(6))
    assert all(torch.equal(x, y) for x, y in zip(weights_of(a), weights_of(b), strict=True))
    assert not torch.equal(a.linears[0].weight, c.linears[0].weight)


def test_initialization_draws_from_the_given_generator():
    g = gen(0)
    before = g.get_state()
    build_mlp(ModelSpec(hidden=(4,), init="playground"), 2, 1, g)
    assert not torch.equal(before, g.get_state())


def test_unknown_spec_is_refused():
    with pytest.raises(ValueError, match="activation"):
        build_mlp(ModelSpec(activation="swish"), 2, 1, gen())


# -- dropout ------------------------------------------------------------------------------------

def test_seeded_dropout_masks_come_from_its_generator():
    x = torch.ones(50, 40)
    drop_a, drop_b = SeededDropout(0.3, gen(9)), SeededDropout(0.3, gen(9))
    torch.manual_seed(123)
    a = drop_a(x)
    torch.manual_seed(456)
    b = drop_b(x)
    assert torch.equal(a, b)
    # Kept units are scaled by 1 / (1 - p); about 30 % are dropped.
    values = torch.unique(a).tolist()
    assert len(values) == 2 and values[0] == 0.0 and values[1] == pytest.approx(1 / 0.7)
    assert 0.25 < float((a == 0).float().mean()) < 0.35
    # The next mask is another one (the generator moved on).
    assert not torch.equal(drop_a(x), a)


def test_seeded_dropout_same_generator_state_same_mask():
    g = gen(4)
    drop = SeededDropout(0.5, g)
    state = g.get_state()
    a = drop(torch.ones(10, 10))
    g.set_state(state)
    assert torch.equal(drop(torch.ones(10, 10)), a)


def test_seeded_dropout_eval_and_p0_are_identity():
    x = torch.randn(8, 8, generator=gen(1))
    g = gen(2)
    state = g.get_state()
    drop = SeededDropout(0.5, g).eval()
    assert drop(x) is x
    assert SeededDropout(0.0, g)(x) is x
    assert torch.equal(state, g.get_state())  # no draw at all


def test_model_dropout_uses_the_dropout_generator():
    spec = ModelSpec(hidden=(16, 16), activation="relu", dropout=0.3)
    x = torch.randn(20, 2, generator=gen(0))
    a = build_mlp(spec, 2, 1, gen(1), dropout_generator=gen(7))
    b = build_mlp(spec, 2, 1, gen(1), dropout_generator=gen(7))
    c = build_mlp(spec, 2, 1, gen(1), dropout_generator=gen(8))
    torch.manual_seed(0)
    ya = a(x)
    torch.manual_seed(1)
    yb = b(x)
    assert torch.equal(ya, yb)
    assert not torch.equal(ya, c(x))
    a.eval()
    c.eval()
    assert torch.equal(a(x), c(x))  # same weights; dropout off


def test_dropout_is_not_applied_to_the_output():
    model = build_mlp(ModelSpec(hidden=(), dropout=0.9), 2, 3, gen())
    x = torch.randn(4, 2, generator=gen(0))
    assert torch.equal(model(x), nn.functional.linear(x, model.linears[0].weight, model.linears[0].bias))

"""The CNN builder, its shape calculator and the MLP baseline's width."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import torch
from torch import nn

from ffnviz.nn.cnn import CNN, ImageMLP, build_cnn
from ffnviz.specs.conv import (
    HEADS,
    ConvLayerSpec,
    ConvModelSpec,
    conv_size,
    layer_shapes,
    mlp_baseline_hidden,
    mlp_parameter_count,
    parameter_count,
    pool_size,
)


def gen(seed: int = 0) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def _formula_conv(n, k, s, p):
    return math.floor((n + 2 * p - k) / s) + 1


# -- specs --------------------------------------------------------------------------------------

def test_default_specs_validate():
    assert ConvModelSpec().validate() == ConvModelSpec()
    assert len(ConvModelSpec().layers) == 2


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"out_channels": 0}, "out_channels", "1..16"),
    ({"out_channels": 17}, "out_channels", "1..16"),
    ({"kernel": 8}, "kernel", "1..7"),
    ({"kernel": 2.5}, "kernel", "whole number"),
    ({"stride": 4}, "stride", "1..3"),
    ({"padding": 4}, "padding", "0..3"),
    ({"activation": "swish"}, "activation", "relu"),
    ({"pool": "min"}, "pool", "max, avg, none"),
])
def test_layer_problems_name_the_layer_field_and_range(change, field, words):
    spec = ConvModelSpec(layers=(ConvLayerSpec(), ConvLayerSpec(**change)))
    found = spec.problems()
    assert [f for f, _ in found] == [f"layers[1].{field}"]
    assert words in found[0][1] and found[0][1].startswith("layers[1].")
    with pytest.raises(ValueError, match=field):
        build_cnn(spec, (1, 16, 16), 5)


@pytest.mark.parametrize("layers", [(), (ConvLayerSpec(),) * 4, [ConvLayerSpec()], ("conv",)])
def test_one_to_three_layer_specs(layers):
    found = ConvModelSpec(layers=layers).problems()
    assert found and found[0][0].startswith("layers")


def test_kind_mlp_hidden_and_head_are_checked():
    assert [f for f, _ in ConvModelSpec(kind="rnn").problems()] == ["kind"]
    assert [f for f, _ in ConvModelSpec(mlp_hidden=0).problems()] == ["mlp_hidden"]
    found = ConvModelSpec(head="global_min").problems()
    assert [f for f, _ in found] == ["head"] and "flatten, global_max, global_avg" in found[0][1]


# -- the shape calculator -----------------------------------------------------------------------

def test_sizes_follow_the_formulas_and_torch():
    for n, k, s, p in itertools.product((1, 2, 5, 8, 13, 24), (1, 2, 3, 5, 7), (1, 2, 3), (0, 1, 3)):
        assert conv_size(n, k, s, p) == _formula_conv(n, k, s, p)
        if _formula_conv(n, k, s, p) >= 1:
            out = nn.Conv2d(1, 1, k, s, p)(torch.zeros(1, 1, n, n))
            assert out.shape[-1] == conv_size(n, k, s, p), (n, k, s, p)
    for n in range(1, 25):
        assert pool_size(n) == math.floor((n - 2) / 2) + 1
        if n >= 2:
            assert nn.MaxPool2d(2)(torch.zeros(1, 1, n, n)).shape[-1] == pool_size(n)
            assert nn.AvgPool2d(2)(torch.zeros(1, 1, n, n)).shape[-1] == pool_size(n)


def test_default_cnn_on_digits_by_hand():
    rows = layer_shapes(ConvModelSpec(), (1, 8, 8), 10)
    assert [(r.name, r.output, r.params) for r in rows] == [
        ("conv1", (8, 8, 8), 8 * (1 * 9 + 1)),
        ("pool1", (8, 4, 4), 0),
        ("conv2", (16, 4, 4), 16 * (8 * 9 + 1)),
        ("pool2", (16, 2, 2), 0),
        ("linear", (10,), 16 * 2 * 2 * 10 + 10),
    ]
    assert all(r.problem is None for r in rows)
    assert parameter_count(ConvModelSpec(), (1, 8, 8), 10) == 80 + 1168 + 650


def _random_specs(count: int, seed: int = 0) -> list[ConvModelSpec]:
    rng = np.random.default_rng(seed)
    specs = []
    for _ in range(count):
        layers = tuple(
            ConvLayerSpec(int(rng.integers(1, 17)), int(rng.integers(1, 8)), int(rng.integers(1, 4)),
                          int(rng.integers(0, 4)), "relu", str(rng.choice(["max", "avg", "none"])))
            for _ in range(int(rng.integers(1, 4))))
        specs.append(ConvModelSpec(layers=layers, head=str(rng.choice(HEADS))))
    return specs


@pytest.mark.parametrize("side", [8, 12, 16, 24])
def test_calculator_agrees_with_the_built_model(side):
    """Over a grid of random 1-3 layer settings: every setting the calculator accepts builds a
    model whose every feature map has the calculated shape, whose logits are (B, k) and whose
    parameters number what it says; every setting it refuses fails to build."""
    in_shape, n_classes = (1, side, side), 5
    fitted = refused = 0
    for spec in _random_specs(120, seed=side):
        rows = layer_shapes(spec, in_shape, n_classes)
        problems = [r.problem for r in rows if r.problem]
        if problems:
            refused += 1
            assert len(problems) == 1 and rows[-1].problem  # the problem ends the table
            assert min(rows[-1].output[1:]) < 1
            with pytest.raises(ValueError, match="pixels"):
                build_cnn(spec, in_shape, n_classes, gen())
            continue
        fitted += 1
        model = build_cnn(spec, in_shape, n_classes, gen())
        x = torch.rand(3, *in_shape, generator=gen(1))
        maps = model.feature_maps(x)
        assert model.names == [r.name for r in rows[:-1]]
        assert [tuple(m.shape[1:]) for m in maps] == [r.output for r in rows[:-1]]
        assert tuple(model(x).shape) == (3, n_classes)
        assert sum(p.numel() for p in model.parameters()) == sum(r.params for r in rows)
        conv_params = [sum(p.numel() for p in b["conv"].parameters()) for b in model.blocks]
        assert conv_params == [r.params for r in rows if r.name.startswith("conv")]
    assert fitted > 10 and refused > 10  # the grid reaches both outcomes


@pytest.mark.parametrize("head", ["global_max", "global_avg"])
def test_a_global_head_pools_each_map_to_one_number(head):
    spec = ConvModelSpec(head=head)
    rows = layer_shapes(spec, (1, 16, 16), 5)
    assert [(r.name, r.output, r.params) for r in rows[-3:]] == [
        ("pool2", (16, 4, 4), 0), ("gpool", (16, 1, 1), 0), ("linear", (5,), 16 * 5 + 5)]
    assert parameter_count(spec, (1, 16, 16), 5) == 80 + 1168 + 85
    model = build_cnn(spec, (1, 16, 16), 5, gen())
    x = torch.rand(4, 1, 16, 16, generator=gen(1))
    *_, pooled, pooled_global = model.feature_maps(x)
    reduce = torch.amax if head == "global_max" else torch.mean
    assert torch.equal(pooled_global, reduce(pooled, dim=(2, 3), keepdim=True))
    assert torch.allclose(model(x), model.classifier(pooled_global.flatten(1)))
    # the MLP baseline of a global-head CNN is narrower: fewer parameters to match
    assert mlp_baseline_hidden(1333, 256, 5) < mlp_baseline_hidden(parameter_count(ConvModelSpec(), (1, 16, 16), 5), 256, 5)


def test_global_max_answers_alike_wherever_a_pattern_lies_and_flatten_does_not():
    """A small cross moved by 4 pixels (the two poolings' stride) on a blank image, far enough from
    the edges that no layer's window meets the zero padding around it: every map moves with it,
    the same numbers elsewhere, so the maximum of each map, and the answer, stay the same. A
    flattening head reads each position with its own weight."""
    image = torch.zeros(2, 1, 24, 24)
    for b, left in enumerate((8, 12)):
        image[b, 0, 11, left:left + 3] = 1.0
        image[b, 0, 10:13, left + 1] = 1.0
    pooled = build_cnn(ConvModelSpec(head="global_max"), (1, 24, 24), 5, gen(3))(image)
    assert torch.equal(pooled[0], pooled[1])
    flat = build_cnn(ConvModelSpec(), (1, 24, 24), 5, gen(3))(image)
    assert not torch.allclose(flat[0], flat[1])


def test_too_small_outputs_are_flagged_with_the_formula():
    spec = ConvModelSpec(layers=(ConvLayerSpec(kernel=7, padding=0), ConvLayerSpec(kernel=7, padding=0)))
    rows = layer_shapes(spec, (1, 8, 8), 10)
    assert [r.name for r in rows] == ["conv1", "pool1", "conv2"]
    assert rows[-1].output == (8, -5, -5)
    assert "conv2" in rows[-1].problem and "⌊(1 + 2·0 − 7)/1⌋ + 1 = -5" in rows[-1].problem
    pool = ConvModelSpec(layers=(ConvLayerSpec(),) * 3)
    rows = layer_shapes(pool, (1, 4, 4))
    assert rows[-1].name == "pool3" and rows[-1].output == (8, 0, 0) and "pool3" in rows[-1].problem
    assert layer_shapes(pool, (1, 8, 8))[-1].problem is None  # 8 -> 4 -> 2 -> 1 fits


# -- building -----------------------------------------------------------------------------------

def test_weights_are_torchs_own_draws_from_the_generator():
    spec = ConvModelSpec(layers=(ConvLayerSpec(4, 5, 1, 2), ConvLayerSpec(6, 3, 2, 0, pool="none")))
    model = build_cnn(spec, (1, 12, 12), 5, gen(11))
    torch.manual_seed(11)  # torch's own layers, built in the same order, from the global generator
    reference = [nn.Conv2d(1, 4, 5, 1, 2), nn.Conv2d(4, 6, 3, 2, 0), nn.Linear(6 * 2 * 2, 5)]
    ours = [model.blocks[0]["conv"], model.blocks[1]["conv"], model.classifier]
    for ref, mine in zip(reference, ours, strict=True):
        assert torch.equal(ref.weight, mine.weight) and torch.equal(ref.bias, mine.bias)


def test_same_generator_state_same_weights_and_global_rng_untouched():
    state = torch.get_rng_state()
    a, b, c = (build_cnn(ConvModelSpec(), (1, 8, 8), 10, gen(s)) for s in (2, 2, 3))
    mlp = build_cnn(ConvModelSpec(kind="mlp"), (1, 8, 8), 10, gen(2))
    assert torch.equal(state, torch.get_rng_state())
    for (name, p), q, r in zip(a.state_dict().items(), b.state_dict().values(), c.state_dict().values(), strict=True):
        assert torch.equal(p, q) and not torch.equal(p, r), name
    assert isinstance(a, CNN) and isinstance(mlp, ImageMLP)


def test_kernels_and_the_mlp_baseline():
    model = build_cnn(ConvModelSpec(), (1, 16, 16), 5, gen())
    assert [tuple(k.shape) for k in model.kernels()] == [(8, 1, 3, 3), (16, 8, 3, 3)]
    mlp = build_cnn(ConvModelSpec(kind="mlp", mlp_hidden=7, layers=(ConvLayerSpec(activation="tanh"),)),
                    (1, 16, 16), 5, gen())
    assert isinstance(mlp.act, nn.Tanh)  # the first conv layer's activation
    assert sum(p.numel() for p in mlp.parameters()) == mlp_parameter_count(7, 256, 5) == 7 * 257 + 5 * 8
    assert parameter_count(ConvModelSpec(kind="mlp", mlp_hidden=7), (1, 16, 16), 5) == mlp_parameter_count(7, 256, 5)
    assert tuple(mlp(torch.zeros(2, 1, 16, 16)).shape) == (2, 5)


@pytest.mark.parametrize(("params", "n_in", "k"), [(1898, 64, 10), (2533, 256, 5), (100, 64, 10), (789, 256, 5),
                                                   (40_000, 576, 5)])
def test_baseline_width_has_the_closest_parameter_count(params, n_in, k):
    h = mlp_baseline_hidden(params, n_in, k)
    best = min(abs(mlp_parameter_count(w, n_in, k) - params) for w in range(1, 2049))
    assert abs(mlp_parameter_count(h, n_in, k) - params) == best


def test_baseline_width_ties_go_to_the_narrower_and_stay_in_range():
    # in 9, k 2: h·12 + 2 parameters, so 14 (h = 1) and 26 (h = 2); 20 is half-way.
    assert mlp_parameter_count(1, 9, 2) == 14 and mlp_parameter_count(2, 9, 2) == 26
    assert mlp_baseline_hidden(20, 9, 2) == 1 and mlp_baseline_hidden(21, 9, 2) == 2
    assert mlp_baseline_hidden(3, 64, 10) == 1
    assert mlp_baseline_hidden(10**8, 64, 10) == 2048

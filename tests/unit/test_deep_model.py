"""The deep network's builders: initialization for the activation, normalization layers, residual
connections, and the spec's checks (caps, BatchNorm with a batch of one, schedules that make no sense)."""

from __future__ import annotations

import statistics
from dataclasses import replace

import pytest
import torch

from ffnviz import limits
from ffnviz.nn.deep import activation_gain, build_deep
from ffnviz.specs.deep import DeepDataSpec, DeepModelSpec, DeepRunSpec, deep_from_flat, deep_to_flat
from ffnviz.specs.run import TrainSpec
from ffnviz.specs.schedule import ScheduleSpec, StopSpec
from ffnviz.train.probes import saturated_fraction


def _stds(spec: DeepModelSpec, seed: int = 0, inputs: int = 64) -> list[float]:
    model = build_deep(spec, inputs, 10, torch.Generator().manual_seed(seed))
    x = torch.randn(512, inputs, generator=torch.Generator().manual_seed(100 + seed))
    with torch.no_grad():
        _, _, post = model.forward_with_hidden(x)
    return [float(h.std()) for h in post]


def test_he_initialized_relu_layers_keep_the_activations_std_within_a_factor_of_two_over_20_layers():
    """In expectation He keeps the variance exactly; a finite layer's draw moves it a little, and
    over 20 layers of 64 units one network may drift past 2 (seed 4: 2.2), so the claim is the
    median over seeds 0-4 at width 64, and every seed at width 256."""
    ratios = [max(s) / min(s) for s in (_stds(DeepModelSpec(depth=20, width=64, activation="relu", init="he"), seed)
                                        for seed in range(5))]
    assert statistics.median(ratios) < 2.0
    for seed in range(5):
        stds = _stds(DeepModelSpec(depth=20, width=256, activation="relu", init="he"), seed)
        assert max(stds) / min(stds) < 2.0, seed


def test_small_normal_weights_make_activations_vanish_layer_by_layer_and_large_ones_saturate_tanh():
    small = _stds(DeepModelSpec(depth=10, width=64, activation="tanh", init="normal", init_scale=0.01))
    assert all(b < a / 5 for a, b in zip(small, small[1:], strict=False))  # shrinks at every layer
    assert small[-1] < 1e-6
    model = build_deep(DeepModelSpec(depth=10, width=64, activation="tanh", init="normal", init_scale=1.0), 64, 10,
                       torch.Generator().manual_seed(0))
    with torch.no_grad():
        _, _, post = model.forward_with_hidden(torch.randn(512, 64))
    assert saturated_fraction(post[-1], "tanh") > 0.6  # most units at ±1 (0.76 here)
    alive = _stds(DeepModelSpec(depth=10, width=64, activation="tanh", init="xavier"))
    assert min(alive) > 0.3


def test_orthogonal_weights_are_orthogonal_times_the_gain():
    model = build_deep(DeepModelSpec(depth=3, width=32, activation="tanh", init="orthogonal"), 32, 2,
                       torch.Generator().manual_seed(0))
    w = model.linears[1].weight.detach()
    gain = activation_gain("tanh")
    assert gain == pytest.approx(torch.nn.init.calculate_gain("tanh"))
    assert torch.allclose(w @ w.T, gain**2 * torch.eye(32), atol=1e-4)


def test_the_relu_family_takes_relus_gain():
    assert activation_gain("gelu") == activation_gain("relu") == pytest.approx(2**0.5)
    assert activation_gain("sigmoid") == 1.0


@pytest.mark.parametrize("norm", ["batch", "layer", "rms"])
def test_each_norm_normalizes_what_it_says(norm):
    model = build_deep(DeepModelSpec(depth=2, width=16, init="normal", init_scale=3.0, norm=norm), 4, 2,
                       torch.Generator().manual_seed(0))
    x = torch.randn(64, 4) * 5 + 2
    with torch.no_grad():
        _, pre, _ = model.forward_with_hidden(x)
    z = pre[1]
    if norm == "batch":  # each unit over the batch
        assert torch.allclose(z.mean(0), torch.zeros(16), atol=1e-4)
        assert torch.allclose(z.var(0, unbiased=False), torch.ones(16), atol=1e-2)
    elif norm == "layer":  # each example over its units
        assert torch.allclose(z.mean(1), torch.zeros(64), atol=1e-4)
    else:  # root mean square 1 per example
        assert torch.allclose(z.pow(2).mean(1).sqrt(), torch.ones(64), atol=1e-3)


def test_batchnorm_trains_on_a_batch_of_one_with_its_running_statistics():
    model = build_deep(DeepModelSpec(depth=2, width=8, norm="batch"), 2, 1, torch.Generator().manual_seed(0))
    model.train()
    out = model(torch.randn(1, 2))
    out.sum().backward()
    assert torch.isfinite(out).all()


def test_residual_connections_carry_the_signal_past_layers_that_output_zero():
    spec = DeepModelSpec(depth=5, width=8, activation="relu", init="zeros", residual=True)
    model = build_deep(spec, 8, 2, torch.Generator())
    with torch.no_grad():
        model.linears[0].weight.copy_(torch.eye(8))
        _, _, post = model.forward_with_hidden(torch.ones(3, 8))
    assert all(torch.equal(h, torch.ones(3, 8)) for h in post)  # relu(0) = 0 added to the carried input
    plain = build_deep(replace(spec, residual=False), 8, 2, torch.Generator())
    with torch.no_grad():
        _, _, post = plain.forward_with_hidden(torch.ones(3, 8))
    assert float(post[-1].abs().sum()) == 0.0


@pytest.mark.parametrize("norm", ["none", "batch", "layer", "rms"])
def test_the_parameter_count_the_spec_caps_is_the_models(norm):
    spec = DeepRunSpec(data=DeepDataSpec(dataset="digits"), model=DeepModelSpec(depth=4, width=16, norm=norm))
    model = build_deep(spec.model, spec.data.inputs, spec.data.outputs, torch.Generator())
    assert spec.parameters == sum(p.numel() for p in model.parameters())


def test_beyond_the_cap_on_parameters_times_batch_is_refused_naming_the_cap():
    spec = DeepRunSpec(model=DeepModelSpec(depth=30, width=256), train=TrainSpec(batch_size=256))
    message = " ".join(m for _, m in spec.problems())
    assert f"{limits.DEEP_WORK:,}" in message and "parameters" in message
    assert not DeepRunSpec(model=DeepModelSpec(depth=30, width=64), train=TrainSpec(batch_size=128)).problems()


def test_batchnorm_with_a_batch_of_one_is_explained():
    spec = DeepRunSpec(model=DeepModelSpec(norm="batch"), train=TrainSpec(batch_size=1))
    [(field, message)] = spec.problems()
    assert field == "train.batch_size" and "BatchNorm" in message and "LayerNorm" in message


def test_a_warm_up_longer_than_the_run_is_a_message():
    spec = DeepRunSpec(schedule=ScheduleSpec("warmup_cosine", warmup=5000), train=TrainSpec(max_updates=3000))
    [(field, message)] = spec.problems()
    assert field == "schedule.warmup" and "5000" in message and "3000" in message
    assert DeepRunSpec(schedule=ScheduleSpec("warmup_cosine", warmup=0)).problems()


@pytest.mark.parametrize("value", [0, 31])
def test_depth_outside_its_range_names_the_range(value):
    [(field, message)] = DeepModelSpec(depth=value).problems()
    assert field == "depth" and str(limits.DEEP_DEPTH) in message


def test_the_run_round_trips_through_its_flat_form_and_a_bad_link_keeps_the_run():
    spec = DeepRunSpec(data=DeepDataSpec(dataset="digits"), model=DeepModelSpec(norm="rms", residual=True),
                       schedule=ScheduleSpec("onecycle"), stop=StopSpec(enabled=True, patience=5))
    assert deep_from_flat(deep_to_flat(spec)) == (spec, [])
    got, errors = deep_from_flat({"model.depth": "30", "model.width": "256", "train.batch_size": "500"}, spec)
    assert got == spec and "20,000,000" in errors[0]
    got, errors = deep_from_flat({"model.norm": "group"}, spec)
    assert got == spec and "model.norm" in errors[0]

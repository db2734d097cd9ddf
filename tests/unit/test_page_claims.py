"""What the playground's labels and captions claim holds at the settings they describe."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from ffnviz.lessons import LESSONS
from ffnviz.specs import PLAYGROUND_DEFAULT, DataSpec, ModelSpec, OptimSpec, RegSpec, RunSpec
from ffnviz.train.history import History
from ffnviz.train.loss_trend import loss_not_falling
from ffnviz.train.trainer import Trainer
from ffnviz.viz.formulas import network_latex


def trained(spec: RunSpec, epochs: int) -> Trainer:
    t = Trainer(spec)
    for _ in range(epochs):
        t.step(t.updates_left_in_epoch)
    return t


def hidden_weights(t: Trainer) -> list[torch.Tensor]:
    return [lin.weight.detach() for lin in t.model.linears[:-1]]


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_zeros_init_gives_tanh_and_relu_no_hidden_gradient(activation):
    """init_zeros: f(0) = 0 makes every hidden output 0, and W_out = 0 stops every gradient
    below it, so nothing but the output bias ever moves (it is not a symmetry story)."""
    t = trained(RunSpec(data=DataSpec(dataset="circle"), model=ModelSpec(hidden=(4, 2), activation=activation,
                                                                         init="zeros")), 5)
    assert all(torch.count_nonzero(w) == 0 for w in hidden_weights(t))
    assert torch.count_nonzero(t.model.linears[-1].weight) == 0


def test_zeros_init_with_sigmoid_is_the_symmetric_case():
    t = trained(RunSpec(data=DataSpec(dataset="circle"), model=ModelSpec(hidden=(4,), activation="sigmoid",
                                                                         init="zeros")), 5)
    (w,) = hidden_weights(t)
    assert torch.count_nonzero(w) > 0 and torch.allclose(w, w[:1].expand_as(w))  # moving, all units alike


@pytest.mark.parametrize(("init", "gain_sq"), [("xavier", None), ("he", 2.0)])
def test_xavier_and_he_use_a_fixed_gain_whatever_the_activation(init, gain_sq):
    """init_xavier / init_he: gain 1 (Xavier) and ReLU's √2 (He), also under tanh or sigmoid."""
    t = Trainer(RunSpec(model=ModelSpec(hidden=(64, 64, 64), activation="sigmoid", init=init)))
    w = torch.cat([lin.weight.detach().double() for lin in t.model.linears[1:3]])
    fan_in = fan_out = 64
    expected = 2.0 / (fan_in + fan_out) if gain_sq is None else gain_sq / fan_in
    assert math.isclose(float(w.var()), expected, rel_tol=0.08)


@pytest.mark.parametrize(("optim", "hover"), [(OptimSpec("sgd", 0.03), 1e-3), (OptimSpec("adam", 0.01), 1e-2)])
def test_l1_weights_hover_near_zero_but_never_sit_on_it(optim, hover):
    """cap_sparsity_time: with autograd's subgradient, SGD and Adam step the weights L1 does not
    need across zero and back (within about η·λ, or η for Adam), never onto exactly 0."""
    t = trained(RunSpec(data=DataSpec(dataset="circle"), model=ModelSpec(hidden=(8, 8)), optim=optim,
                        reg=RegSpec("l1", 0.01)), 100)
    w = torch.cat([lin.weight.detach().flatten() for lin in t.model.linears])
    assert torch.count_nonzero(w) == w.numel()
    assert float((w.abs() < hover).float().mean()) > 0.4


def test_no_hidden_layer_with_curved_features_draws_a_curved_boundary():
    """help_layers: 0 hidden layers is straight only in x₁, x₂; with x₁², x₂² it learns the circle."""
    base = RunSpec(data=DataSpec(dataset="circle"), model=ModelSpec(hidden=()), optim=OptimSpec("sgd", 0.1))
    plain = trained(base, 60).evaluate().test_acc
    squares = RunSpec(data=DataSpec(dataset="circle", features=("x1", "x2", "x1sq", "x2sq")),
                      model=ModelSpec(hidden=()), optim=OptimSpec("sgd", 0.1))
    curved = trained(squares, 60).evaluate().test_acc
    assert curved > 0.9 and plain < 0.75, (plain, curved)


def test_the_network_formula_names_features_and_each_layers_activation():
    same = network_latex(ModelSpec(hidden=(4, 2)), ("x1", "x2", "sin_x1"))
    assert r"\sin x_1" in same and r"h_\ell = f(" in same and r"\hat y = W_{3} h_{2}" in same
    each = network_latex(ModelSpec(hidden=(4, 2), layer_activations=("relu", "tanh")), ("x1", "x2"))
    assert r"f_\ell(" in each
    linear = network_latex(ModelSpec(hidden=()), ("x1", "x1sq"))
    assert r"\hat y = W_{1} h_{0}" in linear and "x_1^2" in linear


def _losses(spec: RunSpec, epochs: int) -> np.ndarray:
    t, history = Trainer(spec), History()
    for e in range(epochs):
        t.step(t.updates_left_in_epoch)
        history.offer(e + 1, t.evaluate())
    return history.as_arrays()["train_loss"]


def test_a_learning_rate_too_high_is_noticed_and_good_runs_are_not():
    """note_not_falling: SGD at lr 10 on the circle (the lr_high lesson) jumps between ~1 and ~9
    without diverging; the page must say so. Slow, converging or overfitting runs must not."""
    lessons = {lesson.key: lesson.spec for lesson in LESSONS}
    assert loss_not_falling(_losses(RunSpec(data=DataSpec(dataset="circle"), optim=OptimSpec("sgd", 10.0)), 100))
    assert loss_not_falling(_losses(RunSpec(data=DataSpec(dataset="circle"), optim=OptimSpec("adam", 1.0)), 100))
    for good in (RunSpec(), PLAYGROUND_DEFAULT, RunSpec(data=DataSpec(dataset="circle"), model=ModelSpec(hidden=(1,))),
                 lessons["overfitting"]):
        assert not loss_not_falling(_losses(good, 100))


def test_the_loss_trend_needs_a_while_and_ignores_plateaus():
    jumping = np.tile([1.0, 5.0], 20)
    assert loss_not_falling(jumping) and not loss_not_falling(jumping[:20])
    assert not loss_not_falling(np.full(40, 0.3))  # a plateau
    assert not loss_not_falling(np.geomspace(1, 1e-4, 60) * (1 + 0.5 * (np.arange(60) % 2)))  # falling, bumpy
    climbing = np.concatenate([np.linspace(1.0, 0.4, 20), np.linspace(0.6, 1.2, 20)])
    assert loss_not_falling(climbing)
    assert not loss_not_falling(np.concatenate([np.full(39, 0.5), [np.nan]]))
    # Learned, then the small-batch noise of a brisk rate around a low loss (the playground's default
    # on the projector: 97 % test accuracy while the loss swings around 0.05): not a rate too high.
    noisy_low = np.concatenate([np.geomspace(0.69, 0.03, 20), 0.05 * (1 + 0.4 * np.sin(np.arange(40)))])
    assert not loss_not_falling(noisy_low)


@pytest.mark.parametrize(("k", "stride", "keeps"), [(3, 1, True), (5, 1, True), (3, 2, False), (4, 1, False)])
def test_padding_half_the_kernel_keeps_the_size_for_odd_k_at_stride_1_only(k, stride, keeps):
    """help_padding: (k − 1)/2 (rounded down where k is even) keeps n × n only for odd k, stride 1."""
    n = 12
    out = torch.nn.functional.conv2d(torch.zeros(1, 1, n, n), torch.zeros(1, 1, k, k), stride=stride,
                                     padding=(k - 1) // 2)
    assert (out.shape[-1] == n) == keeps


@pytest.mark.parametrize("causal", [False, True])
def test_the_even_attention_reference_is_log_t_per_row_under_the_mask(causal):
    from ffnviz.nn.attention import attention_entropy
    from ffnviz.train.attention_extras import even_entropy

    length = 8
    allowed = torch.tril(torch.ones(length, length)) if causal else torch.ones(length, length)
    even = allowed / allowed.sum(-1, keepdim=True)
    rows = attention_entropy(even)
    assert math.isclose(float(rows.mean()), even_entropy(length, causal), rel_tol=1e-6)
    if causal:
        assert torch.allclose(rows, torch.log(torch.arange(1, length + 1, dtype=torch.float32)))


def test_the_labels_say_what_the_tests_above_hold():
    from ffnviz.i18n import TABLE

    assert "gain 1" in TABLE["init_xavier"][0] and "√2" in TABLE["init_he"][0]
    assert "symmetry" not in TABLE["init_zeros"][0] and "gradient" in TABLE["init_zeros"][0]
    assert "exactly zero" not in TABLE["cap_sparsity_time"][0] and "hover" in TABLE["cap_sparsity_time"][0]
    assert "odd" in TABLE["help_padding"][0] and "stride 1" in TABLE["help_padding"][0]
    assert "running average" not in TABLE["arrow_buffer"][0]
    assert "Mean squared error" in TABLE["help_metric_loss_regression"][0]

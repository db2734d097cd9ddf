"""The deep-networks page's lessons, each through its whole story at Trainer level: the setting
the button loads, what the text says to watch, and the change it says to make. Claims about
training are medians over seeds 0-2 here (benchmarks/bench_deep.py measures seeds 0-4 and
docs/PERFORMANCE.md has the figures)."""

from __future__ import annotations

import statistics
from dataclasses import replace

import numpy as np
import pytest
import torch

from ffnviz.lessons import DEEP_LESSONS
from ffnviz.specs import OptimSpec, RegSpec
from ffnviz.specs.schedule import StopSpec
from ffnviz.train.deep_probes import SharedEdgesProber, gradient_alert
from ffnviz.train.deep_trainer import DeepTrainer
from ffnviz.train.probes import saturated_fraction

LESSON = {lesson.key: lesson.spec for lesson in DEEP_LESSONS}
SEEDS = (0, 1, 2)


@pytest.fixture(autouse=True)
def _one_thread():
    torch.set_num_threads(1)


def _model(spec, **model):
    return replace(spec, model=replace(spec.model, **model))


def _seeded(spec, seed: int):
    return replace(spec, train=replace(spec.train, seed=seed))


def median_final(spec, field: str = "test_acc", seeds=SEEDS) -> float:
    return statistics.median(getattr(DeepTrainer(_seeded(spec, s)).train_to_end(), field) for s in seeds)


def median_above(spec, threshold: float, field: str = "test_acc", seeds=SEEDS) -> bool:
    """Whether the median over `seeds` of the final `field` is above `threshold`, training only
    as many seeds as it takes: once a majority falls on one side, the median is on that side."""
    above = below = 0
    for s in seeds:
        value = getattr(DeepTrainer(_seeded(spec, s)).train_to_end(), field)
        above, below = above + (value > threshold), below + (value <= threshold)
        if max(above, below) > len(seeds) // 2:
            break
    return above > below


def _hidden_at_init(spec):
    t = DeepTrainer(spec)
    with torch.no_grad():
        _, _, post = t.model.forward_with_hidden(t.x_probe)
    return t, post


def test_every_deep_lesson_is_a_valid_setting_with_its_text():
    from ffnviz.i18n import TABLE

    for lesson in DEEP_LESSONS:
        lesson.spec.validate()
        for key in (f"lesson_{lesson.key}", f"lesson_{lesson.key}_watch"):
            assert all(TABLE[key]), key


def test_sigmoid_at_depth_ten_does_not_learn_and_relu_with_he_does():
    spec = LESSON["deep_sigmoid"]
    # What the page shows at once: the gradient reaching the first layer is a tiny fraction of the
    # last layer's, and the alert says so.
    t = DeepTrainer(spec)
    probes = SharedEdgesProber().probe(t.model, t.data_loss, t.x_probe, t.y_probe)
    norms = np.array([[p.grad_norm for p in probes]] * 4)
    assert norms[0, 0] < 1e-3 * norms[0, -1] and gradient_alert(norms) == "vanishing"
    assert not median_above(spec, 0.6)  # chance on the two spiral arms: 0.5
    assert median_above(_model(spec, activation="relu", init="he"), 0.9)


def test_small_weights_make_activations_vanish_large_ones_saturate_and_xavier_keeps_them_alive():
    spec = LESSON["deep_init"]
    _, post = _hidden_at_init(spec)
    stds = [float(h.std()) for h in post]
    assert all(b < a / 5 for a, b in zip(stds, stds[1:], strict=False)), stds  # about tenfold a layer
    _, post = _hidden_at_init(_model(spec, init_scale=1.0))
    assert saturated_fraction(post[-1], "tanh") > 0.5
    _, post = _hidden_at_init(_model(spec, init="xavier"))
    assert min(float(h.std()) for h in post) > 0.2
    # and the vanishing net does not learn where Xavier's does
    assert not median_above(spec, 0.6)
    assert median_above(_model(spec, init="xavier"), 0.8)


def test_twenty_plain_layers_fail_where_batchnorm_or_residual_connections_train():
    spec = LESSON["deep_plain20"]
    assert not median_above(spec, 0.6)
    assert median_above(_model(spec, norm="batch"), 0.9)
    assert median_above(_model(spec, residual=True), 0.9)


def test_early_stopping_on_noisy_data_stops_early_restores_the_best_weights_and_tests_better():
    spec = LESSON["deep_stop"]
    stopped, full = [], []
    for seed in SEEDS:
        t = DeepTrainer(_seeded(spec, seed))
        m = t.train_to_end()
        assert t.stopped_at is not None and t.restored and t.updates < spec.train.max_updates / 2
        assert m.val_loss == pytest.approx(t.best_val_loss, rel=1e-6)
        stopped.append(m.test_loss)
        full.append(DeepTrainer(_seeded(replace(spec, stop=StopSpec(enabled=False)), seed)).train_to_end().test_loss)
    assert statistics.median(stopped) < statistics.median(full)


def _weight_norm(t: DeepTrainer) -> float:
    return float(torch.sqrt(sum((w.detach() ** 2).sum() for w in t.weights)))


def test_adam_with_l2_shrinks_the_weights_far_more_than_adamw_at_the_same_rate():
    """Adam divides the L2 penalty's gradient by the same running size as the data's, so a weight
    whose data gradient is small is pulled to 0 at almost the full step size; AdamW takes ηλ of
    every weight a step (3000 × 0.01 × 0.01: a factor e^-0.3 over the run)."""
    spec = LESSON["deep_adamw"]
    adamw = replace(spec, optim=OptimSpec("adamw", spec.optim.lr), reg=RegSpec("weight_decay", spec.reg.rate))
    free = replace(spec, reg=RegSpec("none", 0.0))
    norms = {name: [] for name in ("l2", "adamw", "free")}
    for seed in SEEDS:
        for name, run in (("l2", spec), ("adamw", adamw), ("free", free)):
            t = DeepTrainer(_seeded(run, seed))
            t.train_to_end()
            norms[name].append(_weight_norm(t))
    l2, decoupled, none = (statistics.median(norms[k]) for k in ("l2", "adamw", "free"))
    assert l2 < decoupled / 3 and decoupled < none

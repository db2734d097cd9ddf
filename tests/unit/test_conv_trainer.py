"""ConvTrainer: the convolution page's CNN and its MLP baseline trained by the Trainer's engine."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
import torch

from ffnviz.data.images import make_images
from ffnviz.specs import OptimSpec, RegSpec, TrainSpec
from ffnviz.specs.conv import (
    ConvLayerSpec,
    ConvModelSpec,
    ConvRunSpec,
    ImageSpec,
    layer_shapes,
    mlp_baseline,
    mlp_parameter_count,
)
from ffnviz.train.conv_trainer import ConvTrainer
from ffnviz.train.trainer import Trainer

L = ConvLayerSpec
# Pooled down to 1 × 1 with only 1 × 1 convolutions after the first layer: every layer treats
# every position alike, so what is learnt on the left half holds on the right.
POOLED_TO_ONE = (L(16, 3, 2, 1), L(16, 1, 1, 0), L(16, 1, 1, 0))


def _shapes_run(seed=0, **data) -> ConvRunSpec:
    image = ImageSpec(**{"dataset": "shapes", "n_images": 300, "noise": 0.1, "seed": seed, **data})
    return ConvRunSpec(data=image, train=TrainSpec(seed=seed, batch_size=32))


# -- specs --------------------------------------------------------------------------------------

def test_default_run_validates_and_is_a_trainer():
    spec = ConvRunSpec().validate()
    assert spec.data.dataset == "digits" and spec.model.kind == "cnn"
    assert spec.optim == OptimSpec("adam", 0.01) and spec.train.batch_size == 32
    assert isinstance(ConvTrainer(spec), Trainer)


def test_problems_are_named_by_section():
    spec = ConvRunSpec(data=ImageSpec(split="halves"), model=ConvModelSpec(layers=(L(kernel=9),)),
                       optim=OptimSpec("adam", -1.0))
    assert {f for f, _ in spec.problems()} == {"data.split", "model.layers[0].kernel", "optim.lr"}
    with pytest.raises(ValueError, match="kernel"):
        ConvTrainer(spec)


def test_layers_that_do_not_fit_the_images_are_a_problem_of_the_run():
    deep = ConvModelSpec(layers=(L(kernel=5, padding=0, pool="none"),) * 3)
    assert layer_shapes(deep, (1, 24, 24))[-1].problem is None  # fits shapes of side 24 ...
    found = ConvRunSpec(model=deep).problems()  # ... not digits' 8 × 8
    assert [f for f, _ in found] == ["model.layers"] and "pixels" in found[0][1]
    # The baseline has no conv layers to fit.
    assert ConvRunSpec(model=replace(deep, kind="mlp")).problems() == []
    with pytest.raises(ValueError, match="pixels"):
        ConvTrainer(ConvRunSpec(model=deep))


def test_a_dataset_of_another_spec_is_refused():
    with pytest.raises(ValueError, match="another ImageSpec"):
        ConvTrainer(ConvRunSpec(), make_images(ImageSpec(seed=1)))


# -- training -----------------------------------------------------------------------------------

def test_digits_train_to_a_good_test_accuracy():
    """Quality, not speed: the default small CNN after 500 updates (11 epochs)."""
    t = ConvTrainer(ConvRunSpec())
    before = t.evaluate()
    t.step(500)
    after = t.evaluate()
    assert before.test_acc < 0.3
    assert after.test_acc >= 0.93 and after.train_loss < before.train_loss / 10


def test_the_cnn_generalises_to_the_unseen_half_and_the_mlp_does_not():
    spec = replace(_shapes_run(n_images=600, train_fraction=0.5, split="halves"),
                   model=ConvModelSpec(layers=POOLED_TO_ONE))
    cnn, mlp = ConvTrainer(spec), ConvTrainer(mlp_baseline(spec))
    cnn.step(400)
    mlp.step(400)
    c, m = cnn.evaluate(), mlp.evaluate()
    assert c.train_acc > 0.9 and c.test_acc > 0.85
    assert m.train_acc > 0.5 and m.test_acc < 0.4  # it learnt the left half, not the shapes


def test_same_seed_same_weights_and_torchs_global_rng_untouched():
    state = torch.get_rng_state()
    a, b, c = (ConvTrainer(replace(_shapes_run(), train=TrainSpec(seed=s, batch_size=32))) for s in (5, 5, 6))
    for t in (a, b, c):
        t.step(30)
        t.evaluate()
        t.feature_maps(t.x_test[:2])
    assert torch.equal(state, torch.get_rng_state())
    for (name, p), q, r in zip(a.model.state_dict().items(), b.model.state_dict().values(),
                               c.model.state_dict().values(), strict=True):
        assert torch.equal(p, q) and not torch.equal(p, r), name
    a.reset()
    b.reset()
    assert all(torch.equal(p, q) for p, q in zip(a.model.parameters(), b.model.parameters(), strict=True))


def test_a_cnn_and_its_baseline_see_the_same_batches():
    spec = _shapes_run(seed=3)
    cnn, mlp = ConvTrainer(spec), ConvTrainer(mlp_baseline(spec))
    for _ in range(3):  # across epoch boundaries: each reshuffles from its generator
        cnn.step(cnn.updates_left_in_epoch)
        mlp.step(mlp.updates_left_in_epoch)
        assert torch.equal(cnn.generator.get_state(), mlp.generator.get_state())
        assert torch.equal(cnn._xs, mlp._xs)  # the epoch's shuffled images, in the same order


def test_the_baseline_has_about_the_cnns_parameter_count():
    spec = _shapes_run()
    base = mlp_baseline(spec)
    cnn_count, mlp_count = ConvTrainer(spec).parameter_count(), ConvTrainer(base).parameter_count()
    assert base.model.kind == "mlp" and base.data == spec.data and base.train == spec.train
    assert cnn_count == spec.parameter_count() and mlp_count == base.parameter_count()
    # Within half a hidden unit's parameters (in + 1 + k of them) of the CNN's.
    assert abs(mlp_count - cnn_count) <= (16 * 16 + 1 + 5) / 2
    assert mlp_count == mlp_parameter_count(base.model.mlp_hidden, 256, 5)
    assert mlp_baseline(base) == base  # the baseline of the baseline is itself


def test_kernels_and_linear_weights_are_regularized_biases_are_not():
    t = ConvTrainer(replace(ConvRunSpec(), reg=RegSpec("l2", 0.01)))
    weights, biases = {id(p) for p in t.weights}, {id(p) for p in t.biases}
    convs = [b["conv"] for b in t.model.blocks]
    assert weights == {id(c.weight) for c in convs} | {id(t.model.classifier.weight)}
    assert biases == {id(c.bias) for c in convs} | {id(t.model.classifier.bias)}
    # Decoupled weight decay shrinks the kernels and leaves the biases where they were.
    t = ConvTrainer(replace(ConvRunSpec(), optim=OptimSpec("sgd", 1e-5), reg=RegSpec("weight_decay", 0.5)))
    kernel, bias = convs_of(t)[0].weight.detach().clone(), convs_of(t)[0].bias.detach().clone()
    t.step(1)
    assert convs_of(t)[0].weight.abs().sum() < kernel.abs().sum()
    assert torch.allclose(convs_of(t)[0].bias, bias, atol=1e-4)


def convs_of(t: ConvTrainer):
    return [b["conv"] for b in t.model.blocks]


def test_live_changes_keep_the_weights():
    t = ConvTrainer(ConvRunSpec())
    t.step(20)
    w = t.model.classifier.weight.detach().clone()
    t.apply_live(OptimSpec("sgd", 0.1), RegSpec(), 64, 1000)
    assert torch.equal(w, t.model.classifier.weight) and t.batch_size == 64
    t.step(5)
    assert t.updates == 25


# -- reading ------------------------------------------------------------------------------------

def test_feature_maps_and_kernels_have_the_calculated_shapes():
    spec = _shapes_run()
    t = ConvTrainer(spec)
    maps = t.feature_maps(t.dataset.x_test[:4])  # numpy in
    rows = layer_shapes(spec.model, spec.data.image_shape)
    assert [name for name, _ in maps] == [r.name for r in rows]
    assert [m.shape for _, m in maps] == [(4, *r.output) for r in rows]
    assert all(isinstance(m, np.ndarray) for _, m in maps)
    assert [k.shape for k in t.kernels()] == [(8, 1, 3, 3), (16, 8, 3, 3)]
    assert t.model.training  # reading leaves the model as it found it
    with pytest.raises(ValueError, match="cnn kind"):
        ConvTrainer(mlp_baseline(spec)).feature_maps(t.dataset.x_test[:1])


def test_feature_maps_change_as_it_trains():
    t = ConvTrainer(_shapes_run())
    x = t.dataset.x_test[:2]
    before, kernels = t.feature_maps(x), t.kernels()
    t.step(20)
    assert not np.array_equal(before[0][1], t.feature_maps(x)[0][1])
    assert not np.array_equal(kernels[0], t.kernels()[0])


def test_confusion_and_misclassified_agree_with_the_accuracy():
    t = ConvTrainer(ConvRunSpec())
    t.step(100)
    pred = t.predictions()
    confusion = t.confusion(pred)
    wrong = t.misclassified(pred)
    n = len(t.dataset.y_test)
    assert confusion.shape == (10, 10) and confusion.sum() == n
    assert np.array_equal(confusion.sum(axis=1), np.bincount(t.dataset.y_test, minlength=10))  # rows: true class
    assert math.isclose(np.trace(confusion) / n, t.evaluate().test_acc, abs_tol=1e-6)
    assert len(wrong) == n - np.trace(confusion) > 0
    assert (pred[wrong] != t.dataset.y_test[wrong]).all()
    assert np.array_equal(t.confusion(), confusion)  # computed again without the predictions
    assert np.array_equal(t.predictions(t.dataset.x_test[wrong[:3]]), pred[wrong[:3]])


def test_no_decision_map():
    with pytest.raises(NotImplementedError, match="input plane"):
        ConvTrainer(ConvRunSpec()).predict_grid(10, 1.0)

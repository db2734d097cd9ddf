"""Input features: what the network sees of a point."""

from __future__ import annotations

import math

import torch

from ffnviz.data.features import LABELS, expand
from ffnviz.specs import FEATURES, DataSpec, RunSpec, from_flat, to_flat
from ffnviz.train.trainer import Trainer


def test_each_feature_is_its_formula():
    p = torch.tensor([[2.0, -3.0], [0.5, 1.0]])
    out = expand(p, FEATURES)
    x1, x2 = p[:, 0], p[:, 1]
    want = torch.stack([x1, x2, x1**2, x2**2, x1 * x2, torch.sin(x1), torch.sin(x2)], 1)
    assert torch.equal(out, want)
    assert set(LABELS) == set(FEATURES)


def test_plain_inputs_are_not_copied():
    p = torch.zeros(3, 2)
    assert expand(p, ("x1", "x2")) is p


def test_features_come_in_one_order_and_round_trip_through_a_url():
    spec = RunSpec(data=DataSpec(features=("sin_x2", "x1", "x1")))
    assert spec.data.features == ("x1", "sin_x2")
    assert from_flat(to_flat(spec)) == (spec, [])


def test_no_feature_or_an_unknown_one_is_refused_with_a_message():
    assert DataSpec(features=()).problems()[0][0] == "features"
    spec, errors = from_flat({"data.features": "x1,cosine"})
    assert spec.data.features == ("x1", "x2") and "features" in errors[0]


def test_the_trainer_feeds_the_chosen_features_to_the_network():
    spec = RunSpec(data=DataSpec(dataset="spiral", features=("x1", "x2", "sin_x1")))
    t = Trainer(spec)
    assert t.x_train.shape[1] == 3 and t.model.linears[0].in_features == 3
    raw = torch.from_numpy(t.dataset.x_train)
    assert torch.allclose(t.x_train[:, 2], torch.sin(raw[:, 0]))
    assert t.predict_grid(8, 6.0).shape == (8, 8)
    t.step(5)
    assert math.isfinite(t.evaluate().train_loss)

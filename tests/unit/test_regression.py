"""Regression in the Trainer: one linear output, mean squared error, NaN accuracies, the
predicted value over the plane; probes keep working; the spec's new fields round-trip."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from ffnviz.specs import DataSpec, ModelSpec, OptimSpec, RunSpec, from_flat, to_flat
from ffnviz.train.probes import Prober
from ffnviz.train.trainer import Trainer


def _spec(dataset="plane", **optim) -> RunSpec:
    return RunSpec(data=DataSpec(dataset=dataset, problem="regression"), optim=OptimSpec(**optim))


def test_one_output_unit_and_float_targets():
    t = Trainer(_spec())
    assert t.problem == "regression" and t.regression and not t.binary
    assert t.model.linears[-1].out_features == 1
    assert t.y_train.dtype == torch.float32


def test_the_loss_is_the_mean_squared_error():
    t = Trainer(_spec())
    with torch.no_grad():
        out = t.model(t.x_train)
    expected = float(((out.squeeze(1) - t.y_train) ** 2).mean())
    assert float(t.data_loss(out, t.y_train)) == pytest.approx(expected, rel=1e-6)
    m = t.evaluate()
    assert m.train_loss == pytest.approx(expected, rel=1e-6)


def test_evaluate_gives_losses_and_nan_accuracies():
    m = Trainer(_spec("multigauss")).evaluate()
    assert math.isfinite(m.train_loss) and math.isfinite(m.test_loss)
    assert math.isnan(m.train_acc) and math.isnan(m.test_acc)


@pytest.mark.parametrize("dataset", ["plane", "multigauss"])
def test_training_lowers_the_loss(dataset):
    t = Trainer(_spec(dataset))
    before = t.evaluate()
    t.step(50 * t.updates_per_epoch)
    after = t.evaluate()
    assert after.train_loss < 0.5 * before.train_loss
    assert after.test_loss < 0.5 * before.test_loss
    if dataset == "plane":  # a plane is easy: nearly exact
        assert after.test_loss < 0.01


def test_same_spec_same_numbers():
    a, b = Trainer(_spec()), Trainer(_spec())
    assert a.step(100) == b.step(100)
    ma, mb = a.evaluate(), b.evaluate()
    assert (ma.train_loss, ma.test_loss) == (mb.train_loss, mb.test_loss)


def test_predict_grid_is_the_predicted_value():
    t = Trainer(_spec())
    t.step(30 * t.updates_per_epoch)
    grid = t.predict_grid(25, 6.0)
    assert grid.shape == (25, 25) and grid.dtype == np.float32
    # The plane's target is (x1 + x2) / 10: low in the bottom-left corner, high in the top-right.
    assert grid[0, 0] < -0.8 and grid[-1, -1] > 0.8
    with torch.no_grad():
        corner = float(t.model(torch.tensor([[6.0, 6.0]])))
    assert grid[-1, -1] == pytest.approx(corner, abs=1e-5)


def test_probes_work_on_a_regression():
    t = Trainer(RunSpec(data=DataSpec(dataset="plane", problem="regression"), model=ModelSpec(hidden=(5, 3))))
    probes = Prober().probe(t.model, t.data_loss, t.x_probe, t.y_probe)
    assert len(probes) == 3 and all(math.isfinite(p.grad_norm) and p.grad_norm > 0 for p in probes)


def test_a_dataset_for_the_other_problem_is_refused():
    from ffnviz.data import make_dataset

    classification = make_dataset(DataSpec())
    with pytest.raises(ValueError, match="classification"):
        Trainer(_spec(), dataset=classification)


# -- the spec's new fields ----------------------------------------------------------------------

REGRESSION = RunSpec(data=DataSpec(dataset="multigauss", problem="regression", noise=0.1 + 0.2, seed=9))
UPLOADED = RunSpec(data=DataSpec(dataset="upload", problem="classification", n_points=37, n_classes=3,
                                 upload="0123456789ab"))


@pytest.mark.parametrize("spec", [REGRESSION, UPLOADED])
def test_new_fields_round_trip(spec):
    assert RunSpec.from_dict(spec.to_dict()) == spec
    back, errors = from_flat(to_flat(spec))
    assert back == spec and errors == []


def test_a_link_naming_only_the_data_set_gets_its_problem():
    spec, errors = from_flat({"data.dataset": "plane"})
    assert (spec.data.dataset, spec.data.problem, errors) == ("plane", "regression", [])
    spec, errors = from_flat({"data.dataset": "moons"}, base=REGRESSION)
    assert (spec.data.dataset, spec.data.problem, errors) == ("moons", "classification", [])


def test_a_link_naming_only_the_problem_gets_a_data_set_that_fits():
    spec, errors = from_flat({"data.problem": "regression"})
    assert (spec.data.dataset, spec.data.problem, errors) == ("plane", "regression", [])
    spec, errors = from_flat({"data.problem": "regression"},
                             base=RunSpec(data=DataSpec(dataset="spiral", n_classes=4)))
    assert (spec.data.problem, spec.data.n_classes, errors) == ("regression", 2, [])


@pytest.mark.parametrize(("flat", "key", "words"), [
    ({"data.problem": "ranking"}, "data.problem", "classification, regression"),
    ({"data.dataset": "circle", "data.problem": "regression"}, "data.dataset", "regression"),
    ({"data.dataset": "upload", "data.upload": "not-a-digest", "data.n_points": "20"}, "data.upload", "12 hex"),
    ({"data.upload": "0123456789ab"}, "data.upload", "empty unless"),
    ({"data.dataset": "upload", "data.upload": "0123456789ab", "data.n_points": "5"}, "data.n_points", "10..2000"),
])
def test_flat_bad_values_keep_the_base_and_say_why(flat, key, words):
    spec, errors = from_flat(flat)
    assert not spec.data.problems()
    assert any(e.startswith(key) and words in e for e in errors), errors


def test_an_upload_may_have_fewer_points_than_a_generated_set():
    assert not DataSpec(dataset="upload", n_points=10, upload="0123456789ab").problems()
    assert [f for f, _ in DataSpec(dataset="circle", n_points=10).problems()] == ["n_points"]

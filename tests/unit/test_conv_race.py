"""The convolution page's race in the engine: ConvRaceSpec and its flat URL form, a Race of
ConvTrainers (a CNN and its MLP baseline on the same batches) and what its snapshot shows of
them (ffnviz.train.conv_extras)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import torch

from ffnviz import limits
from ffnviz.specs import OptimSpec, RegSpec, TrainSpec
from ffnviz.specs.conv import (
    ConvLayerSpec,
    ConvModelSpec,
    ConvRaceSpec,
    ConvRunSpec,
    ImageSpec,
    conv_race_from_flat,
    conv_race_to_flat,
    mlp_baseline,
)
from ffnviz.train.conv_extras import check_example
from ffnviz.train.conv_trainer import ConvTrainer
from ffnviz.train.race import Race
from ffnviz.train.race_runner import RaceRunner
from ffnviz.train.worker import FIRST_EPOCH_WAIT_S

SHAPES = ImageSpec("shapes", n_images=300, size=16, seed=3)
BASE = ConvRunSpec(data=SHAPES, model=ConvModelSpec(layers=(ConvLayerSpec(4), ConvLayerSpec(6, 5, 1, 2, "tanh", "avg")),
                                                    head="global_max"),
                   optim=OptimSpec("momentum", 0.05), reg=RegSpec("l2", 0.001),
                   train=TrainSpec(batch_size=16, max_updates=5000))
RACE = ConvRaceSpec(BASE, ("cnn", "mlp"), seeds=(4,), target_accuracy=0.8)


@pytest.fixture(autouse=True)
def _one_thread():
    torch.set_num_threads(1)


# -- the spec -----------------------------------------------------------------------------------

def test_default_race_is_the_cnn_alone_and_the_baseline_is_its_mlp():
    spec = ConvRaceSpec().validate()
    assert spec.contestants == ("cnn",) and not spec.baseline and spec.models == 1
    runs = RACE.run_specs()
    assert [len(row) for row in runs] == [1, 1]
    assert runs[0][0] == replace(RACE.base, train=replace(RACE.base.train, seed=4))
    assert runs[1][0] == mlp_baseline(runs[0][0])  # same data, optimizer, regularization, batches


def test_what_the_race_does_not_use_of_its_base_is_not_part_of_it():
    other = replace(BASE, train=replace(BASE.train, seed=9), model=replace(BASE.model, mlp_hidden=77))
    assert ConvRaceSpec(other, ("cnn", "mlp"), (4,), 0.8) == RACE


@pytest.mark.parametrize(("changes", "field"), [
    ({"contestants": ("mlp",)}, "contestants"),
    ({"contestants": ("cnn", "cnn")}, "contestants"),
    ({"seeds": (0, 1)}, "seeds"),
    ({"seeds": (-1,)}, "seeds"),
    ({"target_accuracy": 1.5}, "target_accuracy"),
    ({"base": replace(BASE, model=replace(BASE.model, kind="mlp"))}, "base.model.kind"),
    ({"base": replace(BASE, model=ConvModelSpec(layers=(ConvLayerSpec(kernel=7, padding=0),) * 3))}, "base.model.layers"),
])
def test_problems_name_the_field(changes, field):
    found = replace(RACE, **changes).problems()
    assert [f for f, _ in found] == [field]
    with pytest.raises(ValueError):
        replace(RACE, **changes).validate()


# -- the flat URL form --------------------------------------------------------------------------

def test_round_trip():
    for spec in (ConvRaceSpec(), RACE):
        flat = conv_race_to_flat(spec)
        assert all(isinstance(v, str) for v in flat.values()) and "train.seed" not in flat
        assert flat["model.conv2.pool"] == spec.base.model.layers[1].pool
        assert conv_race_from_flat(flat) == (spec, [])
        assert conv_race_from_flat(flat, RACE if spec != RACE else ConvRaceSpec()) == (spec, [])


def test_partial_links_change_only_what_they_name():
    spec, errors = conv_race_from_flat({"data.noise": "0.3", "model.conv1.kernel": "5", "race.baseline": "false",
                                        "optim.lr": "0.1"}, RACE)
    assert errors == []
    assert spec.base.data == replace(SHAPES, noise=0.3)
    assert spec.base.model.layers == (replace(BASE.model.layers[0], kernel=5), BASE.model.layers[1])
    assert spec.contestants == ("cnn",) and spec.base.optim == replace(BASE.optim, lr=0.1)
    # A third layer starts as the default layer; one layer drops the second.
    three, errors = conv_race_from_flat({"model.layers": "3", "model.conv3.out_channels": "2"}, RACE)
    assert errors == [] and three.base.model.layers[2] == ConvLayerSpec(2)
    assert conv_race_from_flat({"model.layers": "1"}, RACE)[0].base.model.layers == BASE.model.layers[:1]


def test_bad_values_keep_the_base_and_say_so():
    bad = {"data.size": "99", "data.dataset": "faces", "model.layers": "4", "model.head": "global_min",
           "model.conv1.kernel": "big", "model.conv2.pool": "min", "optim.lr": "fast", "train.batch_size": "0",
           "race.baseline": "maybe", "race.seeds": "0,1", "race.target": "2"}
    spec, errors = conv_race_from_flat(bad, RACE)
    assert spec == RACE
    text = "\n".join(errors)
    for key in bad:
        assert key in text, key
    assert "12..24" in text and "'faces'" in text and "1..3" in text and "flatten, global_max, global_avg" in text


def test_layers_that_do_not_fit_the_images_keep_the_base_layers_with_the_formula():
    spec, errors = conv_race_from_flat({"model.conv1.kernel": "7", "model.conv1.padding": "0",
                                        "model.conv2.kernel": "7", "model.conv2.padding": "0",
                                        "data.noise": "0.2"}, RACE)
    assert spec.base.model == RACE.base.model and spec.base.data.noise == 0.2
    assert any("conv2" in e and "⌊" in e and "kept the layers" in e for e in errors)
    # halves on digits: the split goes back, the rest of the link is kept
    spec, errors = conv_race_from_flat({"data.dataset": "digits", "data.split": "halves"}, RACE)
    assert spec.base.data.dataset == "digits" and spec.base.data.split == "random"
    assert any("data.split" in e for e in errors)


# -- the race -----------------------------------------------------------------------------------

def test_the_cnn_and_its_baseline_share_one_data_set_and_the_batches():
    race = Race(RACE)
    (cnn,), (mlp,) = race.trainers
    assert isinstance(cnn, ConvTrainer) and isinstance(mlp, ConvTrainer) and not race.stacked
    assert cnn.dataset is mlp.dataset is race.dataset
    assert cnn.spec.model.kind == "cnn" and mlp.spec.model.kind == "mlp"
    seen: list[list[torch.Tensor]] = [[], []]
    for t, out in zip((cnn, mlp), seen, strict=True):
        take = t.begin_update

        def spy(take=take, out=out):
            xb, yb = take()
            out.append(yb.clone())
            return xb, yb

        t.begin_update = spy
    race.step(30)
    assert len(seen[0]) == 30 and all(torch.equal(a, b) for a, b in zip(*seen, strict=True))


def test_each_contestant_trains_as_its_single_run():
    race = Race(RACE)
    race.step(25)
    for row, runs in zip(race.trainers, RACE.run_specs(), strict=True):
        alone = ConvTrainer(runs[0])
        alone.step(25)
        for p, q in zip(row[0].model.parameters(), alone.model.parameters(), strict=True):
            assert torch.equal(p, q)


def test_extras_of_the_cnn_and_of_the_mlp():
    race = Race(RACE)
    race.step(40)
    cnn, mlp = race.extras()
    data = race.dataset
    k, n_test = data.n_classes, len(data.y_test)
    assert cnn.kind == "cnn" and mlp.kind == "mlp"
    inside = cnn.inside
    assert [kn.shape for kn in inside.kernels] == [(4, 1, 3, 3), (6, 4, 5, 5)]
    assert [b.shape for b in inside.biases] == [(4,), (6,)]
    assert [(name, m.shape) for name, m in inside.maps] == [
        ("conv1", (4, 16, 16)), ("pool1", (4, 8, 8)), ("conv2", (6, 8, 8)), ("pool2", (6, 4, 4)), ("gpool", (6, 1, 1))]
    assert mlp.inside is None
    (cnn_t,), (mlp_t,) = race.trainers
    for view, t in ((cnn, cnn_t), (mlp, mlp_t)):
        predictions = t.predictions()
        assert view.confusion.shape == (k, k) and view.confusion.sum() == n_test
        assert np.trace(view.confusion) == int((predictions == data.y_test).sum())
        wrong = np.flatnonzero(predictions != data.y_test)
        assert view.wrong.count == len(wrong)
        shown = wrong[:limits.CONV_MISCLASSIFIED]
        assert view.wrong.index.tolist() == shown.tolist()
        assert view.wrong.predicted.tolist() == predictions[shown].tolist()
        assert view.wrong.true.tolist() == data.y_test[shown].tolist()
        np.testing.assert_array_equal(view.wrong.images, data.x_test[shown, 0])
        assert view.example == 0 and view.label == data.y_test[0]
        assert view.probabilities.shape == (k,) and view.prediction == predictions[0]
    # the maps are the trainer's own, for the image on show
    np.testing.assert_array_equal(inside.maps[0][1], cnn_t.feature_maps(data.x_test[:1])[0][1][0])
    np.testing.assert_array_equal(inside.kernels[1], cnn_t.kernels()[1])
    assert not inside.kernels[0].flags.writeable and not inside.maps[0][1].flags.writeable
    assert not cnn.wrong.images.flags.writeable


def test_another_example_and_a_bad_one():
    race = Race(RACE)
    race.set_example(5)
    view = race.extras()[0]
    assert view.example == 5 and view.label == race.dataset.y_test[5]
    np.testing.assert_array_equal(view.image, race.dataset.x_test[5, 0])
    for bad in (-1, len(race.dataset.y_test), 2.0, "3", True):
        with pytest.raises(ValueError, match="test image's index"):
            check_example(bad, race.dataset)
    with pytest.raises(ValueError):
        race.set_example(10_000)
    assert race.extras()[0].example == 5  # kept


def test_an_unchanged_model_is_not_measured_again():
    race = Race(RACE)
    race.step(3)
    first = race.extras()
    assert race.extras()[0] is first[0]  # same update, same example: the same measurement
    race.step(1)
    assert race.extras()[0] is not first[0]
    race.reset()
    assert race.extras()[0].confusion.sum() == len(race.dataset.y_test)


def test_cached_test_predictions_are_those_of_the_model_now():
    t = ConvTrainer(RACE.run_specs()[0][0])
    t.step(5)
    t.evaluate()
    kept = t.predictions()
    with t.evaluating():
        fresh = t.model(t.x_test).argmax(1).cpu().numpy()
    np.testing.assert_array_equal(kept, fresh)
    t.step(5)  # the model moved: not the kept ones
    with t.evaluating():
        fresh = t.model(t.x_test).argmax(1).cpu().numpy()
    np.testing.assert_array_equal(t.predictions(), fresh)


def test_the_runner_rebuilds_for_the_baseline_and_changes_the_rate_live():
    runner = RaceRunner(replace(RACE, contestants=("cnn",)))
    try:
        runner.step(10)
        assert len(runner.snapshot.extras) == 1
        assert runner.update_spec(RACE) is True  # a second model: built again, both from update 0
        snap = runner.snapshot
        assert snap.updates == 0 and [e.kind for e in snap.extras] == ["cnn", "mlp"]
        runner.step(5)
        faster = replace(RACE, base=replace(RACE.base, optim=replace(RACE.base.optim, lr=0.2)))
        assert runner.update_spec(faster) is False and runner.snapshot.updates == 5
        runner.set_example(7)
        assert all(e.example == 7 for e in runner.snapshot.extras)
    finally:
        runner.detach()


def test_slow_publications_are_spaced_out():
    """A publication that takes longer than PUBLISH_SHARE of the time is not repeated every
    publish interval: the worker waits until publishing is that share again (fake clock)."""
    now = [0.0]
    runner = RaceRunner(RACE, clock=lambda: now[0])
    try:
        runner.start()
        now[0] += FIRST_EPOCH_WAIT_S  # the first picture after Start comes by then, whatever a publication costs
        with runner._locked():
            runner._train_for(None, limit=1)
        version = runner.snapshot.version
        runner._publish_s = 1.0  # as if a publication had taken a second
        now[0] += 1.0  # four publish intervals later, but under 1 / PUBLISH_SHARE seconds
        with runner._locked():
            runner._train_for(None, limit=1)
        assert runner.snapshot.version == version
        now[0] += 5.0
        with runner._locked():
            runner._train_for(None, limit=1)
        assert runner.snapshot.version > version
    finally:
        runner.detach()

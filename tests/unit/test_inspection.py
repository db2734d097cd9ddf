"""Neuron maps, probes over time and hand-edited weights: what the inside-the-network pictures read."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from ffnviz import limits
from ffnviz.specs import DataSpec, ModelSpec, RunSpec, TrainSpec
from ffnviz.train.capacity import WorkCap
from ffnviz.train.inspection import ProbeHistory, neuron_grids
from ffnviz.train.runner import Runner
from ffnviz.train.trainer import Trainer

SPEC = RunSpec(data=DataSpec(dataset="circle", features=("x1", "x2", "sin_x1")),
               model=ModelSpec(hidden=(5, 3), activation="relu", init="he"), train=TrainSpec(seed=4, device="cpu"))


@pytest.fixture
def runner():
    r = Runner(SPEC, cap=WorkCap(4), publish_interval_s=0.0)
    yield r
    r.detach()


def test_neuron_grids_are_the_layers_outputs_over_the_plane():
    t = Trainer(SPEC)
    grids = neuron_grids(t, 7, 6.0)
    assert [g.shape for g in grids] == [(3, 7, 7), (5, 7, 7), (3, 7, 7), (1, 7, 7)]
    axis = np.linspace(-6, 6, 7, dtype=np.float32)
    assert np.allclose(grids[0][0], np.tile(axis, (7, 1)))  # x1 grows along a row
    assert np.allclose(grids[0][2], np.sin(np.tile(axis, (7, 1))), atol=1e-6)
    assert (grids[1] >= 0).all()  # ReLU
    point = torch.tensor([[axis[2], axis[5]]])  # row 5 (x2), column 2 (x1)
    with torch.no_grad():
        out = t.model(t.model_inputs(point))
    assert grids[-1][0, 5, 2] == pytest.approx(float(out), abs=1e-5)


def test_measuring_changes_no_number():
    a, b = Trainer(SPEC), Trainer(SPEC)
    for _ in range(5):
        neuron_grids(a, 5, 6.0)
        a.step(7)
        b.step(7)
    assert a.evaluate() == b.evaluate()


def test_probe_history_thins_evenly_and_stays_bounded(runner):
    history = ProbeHistory(max_points=8)
    probes = runner.snapshot.probes
    for epoch in range(1, 50):
        history.offer(float(epoch), probes)
    history.offer(49.0, probes)  # nothing trained since: not recorded
    arrays = history.as_arrays()
    epochs = arrays["epoch"]
    assert 4 <= len(epochs) <= 8 and len(set(np.diff(epochs))) == 1
    assert arrays["grad_norm"].shape == (len(epochs), 3)
    assert np.isnan(arrays["saturated_fraction"]).all()  # ReLU layers are never "saturated"
    assert [h.shape for h in arrays["act_hist"]] == [(len(epochs), limits.HISTOGRAM_BINS)] * 2


def test_snapshots_carry_weights_maps_and_probes_over_time(runner):
    runner.step(3 * runner.snapshot.updates_per_epoch)
    snap = runner.snapshot
    assert [w.shape for w in snap.weights] == [(5, 3), (3, 5), (1, 3)]
    assert [g.shape[0] for g in snap.neuron_grids] == [3, 5, 3, 1]
    assert len(snap.probe_history["epoch"]) >= 2 and not snap.edited


def test_an_edited_layer_shows_at_once_and_reset_brings_back_the_initial_weights(runner):
    start = runner.snapshot
    runner.step(25)
    before = runner.snapshot
    w = before.weights[0].copy()
    w[0, 0] = 3.0
    runner.set_layer(0, w, before.biases[0])
    after = runner.snapshot
    assert after.edited and after.weights[0][0, 0] == 3.0 and after.updates == before.updates
    assert not np.array_equal(after.neuron_grids[1], before.neuron_grids[1])
    assert after.metrics.train_loss != before.metrics.train_loss
    runner.reset()
    assert not runner.snapshot.edited
    assert np.array_equal(runner.snapshot.weights[0], start.weights[0])


def test_editing_is_refused_while_training_or_with_wrong_shapes(runner):
    snap = runner.snapshot
    with pytest.raises(ValueError, match="needs weights"):
        runner.set_layer(0, np.zeros((2, 2)), snap.biases[0])
    with pytest.raises(ValueError, match="finite"):
        runner.set_layer(0, snap.weights[0] * np.nan, snap.biases[0])
    with pytest.raises(ValueError, match="layer must be"):
        runner.set_layer(7, snap.weights[0], snap.biases[0])
    runner.attach()
    runner.start()
    with pytest.raises(ValueError, match="paused"):
        runner.set_layer(0, snap.weights[0], snap.biases[0])

"""Early stopping in the shared engine: the validation split comes from the training data (never
the test set), the best validation epoch is remembered, patience counts epochs, the best weights
come back, and the test figure is only reported."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import torch

from ffnviz.specs import OptimSpec, TrainSpec
from ffnviz.specs.deep import DeepDataSpec, DeepModelSpec, DeepRunSpec
from ffnviz.specs.schedule import StopSpec
from ffnviz.train.deep_runner import DeepRunner
from ffnviz.train.deep_trainer import DeepTrainer
from ffnviz.train.trainer import needs_rebuild

# A small noisy set and a big network: the validation loss turns up after a few epochs.
NOISY = DeepRunSpec(data=DeepDataSpec(dataset="circle", n_points=200, noise=0.5, train_fraction=0.5),
                    model=DeepModelSpec(depth=4, width=64), optim=OptimSpec("adam", 0.01),
                    train=TrainSpec(batch_size=10, max_updates=3000), stop=StopSpec(enabled=True, patience=5))


def _rows(a: torch.Tensor) -> set[tuple]:
    return {tuple(r) for r in a.numpy().round(6).tolist()}


def test_the_validation_split_is_carved_from_the_training_data_and_the_test_set_is_untouched():
    t = DeepTrainer(NOISY)
    data = t.dataset
    train_rows = _rows(torch.as_tensor(data.x_train))
    assert len(t.x_val) == 20 and len(t.x_train) == 80  # 20 % of the 100 training points
    assert _rows(t.x_val) <= train_rows and _rows(t.x_train) <= train_rows
    assert not _rows(t.x_val) & _rows(t.x_train)
    assert torch.equal(t.x_test, torch.as_tensor(data.x_test))
    assert len(t.x_probe) <= len(t.x_train) and _rows(t.x_probe) <= _rows(t.x_train)
    off = DeepTrainer(replace(NOISY, stop=StopSpec(enabled=False)))
    assert off.x_val is None and len(off.x_train) == 100 and off.evaluate().val_loss is None


def test_patience_stops_the_run_and_the_best_weights_come_back():
    t = DeepTrainer(NOISY)
    final = t.train_to_end()
    assert t.stopped_at is not None and t.updates < 3000
    assert t.stopped_at - t.best_epoch == NOISY.stop.patience
    assert t.restored and final.val_loss == pytest.approx(t.best_val_loss, rel=1e-6)
    kept = DeepTrainer(replace(NOISY, stop=replace(NOISY.stop, restore=False)))
    last = kept.train_to_end()
    assert kept.stopped_at == t.stopped_at and not kept.restored
    assert last.val_loss > t.best_val_loss  # the last epoch's weights are worse on validation


def test_the_test_set_never_chooses_the_epoch():
    a = DeepTrainer(NOISY)
    b = DeepTrainer(NOISY)
    b.y_test = 1.0 - b.y_test  # every test label flipped: a choice made on the test set would move
    a.train_to_end()
    b.train_to_end()
    assert (a.best_epoch, a.stopped_at) == (b.best_epoch, b.stopped_at)
    for p, q in zip(a.model.parameters(), b.model.parameters(), strict=True):
        assert torch.equal(p, q)


def test_the_split_needs_a_rebuild_and_patience_does_not():
    assert needs_rebuild(NOISY, replace(NOISY, stop=replace(NOISY.stop, val_fraction=0.3)))
    assert needs_rebuild(NOISY, replace(NOISY, stop=StopSpec(enabled=False)))
    assert not needs_rebuild(NOISY, replace(NOISY, stop=replace(NOISY.stop, patience=20, restore=False)))


def test_the_runner_stops_early_says_why_and_keeps_the_validation_curve():
    r = DeepRunner(NOISY, grid_resolution=None)
    r.step(3000)
    snap = r.snapshot
    assert snap.status == "done" and snap.note.key == "note_stopped_early"
    assert dict(snap.note.args)["best"] == snap.best_epoch and snap.stopped_at == snap.best_epoch + 5
    h = snap.history
    assert np.isfinite(h["val_loss"][1:]).all()
    best_row = int(np.flatnonzero(h["epoch"] == snap.best_epoch)[0])
    assert h["val_loss"][best_row] == pytest.approx(np.nanmin(h["val_loss"]))
    assert snap.restored and snap.metrics.val_loss == pytest.approx(h["val_loss"][best_row], rel=1e-6)

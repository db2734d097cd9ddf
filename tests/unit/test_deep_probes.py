"""What the deep-networks page measures per layer: shared histogram bins, one update's size,
the gradient alerts, and the runner that publishes them (or not, with the pictures off)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from ffnviz import limits
from ffnviz.specs import TrainSpec
from ffnviz.specs.deep import DeepModelSpec, DeepRunSpec
from ffnviz.train.capacity import WorkCap
from ffnviz.train.deep_probes import gradient_alert, update_ratios
from ffnviz.train.deep_runner import DeepRunner

SPEC = DeepRunSpec(model=DeepModelSpec(depth=6, width=16), train=TrainSpec(batch_size=32, max_updates=500))


def test_alerts_need_the_condition_at_every_measurement_of_the_window():
    healthy = np.array([[0.1, 0.2, 0.3]] * 4)
    assert gradient_alert(healthy) is None
    vanishing = np.array([[1e-7, 1e-3, 0.3]] * 4)
    assert gradient_alert(vanishing) == "vanishing"
    assert gradient_alert(vanishing[:3]) is None  # not yet "for a while"
    assert gradient_alert(np.vstack([healthy[:1], vanishing[:3]])) is None
    assert gradient_alert(np.array([[5e3, 10.0, 0.3]] * 4)) == "exploding"
    assert gradient_alert(np.array([[np.nan, np.inf, 0.3]] * 4)) == "exploding"


def test_update_ratio_is_the_step_against_the_weights():
    before = [torch.ones(2, 2), torch.zeros(3)]
    after = [torch.ones(2, 2) * 1.001, torch.full((3,), 0.5)]
    ratios = update_ratios(before, after)
    assert ratios[0] == pytest.approx(1e-3, rel=1e-3) and ratios[1] == float("inf")


def test_the_runner_publishes_init_and_live_layers_on_shared_bins_and_one_updates_size():
    r = DeepRunner(SPEC, cap=WorkCap(2))
    view = r.snapshot.extras
    assert len(view.init) == 7 and view.ratios == () and view.alert is None
    edges = r.snapshot.act_edges
    assert all(np.array_equal(e, edges[0]) for e in edges) and edges[0][0] == 0.0  # ReLU: from 0
    r.step(20)
    snap = r.snapshot
    assert snap.extras.init == view.init  # the picture at initialization stays
    assert len(snap.extras.ratios) == 7 and all(0 < q < 1 for q in snap.extras.ratios)
    assert [p.grad_norm for p in snap.probes] != [p.grad_norm for p in view.init]


def test_with_the_pictures_off_nothing_per_layer_is_measured_and_the_numbers_are_the_same():
    on, off = DeepRunner(SPEC, cap=WorkCap(2)), DeepRunner(SPEC, cap=WorkCap(2), probing=False)
    assert off.snapshot.probes == () and off.snapshot.extras is None
    on.step(40)
    off.step(40)
    assert on.snapshot.metrics == off.snapshot.metrics
    off.set_probing(True)
    assert len(off.snapshot.probes) == 7 and off.snapshot.extras is not None
    assert [p.act_std for p in off.snapshot.extras.init] == [p.act_std for p in on.snapshot.extras.init]
    assert limits.ALERT_WINDOW >= 2

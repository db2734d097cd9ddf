"""The deep-networks page's runner: a Runner of a DeepTrainer whose snapshot carries, in
`extras`, a DeepView: the probes at initialization beside the live ones, one update's size
against the weights per layer, and the gradient alert. The per-layer pictures can be switched
off (`set_probing`): then nothing per layer is measured, which is what they cost."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace

import numpy as np

from ffnviz import limits
from ffnviz.data.toy2d import Dataset
from ffnviz.train.deep_probes import SharedEdgesProber, gradient_alert, update_ratios
from ffnviz.train.deep_trainer import DeepTrainer
from ffnviz.train.probes import LayerProbe
from ffnviz.train.runner import RUNNING, Runner


@dataclass(frozen=True)
class DeepView:
    init: tuple[LayerProbe, ...]  # the probes at update 0 (the same bins as the live ones)
    ratios: tuple[float, ...]  # per linear layer, ‖ΔW‖/‖W‖ of one recent update; () before the first
    alert: str | None  # "vanishing", "exploding" or None, see deep_probes.gradient_alert


class WatchedDeepTrainer(DeepTrainer):
    """A DeepTrainer that, when asked, measures how far its next update moves each layer's weights."""

    def _restart(self) -> None:
        super()._restart()
        self.update_ratios: tuple[float, ...] = ()
        self._watching = False

    def watch_next_update(self) -> None:
        self._watching = True

    def end_update(self) -> None:
        if not self._watching:
            super().end_update()
            return
        before = [w.detach().clone() for w in self.weights]
        super().end_update()
        self.update_ratios = update_ratios(before, [w.detach() for w in self.weights])
        self._watching = False


class DeepRunner(Runner):
    TRAINER = WatchedDeepTrainer
    PROBER = SharedEdgesProber
    NEURON_MAPS = False  # 30 layers × 256 units of maps would be megabytes a snapshot; the page has none
    # grid_resolution: no decision map by default (the page draws none; a deep net on 3,600 points costs)

    def __init__(self, spec, *, grid_resolution: int | None = None, dataset: Dataset | None = None,
                 probing: bool = True, **kwargs):
        self.probing = probing
        self._init_probes: tuple[LayerProbe, ...] = ()
        self._probed_at = -math.inf
        self._last: tuple[tuple[LayerProbe, ...], DeepView] | None = None  # the last measurement
        super().__init__(spec, grid_resolution=grid_resolution, dataset=dataset, **kwargs)

    def set_probing(self, on: bool) -> None:
        """Measure the per-layer pictures or not (the numbers of the run are the same either way)."""
        with self._locked():
            if on != self.probing:
                self.probing, self._probed_at = on, -math.inf
                self._publish()

    def _publish(self) -> None:
        """The Runner's snapshot; the per-layer measurement at most once per DEEP_PROBE_INTERVAL_S
        while training (the publications between carry the last one), so that the pictures cost
        the run little."""
        t = self._trainer
        now = time.perf_counter()
        wanted = self.probing
        self.probing = wanted and (self._status != RUNNING or t.updates == 0
                                   or now - self._probed_at >= limits.DEEP_PROBE_INTERVAL_S)
        try:
            super()._publish()
        finally:
            measured, self.probing = self.probing, wanted
        snap = self._snapshot
        if t.updates == 0 and t.diverged_at is None:  # the picture at initialization, pictures on or off
            self._init_probes = snap.probes or self._prober.probe(t.model, t.data_loss, t.x_probe, t.y_probe)
        if not wanted or t.diverged_at is not None:
            return
        if measured and snap.probes:
            self._probed_at = now
            t.watch_next_update()
            grads = snap.probe_history.get("grad_norm", np.zeros((0, 0)))
            self._last = (snap.probes, DeepView(self._init_probes, t.update_ratios, gradient_alert(grads)))
        if self._last is not None:
            probes, view = self._last
            self._snapshot = replace(snap, probes=probes, extras=replace(view, ratios=t.update_ratios))

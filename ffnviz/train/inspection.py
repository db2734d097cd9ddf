"""What the pictures of the inside of a network need, measured when a snapshot is published:
every neuron's output over the input plane (the neuron maps), and the probes over time.

Neither draws from the run's generator nor changes a weight: the numbers of a run are the same
with or without them.
"""

from __future__ import annotations

import numpy as np
import torch

from ffnviz import limits
from ffnviz.train.probes import LayerProbe

SERIES = ("grad_norm", "dead_fraction", "saturated_fraction", "weight_norm", "weight_sparsity", "act_mean", "act_std")


@torch.no_grad()
def neuron_grids(trainer, resolution: int, extent: float) -> tuple[np.ndarray, ...]:
    """Per layer (the input features first, the output last), each unit's value over the plane
    [-extent, extent]², as float32 of shape (units, resolution, resolution); row i is
    x2 = linspace(-extent, extent)[i]. Hidden units show f(Wx + b), the output its raw value
    (logits for a classification, the prediction for a regression). Dropout is off."""
    axis = torch.linspace(-extent, extent, resolution)
    gy, gx = torch.meshgrid(axis, axis, indexing="ij")
    points = torch.stack([gx.reshape(-1), gy.reshape(-1)], 1).to(trainer.device)
    model = trainer.model
    was_training = model.training
    model.eval()
    try:
        inputs = trainer.model_inputs(points)
        out, _, post = model.forward_with_hidden(inputs)
    finally:
        model.train(was_training)
    return tuple(layer.T.reshape(-1, resolution, resolution).float().cpu().numpy()
                 for layer in (inputs, *post, out))


class ProbeHistory:
    """The probes of every publication, thinned by halves when full (like the metrics history),
    so a long run keeps an evenly spaced picture of its whole past in constant memory. Each kept
    publication is turned into arrays once, when offered: `as_arrays` runs at every publication
    and only stacks them (a 30-layer network over 300 publications would otherwise be a Python
    loop over 60,000 numbers each time)."""

    def __init__(self, max_points: int = limits.PROBE_HISTORY_POINTS):
        self.max_points = max_points
        self._stride, self._offered = 1, 0
        self._epochs: list[float] = []
        self._rows: list[np.ndarray] = []  # (len(SERIES), layers) per kept publication
        self._hists: list[tuple[np.ndarray, ...]] = []  # per kept publication, each hidden layer's histogram

    def __len__(self) -> int:
        return len(self._rows)

    def offer(self, epoch: float, probes: tuple[LayerProbe, ...]) -> None:
        if not probes or (self._epochs and epoch <= self._epochs[-1]):
            return  # nothing trained since the last one: the same picture
        index, self._offered = self._offered, self._offered + 1
        if index % self._stride:  # kept rows are the offers 0, stride, 2 stride, ...
            return
        self._epochs.append(epoch)
        self._rows.append(np.array([[np.nan if getattr(p, name) is None else getattr(p, name) for p in probes]
                                    for name in SERIES], np.float64))
        self._hists.append(tuple(p.act_hist for p in probes if p.act_hist.size))
        if len(self._rows) > self.max_points:
            self._stride *= 2
            self._epochs, self._rows, self._hists = self._epochs[::2], self._rows[::2], self._hists[::2]

    def as_arrays(self) -> dict[str, np.ndarray | tuple[np.ndarray, ...]]:
        """"epoch" (T,); each of SERIES as (T, layers), NaN where a layer has no such value (dead
        units only for ReLU, saturation only for tanh/sigmoid); "act_hist" as one (T, bins)
        count array per hidden layer."""
        out: dict[str, np.ndarray | tuple[np.ndarray, ...]] = {"epoch": np.array(self._epochs, np.float64)}
        layers = self._rows[0].shape[1] if self._rows else 0
        table = np.stack(self._rows, axis=1) if self._rows else np.zeros((len(SERIES), 0, 0))
        for i, name in enumerate(SERIES):
            out[name] = table[i].reshape(len(self._rows), layers)
        hidden = len(self._hists[0]) if self._hists else 0
        out["act_hist"] = tuple(np.stack([row[i] for row in self._hists]) for i in range(hidden))
        return out

"""What is happening inside the network, measured on a fixed probe batch when a snapshot is
published (never on every step): per layer, activation statistics and histogram, dead ReLU and
saturated tanh/sigmoid units, gradient norm, weight norm and weight histogram.

Histogram bins are fixed per run (chosen at the first probe), so histograms over time line up.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from ffnviz import limits
from ffnviz.nn.activations import BOUNDED

SATURATION_MARGIN = 0.01  # within 1 % of an output bound counts as saturated


@dataclass(frozen=True)
class LayerProbe:
    layer: int  # 1-based; the output layer is len(hidden) + 1
    activation: str  # "output" for the output layer
    act_mean: float
    act_std: float
    act_hist: np.ndarray  # counts over the run's fixed act_edges; empty for the output layer
    dead_fraction: float | None  # ReLU layers: units that output 0 on every probe example
    saturated_fraction: float | None  # tanh/sigmoid layers: activations within 1 % of a bound
    grad_norm: float  # ||dL/dW|| on the probe batch
    weight_norm: float
    weight_sparsity: float  # fraction of |w| < 1e-3 (L1 pulls weights near zero; they hover there, never exactly 0)
    weight_hist: np.ndarray


def dead_fraction(activations: torch.Tensor) -> float:
    """Fraction of units (columns) that are zero on every example (rows)."""
    return float((activations <= 0).all(dim=0).float().mean())


def saturated_fraction(activations: torch.Tensor, name: str) -> float:
    lo, hi = BOUNDED[name]
    margin = SATURATION_MARGIN * (hi - lo)
    return float(((activations <= lo + margin) | (activations >= hi - margin)).float().mean())


def _symmetric_edges(values: list[torch.Tensor]) -> np.ndarray:
    """Bins symmetric about zero that hold 1.5 x the largest value seen, rounded up to a tidy
    bound, so the same bins serve the whole run as weights grow."""
    biggest = max((float(v.detach().abs().max()) for v in values if v.numel()), default=1.0)
    bound = float(2.0 ** np.ceil(np.log2(max(1.5 * biggest, 1e-3))))
    return np.linspace(-bound, bound, limits.HISTOGRAM_BINS + 1)


def _histogram(values: torch.Tensor, edges: np.ndarray) -> np.ndarray:
    clipped = np.clip(values.detach().float().cpu().numpy().ravel(), edges[0], edges[-1])
    return np.histogram(clipped, bins=edges)[0].astype(np.int32)


class Prober:
    """Probes one model; remembers the bins it chose at its first probe."""

    def __init__(self):
        self.act_edges: list[np.ndarray] | None = None
        self.weight_edges: list[np.ndarray] | None = None

    def _choose_edges(self, model, post: list[torch.Tensor]) -> None:
        self.act_edges = [
            np.linspace(*BOUNDED[name], limits.HISTOGRAM_BINS + 1) if name in BOUNDED else _symmetric_edges([a])
            for name, a in zip(model.activation_names, post, strict=True)
        ]
        self.weight_edges = [_symmetric_edges([lin.weight]) for lin in model.linears]

    def probe(self, model, loss_fn, x: torch.Tensor, y: torch.Tensor) -> tuple[LayerProbe, ...]:
        was_training = model.training
        model.eval()  # no dropout: probing must not draw from the run's generator
        try:
            with torch.enable_grad():
                out, _, post = model.forward_with_hidden(x)
                weights = [lin.weight for lin in model.linears]
                grads = torch.autograd.grad(loss_fn(out, y), weights)
        finally:
            model.train(was_training)
        if self.act_edges is None:
            self._choose_edges(model, post)
        layers = []
        for i, (w, g) in enumerate(zip(weights, grads, strict=True)):
            hidden = i < len(post)
            a = post[i].detach() if hidden else out.detach()
            name = model.activation_names[i] if hidden else "output"
            layers.append(LayerProbe(
                layer=i + 1,
                activation=name,
                act_mean=float(a.mean()),
                act_std=float(a.std()) if a.numel() > 1 else 0.0,
                act_hist=_histogram(a, self.act_edges[i]) if hidden else np.zeros(0, np.int32),
                dead_fraction=dead_fraction(a) if name == "relu" else None,
                saturated_fraction=saturated_fraction(a, name) if name in BOUNDED else None,
                grad_norm=float(g.norm()),
                weight_norm=float(w.detach().norm()),
                weight_sparsity=float((w.detach().abs() < 1e-3).float().mean()),
                weight_hist=_histogram(w, self.weight_edges[i]),
            ))
        return tuple(layers)

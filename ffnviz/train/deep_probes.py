"""What the deep-networks page measures per layer besides the shared probes (ffnviz/train/probes.py):
histograms on one set of bins for every hidden layer (so a layer whose activations shrink shows
it), the size of one update against the weights', and the gradient alerts in words."""

from __future__ import annotations

import numpy as np
import torch

from ffnviz import limits
from ffnviz.nn.activations import BOUNDED
from ffnviz.train.probes import Prober


class SharedEdgesProber(Prober):
    """A Prober whose hidden layers share one set of histogram bins, chosen at the first probe:
    the activation's range when it is bounded, else symmetric about 0 around the largest value of
    any layer. Per-layer bins would stretch each layer's histogram to fill the picture and hide
    the vanishing the page is about."""

    def _choose_edges(self, model, post: list[torch.Tensor]) -> None:
        super()._choose_edges(model, post)
        name = model.activation_names[0] if model.activation_names else "linear"
        if name in BOUNDED:
            shared = np.linspace(*BOUNDED[name], limits.HISTOGRAM_BINS + 1)
        else:
            shared = _tidy_edges(torch.cat([a.detach().float().reshape(-1) for a in post]))
        self.act_edges = [shared] * len(post)


def _tidy_edges(values: torch.Tensor) -> np.ndarray:
    """Bins from the values' 0.5th to 99.5th percentile, each end 1.5 × as far from 0 and rounded
    up to a power of two (0 when nothing is below it: ReLU's histograms start at 0). Quantiles,
    not the extremes: one large activation at initialization would squeeze every histogram into a
    bin or two. Values outside fall into the end bins."""
    sample = values[:: max(1, values.numel() // 100_000)]
    lo, hi = (float(q) for q in torch.quantile(sample, torch.tensor([0.005, 0.995])))

    def tidy(x: float) -> float:
        return float(2.0 ** np.ceil(np.log2(max(1.5 * x, 1e-3))))

    top = tidy(max(hi, 0.0))
    bottom = -tidy(-lo) if lo < 0 else 0.0
    if bottom < 0 and top < -bottom / 8:  # a mostly negative spread still shows 0 and a little above
        top = -bottom / 8
    return np.linspace(bottom, top, limits.HISTOGRAM_BINS + 1)


def update_ratios(before: list[torch.Tensor], after: list[torch.Tensor]) -> tuple[float, ...]:
    """Per layer, ‖W_after − W_before‖ / ‖W_before‖: how far one update moved the weights
    (about 1e-3 is the rule of thumb for a healthy rate; inf when the weights were all zero)."""
    out = []
    for b, a in zip(before, after, strict=True):
        size = float(b.norm())
        step = float((a - b).norm())
        out.append(step / size if size > 0 else (0.0 if step == 0 else float("inf")))
    return tuple(out)


def gradient_alert(grad_norms: np.ndarray, window: int = limits.ALERT_WINDOW) -> str | None:
    """From the gradient norms per layer over time, (T, layers) with the input side first:
    "vanishing" when the first layer's has been below VANISH_RATIO × the last layer's at each of
    the last `window` measurements, "exploding" when above EXPLODE_RATIO × the last's, or any
    layer's is above EXPLODE_NORM or not finite, at each of them; else None."""
    g = np.asarray(grad_norms, dtype=np.float64)
    if g.ndim != 2 or g.shape[1] < 2 or len(g) < window:
        return None
    recent = g[-window:]
    first, last = recent[:, 0], recent[:, -1]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = first / last
    if (~np.isfinite(recent)).any(axis=1).all() or (recent.max(axis=1) > limits.EXPLODE_NORM).all() \
            or (ratio > limits.EXPLODE_RATIO).all():
        return "exploding"
    if (first < limits.VANISH_RATIO * last).all():
        return "vanishing"
    return None

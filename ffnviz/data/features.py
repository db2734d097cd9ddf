"""Input features: what the network sees of a point (x1, x2), as in TensorFlow Playground.

The data sets and the charts stay in the raw plane; only the model's input is expanded, so a
spiral the network cannot separate from x1, x2 alone becomes easy with sin x1, sin x2.
"""

from __future__ import annotations

import torch

from ffnviz.specs import FEATURES

_EXPAND = {
    "x1": lambda x1, x2: x1,
    "x2": lambda x1, x2: x2,
    "x1sq": lambda x1, x2: x1 * x1,
    "x2sq": lambda x1, x2: x2 * x2,
    "x1x2": lambda x1, x2: x1 * x2,
    "sin_x1": lambda x1, x2: torch.sin(x1),
    "sin_x2": lambda x1, x2: torch.sin(x2),
}
assert tuple(_EXPAND) == FEATURES

# How a chart or a formula names each feature.
LABELS = {"x1": "x₁", "x2": "x₂", "x1sq": "x₁²", "x2sq": "x₂²", "x1x2": "x₁x₂", "sin_x1": "sin x₁", "sin_x2": "sin x₂"}


def expand(points: torch.Tensor, features: tuple[str, ...]) -> torch.Tensor:
    """(n, 2) raw points -> (n, len(features)) model inputs, in the order of `features`.
    The plain (x1, x2) case returns `points` itself: no copy on the hot path."""
    if features == ("x1", "x2"):
        return points
    x1, x2 = points[:, 0], points[:, 1]
    return torch.stack([_EXPAND[f](x1, x2) for f in features], 1)

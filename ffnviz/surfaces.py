"""Two-dimensional loss surfaces for the optimizer race: the classic test functions, each with
its formula, known minima, plotting window, start point and per-optimizer learning rates.

`Surface.value` is written once for torch tensors (so autograd gives the gradient that the real
torch.optim optimizers step on) and numpy arrays (the contour grid). No streamlit.

The ravine is f = ½(x²/κ + y²): its Hessian's eigenvalues are 1/κ and 1, so the condition
number is κ while the largest eigenvalue stays 1. Plain gradient descent is then stable for
η < 2 whatever κ, and raising κ only slows the shallow direction: the learning-rate slider
means the same thing at every condition number.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ffnviz.limits import RAVINE_CONDITION
from ffnviz.specs.optimizers import OPTIMIZERS

CONDITION = RAVINE_CONDITION


def _cos(x):
    """cos on a torch tensor (its own method keeps the autograd graph) or a numpy array or float;
    no torch import, so the specs that name these surfaces stay free of it."""
    return x.cos() if hasattr(x, "cos") else np.cos(x)


def _rosenbrock(x, y, condition):
    return (1.0 - x) ** 2 + 100.0 * (y - x**2) ** 2


def _beale(x, y, condition):
    return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2 + (2.625 - x + x * y**3) ** 2


def _himmelblau(x, y, condition):
    return (x**2 + y - 11.0) ** 2 + (x + y**2 - 7.0) ** 2


def _rastrigin(x, y, condition):
    return 20.0 + x**2 - 10.0 * _cos(2.0 * math.pi * x) + y**2 - 10.0 * _cos(2.0 * math.pi * y)


def _saddle(x, y, condition):
    return x**2 - y**2


def _ravine(x, y, condition):
    low, high = ravine_eigenvalues(condition)
    return 0.5 * (low * x**2 + high * y**2)


def _booth(x, y, condition):
    return (x + 2.0 * y - 7.0) ** 2 + (2.0 * x + y - 5.0) ** 2


def ravine_eigenvalues(condition: float) -> tuple[float, float]:
    """The ravine's Hessian eigenvalues (along x, along y): (1/κ, 1), normalised so the largest is 1."""
    return 1.0 / float(condition), 1.0


@dataclass(frozen=True)
class Surface:
    key: str
    latex: str
    minima: tuple[tuple[float, float], ...]  # global minima; () where the surface is unbounded below
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    start: tuple[float, float]
    lr: dict[str, float]  # per optimizer key; others fall back to the registry's row.lr
    fn: Callable = field(repr=False, compare=False)  # f(x, y, condition), elementwise
    min_value: float | None = 0.0  # the value at the minima; None when unbounded below

    def value(self, x, y, condition: float = 10.0):
        """f(x, y), elementwise, on torch tensors (differentiable) or numpy arrays or floats."""
        return self.fn(x, y, condition)

    def default_lr(self, optimizer: str) -> float:
        return self.lr.get(optimizer, OPTIMIZERS[optimizer].lr)


def _lrs(sgd: float, adaptive: float, **others: float) -> dict[str, float]:
    """SGD-family rates scale with the curvature; the adaptive optimizers' steps do not (their
    step is about η per coordinate), so they share one rate set by the window's size."""
    rates = {"sgd": sgd, "momentum": sgd, "nesterov": sgd, "adagrad": adaptive * 5, "rmsprop": adaptive,
             "adadelta": 1.0, "adam": adaptive, "adamw": adaptive, "nadam": adaptive, "radam": adaptive,
             "adamax": adaptive}
    rates.update(others)
    return rates


SURFACES: dict[str, Surface] = {s.key: s for s in [
    Surface("rosenbrock", r"f(x, y) = (1 - x)^2 + 100\,(y - x^2)^2", ((1.0, 1.0),), (-2.0, 2.0), (-1.0, 3.0),
            (-1.5, 2.5), _lrs(5e-4, 0.02, momentum=5e-4, nesterov=5e-4, radam=3e-3), _rosenbrock),
    Surface("beale", r"f(x, y) = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2", ((3.0, 0.5),),
            (-4.5, 4.5), (-4.5, 4.5), (1.0, 1.5), _lrs(1e-3, 0.02, momentum=1e-4, nesterov=1e-4, radam=3e-3), _beale),
    Surface("himmelblau", r"f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2",
            ((3.0, 2.0), (-2.805118086952745, 3.131312518250573), (-3.779310253377747, -3.2831859912861696),
             (3.5844283403304917, -1.8481265269644034)),
            (-5.0, 5.0), (-5.0, 5.0), (0.0, -0.5), _lrs(5e-3, 0.05, momentum=1e-3, nesterov=1e-3), _himmelblau),
    Surface("rastrigin", r"f(x, y) = 20 + \sum_{u \in \{x, y\}} \left(u^2 - 10 \cos 2\pi u\right)", ((0.0, 0.0),),
            (-5.12, 5.12), (-5.12, 5.12), (3.2, -2.7), _lrs(2e-3, 0.05, momentum=5e-4, nesterov=5e-4), _rastrigin),
    Surface("saddle", r"f(x, y) = x^2 - y^2", (), (-2.0, 2.0), (-2.0, 2.0), (-1.8, 0.01),
            _lrs(0.01, 0.02), _saddle, None),
    Surface("ravine", r"f(x, y) = \tfrac12\left(\tfrac{x^2}{\kappa} + y^2\right)", ((0.0, 0.0),), (-10.0, 10.0),
            (-4.0, 4.0), (-8.0, 3.0), _lrs(1.8, 0.1, momentum=0.3, nesterov=0.3), _ravine),
    Surface("booth", r"f(x, y) = (x + 2y - 7)^2 + (2x + y - 5)^2", ((1.0, 3.0),), (-10.0, 10.0), (-10.0, 10.0),
            (-7.0, -6.0), _lrs(0.02, 0.2, momentum=0.005, nesterov=0.005, adadelta=10.0), _booth),
]}


def grid(surface: Surface, condition: float = 10.0, resolution: int = 120, *,
         x_range: tuple[float, float] | None = None,
         y_range: tuple[float, float] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The surface sampled on a square grid over its window (or the given ranges, for a zoomed
    picture): xs, ys and z of shape (resolution, resolution), float32, row i at ys[i]."""
    xs = np.linspace(*(x_range or surface.x_range), resolution)
    ys = np.linspace(*(y_range or surface.y_range), resolution)
    z = surface.value(xs[None, :], ys[:, None], condition)  # float64 first: Rosenbrock's 1e3 sits beside 1e-6
    return xs.astype(np.float32), ys.astype(np.float32), np.asarray(z, dtype=np.float32)

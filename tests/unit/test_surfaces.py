"""The 2-D loss surfaces: known minima are minima, values agree between torch and numpy, grids
are laid out as the contour expects."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from ffnviz import limits
from ffnviz.specs.optimizers import OPTIMIZERS
from ffnviz.surfaces import SURFACES, grid, ravine_eigenvalues

KEYS = sorted(SURFACES)
MINIMA = [(key, m) for key in KEYS for m in SURFACES[key].minima]
CONDITION = 10.0


def value_and_grad(surface, x: float, y: float):
    point = torch.tensor([x, y], dtype=torch.float64, requires_grad=True)
    value = surface.value(point[0], point[1], CONDITION)
    value.backward()
    return value.item(), point.grad.numpy()


@pytest.mark.parametrize(("key", "minimum"), MINIMA)
def test_known_minima_are_minima(key, minimum):
    surface = SURFACES[key]
    value, gradient = value_and_grad(surface, *minimum)
    assert value == pytest.approx(surface.min_value, abs=1e-12)
    np.testing.assert_allclose(gradient, 0.0, atol=1e-6)
    angles = np.linspace(0, 2 * np.pi, 16, endpoint=False)
    for radius in (1e-3, 1e-2):
        around = surface.value(minimum[0] + radius * np.cos(angles), minimum[1] + radius * np.sin(angles), CONDITION)
        assert (around > value).all()


def test_himmelblau_has_four_minima_and_the_saddle_none():
    assert len(SURFACES["himmelblau"].minima) == 4
    assert SURFACES["saddle"].minima == () and SURFACES["saddle"].min_value is None
    assert SURFACES["saddle"].value(0.0, 10.0) < SURFACES["saddle"].value(0.0, 1.0) < 0


@pytest.mark.parametrize("key", KEYS)
def test_every_surface_is_complete_and_starts_away_from_its_minima(key):
    surface = SURFACES[key]
    assert surface.key == key and surface.latex.startswith("f(x, y)")
    for lo_hi in (surface.x_range, surface.y_range):
        assert lo_hi[0] < lo_hi[1]
    assert surface.x_range[0] < surface.start[0] < surface.x_range[1]
    assert surface.y_range[0] < surface.start[1] < surface.y_range[1]
    assert all(np.hypot(surface.start[0] - x, surface.start[1] - y) > 0.5 for x, y in surface.minima)
    assert set(surface.lr) <= set(OPTIMIZERS) and all(rate > 0 for rate in surface.lr.values())
    assert surface.default_lr("adam") > 0 and surface.default_lr("sgd") == surface.lr.get("sgd", OPTIMIZERS["sgd"].lr)


@pytest.mark.parametrize("key", KEYS)
def test_torch_and_numpy_agree(key):
    surface = SURFACES[key]
    xs, ys = np.linspace(-2, 2, 7), np.linspace(-1.5, 2.5, 7)
    on_numpy = surface.value(xs, ys, 30.0)
    on_torch = surface.value(torch.tensor(xs), torch.tensor(ys), 30.0).numpy()
    np.testing.assert_allclose(on_numpy, on_torch, rtol=1e-12)


@pytest.mark.parametrize("key", KEYS)
def test_grid_rows_are_y(key):
    surface = SURFACES[key]
    xs, ys, z = grid(surface, 5.0, resolution=20)
    assert xs.shape == ys.shape == (20,) and z.shape == (20, 20) and z.dtype == np.float32
    assert (xs[0], xs[-1]) == pytest.approx(surface.x_range) and (ys[0], ys[-1]) == pytest.approx(surface.y_range)
    np.testing.assert_allclose(z[3, 7], surface.value(float(xs[7]), float(ys[3]), 5.0), rtol=1e-5)


def test_grid_over_a_window():
    xs, ys, _ = grid(SURFACES["booth"], resolution=5, x_range=(0.0, 1.0), y_range=(2.0, 4.0))
    assert (xs[0], xs[-1], ys[0], ys[-1]) == (0.0, 1.0, 2.0, 4.0)


def test_ravine_condition_number_is_the_eigenvalue_ratio():
    for condition in (1.0, 10.0, 1000.0):
        low, high = ravine_eigenvalues(condition)
        assert high / low == pytest.approx(condition) and high == 1.0
        # the Hessian of f = ½(λ₁x² + λ₂y²) is diag(λ₁, λ₂)
        hessian = torch.autograd.functional.hessian(
            lambda p, c=condition: SURFACES["ravine"].value(p[0], p[1], c), torch.zeros(2, dtype=torch.float64))
        np.testing.assert_allclose(hessian.numpy(), np.diag([low, high]), atol=1e-12)


def test_limits():
    assert limits.RAVINE_CONDITION.contains(1.0) and limits.RAVINE_CONDITION.contains(1000.0)
    assert limits.STEPS_2D.lo == 1 and limits.STEPS_2D.hi == 1000 and limits.MAX_OPTIMIZERS_2D == 6

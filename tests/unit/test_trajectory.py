"""Optimizer paths over the 2-D surfaces, stepped by torch.optim, and momentum's rate in closed
form against the rate torch's SGD actually achieves on the ravine."""

from __future__ import annotations

import numpy as np
import pytest

from ffnviz.specs.optimizers import OPTIMIZERS
from ffnviz.surfaces import SURFACES, ravine_eigenvalues
from ffnviz.train.trajectory import momentum_rate, phase_diagram, run_trajectory

FIRST_MOMENT = {"sgd": set(), "momentum": {"momentum_buffer"}, "nesterov": {"momentum_buffer"}, "adagrad": {"sum"},
                "rmsprop": {"square_avg"}, "adadelta": {"square_avg", "acc_delta"}, "adam": {"exp_avg", "exp_avg_sq"},
                "adamw": {"exp_avg", "exp_avg_sq"}, "nadam": {"exp_avg", "exp_avg_sq"},
                "radam": {"exp_avg", "exp_avg_sq"}, "adamax": {"exp_avg", "exp_inf"}}


@pytest.mark.parametrize("key", sorted(SURFACES))
def test_every_optimizer_runs_on_every_surface(key):
    surface = SURFACES[key]
    for name in OPTIMIZERS:
        path = run_trajectory(surface, surface.start, name, surface.default_lr(name), None, 50)
        assert path.diverged_at is None, name
        assert path.points.shape == (51, 2) and path.losses.shape == (51,) and path.points.dtype == np.float64
        assert path.grads.shape == path.updates.shape == (50, 2)
        assert set(path.buffers) == FIRST_MOMENT[name] and all(b.shape == (50, 2) for b in path.buffers.values())
        np.testing.assert_array_equal(path.points[0], surface.start)
        np.testing.assert_allclose(path.points[1:], path.points[:-1] + path.updates)
        np.testing.assert_allclose(path.losses, surface.value(path.points[:, 0], path.points[:, 1]), rtol=1e-12)


def test_the_same_inputs_give_the_same_arrays():
    surface = SURFACES["rosenbrock"]
    a, b = (run_trajectory(surface, (-1.0, 2.0), "adam", 0.05, {"beta1": 0.8}, 200) for _ in range(2))
    for name in ("points", "losses", "grads", "updates"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert a.buffers.keys() == b.buffers.keys()
    for name in a.buffers:
        np.testing.assert_array_equal(a.buffers[name], b.buffers[name])
    assert dict(a.hyper) == {"beta1": 0.8, "beta2": 0.999, "eps": 1e-8}


def test_the_recorded_gradient_is_the_surfaces_and_sgd_steps_against_it():
    surface = SURFACES["booth"]
    path = run_trajectory(surface, surface.start, "sgd", 0.01, None, 5)
    x, y = path.points[0]
    np.testing.assert_allclose(path.grads[0], [2 * (x + 2 * y - 7) + 4 * (2 * x + y - 5),
                                               4 * (x + 2 * y - 7) + 2 * (2 * x + y - 5)])
    np.testing.assert_allclose(path.updates, -0.01 * path.grads)


def test_momentum_buffer_is_torchs_velocity():
    surface = SURFACES["ravine"]
    path = run_trajectory(surface, surface.start, "momentum", 0.1, {"momentum": 0.5}, 10)
    velocity = path.buffers["momentum_buffer"]
    np.testing.assert_allclose(velocity[0], path.grads[0])
    np.testing.assert_allclose(velocity[1:], 0.5 * velocity[:-1] + path.grads[1:])
    np.testing.assert_allclose(path.updates, -0.1 * velocity)


def test_a_diverging_run_stops_and_truncates():
    surface = SURFACES["rosenbrock"]
    path = run_trajectory(surface, surface.start, "sgd", 1.0, None, 500)
    assert path.diverged_at is not None and 1 <= path.diverged_at < 500
    n = path.diverged_at
    assert path.points.shape == (n, 2) and path.losses.shape == (n,)
    assert path.grads.shape == path.updates.shape == (n - 1, 2)
    assert np.isfinite(path.points).all() and np.isfinite(path.losses).all()


def test_phase_diagram_shape_and_known_values():
    eigenvalues = ravine_eigenvalues(10.0)
    lrs, momenta = np.geomspace(1e-3, 3.0, 7), np.linspace(0.0, 0.99, 5)
    rates = phase_diagram(lrs, momenta, eigenvalues)
    assert rates.shape == (5, 7)
    # no momentum: gradient descent, rate max |1 - ηλ|
    np.testing.assert_allclose(rates[0], np.max(np.abs(1 - lrs[:, None] * np.array(eigenvalues)), axis=1))
    assert momentum_rate(0.5, 0.0, eigenvalues) == pytest.approx(0.95)
    assert momentum_rate(2.5, 0.0, eigenvalues) == pytest.approx(1.5)
    # complex roots: the rate is √μ
    assert momentum_rate(1.0, 0.81, (1.0,)) == pytest.approx(0.9)
    # the best heavy-ball choice on [λmin, λmax]: rate (√κ - 1)/(√κ + 1)
    kappa = 10.0
    best_mu = ((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2
    best_lr = (2 / (np.sqrt(eigenvalues[0]) + np.sqrt(eigenvalues[1]))) ** 2
    assert momentum_rate(best_lr, best_mu, eigenvalues) == pytest.approx(np.sqrt(best_mu), rel=1e-6)
    np.testing.assert_allclose(phase_diagram(lrs[2:3], momenta[3:4], eigenvalues)[0, 0],
                               momentum_rate(lrs[2], momenta[3], eigenvalues))


def _peak(norms: np.ndarray, end: int, width: int = 8) -> float:
    """The largest distance in a short window: complex roots make the distance oscillate."""
    return float(norms[end - width:end].max())


@pytest.mark.parametrize(("lr", "momentum"), [(0.5, 0.0), (1.2, 0.3), (0.3, 0.6), (0.1, 0.9), (1.8, 0.2)])
def test_closed_form_rate_matches_torch_sgd_on_the_ravine(lr, momentum):
    surface, condition, k = SURFACES["ravine"], 10.0, 120
    path = run_trajectory(surface, surface.start, "momentum", lr, {"momentum": momentum}, 2 * k, condition)
    assert path.diverged_at is None
    norms = np.linalg.norm(path.points, axis=1)
    empirical = (_peak(norms, 2 * k + 1) / _peak(norms, k + 1)) ** (1 / k)
    assert empirical == pytest.approx(momentum_rate(lr, momentum, ravine_eigenvalues(condition)), abs=0.01)


def test_a_rate_above_one_diverges_in_torch():
    # with momentum the stable range widens to η < 2(1 + μ)/λ: 3.2 here
    eigenvalues = ravine_eigenvalues(10.0)
    assert momentum_rate(3.5, 0.6, eigenvalues) > 1 > momentum_rate(3.0, 0.6, eigenvalues)
    path = run_trajectory(SURFACES["ravine"], (-8.0, 3.0), "momentum", 3.5, {"momentum": 0.6}, 200)
    assert np.linalg.norm(path.points[-1]) > 100 * np.linalg.norm(path.points[0])


def test_an_unknown_hyperparameter_is_named():
    with pytest.raises(ValueError, match="momentum"):
        run_trajectory(SURFACES["booth"], (0.0, 0.0), "adam", 0.1, {"momentum": 0.9}, 3)

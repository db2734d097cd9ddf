"""An optimizer's path over a 2-D loss surface, stepped by the real torch.optim optimizer from
the registry (the point is one 2-element parameter), with what each step used and kept: the
gradient, the update and the optimizer's own state buffers. And momentum's convergence rate on
a quadratic, in closed form, for the phase diagram. No streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from ffnviz.specs.optimizers import OPTIMIZERS
from ffnviz.surfaces import Surface
from ffnviz.train.optimizers import build_optimizer


@dataclass(frozen=True)
class Trajectory:
    optimizer: str
    lr: float
    hyper: tuple[tuple[str, float], ...]  # every hyperparameter used: the registry's defaults, then the overrides
    points: np.ndarray  # (T+1, 2) float64, points[0] = start
    losses: np.ndarray  # (T+1,)
    grads: np.ndarray  # (T, 2): the gradient at points[t] that step t used
    updates: np.ndarray  # (T, 2): points[t+1] - points[t]
    buffers: dict[str, np.ndarray]  # (T, 2) each: the optimizer's state after step t, under torch's names
    diverged_at: int | None  # index of the first non-finite point or loss; the arrays end just before it


def hyper_values(optimizer: str, hyper: dict[str, float] | None) -> dict[str, float]:
    """As OptimSpec.hyper_values: the registry's defaults, then the overrides. An override the
    optimizer does not have is a ValueError naming it, not a TypeError from deep inside torch."""
    values = {h.name: h.default for h in OPTIMIZERS[optimizer].hypers}
    unknown = sorted(set(hyper or {}) - set(values))
    if unknown:
        raise ValueError(f"{optimizer} has no hyperparameter {', '.join(unknown)} (it has: {', '.join(values) or 'none'})")
    values.update({name: float(value) for name, value in (hyper or {}).items()})
    return values


def _vector_state(optimizer: torch.optim.Optimizer, param: torch.Tensor) -> dict[str, np.ndarray]:
    """The per-coordinate buffers of `param`'s state (scalars such as `step` and `mu_product` left out)."""
    return {name: value.detach().numpy().copy() for name, value in optimizer.state[param].items()
            if isinstance(value, torch.Tensor) and value.shape == param.shape}


def _finite(*values) -> bool:
    return all(bool(np.isfinite(v).all()) for v in values)


def run_trajectory(surface: Surface, start, optimizer: str, lr: float, hyper: dict[str, float] | None, steps: int,
                   condition: float = 10.0) -> Trajectory:
    """`steps` steps of `optimizer` from `start`; stops early, truncating, at the first non-finite
    point or loss. float64 so a slow crawl near a minimum is not lost to rounding. Deterministic:
    one CPU thread's arithmetic, no randomness."""
    values = hyper_values(optimizer, hyper)
    param = torch.nn.Parameter(torch.tensor([float(start[0]), float(start[1])], dtype=torch.float64))
    opt = build_optimizer(optimizer, [{"params": [param], "weight_decay": 0.0}], lr, values)
    points, losses, grads, buffers = [param.detach().numpy().copy()], [], [], []
    diverged_at = None
    for t in range(steps + 1):
        opt.zero_grad()
        loss = surface.value(param[0], param[1], condition)
        losses.append(loss.item())
        if not _finite(points[-1], losses[-1]):
            diverged_at = t
            break
        if t == steps:
            break
        loss.backward()
        grads.append(param.grad.detach().numpy().copy())
        opt.step()
        points.append(param.detach().numpy().copy())
        buffers.append(_vector_state(opt, param))
    n = len(points) if diverged_at is None else diverged_at  # finite points kept
    pts = np.array(points[:n], dtype=np.float64).reshape(-1, 2)
    return Trajectory(
        optimizer=optimizer, lr=float(lr), hyper=tuple(values.items()), points=pts,
        losses=np.array(losses[:n], dtype=np.float64),
        grads=np.array(grads[:max(n - 1, 0)], dtype=np.float64).reshape(-1, 2),
        updates=np.diff(pts, axis=0),
        buffers=_stack(buffers[:max(n - 1, 0)]),
        diverged_at=diverged_at,
    )


def _stack(states: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Per-step state dicts as one (T, 2) array per buffer; a buffer torch creates late (none do
    today) is NaN before it exists."""
    names = dict.fromkeys(name for state in states for name in state)
    nan = np.full(2, np.nan)
    return {name: np.array([state.get(name, nan) for state in states], dtype=np.float64).reshape(-1, 2)
            for name in names}


def phase_diagram(lrs: np.ndarray, momenta: np.ndarray, eigenvalues) -> np.ndarray:
    """Heavy-ball momentum's convergence rate on a quadratic with these Hessian eigenvalues, for
    every (momentum, lr) pair: shape (len(momenta), len(lrs)). Per eigenvalue λ the error obeys
    e_{t+1} = (1 - ηλ + μ) e_t - μ e_{t-1} (torch's SGD: v = μv + g, θ -= ηv), whose rate is the
    larger root modulus of z² - (1 - ηλ + μ) z + μ; the slowest eigenvalue sets the rate."""
    lr = np.asarray(lrs, dtype=np.float64)[None, :, None]
    mu = np.asarray(momenta, dtype=np.float64)[:, None, None]
    lam = np.asarray(eigenvalues, dtype=np.float64).reshape(1, 1, -1)
    a = 1.0 - lr * lam + mu
    root = np.sqrt((a * a - 4.0 * mu).astype(np.complex128))
    radius = np.maximum(np.abs(a + root), np.abs(a - root)) / 2.0
    return radius.max(axis=2)


def momentum_rate(lr: float, momentum: float, eigenvalues) -> float:
    """The rate of one (lr, momentum): max over λ of the spectral radius of
    [[1 - lr·λ + momentum, -momentum], [1, 0]]."""
    return float(phase_diagram(np.array([lr]), np.array([momentum]), eigenvalues)[0, 0])

"""Every update rule the pages show is the algorithm torch.optim runs at the shown settings: each
rule of ffnviz/specs/optimizers.py transcribed here as written (numpy, float64) and stepped beside
the optimizer ffnviz builds, from the same point on the same function, with each row's default
hyperparameters."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from ffnviz.specs.optimizers import OPTIMIZERS
from ffnviz.train.optimizers import build_optimizer

STEPS = 12


def loss(theta):
    """A bumpy bowl (its gradient changes sign and size along the way)."""
    return (theta**2 * torch.tensor([1.0, 3.0], dtype=theta.dtype)).sum() + torch.sin(3 * theta).sum()


def grad(theta: np.ndarray) -> np.ndarray:
    return np.array([2.0, 6.0]) * theta + 3 * np.cos(3 * theta)


def _adam_like(name, h, lr, decay=0.0):
    b1, b2, eps = h["beta1"], h["beta2"], h["eps"]

    def rule(theta, g, state, t):
        m = state["m"] = b1 * state.get("m", 0) + (1 - b1) * g
        v = state["v"] = b2 * state.get("v", 0) + (1 - b2) * g**2
        if name in ("adam", "adamw"):
            m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)
            return theta - lr * decay * theta - lr * m_hat / (np.sqrt(v_hat) + eps)
        if name == "nadam":
            psi = h["momentum_decay"]
            mu = [b1 * (1 - 0.5 * 0.96 ** (i * psi)) for i in range(1, t + 2)]  # mu_1 .. mu_{t+1}
            v_hat = v / (1 - b2**t)
            return theta - lr / (np.sqrt(v_hat) + eps) * (
                (1 - mu[t - 1]) * g / (1 - math.prod(mu[:t])) + mu[t] * m / (1 - math.prod(mu[: t + 1])))
        if name == "radam":
            m_hat = m / (1 - b1**t)
            rho_inf = 2 / (1 - b2) - 1
            rho = rho_inf - 2 * t * b2**t / (1 - b2**t)
            if rho <= 5:
                return theta - lr * m_hat
            r = math.sqrt((rho - 4) * (rho - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho))
            l_t = math.sqrt(1 - b2**t) / (np.sqrt(v) + eps)
            return theta - lr * m_hat * r * l_t
        raise AssertionError(name)

    return rule


def reference(name: str, h: dict[str, float], lr: float, decay: float = 0.0):
    """The rule as the page writes it: (theta, g, state, t) -> the next theta."""
    if name == "sgd":
        return lambda theta, g, state, t: theta - lr * g
    if name in ("momentum", "nesterov"):
        def rule(theta, g, state, t):
            v = state["v"] = h["momentum"] * state.get("v", 0) + g
            return theta - lr * (g + h["momentum"] * v if name == "nesterov" else v)
        return rule
    if name == "adagrad":
        def rule(theta, g, state, t):
            big_g = state["G"] = state.get("G", 0) + g**2
            return theta - lr * g / (np.sqrt(big_g) + h["eps"])
        return rule
    if name == "rmsprop":
        def rule(theta, g, state, t):
            s = state["s"] = h["alpha"] * state.get("s", 0) + (1 - h["alpha"]) * g**2
            return theta - lr * g / (np.sqrt(s) + h["eps"])
        return rule
    if name == "adadelta":
        def rule(theta, g, state, t):
            rho, eps = h["rho"], h["eps"]
            s = state["s"] = rho * state.get("s", 0) + (1 - rho) * g**2
            delta = np.sqrt(state.get("u", 0) + eps) / np.sqrt(s + eps) * g
            state["u"] = rho * state.get("u", 0) + (1 - rho) * delta**2
            return theta - lr * delta
        return rule
    if name == "adamax":
        def rule(theta, g, state, t):
            m = state["m"] = h["beta1"] * state.get("m", 0) + (1 - h["beta1"]) * g
            u = state["u"] = np.maximum(h["beta2"] * state.get("u", 0), np.abs(g) + h["eps"])
            return theta - lr / (1 - h["beta1"] ** t) * m / u
        return rule
    return _adam_like(name, h, lr, decay)


@pytest.mark.parametrize(("name", "decay"), [(name, 0.0) for name in OPTIMIZERS] + [("adamw", 0.1)])
def test_the_rule_shown_is_what_torch_runs(name, decay):
    row = OPTIMIZERS[name]
    h = {p.name: p.default for p in row.hypers}
    lr = row.lr * 10  # steps long enough to move the state
    start = np.array([1.3, -0.7])
    param = torch.nn.Parameter(torch.tensor(start, dtype=torch.float64))
    opt = build_optimizer(name, [{"params": [param], "weight_decay": decay}], lr, h)
    rule, state, theta = reference(name, h, lr, decay), {}, start.copy()
    for t in range(1, STEPS + 1):
        opt.zero_grad()
        loss(param).backward()
        opt.step()
        theta = rule(theta, grad(theta), state, t)
        assert np.allclose(param.detach().numpy(), theta, rtol=1e-6, atol=1e-9), (name, t)
    assert not np.allclose(theta, start)


DEFINED = (r"\hat m_t", r"\hat v_t", r"\mu_t", r"\rho_t", r"\rho_\infty", "r_t", "l_t", r"\Delta_t",
           "G_t", "s_t", "m_t", "v_t", "u_t", "g_t")


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_every_symbol_of_a_rule_is_defined_in_it(name):
    rule = OPTIMIZERS[name].rule
    for symbol in DEFINED:
        if symbol in rule:
            assert f"{symbol} =" in rule, f"{name}: {symbol} is used but not defined"
    assert r"\text" not in rule  # words inside LaTeX would stay English on the Chinese page

"""`optimizer.step()`'s arithmetic through torch's functional optimizer API, without the method's
per-call wrapper.

On a model of a few tiny tensors, `Optimizer.step()` spends more time around the arithmetic than
in it: the profiler's record_function, the step hooks, switching grad mode and `_init_group`'s
walk over the parameters. `FunctionalStep` makes the call the method makes, to the same
functional entry point (sgd, adam, ...), with the same lists
from the optimizer's state and the same arguments from its param groups, read at every update
(a scheduler or a live change may have changed the learning rate): the numbers are the method's,
bit for bit, its foreach/fused choice included (the group's "foreach" and "fused" are passed on
as the method passes them, and the functional API decides as it decides for the method).

Where it cannot make that same call it calls `optimizer.step()` itself: at an optimizer's first
update (torch creates the state, and an lr scheduler sees its optimizer stepped), for a parameter
without a gradient or without its state, a sparse gradient, a differentiable optimizer, or an
optimizer class not listed here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import torch
from torch.optim.adadelta import adadelta
from torch.optim.adagrad import adagrad
from torch.optim.adam import adam
from torch.optim.adamax import adamax
from torch.optim.nadam import nadam
from torch.optim.radam import radam
from torch.optim.rmsprop import rmsprop
from torch.optim.sgd import sgd


def _always(group: dict) -> bool:
    return True


@dataclass(frozen=True)
class _Entry:
    """How a torch.optim class's step() calls its functional API, per param group."""

    function: Callable[..., None]
    # The state lists after (params, grads), in the function's order: the state key, and when the
    # method passes that list (otherwise it passes an empty one).
    lists: tuple[tuple[str, Callable[[dict], bool]], ...]
    hypers: tuple[str, ...]  # group keys passed by name
    betas: bool = False  # group["betas"] passed as beta1, beta2
    scaling: bool = False  # the method passes the optimizer's grad_scale and found_inf
    constants: dict[str, Any] = field(default_factory=dict)


_ADAM = _Entry(adam,
               (("exp_avg", _always), ("exp_avg_sq", _always), ("max_exp_avg_sq", lambda g: g["amsgrad"]),
                ("step", _always)),
               ("amsgrad", "lr", "weight_decay", "eps", "maximize", "foreach", "capturable", "differentiable",
                "fused", "decoupled_weight_decay"),
               betas=True, scaling=True, constants={"has_complex": False})

# Each row mirrors the class's step() in torch 2.13 (torch/optim/<name>.py).
_ENTRIES: dict[type[torch.optim.Optimizer], _Entry] = {
    torch.optim.SGD: _Entry(
        sgd, (("momentum_buffer", lambda g: g["momentum"] != 0),),
        ("weight_decay", "momentum", "lr", "dampening", "nesterov", "maximize", "foreach", "fused"),
        scaling=True, constants={"has_sparse_grad": False}),
    torch.optim.Adagrad: _Entry(
        adagrad, (("sum", _always), ("step", _always)),
        ("lr", "weight_decay", "lr_decay", "eps", "foreach", "maximize", "differentiable", "fused"),
        scaling=True, constants={"has_sparse_grad": False, "has_complex": False}),
    torch.optim.RMSprop: _Entry(
        rmsprop,
        (("square_avg", _always), ("grad_avg", lambda g: g["centered"]),
         ("momentum_buffer", lambda g: g["momentum"] > 0), ("step", _always)),
        ("lr", "alpha", "eps", "weight_decay", "momentum", "centered", "foreach", "maximize", "differentiable",
         "capturable"),
        constants={"has_complex": False}),
    torch.optim.Adadelta: _Entry(
        adadelta, (("square_avg", _always), ("acc_delta", _always), ("step", _always)),
        ("lr", "rho", "eps", "weight_decay", "foreach", "maximize", "differentiable", "capturable"),
        constants={"has_complex": False}),
    torch.optim.Adam: _ADAM,
    torch.optim.AdamW: _ADAM,  # AdamW is Adam with decoupled_weight_decay=True in its groups
    torch.optim.NAdam: _Entry(
        nadam,
        (("exp_avg", _always), ("exp_avg_sq", _always), ("mu_product", _always), ("step", _always)),
        ("lr", "weight_decay", "momentum_decay", "eps", "maximize", "decoupled_weight_decay", "foreach",
         "capturable", "differentiable"),
        betas=True, constants={"has_complex": False}),
    torch.optim.RAdam: _Entry(
        radam, (("exp_avg", _always), ("exp_avg_sq", _always), ("step", _always)),
        ("lr", "weight_decay", "eps", "maximize", "foreach", "capturable", "differentiable",
         "decoupled_weight_decay"),
        betas=True, constants={"has_complex": False}),
    torch.optim.Adamax: _Entry(
        adamax, (("exp_avg", _always), ("exp_inf", _always), ("step", _always)),
        ("eps", "lr", "weight_decay", "foreach", "maximize", "differentiable", "capturable"),
        betas=True, constants={"has_complex": False}),
}


def has_functional_step(optimizer: torch.optim.Optimizer) -> bool:
    """Whether FunctionalStep knows the functional call of this optimizer's class (a subclass
    may step otherwise, so the class must be listed itself)."""
    return type(optimizer) in _ENTRIES


class FunctionalStep:
    """Calling it steps `optimizer` as `optimizer.step()` would, for the gradients in the
    parameters' .grad. The optimizer stays the one source of truth: its param groups hold the
    hyperparameters, its .state the state; nothing is cached between calls."""

    def __init__(self, optimizer: torch.optim.Optimizer):
        self.optimizer = optimizer
        self._entry = _ENTRIES.get(type(optimizer))
        self._stepped = False

    def __call__(self) -> None:
        if self._entry is None or not self._stepped:
            self.optimizer.step()
            self._stepped = True
            return
        calls = self._calls()
        if calls is None:
            self.optimizer.step()
            return
        with torch.no_grad():
            for args, kwargs in calls:
                self._entry.function(*args, **kwargs)

    def _calls(self) -> list[tuple[list, dict]] | None:
        """Each group's functional call, as step() would make it; None where step() must step."""
        entry, optimizer = self._entry, self.optimizer
        state = optimizer.state
        calls = []
        for group in optimizer.param_groups:
            params = group["params"]
            if not params:
                continue
            if group["differentiable"]:
                return None
            grads = []
            for p in params:
                grad = p.grad
                if grad is None or grad.is_sparse:
                    return None
                grads.append(grad)
            lists, states = [], None
            for key, wanted in entry.lists:
                if not wanted(group):
                    lists.append([])
                    continue
                if states is None:  # each parameter's state dict, looked up once per group
                    states = [state.get(p) for p in params]
                try:
                    values = [s[key] for s in states]
                except (KeyError, TypeError):  # a parameter without state, or without this buffer
                    return None
                if any(v is None for v in values):
                    return None
                lists.append(values)
            kwargs = {name: group[name] for name in entry.hypers}
            kwargs.update(entry.constants)
            if entry.betas:
                kwargs["beta1"], kwargs["beta2"] = group["betas"]
            if entry.scaling:
                kwargs["grad_scale"] = getattr(optimizer, "grad_scale", None)
                kwargs["found_inf"] = getattr(optimizer, "found_inf", None)
            calls.append(([params, grads, *lists], kwargs))
        return calls

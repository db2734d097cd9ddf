"""Builds the torch.optim optimizer a spec names (the registry's rows: ffnviz/specs/optimizers.py)
and changes its hyperparameters live. No update rule is written here: torch.optim does the
arithmetic.
"""

from __future__ import annotations

import torch

from ffnviz.specs.optimizers import OPTIMIZERS, OptimizerRow


def torch_class(row: OptimizerRow) -> type[torch.optim.Optimizer]:
    return getattr(torch.optim, row.torch_class)


# The classes without a fused kernel whose foreach path on the CPU gives their single-tensor path's
# numbers bit for bit (the same kernels, one tensor at a time, called from C++ instead of Python;
# tests/unit/test_optimizer_paths.py checks it). torch picks the single-tensor path on the CPU by
# default and the foreach path on CUDA; the foreach path costs less per call. NAdam and RAdam are not
# here: their foreach path rounds differently.
FOREACH_ON_CPU = frozenset({"RMSprop", "Adadelta", "Adamax"})


def build_optimizer(name: str, param_groups: list[dict], lr: float, values: dict[str, float]) -> torch.optim.Optimizer:
    row = OPTIMIZERS[name]
    kwargs = row.torch_kwargs(values)
    device = param_groups[0]["params"][0].device.type
    if device in row.fused_on:
        kwargs["fused"] = True
    elif device == "cpu" and row.torch_class in FOREACH_ON_CPU:
        kwargs["foreach"] = True
    return torch_class(row)(param_groups, lr=lr, **kwargs)


def set_hyperparameters(optimizer: torch.optim.Optimizer, name: str, lr: float, values: dict[str, float]) -> None:
    """Change lr and hyperparameters in place: the weights and the optimizer's state stay."""
    kwargs = OPTIMIZERS[name].torch_kwargs(values)
    kwargs.pop("weight_decay", None)  # owned by the regularizer, per group
    for group in optimizer.param_groups:
        group["lr"] = lr
        group.update(kwargs)

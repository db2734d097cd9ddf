"""The optimizers built with torch's foreach path on the CPU (optimizers.FOREACH_ON_CPU) give the
numbers of torch's default single-tensor path there, bit for bit: the path an optimizer takes must
not change a run's numbers."""

from __future__ import annotations

import pytest
import torch

from ffnviz.specs.optimizers import OPTIMIZERS
from ffnviz.train.optimizers import FOREACH_ON_CPU, build_optimizer, torch_class

# The shapes of the engine's small models and a larger one (vectorized kernels have a tail).
SHAPES = ((4, 2), (4,), (2, 4), (2,), (1, 2), (1,), (8, 8), (37, 19))


def _params() -> list[torch.nn.Parameter]:
    g = torch.Generator().manual_seed(0)
    return [torch.nn.Parameter(torch.randn(shape, generator=g)) for shape in SHAPES]


def _groups(params: list[torch.nn.Parameter]) -> list[dict]:
    return [{"params": params[0::2], "weight_decay": 0.01}, {"params": params[1::2], "weight_decay": 0.0}]


@pytest.mark.parametrize("name", [n for n, row in OPTIMIZERS.items() if row.torch_class in FOREACH_ON_CPU])
def test_the_foreach_path_is_the_single_tensor_path(name):
    row = OPTIMIZERS[name]
    values = {h.name: h.default for h in row.hypers}
    built, single = _params(), _params()
    a = build_optimizer(name, _groups(built), row.lr, values)
    b = torch_class(row)(_groups(single), lr=row.lr, **row.torch_kwargs(values), foreach=False)
    assert all(group["foreach"] for group in a.param_groups)  # the fast path is the one tested
    g = torch.Generator().manual_seed(1)
    for _ in range(100):
        for p, q in zip(built, single, strict=True):
            p.grad = torch.randn(p.shape, generator=g) * 0.1
            q.grad = p.grad.clone()
        a.step()
        b.step()
    assert all(torch.equal(p, q) for p, q in zip(built, single, strict=True))
    for p, q in zip(built, single, strict=True):
        assert all(torch.equal(a.state[p][k], b.state[q][k]) for k in a.state[p])


def test_every_other_optimizer_takes_a_fused_kernel_or_torchs_default_path():
    for name, row in OPTIMIZERS.items():
        values = {h.name: h.default for h in row.hypers}
        group = build_optimizer(name, [{"params": _params()}], row.lr, values).param_groups[0]
        if "cpu" in row.fused_on:
            assert group["fused"], name
        elif row.torch_class not in FOREACH_ON_CPU:
            assert not group["foreach"] and not group.get("fused"), name

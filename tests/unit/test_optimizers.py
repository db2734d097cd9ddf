"""The optimizer registry and the regularizers."""

from __future__ import annotations

import pytest
import torch

from ffnviz.nn import build_mlp
from ffnviz.specs import ModelSpec, RegSpec
from ffnviz.specs.optimizers import OPTIMIZERS
from ffnviz.train.optimizers import build_optimizer, set_hyperparameters, torch_class
from ffnviz.train.regularizers import LOSS_LATEX, decay_weights, penalty

ROWS = sorted(OPTIMIZERS)


def defaults(name: str) -> dict[str, float]:
    return {h.name: h.default for h in OPTIMIZERS[name].hypers}


def tiny_model():
    return build_mlp(ModelSpec(hidden=(3,), activation="tanh"), 2, 1, torch.Generator().manual_seed(0))


def groups_of(model) -> list[dict]:
    return [{"params": [lin.weight for lin in model.linears], "weight_decay": 0.0},
            {"params": [lin.bias for lin in model.linears], "weight_decay": 0.0}]


@pytest.mark.parametrize("name", ROWS)
def test_fused_is_asked_for_only_on_the_devices_that_have_the_kernel(name):
    # meta tensors stand for a device with no fused kernel: asking for one there raises in torch,
    # as fused Adagrad does on CUDA (seen by benchmarks/gpu_check.py on an H200)
    on_meta = [torch.nn.Parameter(torch.zeros(3, device="meta"))]
    assert build_optimizer(name, [{"params": on_meta}], 0.1, defaults(name)).defaults.get("fused") in (None, False)
    fused_on_cpu = build_optimizer(name, groups_of(tiny_model()), 0.1, defaults(name)).defaults.get("fused")
    assert bool(fused_on_cpu) == ("cpu" in OPTIMIZERS[name].fused_on)


@pytest.mark.parametrize("name", ROWS)
def test_every_row_builds_and_steps_a_model(name):
    row = OPTIMIZERS[name]
    model = tiny_model()
    opt = build_optimizer(name, groups_of(model), row.lr, defaults(name))
    assert isinstance(opt, torch_class(row)) and torch_class(row).__module__.startswith("torch.optim")
    before = [p.detach().clone() for p in model.parameters()]
    x = torch.randn(16, 2, generator=torch.Generator().manual_seed(1))
    y = (x[:, 0] > 0).float()
    for _ in range(3):
        opt.zero_grad()
        torch.nn.functional.binary_cross_entropy_with_logits(model(x).squeeze(1), y).backward()
        opt.step()
    after = list(model.parameters())
    assert any(not torch.equal(b, a) for b, a in zip(before, after, strict=True))
    assert all(torch.isfinite(a).all() for a in after)
    for group in opt.param_groups:
        assert group["lr"] == row.lr


@pytest.mark.parametrize("name", ROWS)
def test_every_row_reduces_a_convex_loss(name):
    row = OPTIMIZERS[name]
    w = torch.nn.Parameter(torch.tensor([3.0, -2.0, 1.0]))
    target = torch.tensor([0.5, 0.5, -0.5])
    opt = build_optimizer(name, [{"params": [w]}], row.lr, defaults(name))

    def loss() -> torch.Tensor:
        return ((w - target) ** 2).sum()

    start = float(loss().detach())
    for _ in range(60):
        opt.zero_grad()
        loss().backward()
        opt.step()
    end = float(loss().detach())
    # Adadelta's first steps are ~sqrt(eps) long; every other row does far better than this.
    assert end < 0.95 * start, (name, start, end)


def test_rows_have_what_the_pages_need():
    for name, row in OPTIMIZERS.items():
        assert row.key == name and row.rule
        assert row.lr > 0
        names = [h.name for h in row.hypers]
        assert len(names) == len(set(names))
        assert ("beta1" in names) == ("beta2" in names)


def test_torch_kwargs_pairs_the_betas_and_keeps_fixed_arguments():
    kw = OPTIMIZERS["adam"].torch_kwargs({"beta1": 0.8, "beta2": 0.95, "eps": 1e-6})
    assert kw == {"betas": (0.8, 0.95), "eps": 1e-6}
    assert OPTIMIZERS["nesterov"].torch_kwargs({"momentum": 0.5}) == {"nesterov": True, "momentum": 0.5}
    opt = build_optimizer("nesterov", [{"params": [torch.nn.Parameter(torch.zeros(2))]}], 0.1, {"momentum": 0.5})
    assert opt.param_groups[0]["nesterov"] is True and opt.param_groups[0]["momentum"] == 0.5


def _one_step(opt, w):
    opt.zero_grad()
    (w**2).sum().backward()
    opt.step()


@pytest.mark.parametrize(
    ("name", "values", "expect"),
    [
        ("momentum", {"momentum": 0.5}, {"momentum": 0.5}),
        ("nesterov", {"momentum": 0.3}, {"momentum": 0.3, "nesterov": True}),
        ("adam", {"beta1": 0.7, "beta2": 0.9, "eps": 1e-4}, {"betas": (0.7, 0.9), "eps": 1e-4}),
        ("adamw", {"beta1": 0.5, "beta2": 0.99, "eps": 1e-8}, {"betas": (0.5, 0.99)}),
        ("rmsprop", {"alpha": 0.9, "eps": 1e-8}, {"alpha": 0.9}),
    ],
)
def test_set_hyperparameters_changes_groups_and_keeps_state(name, values, expect):
    w = torch.nn.Parameter(torch.tensor([1.0, -2.0]))
    b = torch.nn.Parameter(torch.tensor([0.5]))
    opt = build_optimizer(name, [{"params": [w], "weight_decay": 0.25}, {"params": [b], "weight_decay": 0.0}],
                          0.01, defaults(name))
    _one_step(opt, w)
    state = {k: v.clone() if torch.is_tensor(v) else v for k, v in opt.state[w].items()}
    assert state  # momentum buffers / moments exist after a step
    weights = w.detach().clone()
    set_hyperparameters(opt, name, 0.2, values)
    for group in opt.param_groups:
        assert group["lr"] == 0.2
        for key, value in expect.items():
            assert group[key] == value
    # The weight-decay setting belongs to the regularizer, per group: left as it was.
    assert [g["weight_decay"] for g in opt.param_groups] == [0.25, 0.0]
    assert torch.equal(w.detach(), weights)
    for key, value in state.items():
        now = opt.state[w][key]
        assert torch.equal(now, value) if torch.is_tensor(value) else now == value


def test_a_changed_learning_rate_is_used_by_the_next_step():
    w = torch.nn.Parameter(torch.tensor([1.0]))
    opt = build_optimizer("sgd", [{"params": [w]}], 0.1, {})
    _one_step(opt, w)  # w = 1 - 0.1 * 2
    assert float(w.detach()) == pytest.approx(0.8)
    set_hyperparameters(opt, "sgd", 0.5, {})
    _one_step(opt, w)  # w = 0.8 - 0.5 * 1.6
    assert float(w.detach()) == pytest.approx(0.0, abs=1e-7)


# -- regularizers -------------------------------------------------------------------------------

W = [torch.tensor([[1.0, -2.0], [0.5, 0.0]]), torch.tensor([[-3.0]])]


def test_l1_penalty_by_hand():
    # |1| + |-2| + |0.5| + |0| + |-3| = 6.5
    assert float(penalty(W, RegSpec(kind="l1", rate=0.1))) == pytest.approx(0.65)


def test_l2_penalty_by_hand():
    # (1 + 4 + 0.25 + 0 + 9) / 2 = 7.125
    assert float(penalty(W, RegSpec(kind="l2", rate=0.1))) == pytest.approx(0.7125)


def test_penalty_gradients():
    w = torch.tensor([[1.0, -2.0, 0.5]], requires_grad=True)
    penalty([w], RegSpec(kind="l2", rate=0.3)).backward()
    assert torch.allclose(w.grad, 0.3 * w.detach())
    w.grad = None
    penalty([w], RegSpec(kind="l1", rate=0.3)).backward()
    assert torch.allclose(w.grad, 0.3 * torch.sign(w.detach()))


@pytest.mark.parametrize("reg", [RegSpec(), RegSpec(kind="l2", rate=0.0), RegSpec(kind="weight_decay", rate=0.1)])
def test_no_penalty(reg):
    assert penalty(W, reg) is None


def test_decay_weights():
    ws = [w.clone() for w in W]
    decay_weights(ws, 0.1, RegSpec(kind="weight_decay", rate=0.3))
    for before, after in zip(W, ws, strict=True):
        assert torch.allclose(after, before * (1 - 0.1 * 0.3))


@pytest.mark.parametrize("reg", [RegSpec(kind="l2", rate=0.3), RegSpec(kind="weight_decay", rate=0.0), RegSpec()])
def test_decay_weights_only_for_weight_decay(reg):
    ws = [w.clone() for w in W]
    decay_weights(ws, 0.1, reg)
    assert all(torch.equal(a, b) for a, b in zip(W, ws, strict=True))


def test_every_regularizer_has_its_formula():
    from ffnviz.specs import REGULARIZERS

    assert set(LOSS_LATEX) == set(REGULARIZERS)

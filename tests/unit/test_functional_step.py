"""The update's fast path gives torch.optim's numbers bit for bit: FunctionalStep against
Optimizer.step() for every optimizer of the registry, the Trainer against a plain
`loss.backward(); optimizer.step()` loop with every regularizer, and a race's stacked step against
stacking inside the autograd graph."""

from __future__ import annotations

import warnings
from dataclasses import replace

import pytest
import torch

from ffnviz.specs import DataSpec, ModelSpec, OptimSpec, RegSpec, RunSpec, TrainSpec
from ffnviz.specs.optimizers import OPTIMIZERS
from ffnviz.specs.race import Contestant, RaceSpec
from ffnviz.train.functional_step import FunctionalStep, has_functional_step
from ffnviz.train.optimizers import build_optimizer, set_hyperparameters
from ffnviz.train.race import Race
from ffnviz.train.regularizers import decay_weights
from ffnviz.train.trainer import Trainer

REGS = [RegSpec(), RegSpec("l1", 1e-3), RegSpec("l2", 1e-2), RegSpec("weight_decay", 1e-2)]


def _params(seed: int) -> list[torch.nn.Parameter]:
    g = torch.Generator().manual_seed(seed)
    return [torch.nn.Parameter(torch.randn(shape, generator=g)) for shape in ((4, 2), (4,), (1, 4), (1,))]


def _same(a: list[torch.Tensor], b: list[torch.Tensor]) -> bool:
    return all(torch.equal(x, y) for x, y in zip(a, b, strict=True))


def _same_state(a: torch.optim.Optimizer, b: torch.optim.Optimizer) -> bool:
    sa, sb = a.state_dict()["state"], b.state_dict()["state"]
    return sa.keys() == sb.keys() and all(
        sa[i].keys() == sb[i].keys() and all(torch.equal(torch.as_tensor(sa[i][k]), torch.as_tensor(sb[i][k]))
                                             for k in sa[i]) for i in sa)


@pytest.mark.parametrize("name", list(OPTIMIZERS))
@pytest.mark.parametrize("decay", [0.0, 0.01])
def test_functional_step_is_optimizer_step(name, decay):
    """Random gradients, two param groups when decay is on (as the Trainer groups AdamW's own
    decay), and the learning rate and a hyperparameter changed between steps, as a scheduler and
    a live change do: FunctionalStep reads them at every update."""
    row = OPTIMIZERS[name]
    plain, fast = _params(0), _params(0)

    def groups(ps):
        if decay:
            return [{"params": ps[0::2], "weight_decay": decay}, {"params": ps[1::2], "weight_decay": 0.0}]
        return [{"params": ps, "weight_decay": 0.0}]

    values = {h.name: h.default for h in row.hypers}
    a = build_optimizer(name, groups(plain), row.lr, values)
    b = build_optimizer(name, groups(fast), row.lr, values)
    assert has_functional_step(b)
    step = FunctionalStep(b)
    g = torch.Generator().manual_seed(1)
    for i in range(12):
        for p, q in zip(plain, fast, strict=True):
            grad = torch.randn(p.shape, generator=g)
            p.grad, q.grad = grad.clone(), grad.clone()
        if i == 5:
            lr = row.lr / 3
            changed = {h.name: (h.default + h.lo) / 2 for h in row.hypers}
            set_hyperparameters(a, name, lr, changed)
            set_hyperparameters(b, name, lr, changed)
        a.step()
        step()
        assert _same(plain, fast), (name, i)
    assert _same_state(a, b)


@pytest.mark.parametrize("name", list(OPTIMIZERS))
@pytest.mark.parametrize("reg", REGS, ids=lambda r: r.kind)
def test_trainer_is_a_plain_optimizer_step_loop(name, reg):
    """Trainer.step against the update spelled out with the model's own module call, backward()
    and optimizer.step(), for every optimizer and regularizer: losses, weights and optimizer state
    bit for bit, across epoch ends and live changes of learning rate and regularizer."""
    spec = RunSpec(data=DataSpec(dataset="spiral", n_points=60), model=ModelSpec(hidden=(5, 3)),
                   optim=OptimSpec(name, OPTIMIZERS[name].lr), reg=reg, train=TrainSpec(batch_size=8))
    fast, plain = Trainer(spec), Trainer(spec)
    native = OPTIMIZERS[name].native_decoupled_decay

    def plain_steps(n: int) -> float:
        for _ in range(n):
            xb, yb = plain.begin_update()
            plain.objective(plain.model(xb), yb).backward()
            if reg.kind == "weight_decay" and not native:
                decay_weights(plain.weights, plain.spec.optim.lr, reg)
            plain.optimizer.step()
        return plain.count_updates()

    for n in (1, 3, 9):
        assert fast.step(n) == plain_steps(n)
    live = replace(spec.optim, lr=spec.optim.lr / 2)
    for t in (fast, plain):
        t.apply_live(live, reg, 8, spec.train.max_updates)
    assert fast.step(10) == plain_steps(10)
    # Another regularizer, live: AdamW's own decay regroups its parameters (one group <-> two).
    reg = RegSpec("weight_decay", 3e-2) if reg.kind != "weight_decay" else RegSpec()
    for t in (fast, plain):
        t.apply_live(live, reg, 8, spec.train.max_updates)
    assert fast.step(6) == plain_steps(6)
    assert _same(list(fast.model.parameters()), list(plain.model.parameters()))
    assert _same_state(fast.optimizer, plain.optimizer)


def test_dropout_and_multiclass_runs_step_as_before():
    spec = RunSpec(data=DataSpec(dataset="blobs", n_classes=3, n_points=90), model=ModelSpec(hidden=(6,), dropout=0.3),
                   optim=OptimSpec("adam", 0.01), train=TrainSpec(batch_size=16))
    fast, plain = Trainer(spec), Trainer(spec)
    for _ in range(12):
        xb, yb = plain.begin_update()
        plain.objective(plain.model(xb), yb).backward()
        plain.optimizer.step()
    assert fast.step(12) == plain.count_updates()
    assert _same(list(fast.model.parameters()), list(plain.model.parameters()))


def test_a_scheduler_changes_the_learning_rate_the_step_uses():
    """An lr scheduler on the trainer's optimizer: the fast path reads param_groups' lr at every
    update, and the scheduler sees its optimizer stepped (no warning)."""
    spec = RunSpec(data=DataSpec(dataset="spiral", n_points=60), model=ModelSpec(hidden=(5,)),
                   optim=OptimSpec("momentum", 0.05), train=TrainSpec(batch_size=10))
    fast, plain = Trainer(spec), Trainer(spec)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        schedules = [torch.optim.lr_scheduler.StepLR(t.optimizer, step_size=1, gamma=0.5) for t in (fast, plain)]
        for _ in range(4):
            fast.step(3)
            for _ in range(3):
                xb, yb = plain.begin_update()
                plain.objective(plain.model(xb), yb).backward()
                plain.optimizer.step()
            plain.count_updates()
            for s in schedules:
                s.step()
    assert fast.optimizer.param_groups[0]["lr"] == 0.05 / 16
    assert _same(list(fast.model.parameters()), list(plain.model.parameters()))


def test_falls_back_to_optimizer_step():
    """An optimizer class without a functional entry here (Rprop), and a parameter without a
    gradient, step through optimizer.step() itself: the same numbers."""
    plain, fast = _params(2), _params(2)
    a, b = torch.optim.Rprop(plain, lr=0.01), torch.optim.Rprop(fast, lr=0.01)
    assert not has_functional_step(b)
    step = FunctionalStep(b)
    for _ in range(3):
        for p, q in zip(plain, fast, strict=True):
            p.grad, q.grad = torch.ones_like(p), torch.ones_like(q)
        a.step()
        step()
    assert _same(plain, fast)

    plain, fast = _params(3), _params(3)
    a, b = torch.optim.Adam(plain, lr=0.01), torch.optim.Adam(fast, lr=0.01)
    step = FunctionalStep(b)
    for i in range(4):
        for j, (p, q) in enumerate(zip(plain, fast, strict=True)):
            grad = None if i == 2 and j == 1 else torch.full_like(p, 0.1 * (i + 1))
            p.grad, q.grad = grad, None if grad is None else grad.clone()
        a.step()
        step()
        assert _same(plain, fast)
    assert _same_state(a, b)


def _old_stacked_step(race: Race, k: int) -> None:
    """A race's stacked step as it was before StackedMLPs: the models' parameters stacked inside
    the autograd graph (torch.stack), one backward pass into the parameters themselves."""
    trainers = [t for row in race.trainers for t in row]
    models = [t.model for t in trainers]
    for _ in range(k):
        batches = [t.begin_update() for t in trainers]
        x = torch.stack([xb for xb, _ in batches])
        for layer in range(len(models[0].linears)):
            w = torch.stack([m.linears[layer].weight for m in models])
            b = torch.stack([m.linears[layer].bias for m in models]).unsqueeze(1)
            x = torch.baddbmm(b, x, w.transpose(1, 2))
            if layer < len(models[0].activations):
                x = models[0].activations[layer](x)
        objectives = [t.objective(out, yb) for t, out, (_, yb) in zip(trainers, x.unbind(0), batches, strict=True)]
        torch.stack(objectives).sum().backward()
        for t in trainers:
            t.end_update()
    for t in trainers:
        t.count_updates()


def test_stacked_step_is_stacking_inside_the_graph():
    base = RunSpec(data=DataSpec(dataset="spiral", n_points=100), model=ModelSpec(hidden=(6, 4)),
                   train=TrainSpec(batch_size=10))
    contestants = (Contestant(OptimSpec("sgd", 0.03)), Contestant(OptimSpec("momentum", 0.03), RegSpec("l2", 1e-3)),
                   Contestant(OptimSpec("adam", 0.01), RegSpec("l1", 1e-3)),
                   Contestant(OptimSpec("adamw", 0.01), RegSpec("weight_decay", 1e-2)),
                   Contestant(OptimSpec("rmsprop", 0.003), RegSpec("weight_decay", 1e-2)))
    spec = RaceSpec(base=base, contestants=contestants, seeds=(0, 1))
    new, old = Race(spec), Race(spec)
    new.step(5)  # one epoch: the race steps its whole chunk stacked
    _old_stacked_step(old, 5)
    for row_new, row_old in zip(new.trainers, old.trainers, strict=True):
        for a, b in zip(row_new, row_old, strict=True):
            assert a.updates == b.updates == 5
            assert _same(list(a.model.parameters()), list(b.model.parameters()))
            assert _same([p.grad for p in a.model.parameters()], [p.grad for p in b.model.parameters()])
            assert _same_state(a.optimizer, b.optimizer)

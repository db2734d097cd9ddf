"""The Trainer's update pieces (begin_update, objective, end_update, count_updates): driven by
hand with the model's own forward pass, they are Trainer.step, bit for bit."""

from __future__ import annotations

import math

import pytest
import torch

from ffnviz.specs import DataSpec, ModelSpec, OptimSpec, RegSpec, RunSpec, TrainSpec
from ffnviz.train.trainer import Trainer

SPEC = RunSpec(data=DataSpec(dataset="spiral", noise=0.1), model=ModelSpec(hidden=(8, 8), activation="relu", init="he"),
               optim=OptimSpec(name="momentum", lr=0.03), train=TrainSpec(seed=3, batch_size=16, device="cpu"))


def by_pieces(t: Trainer, n: int) -> float:
    for _ in range(n):
        xb, yb = t.begin_update()
        t.objective(t.model(xb), yb).backward()
        t.end_update()
    return t.count_updates()


@pytest.mark.parametrize("reg", [RegSpec(), RegSpec("l1", 1e-3), RegSpec("l2", 1e-3), RegSpec("weight_decay", 1e-2)])
def test_the_pieces_make_the_steps_updates(reg):
    spec = RunSpec(data=SPEC.data, model=SPEC.model, optim=SPEC.optim, reg=reg, train=SPEC.train)
    stepped, pieced = Trainer(spec), Trainer(spec)
    for n in (1, 7, stepped.updates_left_in_epoch):  # across an epoch's end
        assert by_pieces(pieced, n) == stepped.step(n)
    assert pieced.updates == stepped.updates and pieced.epoch == stepped.epoch
    for p, q in zip(pieced.model.parameters(), stepped.model.parameters(), strict=True):
        assert torch.equal(p, q)


def test_count_names_the_first_non_finite_loss():
    t = Trainer(SPEC)
    by_pieces(t, 2)
    for scale in (1.0, math.inf, 1.0):  # the second of three updates goes wrong
        xb, yb = t.begin_update()
        t.objective(t.model(xb) * scale, yb).backward()
    t.count_updates()
    assert t.updates == 5 and t.diverged_at == 4


def test_objective_adds_the_penalty_and_keeps_the_data_loss():
    t = Trainer(RunSpec(data=SPEC.data, model=SPEC.model, optim=SPEC.optim, reg=RegSpec("l2", 0.1), train=SPEC.train))
    xb, yb = t.begin_update()
    output = t.model(xb).detach()
    total = t.objective(output, yb)
    assert total.item() > t.data_loss(output, yb).item()
    assert t.count_updates() == t.data_loss(output, yb).item()

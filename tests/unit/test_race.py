"""The optimizer race: specs, the lockstep engine, and its runner."""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import replace

import numpy as np
import pytest
import torch

from ffnviz import limits
from ffnviz.specs import DataSpec, ModelSpec, OptimSpec, RegSpec, RunSpec, TrainSpec
from ffnviz.specs.race import Contestant, RaceSpec, race_from_flat, race_to_flat
from ffnviz.train.capacity import WorkCap
from ffnviz.train.race import Race, needs_race_rebuild
from ffnviz.train.race_runner import RaceRunner
from ffnviz.train.trainer import Trainer

# A small problem: 50 training points, batch 10, 5 updates an epoch.
BASE = RunSpec(data=DataSpec(dataset="spiral", n_points=100), model=ModelSpec(hidden=(6, 6)),
               train=TrainSpec(batch_size=10))
CONTESTANTS = (
    Contestant(OptimSpec("sgd", 0.03)),
    Contestant(OptimSpec("adam", 0.01), dropout=0.3),
    Contestant(OptimSpec("momentum", 0.03), RegSpec("l2", 0.001), activation="relu"),
)


def race_spec(**changes) -> RaceSpec:
    return replace(RaceSpec(base=BASE, contestants=CONTESTANTS, seeds=(0, 1)), **changes)


def record_batches(race: Race) -> dict[int, list[torch.Tensor]]:
    """Wrap every trainer's batch draw to record the inputs it hands out."""
    seen: dict[int, list[torch.Tensor]] = {}
    for row in race.trainers:
        for t in row:
            batches = seen.setdefault(id(t), [])

            def draw(b=None, _t=t, _batches=batches, _orig=t._next_batch):
                xb, yb = _orig(b)
                _batches.append(xb.clone())
                return xb, yb

            t._next_batch = draw
    return seen


# -- the engine --------------------------------------------------------------------------------


def test_contestants_of_a_seed_start_alike_and_see_the_same_batches():
    race = Race(race_spec())
    for j in range(2):  # seeds
        first = race.trainers[0][j]._initial_weights
        for row in race.trainers[1:]:
            other = row[j]._initial_weights
            assert all(torch.equal(first[k], other[k]) for k in first)
    # Two seeds are two starts.
    a, b = race.trainers[0][0]._initial_weights, race.trainers[0][1]._initial_weights
    assert not all(torch.equal(a[k], b[k]) for k in a)

    seen = record_batches(race)
    assert race.step(23) == 23  # crosses four epoch ends, and stops mid-epoch
    for j in range(2):
        reference = seen[id(race.trainers[0][j])]
        assert len(reference) == 23
        for row in race.trainers[1:]:  # one of them draws dropout masks from its generator
            batches = seen[id(row[j])]
            assert all(torch.equal(x, y) for x, y in zip(reference, batches, strict=True))
    assert not all(torch.equal(x, y) for x, y in zip(seen[id(race.trainers[0][0])], seen[id(race.trainers[0][1])],
                                                     strict=True))
    # Lockstep: every trainer made every update.
    assert race.updates == 23
    assert {t.updates for row in race.trainers for t in row} == {23}


def test_a_contestant_without_dropout_trains_as_its_single_run():
    race = Race(race_spec(), stacked=False)  # every trainer steps alone: exactly its single run
    race.step(17)
    for i in (0, 2):
        for j, seed in enumerate((0, 1)):
            single = Trainer(race.spec.contestants[i].run_spec(BASE, seed))
            single.step(17)
            raced = race.trainers[i][j]
            assert all(torch.equal(p, q) for p, q in zip(single.model.parameters(), raced.model.parameters(),
                                                         strict=True))


def test_the_stacked_step_is_the_same_training_up_to_rounding():
    alone, stacked = Race(race_spec(), stacked=False), Race(race_spec())
    seen = record_batches(stacked)
    alone.step(23)
    stacked.step(23)
    for row_a, row_s in zip(alone.trainers, stacked.trainers, strict=True):
        for a, s in zip(row_a, row_s, strict=True):
            assert a.updates == s.updates == 23
            for p, q in zip(a.model.parameters(), s.model.parameters(), strict=True):
                torch.testing.assert_close(p, q, rtol=1e-4, atol=1e-5)
            # The optimizers' states moved alike too (momentum, Adam's moments).
            for sa, ss in zip(a.optimizer.state.values(), s.optimizer.state.values(), strict=True):
                for key in sa:
                    torch.testing.assert_close(sa[key], ss[key], rtol=1e-3, atol=1e-5)
    # Stacked, contestants of a seed still see the same batches.
    for j in range(2):
        reference = seen[id(stacked.trainers[0][j])]
        assert all(torch.equal(x, y) for row in stacked.trainers[1:] for x, y in zip(reference, seen[id(row[j])],
                                                                                       strict=True))
    # The history is the same, up to rounding.
    np.testing.assert_allclose(alone.history(0)["train_loss_mean"], stacked.history(0)["train_loss_mean"], rtol=1e-4)


def test_a_stack_that_served_again_starts_from_the_models_weights():
    """A stack owns its models' storage; when other stacks of some of the same models have
    stepped since (a contestant dropped out, then the race was reset), it takes the models'
    weights and gradients back as they are: the race starts over exactly."""
    stackable = (Contestant(OptimSpec("sgd", 0.03)), Contestant(OptimSpec("adam", 0.01), RegSpec("l1", 1e-3)),
                 Contestant(OptimSpec("sgd", 10.0)))  # diverges: the first two go on in a stack of their own
    spec = race_spec(contestants=stackable, base=replace(BASE, model=ModelSpec(hidden=(6, 6), activation="linear")))
    race, fresh = Race(spec), Race(spec)
    race.step(40)
    assert race.diverged_at[2] is not None and len(race._stacks) == 2
    race.reset()
    race.step(12)
    fresh.step(12)
    for row, row_fresh in zip(race.trainers, fresh.trainers, strict=True):
        for t, u in zip(row, row_fresh, strict=True):
            assert all(torch.equal(p, q) for p, q in zip(t.model.parameters(), u.model.parameters(), strict=True))


def test_stacked_step_with_weight_decay_and_l1():
    contestants = (Contestant(OptimSpec("adamw", 0.01), RegSpec("weight_decay", 0.01)),
                   Contestant(OptimSpec("sgd", 0.03), RegSpec("weight_decay", 0.01)),
                   Contestant(OptimSpec("rmsprop", 0.003), RegSpec("l1", 0.001)))
    alone, stacked = Race(race_spec(contestants=contestants), stacked=False), Race(race_spec(contestants=contestants))
    alone.step(12)
    stacked.step(12)
    for row_a, row_s in zip(alone.trainers, stacked.trainers, strict=True):
        for a, s in zip(row_a, row_s, strict=True):
            for p, q in zip(a.model.parameters(), s.model.parameters(), strict=True):
                torch.testing.assert_close(p, q, rtol=1e-4, atol=1e-5)


# Single runs keep their numbers bit for bit: loss after 40 updates and a digest of the weights,
# computed with the engine as of commit 2578dc1 (before the race). Bit for bit holds on one kind of
# CPU: torch's and MKL's kernels round differently on another (the same engine gave other last bits
# on an AVX-512 Xeon than on the machine that first recorded them). So each kind of machine has its
# recording, every one made with that same engine, and a run must match one of them exactly:
# a change of the engine's arithmetic cannot match any.
GOLDEN = {  # (optimizer, lr, dropout, regularizer) -> {(loss, digest) per recorded machine}
    ("sgd", 0.03, 0.0, "none"): {(0.7378156185150146, "20df9f0125ccd961"), (0.7378156185150146, "d159a35433d976be")},
    ("momentum", 0.03, 0.0, "l2"): {(0.7449801564216614, "8bb1fdd854900d41"),
                                    (0.7449802160263062, "900164c9e63380d0")},
    ("adam", 0.01, 0.0, "none"): {(0.7541381120681763, "c0278a9cc4cce051"), (0.7541381120681763, "e18ff1bd7eefd148")},
    ("adam", 0.01, 0.3, "none"): {(0.6209967732429504, "2592b08de89f29ee"), (0.6209967732429504, "672c3f4e3b17fdbd")},
    ("adamw", 0.01, 0.0, "weight_decay"): {(0.7538834810256958, "04a96081e758c745"),
                                           (0.7538834810256958, "1aa502daa8ce362b")},
    ("rmsprop", 0.003, 0.2, "weight_decay"): {(0.6215230226516724, "c2821e68481d833c"),
                                              (0.6215230226516724, "9b64fb0e7cb4c41a")},
}


@pytest.mark.parametrize(("name", "lr", "dropout", "reg"), list(GOLDEN))
def test_single_runs_keep_their_numbers(name, lr, dropout, reg):
    torch.set_num_threads(1)
    spec = RunSpec(data=DataSpec(dataset="spiral", n_points=100), model=ModelSpec(hidden=(6, 6), dropout=dropout),
                   optim=OptimSpec(name, lr), reg=RegSpec(reg, 0.01 if reg != "none" else 0.0))
    t = Trainer(spec)
    loss = t.step(40)
    got = hashlib.sha256(b"".join(p.detach().numpy().tobytes() for p in t.model.parameters())).hexdigest()[:16]
    assert (loss, got) in GOLDEN[name, lr, dropout, reg], (loss, got)


def test_a_diverging_contestant_drops_out_and_the_others_go_on():
    wild = Contestant(OptimSpec("sgd", 10.0), activation="linear")  # diverges within ~10 updates
    race = Race(race_spec(contestants=(*CONTESTANTS[:2], wild)))
    race.step(40)
    assert race.diverged_at[:2] == [None, None]
    assert race.diverged_at[2] is not None and race.diverged_at[2] <= 40
    assert race.alive == [True, True, False]
    assert race.updates == 40
    assert all(t.updates == 40 for row in race.trainers[:2] for t in row)
    stopped = {t.updates for t in race.trainers[2]}
    assert len(stopped) == 1 and stopped.pop() < 40  # it stopped at the chunk where it diverged
    history = race.history(2)
    assert history["update"].max() < race.diverged_at[2]  # its curves end before it diverged
    assert np.isfinite(history["train_loss_mean"]).all()
    assert math.isfinite(race.current(2).train_loss)  # the last metrics before it diverged


def test_seeds_give_mean_min_and_max():
    race = Race(race_spec(seeds=(0, 1, 2)))
    race.step(15)
    h = race.history(1)
    assert list(h["epoch"]) == [0, 1, 2, 3]
    per_seed = [r.as_arrays() for r in race._histories[1]]
    for key in ("train_loss", "test_acc"):
        table = np.stack([a[key] for a in per_seed])
        np.testing.assert_allclose(h[f"{key}_mean"], table.mean(0))
        assert (h[f"{key}_min"] <= h[f"{key}_mean"]).all() and (h[f"{key}_mean"] <= h[f"{key}_max"]).all()
    assert (h["train_loss_min"] < h["train_loss_max"]).any()
    now = race.current(1)
    assert now.train_loss == pytest.approx(np.mean([t.evaluate().train_loss for t in race.trainers[1]]))


def test_target_best_and_seconds_per_update():
    race = Race(race_spec(target_accuracy=0.0))
    assert [race.updates_to_target(i) for i in range(3)] == [0, 0, 0]  # reached before any update
    assert math.isnan(race.seconds_per_update(0))
    race.step(10)
    assert race.updates_to_target(0, 1.01) is None
    assert all(race.seconds_per_update(i) > 0 for i in range(3))
    best = race.best_test_acc(0)
    assert best >= max(race.history(0)["test_acc_mean"]) - 1e-12


def test_reset_starts_over_exactly():
    race = Race(race_spec())
    race.step(12)
    before = [p.clone() for p in race.trainers[1][0].model.parameters()]
    race.reset()
    assert race.updates == 0 and len(race.history(0)["epoch"]) == 1
    race.step(12)
    assert all(torch.equal(p, q) for p, q in zip(before, race.trainers[1][0].model.parameters(), strict=True))


def test_what_changes_live_and_what_rebuilds():
    spec = race_spec()
    faster = replace(spec, contestants=(Contestant(OptimSpec("sgd", 0.1)), *CONTESTANTS[1:]))
    assert not needs_race_rebuild(spec, faster)
    assert not needs_race_rebuild(spec, replace(spec, target_accuracy=0.5))
    assert needs_race_rebuild(spec, replace(spec, seeds=(0, 2)))
    assert needs_race_rebuild(spec, replace(spec, contestants=CONTESTANTS[:2]))
    other = (Contestant(OptimSpec("sgd", 0.03), dropout=0.1), *CONTESTANTS[1:])
    assert needs_race_rebuild(spec, replace(spec, contestants=other))
    assert needs_race_rebuild(spec, replace(spec, base=replace(BASE, model=ModelSpec(hidden=(4,)))))


# -- the runner --------------------------------------------------------------------------------


def wait_for(condition, timeout=5.0):
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)
    return condition()


def test_runner_start_pause_step_reset_with_a_thread():
    runner = RaceRunner(race_spec(), cap=WorkCap(16), publish_interval_s=0.02)
    runner.attach()
    try:
        assert runner.snapshot.status == "ready" and runner.snapshot.updates == 0
        runner.start()
        assert wait_for(lambda: runner.poll().updates >= 10)
        runner.pause()
        snap = runner.snapshot
        assert snap.status == "paused"
        runner.step(7)
        after = runner.snapshot
        assert after.updates == snap.updates + 7
        assert {t.updates for row in runner.race.trainers for t in row} == {after.updates}
        assert len(after.histories) == 3 and len(after.current) == 3
        assert after.histories[0]["epoch"][-1] == after.updates // 5
        assert after.diverged_at == (None, None, None)
        assert all(s > 0 for s in after.seconds_per_update)
        runner.reset()
        assert runner.snapshot.updates == 0 and runner.snapshot.status == "ready"
    finally:
        runner.detach()


def test_runner_live_change_and_rebuild():
    runner = RaceRunner(race_spec(), cap=WorkCap(16))
    runner.step(6)
    faster = replace(runner.snapshot.spec, contestants=(Contestant(OptimSpec("sgd", 0.1)), *CONTESTANTS[1:]))
    assert runner.update_spec(faster) is False
    assert runner.snapshot.updates == 6 and runner.race.trainers[0][0].optimizer.param_groups[0]["lr"] == 0.1
    assert runner.update_spec(replace(faster, seeds=(3,))) is True
    assert runner.snapshot.updates == 0 and len(runner.race.trainers[0]) == 1


def test_runner_finishes_when_everyone_diverged_or_at_the_cap():
    wild = Contestant(OptimSpec("sgd", 10.0), activation="linear")
    runner = RaceRunner(race_spec(contestants=(wild, wild)), cap=WorkCap(16))
    runner.step(200)
    assert runner.snapshot.status == "diverged"
    capped = RaceRunner(race_spec(base=replace(BASE, train=TrainSpec(max_updates=12))), cap=WorkCap(16))
    capped.step(50)
    assert capped.snapshot.status == "done" and capped.snapshot.updates == 12


def test_capacity_counts_models():
    cap = WorkCap(8)
    big = RaceRunner(race_spec(), cap=cap)  # 3 contestants × 2 seeds = 6 models
    small = RaceRunner(race_spec(seeds=(0,)), cap=cap)  # 3 models
    big.start()
    assert cap.in_use == 6 and big.status == "running"
    small.start()
    assert small.status == "queued" and cap.in_use == 6
    big.pause()
    assert cap.in_use == 0
    small.attach()
    try:
        assert wait_for(lambda: small.status == "running")
        assert cap.in_use == 3
    finally:
        small.detach()
    assert cap.in_use == 0


# -- specs -------------------------------------------------------------------------------------


def test_default_race_spec_is_valid_and_labels():
    spec = RaceSpec().validate()
    assert [c.label() for c in spec.contestants] == ["sgd 0.03", "momentum 0.03", "adam 0.01"]
    assert spec.base.data.dataset == "spiral" and spec.base.train.batch_size == 10
    label = Contestant(OptimSpec("momentum", 0.1, (("momentum", 0.5),)), RegSpec("l2", 0.001), "relu", 0.2).label()
    assert label == "momentum 0.1 momentum 0.5 l2 0.001 relu dropout 0.2"


@pytest.mark.parametrize(("changes", "field"), [
    ({"contestants": CONTESTANTS[:1]}, "contestants"),
    ({"contestants": CONTESTANTS * 3}, "contestants"),
    ({"seeds": ()}, "seeds"),
    ({"seeds": (0, 1, 2, 3, 4, 5)}, "seeds"),
    ({"seeds": (1, 1)}, "seeds"),
    ({"seeds": (-1,)}, "seeds"),
    ({"contestants": (*CONTESTANTS, *CONTESTANTS), "seeds": (0, 1, 2)}, "seeds"),  # 18 models
    ({"target_accuracy": 1.5}, "target_accuracy"),
    ({"contestants": (Contestant(OptimSpec("sgd", 100.0)), CONTESTANTS[0])}, "contestants[0].optim.lr"),
    ({"contestants": (Contestant(OptimSpec(), activation="cosh"), CONTESTANTS[0])}, "contestants[0].activation"),
    ({"contestants": (Contestant(OptimSpec(), dropout=0.95), CONTESTANTS[0])}, "contestants[0].dropout"),
])
def test_race_spec_validation_names_the_field(changes, field):
    spec = replace(race_spec(), **changes)
    assert field in [f for f, _ in spec.problems()]
    with pytest.raises(ValueError, match=field.split(".")[-1].split("[")[0]):
        spec.validate()


def test_race_spec_round_trips():
    spec = race_spec(target_accuracy=0.75)
    assert RaceSpec.from_dict(spec.to_dict()) == spec
    flat = race_to_flat(spec)
    assert all(isinstance(v, str) for v in flat.values())
    back, errors = race_from_flat(flat)
    assert errors == [] and back == spec
    assert race_from_flat(race_to_flat(RaceSpec())) == (RaceSpec(), [])


def test_race_from_flat_keeps_good_values_and_reports_bad_ones():
    flat = race_to_flat(race_spec())
    flat.update({"c0.optim.lr": "fast", "c1.model.dropout": "2", "c2.model.activation": "cosh",
                 "race.seeds": "1,1", "race.target": "x", "race.contestants": "4", "c3.optim.name": "adamw"})
    spec, errors = race_from_flat(flat, race_spec())  # bad values keep this base's
    assert len(spec.contestants) == 4 and spec.contestants[3].optim.name == "adamw"
    assert spec.contestants[0].optim.lr == 0.03
    assert spec.contestants[1].dropout == 0.3 and spec.contestants[2].activation == "relu"
    assert spec.seeds == (0, 1) and spec.target_accuracy == 0.9
    for key in ("c0.optim.lr", "c1.model.dropout", "c2.model.activation", "race.seeds", "race.target"):
        assert any(e.startswith(key) for e in errors), key
    spec2, errors2 = race_from_flat({"race.contestants": "99", "data.noise": "-1"})
    assert len(spec2.contestants) == 3 and len(errors2) == 2
    spec.validate()
    spec2.validate()
    assert limits.RACE_CONTESTANTS.hi * 2 >= limits.RACE_MODELS


def test_what_a_race_does_not_use_of_its_base_is_not_part_of_it():
    playground = replace(BASE, optim=OptimSpec("adam", 0.1), reg=RegSpec("l2", 0.01),
                         train=replace(BASE.train, seed=7))
    spec = race_spec(base=playground)
    assert spec == race_spec()
    assert race_from_flat(race_to_flat(spec))[0] == spec

"""A saved optimizer race holds every contestant's weights, curves and counters: saved and loaded
(in another process, through the pool, too) it shows the same weights and the same pictures and
goes on from there; a file whose state does not fit its spec is refused before the race is touched."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from safetensors.numpy import load as load_tensors

from ffnviz.page_links import OPTIMIZER_RACE
from ffnviz.specs import OptimSpec, RunSpec
from ffnviz.specs.race import Contestant, RaceSpec
from ffnviz.store.runfile import RunFileError, encode, has_state, race_file, read_race
from ffnviz.train.pool import Pool
from ffnviz.train.race_runner import RaceRunner
from ffnviz.train.remote_runner import RemoteRunner
from ffnviz.viz.race_charts import race_curves

FORM = OPTIMIZER_RACE.name
BASE = RunSpec()
SPEC = RaceSpec(base=replace(BASE, train=replace(BASE.train, max_updates=2_000)), seeds=(0, 1),
                contestants=(Contestant(OptimSpec("sgd", 0.03)), Contestant(OptimSpec("adam", 0.01))))
LABELS = {"train": "train", "test": "test", "epoch": "epoch", "loss_axis": "loss", "acc_axis": "accuracy", "title": "t"}


def pictures(snapshot) -> list[str]:
    return [race_curves(snapshot.histories, ["a", "b"], key, labels=LABELS).to_json() for key in ("loss", "accuracy")]


def layers(runner: RaceRunner) -> int:
    return len(runner.race.trainers[0][0].model.linears)


def weights(state: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {k: v for k, v in state.items() if k.startswith(("weight.", "bias."))}


@pytest.fixture(scope="module")
def saved():
    runner = RaceRunner(SPEC)
    runner.attach()
    runner.step(130, wait_s=30)  # mid-epoch: the file keeps the weights as they are
    assert runner.snapshot.updates == 130
    data = race_file(FORM, runner.snapshot, runner.state())
    yield runner, data
    runner.detach()


def test_a_saved_race_loads_with_the_same_weights_and_pictures(saved):
    runner, data = saved
    run = read_race(data, FORM)
    assert has_state(run) and run.spec == SPEC and run.updates == 130
    other = RaceRunner(run.spec)  # another session, another machine: built from the file's spec
    other.restore(run.tensors)
    before, after = runner.state(), other.state()
    assert weights(after).keys() == weights(before).keys() and len(weights(after)) == 2 * 2 * 2 * layers(runner)
    for k, v in weights(before).items():
        np.testing.assert_array_equal(after[k], v)
    snap = other.snapshot
    assert snap.updates == 130 and snap.status == "paused"
    assert pictures(snap) == pictures(runner.snapshot)
    assert snap.best_test_acc == runner.snapshot.best_test_acc


def test_a_loaded_race_goes_on_from_its_weights(saved):
    _, data = saved
    run = read_race(data, FORM)
    other = RaceRunner(run.spec)
    other.restore(run.tensors)
    start = other.state()
    other.step(70, wait_s=30)
    snap = other.snapshot
    assert snap.updates == 200
    assert len(snap.histories[0]["update"]) > len(read_race(data, FORM).history().get("0.update", ()))
    moved = other.state()
    assert not np.array_equal(moved["weight.0.0.0"], start["weight.0.0.0"])  # it trained from there
    assert np.isfinite(snap.current[0].train_loss)


def test_the_state_crosses_the_pool():
    pool = Pool(1)
    try:
        remote = RemoteRunner(RaceRunner, SPEC, pool=pool)
        remote.step(40)
        data = race_file(FORM, remote.snapshot, remote.state())
        run = read_race(data, FORM)
        again = RemoteRunner(RaceRunner, run.spec, pool=pool)
        again.restore(run.tensors)
        assert again.snapshot.updates == 40
        assert pictures(again.snapshot) == pictures(remote.snapshot)
        for k, v in weights(remote.state()).items():
            np.testing.assert_array_equal(again.state()[k], v)
    finally:
        pool.close()


def edited(data: bytes, change) -> bytes:
    run = read_race(data, FORM)
    tensors = dict(load_tensors(data))
    change(tensors)
    return encode(FORM, run.spec, tensors, run.updates)


@pytest.mark.parametrize("change, says", [
    (lambda t: t.update({"weight.1.0.0": np.zeros((3, 3), np.float32)}), "weights do not fit"),
    (lambda t: t.pop("bias.0.1.1"), "weights do not fit"),
    (lambda t: t.pop("race.epochs"), "counters"),
    (lambda t: t.update({"race.updates": np.array([1e9])}), "beyond its budget"),
    (lambda t: t.update({"history.0.0.rows": np.zeros((3, 2))}), "curves"),
    (lambda t: t.update({"history.1.1.stride": np.array([0.0])}), "curves"),
])
def test_a_state_that_does_not_fit_is_refused(saved, change, says):
    _, data = saved
    with pytest.raises(RunFileError) as info:
        read_race(edited(data, change), FORM)
    assert info.value.key == "runfile_race_state" and says in info.value.args_["detail"]


def test_not_finite_weights_are_refused(saved):
    _, data = saved
    with pytest.raises(RunFileError) as info:
        read_race(edited(data, lambda t: t.update({"weight.0.0.0": np.full_like(t["weight.0.0.0"], np.nan)})), FORM)
    assert info.value.key == "runfile_tensor"


def test_the_runner_refuses_a_state_that_does_not_fit_and_keeps_its_race(saved):
    runner, data = saved
    other = RaceRunner(replace(SPEC, seeds=(0,)))
    other.step(10, wait_s=30)
    before = other.state()
    with pytest.raises(ValueError):
        other.restore(dict(load_tensors(edited(data, lambda t: t.pop("weight.0.0.0")))))
    for k, v in before.items():
        np.testing.assert_array_equal(other.state()[k], v)
    assert other.snapshot.updates == 10


def test_a_file_without_state_still_loads_its_settings():
    runner = RaceRunner(SPEC)
    try:
        run = read_race(race_file(FORM, runner.snapshot), FORM)
        assert not has_state(run) and run.spec == SPEC
    finally:
        runner.detach()

"""What a sequence race's snapshot shows of its models: gates, histograms, input gradients and
accuracy on other lengths (ffnviz/train/race_extras.py)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from ffnviz import limits
from ffnviz.specs import DataSpec, ModelSpec, OptimSpec, RunSpec, TrainSpec
from ffnviz.specs.race import Contestant, RaceSpec
from ffnviz.specs.sequences import SeqContestant, SeqModelSpec, SeqRaceSpec, SeqRunSpec, SeqSpec
from ffnviz.train import race_extras
from ffnviz.train.capacity import WorkCap
from ffnviz.train.race import Race
from ffnviz.train.race_runner import RaceRunner

T, H = 12, 8
CELLS = tuple(SeqContestant(SeqModelSpec(cell=c, hidden=H)) for c in ("rnn", "gru", "lstm"))
FFNS = tuple(SeqContestant(SeqModelSpec(kind="ffn", variant=v, d=8, h=16)) for v in ("relu", "swiglu"))
GATES = {"rnn": ("hidden",), "gru": ("reset", "update"), "lstm": ("input", "forget", "output")}


def _spec(contestants=CELLS, task="remember_first", seeds=(0,)) -> SeqRaceSpec:
    base = SeqRunSpec(data=SeqSpec(task=task, length=T, vocab=4, n_sequences=200),
                      train=TrainSpec(batch_size=16, max_updates=1000))
    return SeqRaceSpec(base=base, contestants=contestants, seeds=seeds)


def _check_histograms(entry: dict, sigmoid: set[str]) -> None:
    for name, values in entry["gates"].items():
        counts, edges = entry["histograms"][name], entry["bin_edges"][name]
        assert counts.dtype == np.int64 and counts.shape == (limits.HISTOGRAM_BINS,)
        assert edges.shape == (limits.HISTOGRAM_BINS + 1,)
        assert 0.0 <= entry["near_zero"][name] <= 1.0
        if name in sigmoid:
            assert (edges[0], edges[-1]) == (0.0, 1.0)
            assert values.min() >= 0.0 and values.max() <= 1.0
        elif name == "hidden":
            assert (edges[0], edges[-1]) == (-1.0, 1.0)


def test_recurrent_extras_shapes_and_ranges():
    runner = RaceRunner(_spec(), cap=WorkCap(16))
    runner.step(3)
    snap = runner.snapshot
    assert len(snap.extras) == 3
    p = min(limits.GATE_PROBE, len(runner.race.dataset.x_test))
    for c, entry in zip(("rnn", "gru", "lstm"), snap.extras, strict=True):
        assert set(entry["gates"]) == set(GATES[c])
        for name, values in entry["gates"].items():
            assert values.dtype == np.float32
            assert values.shape == (min(p, limits.GATE_EXAMPLES), T, H)
            # The histogram counts every probe value, not only the examples kept.
            assert entry["histograms"][name].sum() == p * T * H
        _check_histograms(entry, sigmoid=set(GATES[c]) - {"hidden"})
        g = entry["grad_norms"]
        assert g.dtype == np.float64 and g.shape == (T,) and np.all(np.isfinite(g)) and np.all(g >= 0)
        acc = entry["accuracy_by_length"]
        assert list(acc) == [n for n in limits.LENGTH_PROBES if limits.SEQ_LENGTH.contains(n)]
        assert all(isinstance(a, float) and 0.0 <= a <= 1.0 for a in acc.values())
        # Measured less often than published: at some update up to now (see race_extras).
        assert set(entry["measured_at"]) == {"grad_norms", "accuracy_by_length"}
        assert all(0 <= u <= snap.updates for u in entry["measured_at"].values())
        # Shared between snapshots, so read-only.
        assert not g.flags.writeable


def test_ffn_extras_shapes():
    race = Race(_spec(FFNS))
    race.step(2)
    p = min(limits.GATE_PROBE, len(race.dataset.x_test))
    for c, entry in zip(FFNS, race.extras(), strict=True):
        (values,) = entry["gates"].values()
        assert set(entry["gates"]) == {"gate"}
        assert values.dtype == np.float32 and values.shape == (p, c.model.block_hidden())
        assert entry["histograms"]["gate"].sum() == values.size
        r = limits.GATE_FFN_RANGE
        assert (entry["bin_edges"]["gate"][0], entry["bin_edges"]["gate"][-1]) == (-r, r)
        # No recurrence: no input gradients per step, and a fixed input size.
        assert "grad_norms" not in entry and "accuracy_by_length" not in entry


def test_per_position_and_regression_tasks_have_no_accuracy_by_length():
    for task in ("reverse", "adding"):
        for entry in Race(_spec(CELLS[:2], task=task)).extras():
            assert entry["grad_norms"].shape == (T,) and entry["grad_norms"].dtype == np.float64
            assert "accuracy_by_length" not in entry


def _losses(race: Race) -> list[float]:
    return [t.evaluate().train_loss for row in race.trainers for t in row] + \
        [float(p.detach().sum()) for row in race.trainers for t in row for p in t.model.parameters()]


def test_extras_leave_training_alone():
    spec = _spec(CELLS + FFNS[1:], seeds=(0, 1))
    bare = Race(spec)
    runner = RaceRunner(spec, cap=WorkCap(16), publish_interval_s=0.0)
    for n in (2, 3, 1, 4):
        bare.step(n)
        runner.step(n)  # publishes after every chunk: interval 0
    assert runner.snapshot.updates == bare.updates == 10
    assert runner.snapshot.extras[0]
    assert _losses(runner.race) == _losses(bare)


def test_grad_norms_keep_gradients_and_generators():
    race = Race(_spec(CELLS[1:]))
    race.step(2)
    t = race.trainers[0][0]
    grads = [p.grad.clone() for p in t.model.parameters()]
    states = (t.generator.get_state(), t._shuffle_generator.get_state())
    race._extras.grad_norms(t)
    race._extras.accuracy_by_length(t)
    assert all(torch.equal(g, p.grad) for g, p in zip(grads, t.model.parameters(), strict=True))
    assert torch.equal(states[0], t.generator.get_state())
    assert torch.equal(states[1], t._shuffle_generator.get_state())
    assert t.model.training


def test_expensive_entries_are_measured_on_schedule():
    race = Race(_spec(CELLS[:2]))
    first = race.extras()[0]["measured_at"]
    assert first == {"grad_norms": 0, "accuracy_by_length": 0}  # the first measurement has them all
    seen = []
    for _ in range(race_extras.LENGTH_EVERY):
        race.step(1)
        seen.append(race.extras()[0]["measured_at"])
    # Measurements 1..8, made at updates 1..8: grad norms at counts 4 and 8 (count % 4 == 0),
    # accuracy by length at count 4 (count % 8 == 4); in between, the last ones are repeated.
    grad_at = [m["grad_norms"] for m in seen]
    acc_at = [m["accuracy_by_length"] for m in seen]
    assert grad_at == [0, 0, 0, 4, 4, 4, 4, 8]
    assert acc_at == [0, 0, 0, 4, 4, 4, 4, 4]
    race.reset()
    assert race.extras()[0]["measured_at"] == {"grad_norms": 0, "accuracy_by_length": 0}


def test_dropped_out_and_mlp_races_have_no_extras():
    race = Race(_spec())
    race.diverged_at[1] = 0
    extras = race.extras()
    assert extras[1] == {} and extras[0] and extras[2]
    base = RunSpec(data=DataSpec(n_points=100), model=ModelSpec(hidden=(4,)), train=TrainSpec(batch_size=10))
    mlp = RaceSpec(base=base, contestants=(Contestant(OptimSpec("sgd", 0.1)), Contestant(OptimSpec("adam", 0.01))))
    runner = RaceRunner(mlp, cap=WorkCap(16))
    runner.step(2)
    assert runner.snapshot.extras == ()


@pytest.mark.parametrize("values", [np.array([-5.0, -3.0, 0.0, 2.999, 3.0, 7.0])])
def test_counts_clip_into_the_end_bins(values):
    counts = race_extras._counts(values, race_extras._edges(-3.0, 3.0))
    assert counts.sum() == len(values) and counts[0] == 2 and counts[-1] == 3

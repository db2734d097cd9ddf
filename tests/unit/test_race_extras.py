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


def _check_histograms(view: race_extras.SeqView, sigmoid: set[str]) -> None:
    for gate in view.gates:
        counts, edges = gate.counts, gate.edges
        assert counts.dtype == np.int64 and counts.shape == (limits.HISTOGRAM_BINS,)
        assert edges.shape == (limits.HISTOGRAM_BINS + 1,)
        assert 0.0 <= gate.near_zero <= 1.0
        if gate.name in sigmoid:
            assert (edges[0], edges[-1]) == (0.0, 1.0)
            assert gate.values.min() >= 0.0 and gate.values.max() <= 1.0
        elif gate.name == "hidden":
            assert (edges[0], edges[-1]) == (-1.0, 1.0)


def test_recurrent_extras_shapes_and_ranges():
    runner = RaceRunner(_spec(), cap=WorkCap(16))
    runner.step(3)
    snap = runner.snapshot
    assert len(snap.extras) == 3
    p = min(limits.GATE_PROBE, len(runner.race.dataset.x_test))
    for c, view in zip(("rnn", "gru", "lstm"), snap.extras, strict=True):
        assert {g.name for g in view.gates} == set(GATES[c])
        for gate in view.gates:
            assert gate.values.dtype == np.float32
            assert gate.values.shape == (min(p, limits.GATE_EXAMPLES), T, H)
            # The histogram counts every probe value, not only the examples kept.
            assert gate.counts.sum() == p * T * H
            assert view.gate(gate.name) is gate
        _check_histograms(view, sigmoid=set(GATES[c]) - {"hidden"})
        g = view.grad_norms
        assert g.dtype == np.float64 and g.shape == (T,) and np.all(np.isfinite(g)) and np.all(g >= 0)
        acc = view.accuracy_by_length
        assert list(acc) == [n for n in limits.LENGTH_PROBES if limits.SEQ_LENGTH.contains(n)]
        assert all(isinstance(a, float) and 0.0 <= a <= 1.0 for a in acc.values())
        # Measured less often than published: at some update up to now (see race_extras).
        assert 0 <= view.grad_norms_at <= snap.updates and 0 <= view.accuracy_by_length_at <= snap.updates
        # Shared between snapshots, so read-only.
        assert not g.flags.writeable
        assert not any(a.flags.writeable for gate in view.gates for a in (gate.values, gate.counts, gate.edges))


def test_ffn_extras_shapes():
    race = Race(_spec(FFNS))
    race.step(2)
    p = min(limits.GATE_PROBE, len(race.dataset.x_test))
    for c, view in zip(FFNS, race.extras(), strict=True):
        (gate,) = view.gates
        assert gate.name == "gate" and view.gate("gate") is gate and view.gate("hidden") is None
        assert gate.values.dtype == np.float32 and gate.values.shape == (p, c.model.block_hidden())
        assert gate.counts.sum() == gate.values.size
        r = limits.GATE_FFN_RANGE
        assert (gate.edges[0], gate.edges[-1]) == (-r, r)
        # No recurrence: no input gradients per step, and a fixed input size.
        assert view.grad_norms is None and view.grad_norms_at is None
        assert view.accuracy_by_length == {} and view.accuracy_by_length_at is None


def test_per_position_and_regression_tasks_have_no_accuracy_by_length():
    for task in ("reverse", "adding"):
        for view in Race(_spec(CELLS[:2], task=task)).extras():
            assert view.grad_norms.shape == (T,) and view.grad_norms.dtype == np.float64
            assert view.accuracy_by_length == {} and view.accuracy_by_length_at is None


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
    assert runner.snapshot.extras[0] is not None
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
    first = race.extras()[0]
    assert (first.grad_norms_at, first.accuracy_by_length_at) == (0, 0)  # the first measurement has them all
    seen = []
    for _ in range(race_extras.LENGTH_EVERY):
        race.step(1)
        seen.append(race.extras()[0])
    # Measurements 1..8, made at updates 1..8: grad norms at counts 4 and 8 (count % 4 == 0),
    # accuracy by length at count 4 (count % 8 == 4); in between, the last ones are repeated.
    grad_at = [v.grad_norms_at for v in seen]
    acc_at = [v.accuracy_by_length_at for v in seen]
    assert grad_at == [0, 0, 0, 4, 4, 4, 4, 8]
    assert acc_at == [0, 0, 0, 4, 4, 4, 4, 4]
    assert seen[4].grad_norms is seen[3].grad_norms  # repeated, not measured again
    race.reset()
    again = race.extras()[0]
    assert (again.grad_norms_at, again.accuracy_by_length_at) == (0, 0)


def test_dropped_out_and_mlp_races_have_no_extras():
    race = Race(_spec())
    race.diverged_at[1] = 0
    extras = race.extras()
    assert extras[1] is None and extras[0] is not None and extras[2] is not None
    base = RunSpec(data=DataSpec(n_points=100), model=ModelSpec(hidden=(4,)), train=TrainSpec(batch_size=10))
    mlp = RaceSpec(base=base, contestants=(Contestant(OptimSpec("sgd", 0.1)), Contestant(OptimSpec("adam", 0.01))))
    runner = RaceRunner(mlp, cap=WorkCap(16))
    runner.step(2)
    assert runner.snapshot.extras == ()


@pytest.mark.parametrize("values", [np.array([-5.0, -3.0, 0.0, 2.999, 3.0, 7.0])])
def test_counts_clip_into_the_end_bins(values):
    counts = race_extras._counts(values, race_extras._edges(-3.0, 3.0))
    assert counts.sum() == len(values) and counts[0] == 2 and counts[-1] == 3

"""Snapshots are plain data: a published snapshot of every kind of race, and of a Runner, survives
pickling whole (so that one may come from a worker process), read-only arrays and all."""

from __future__ import annotations

import dataclasses
import math
import pickle

import numpy as np
import pytest
import torch

from ffnviz.lessons import ATTENTION_LESSONS
from ffnviz.specs import DataSpec, ModelSpec, OptimSpec, RunSpec, TrainSpec
from ffnviz.specs.conv import ConvLayerSpec, ConvModelSpec, ConvRaceSpec, ConvRunSpec, ImageSpec
from ffnviz.specs.race import Contestant, RaceSpec
from ffnviz.specs.sequences import SeqContestant, SeqModelSpec, SeqRaceSpec, SeqRunSpec, SeqSpec
from ffnviz.specs.text import TextContestant, TextModelSpec, TextRaceSpec, TextRunSpec, TextSpec
from ffnviz.train.attention_extras import AttnView
from ffnviz.train.capacity import WorkCap
from ffnviz.train.conv_extras import ConvView
from ffnviz.train.race_extras import SeqView
from ffnviz.train.race_runner import RaceRunner, RaceSnapshot
from ffnviz.train.runner import Runner, Snapshot
from ffnviz.train.snapshot_data import arrays_in
from ffnviz.train.text_extras import TextView

SEQ_BASE = SeqRunSpec(data=SeqSpec(task="remember_first", length=8, vocab=4, n_sequences=200),
                      train=TrainSpec(batch_size=16))
TEXT_BASE = TextRunSpec(data=TextSpec(vocabulary=300))
CONV_BASE = ConvRunSpec(data=ImageSpec("shapes", n_images=200, size=16, seed=3),
                        model=ConvModelSpec(layers=(ConvLayerSpec(4),), head="global_max"), train=TrainSpec(batch_size=16))

# name -> (spec, example to show or None, the view every contestant's extras are)
RACES = {
    "mlp": (RaceSpec(base=RunSpec(data=DataSpec(n_points=100), model=ModelSpec(hidden=(4,)), train=TrainSpec(batch_size=10)),
                     contestants=(Contestant(OptimSpec("sgd", 0.1)), Contestant(OptimSpec("adam", 0.01))),
                     seeds=(0, 1)), None, None),
    "ffn sequence": (SeqRaceSpec(SEQ_BASE, tuple(SeqContestant(SeqModelSpec(kind="ffn", variant=v, d=8, h=16))
                                                 for v in ("relu", "swiglu"))), None, SeqView),
    "rnn sequence": (SeqRaceSpec(SEQ_BASE, tuple(SeqContestant(SeqModelSpec(cell=c, hidden=8))
                                                 for c in ("rnn", "gru", "lstm"))), None, SeqView),
    "attention": (ATTENTION_LESSONS[0].spec, list(range(8)), AttnView),
    "conv with baseline": (ConvRaceSpec(CONV_BASE, ("cnn", "mlp")), 3, ConvView),
    "text, feedforward": (TextRaceSpec(TEXT_BASE), "not bad at all", TextView),
    "text, attention pooling": (TextRaceSpec(TEXT_BASE, (TextContestant(TextModelSpec(kind="attention")),)),
                                "not bad at all", TextView),
}


@pytest.fixture(autouse=True)
def _one_thread():
    torch.set_num_threads(1)


def _round_trip(snapshot):
    return pickle.loads(pickle.dumps(snapshot, protocol=pickle.HIGHEST_PROTOCOL))


def assert_same(a, b, where: str = "snapshot") -> None:
    """Equal all the way down: dataclasses field by field, arrays element by element (NaN equal
    to NaN), and every array read-only in a snapshot's extras."""
    assert type(a) is type(b), where
    if isinstance(a, np.ndarray):
        assert a.dtype == b.dtype and a.shape == b.shape, where
        assert np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"), where
    elif dataclasses.is_dataclass(a):
        for f in dataclasses.fields(a):
            assert_same(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    elif isinstance(a, dict):
        assert list(a) == list(b), where
        for key in a:
            assert_same(a[key], b[key], f"{where}[{key!r}]")
    elif isinstance(a, tuple | list):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_same(x, y, f"{where}[{i}]")
    elif isinstance(a, float) and math.isnan(a):
        assert math.isnan(b), where
    else:
        assert a == b, where


@pytest.mark.parametrize("name", list(RACES))
def test_a_race_snapshot_survives_pickling(name):
    spec, example, view = RACES[name]
    runner = RaceRunner(spec, cap=WorkCap(16))
    try:
        runner.step(3)
        if example is not None:
            runner.set_example(example)  # published at once, with what it shows
        snap = runner.snapshot
    finally:
        runner.detach()
    back = _round_trip(snap)
    assert isinstance(back, RaceSnapshot)
    assert_same(snap, back)
    assert back.updates == 3 and back.spec == spec and back.status == snap.status
    np.testing.assert_array_equal(back.histories[0]["test_loss_mean"], snap.histories[0]["test_loss_mean"])
    if view is None:
        assert back.extras == ()
        return
    assert len(back.extras) == len(spec.contestants) and all(type(e) is view for e in back.extras)
    arrays = list(arrays_in(back.extras))
    assert arrays and not any(a.flags.writeable for a in arrays)  # still a snapshot's: read-only
    assert not any(a.flags.writeable for a in arrays_in(snap.extras))


def test_a_dropped_out_contestant_pickles_as_none():
    spec = RACES["rnn sequence"][0]
    runner = RaceRunner(spec, cap=WorkCap(16))
    try:
        runner.race.diverged_at[1] = 0
        runner.step(1)
        snap = runner.snapshot
    finally:
        runner.detach()
    back = _round_trip(snap)
    assert snap.extras[1] is None and back.extras[1] is None
    assert_same(snap.extras[0], back.extras[0])


def test_a_runner_snapshot_survives_pickling():
    spec = RunSpec(data=DataSpec(n_points=100), model=ModelSpec(hidden=(4, 3)), train=TrainSpec(batch_size=10))
    runner = Runner(spec, cap=WorkCap(16))
    try:
        runner.step(25)
        snap = runner.snapshot
    finally:
        runner.detach()
    back = _round_trip(snap)
    assert isinstance(back, Snapshot)
    assert_same(snap, back)
    assert back.updates == 25 and back.spec == spec and back.metrics == snap.metrics
    np.testing.assert_array_equal(back.grid, snap.grid)
    np.testing.assert_array_equal(back.weights[1], snap.weights[1])
    assert back.probes[0].weight_hist.tolist() == snap.probes[0].weight_hist.tolist()

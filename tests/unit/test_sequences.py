"""The sequence tasks: each rule on hand-checked inputs, shapes and dtypes, determinism, the
stated balance, validation, and the split by sequence."""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pytest

from ffnviz import limits
from ffnviz.data.sequences import IGNORE, SeqDataset, describe, make_sequences, targets
from ffnviz.specs.sequences import TASKS, SeqSpec

PER_SEQUENCE = ("remember_first", "adding", "parity")
PER_POSITION = ("reverse", "sort", "copy_offset", "find_earlier")
SMALL = SeqSpec(length=6, vocab=5, n_sequences=200)


def _spec(task: str, **changes) -> SeqSpec:
    return replace(SMALL, task=task, **changes)


def test_the_registry_names_the_seven_tasks_and_their_shape():
    assert set(TASKS) == {*PER_SEQUENCE, *PER_POSITION}
    for key, info in TASKS.items():
        assert info.key == key and info.description and "\n" not in info.description
        assert info.per_position == (key in PER_POSITION)
        assert info.regression == (key == "adding")
    assert TASKS["adding"].n_outputs(8) == 1
    assert TASKS["parity"].n_outputs(8) == 2
    assert TASKS["remember_first"].n_outputs(8) == TASKS["sort"].n_outputs(8) == 8
    assert TASKS["find_earlier"].n_outputs(8, 20) == 21
    with pytest.raises(ValueError, match="length"):
        TASKS["find_earlier"].n_outputs(8)


# -- the rules, on inputs checked by hand ---------------------------------------------------------

@pytest.mark.parametrize(("task", "x", "y"), [
    ("remember_first", [3, 1, 3, 2], 3),
    ("parity", [1, 0, 1, 1], 1),
    ("parity", [1, 0, 0, 1], 0),
    ("parity", [0, 0, 0, 0], 0),
    ("reverse", [3, 1, 3, 2], [2, 3, 1, 3]),
    ("sort", [3, 1, 3, 2], [1, 2, 3, 3]),
    # T = 4: "none" is class 4. Position 2's 3 last appeared at 0; the others are first sightings.
    ("find_earlier", [3, 1, 3, 2], [4, 4, 0, 4]),
    # The most recent earlier position, not the first one: position 3 points at 2, not at 0.
    ("find_earlier", [5, 5, 5, 5], [4, 0, 1, 2]),
    ("find_earlier", [0, 1, 0, 1, 1], [5, 5, 0, 1, 3]),
])
def test_targets_on_hand_checked_sequences(task, x, y):
    got = targets(task, np.array(x))
    assert got.dtype == np.int64
    assert np.array_equal(got, np.array(y))


@pytest.mark.parametrize(("offset", "y"), [
    (1, [IGNORE, 3, 1, 3]),
    (2, [IGNORE, IGNORE, 3, 1]),
    (3, [IGNORE, IGNORE, IGNORE, 3]),
])
def test_copy_offset_copies_from_offset_steps_back_and_ignores_the_start(offset, y):
    assert IGNORE == -100  # torch's cross_entropy skips it by default
    assert np.array_equal(targets("copy_offset", np.array([3, 1, 3, 2]), offset), y)


@pytest.mark.parametrize("offset", [0, 4])
def test_copy_offset_refuses_an_offset_that_leaves_no_target(offset):
    with pytest.raises(ValueError, match="offset"):
        targets("copy_offset", np.array([3, 1, 3, 2]), offset)


def test_adding_sums_the_two_marked_values():
    x = np.array([[0.5, 0], [0.25, 1], [0.9, 0], [0.5, 1]], dtype=np.float32)
    got = targets("adding", x)
    assert got.dtype == np.float32 and got.shape == ()
    assert got == pytest.approx(0.75)


def test_targets_of_a_batch_are_the_targets_of_each_row():
    x = np.array([[3, 1, 3, 2], [0, 0, 1, 0]])
    assert np.array_equal(targets("find_earlier", x), [[4, 4, 0, 4], [4, 0, 4, 1]])
    assert np.array_equal(targets("remember_first", x), [3, 0])


def test_an_unknown_task_is_refused():
    with pytest.raises(ValueError, match="task"):
        targets("copy", np.array([1, 2]))


# -- the generated sets ---------------------------------------------------------------------------

@pytest.mark.parametrize("task", TASKS)
def test_shapes_dtypes_and_targets_follow_the_rule(task):
    ds = make_sequences(_spec(task))
    n_train = int(round(200 * SMALL.train_fraction))
    T = SMALL.length
    assert len(ds.x_train) == len(ds.y_train) == n_train == 160
    assert len(ds.x_test) == len(ds.y_test) == 40
    for x, y in ((ds.x_train, ds.y_train), (ds.x_test, ds.y_test)):
        if task == "adding":
            assert x.shape[1:] == (T, 2) and x.dtype == np.float32
            assert ((x[..., 0] >= 0) & (x[..., 0] <= 1)).all()
            assert set(np.unique(x[..., 1])) == {0.0, 1.0}
            assert (x[..., 1].sum(axis=1) == 2).all()  # exactly two markers per sequence
            assert y.dtype == np.float32
        else:
            assert x.shape[1:] == (T,) and x.dtype == np.int64
            assert x.min() >= 0 and x.max() < ds.vocab
            assert y.dtype == np.int64
        assert y.shape[1:] == ((T,) if ds.per_position else ())
        assert np.array_equal(y, targets(task, x, SMALL.offset))
    assert ds.input_size == (2 if task == "adding" else ds.vocab)
    expected_classes = {"adding": 1, "parity": 2, "find_earlier": T + 1}.get(task, SMALL.vocab)
    assert ds.n_classes == expected_classes
    assert ds.regression == (task == "adding") and ds.per_position == (task in PER_POSITION)


def test_parity_draws_bits_whatever_the_vocab():
    ds = make_sequences(_spec("parity", vocab=7))
    assert set(np.unique(ds.x_train)) == {0, 1}
    assert ds.vocab == ds.input_size == ds.n_classes == 2


@pytest.mark.parametrize("task", TASKS)
def test_same_seed_same_arrays_other_seed_other_arrays(task):
    a, b = make_sequences(_spec(task, seed=3)), make_sequences(_spec(task, seed=3))
    c = make_sequences(_spec(task, seed=4))
    for field in ("x_train", "y_train", "x_test", "y_test", "idx_train", "idx_test"):
        assert np.array_equal(getattr(a, field), getattr(b, field)), field
    assert not np.array_equal(a.x_train, c.x_train)


def test_data_does_not_depend_on_numpys_global_generator():
    np.random.seed(1)
    a = make_sequences(_spec("sort"))
    np.random.seed(2)
    assert np.array_equal(a.x_train, make_sequences(_spec("sort")).x_train)


@pytest.mark.parametrize(("n", "fraction"), [(100, 0.1), (333, 0.7), (200, 0.9)])
def test_split_by_sequence_sizes_and_disjointness(n, fraction):
    ds = make_sequences(_spec("remember_first", n_sequences=n, train_fraction=fraction))
    n_train = int(round(n * fraction))
    assert len(ds.idx_train) == len(ds.x_train) == n_train
    assert len(ds.idx_test) == len(ds.x_test) == n - n_train
    assert not set(ds.idx_train.tolist()) & set(ds.idx_test.tolist())  # no sequence on both sides
    assert sorted([*ds.idx_train.tolist(), *ds.idx_test.tolist()]) == list(range(n))
    assert not np.array_equal(ds.idx_train, np.arange(n_train))  # shuffled, not the first n of the draw


def test_the_split_keeps_each_sequence_with_its_own_targets():
    """A sequence's row in train/test is the same sequence as its index in the whole draw."""
    spec = _spec("find_earlier", n_sequences=150)
    ds = make_sequences(spec)
    rng = np.random.default_rng(spec.seed)
    drawn = rng.integers(0, spec.vocab, (spec.n_sequences, spec.length), dtype=np.int64)
    assert np.array_equal(ds.x_train, drawn[ds.idx_train]) and np.array_equal(ds.x_test, drawn[ds.idx_test])


# -- balance, as each task's docstring states ------------------------------------------------------

BIG = SeqSpec(length=10, vocab=4, n_sequences=2000)


@pytest.mark.parametrize("task", ["remember_first", "reverse", "sort", "copy_offset"])
def test_token_targets_are_uniform_over_the_vocab(task):
    info = describe(replace(BIG, task=task))
    assert len(info["class_fractions"]) == BIG.vocab
    assert sum(info["class_fractions"]) == pytest.approx(1.0)
    # remember_first has 1600 targets (sd of a fraction ~0.011), the others 16 000.
    assert max(abs(f - 1 / BIG.vocab) for f in info["class_fractions"]) < 0.04


def test_parity_is_balanced():
    fractions = describe(replace(BIG, task="parity", length=9))["class_fractions"]
    assert len(fractions) == 2 and abs(fractions[0] - 0.5) < 0.04  # 1600 targets: sd 0.0125


def test_adding_targets_have_mean_one():
    info = describe(replace(BIG, task="adding", length=20))
    assert info["regression"] and info["class_fractions"] is None and info["n_classes"] == 1
    assert info["target_mean"] == pytest.approx(1.0, abs=0.05)  # sd of the sum ~0.41, 1600 targets
    assert info["target_min"] >= 0 and info["target_max"] <= 2


def test_find_earlier_none_share_is_the_expected_first_sightings():
    spec = replace(BIG, task="find_earlier")
    fractions = describe(spec)["class_fractions"]
    assert len(fractions) == spec.length + 1
    V, T = spec.vocab, spec.length
    expected_none = V * (1 - (1 - 1 / V) ** T) / T
    assert fractions[T] == pytest.approx(expected_none, abs=0.02)
    assert fractions[T - 1] == 0.0  # no later position can be an earlier one


def test_describe_counts_and_leaves_ignored_targets_out():
    spec = SeqSpec(task="copy_offset", length=6, vocab=3, n_sequences=100, offset=2)
    info = describe(spec)
    assert (info["n_train"], info["n_test"], info["n_sequences"]) == (80, 20, 100)
    assert info["ignored"] == 80 * 2 and info["train_targets"] == 80 * 4
    assert describe(make_sequences(spec)) == info  # a data set already made describes the same


# -- validation -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("field", "value", "allowed"), [
    ("length", 1, str(limits.SEQ_LENGTH)),
    ("length", 101, str(limits.SEQ_LENGTH)),
    ("length", 2.5, str(limits.SEQ_LENGTH)),
    ("vocab", 1, str(limits.SEQ_VOCAB)),
    ("vocab", 33, str(limits.SEQ_VOCAB)),
    ("n_sequences", 99, str(limits.SEQ_COUNT)),
    ("n_sequences", 20_001, str(limits.SEQ_COUNT)),
    ("train_fraction", 0.95, str(limits.TRAIN_FRACTION)),
    ("train_fraction", float("nan"), str(limits.TRAIN_FRACTION)),
    ("seed", -1, str(limits.DATA_SEED)),
    ("offset", 0, str(limits.SEQ_OFFSET)),
])
def test_validate_names_the_field_and_its_range(field, value, allowed):
    with pytest.raises(ValueError, match=rf"^{field} must .*{re.escape(allowed)}"):
        replace(SeqSpec(), **{field: value}).validate()


def test_copy_offset_must_leave_a_target():
    with pytest.raises(ValueError, match=r"offset must be in 1\.\.5, got 6"):
        SeqSpec(task="copy_offset", length=6, offset=6).validate()
    assert SeqSpec(task="copy_offset", length=6, offset=5).validate()
    assert SeqSpec(task="reverse", length=2, offset=2).validate()  # other tasks ignore the offset


def test_an_unknown_task_names_the_choices():
    with pytest.raises(ValueError, match="task must be one of remember_first, adding"):
        SeqSpec(task="copy").validate()


def test_make_sequences_validates_and_the_default_is_valid():
    assert SeqSpec().validate() == SeqSpec()
    with pytest.raises(ValueError, match="vocab"):
        make_sequences(SeqSpec(vocab=0))
    assert isinstance(make_sequences(replace(SeqSpec(), n_sequences=100)), SeqDataset)


def test_torchs_cross_entropy_skips_ignore_by_default():
    """The contract with the pages' loss: IGNORE targets need no mask."""
    import torch
    import torch.nn.functional as F

    ds = make_sequences(SeqSpec(task="copy_offset", length=5, vocab=3, n_sequences=100, offset=2))
    y = torch.from_numpy(ds.y_train)
    logits = torch.randn(*y.shape, ds.n_classes, generator=torch.Generator().manual_seed(0))
    kept = y != IGNORE
    whole = F.cross_entropy(logits.reshape(-1, ds.n_classes), y.reshape(-1))
    assert torch.allclose(whole, F.cross_entropy(logits[kept], y[kept]))

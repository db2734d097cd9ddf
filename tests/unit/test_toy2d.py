"""The 2-D toy data sets: shapes, dtypes, labels, split, determinism, balance and extent."""

from __future__ import annotations

import numpy as np
import pytest

from ffnviz.data import make_dataset
from ffnviz.data.toy2d import EXTENT
from ffnviz.specs import DataSpec

DATASETS = ("circle", "xor", "gauss", "spiral")


def _all(ds):
    return np.concatenate([ds.x_train, ds.x_test]), np.concatenate([ds.y_train, ds.y_test])


@pytest.mark.parametrize("name", DATASETS)
@pytest.mark.parametrize(("n_points", "train_fraction"), [(500, 0.5), (51, 0.1), (2000, 0.9), (333, 0.7)])
def test_shapes_dtypes_and_split(name, n_points, train_fraction):
    ds = make_dataset(DataSpec(dataset=name, n_points=n_points, train_fraction=train_fraction, noise=0.2))
    n_train = int(round(n_points * train_fraction))
    assert ds.x_train.shape == (n_train, 2) and ds.x_test.shape == (n_points - n_train, 2)
    assert ds.y_train.shape == (n_train,) and ds.y_test.shape == (n_points - n_train,)
    assert ds.x_train.dtype == np.float32 and ds.x_test.dtype == np.float32
    assert ds.y_train.dtype == np.int64 and ds.y_test.dtype == np.int64
    assert ds.n_classes == 2 and ds.n_features == 2
    x, y = _all(ds)
    assert set(np.unique(y)) == {0, 1}
    assert np.isfinite(x).all()


def test_default_split_is_250_and_250():
    ds = make_dataset(DataSpec())
    assert len(ds.x_train) == 250 and len(ds.x_test) == 250


@pytest.mark.parametrize("name", DATASETS)
def test_same_seed_same_arrays_other_seed_other_arrays(name):
    a = make_dataset(DataSpec(dataset=name, noise=0.1, seed=3))
    b = make_dataset(DataSpec(dataset=name, noise=0.1, seed=3))
    c = make_dataset(DataSpec(dataset=name, noise=0.1, seed=4))
    for field in ("x_train", "y_train", "x_test", "y_test"):
        assert np.array_equal(getattr(a, field), getattr(b, field)), field
    assert not np.array_equal(a.x_train, c.x_train)


def test_data_does_not_depend_on_numpys_global_generator():
    np.random.seed(1)
    a = make_dataset(DataSpec(dataset="xor", noise=0.3))
    np.random.seed(2)
    b = make_dataset(DataSpec(dataset="xor", noise=0.3))
    assert np.array_equal(a.x_train, b.x_train)


@pytest.mark.parametrize("name", DATASETS)
def test_split_is_shuffled(name):
    """The train set holds both classes in about equal numbers, not the first half of the draw."""
    ds = make_dataset(DataSpec(dataset=name, n_points=1000, noise=0.0))
    for y in (ds.y_train, ds.y_test):
        assert 0.35 < y.mean() < 0.65


@pytest.mark.parametrize("name", DATASETS)
def test_classes_are_roughly_balanced(name):
    x, y = _all(make_dataset(DataSpec(dataset=name, n_points=1000, noise=0.0)))
    counts = np.bincount(y, minlength=2)
    assert counts.min() >= 0.4 * len(y), counts


@pytest.mark.parametrize("k", [3, 4, 5])
def test_spiral_with_more_classes(k):
    ds = make_dataset(DataSpec(dataset="spiral", n_points=503, n_classes=k, noise=0.1))
    assert ds.n_classes == k
    x, y = _all(ds)
    assert set(np.unique(y)) == set(range(k))
    counts = np.bincount(y, minlength=k)
    assert counts.max() - counts.min() <= 1  # 503 points in k arms: as even as it gets
    assert y.dtype == np.int64


def test_more_than_two_classes_needs_the_spiral():
    with pytest.raises(ValueError, match="n_classes"):
        make_dataset(DataSpec(dataset="circle", n_classes=3))


@pytest.mark.parametrize(("name", "bound"), [("circle", 5.0), ("xor", 5.3), ("spiral", 5.0)])
def test_noiseless_points_lie_in_their_shape(name, bound):
    x, _ = _all(make_dataset(DataSpec(dataset=name, n_points=1000, noise=0.0)))
    assert np.abs(x).max() <= bound + 1e-5
    assert bound <= EXTENT


@pytest.mark.parametrize(("name", "bound"), [("circle", 5.0 + 2.5), ("xor", 5.3 + 2.5), ("spiral", 5.0 + 0.5),
                                           ("gauss", 3 * EXTENT)])
def test_noisy_points_stay_near_the_plotted_plane(name, bound):
    """At the top noise (Playground's 50 %), most points are still in the charted plane and none
    is far out: the bounded shapes move by at most noise x their noise scale."""
    x, _ = _all(make_dataset(DataSpec(dataset=name, n_points=1000, noise=0.5)))
    assert np.abs(x).max() <= bound + 1e-5
    assert np.mean(np.abs(x).max(axis=1) <= EXTENT) > 0.75


def test_circle_labels_inside_as_class_1_without_noise():
    x, y = _all(make_dataset(DataSpec(dataset="circle", n_points=600, noise=0.0)))
    r = np.linalg.norm(x, axis=1)
    assert (r[y == 1] <= 2.5 + 1e-5).all()
    assert (r[y == 0] >= 3.5 - 1e-5).all()


def test_xor_labels_by_quadrant_without_noise():
    x, y = _all(make_dataset(DataSpec(dataset="xor", n_points=600, noise=0.0)))
    assert np.array_equal(y, (x[:, 0] * x[:, 1] >= 0).astype(np.int64))
    assert (np.abs(x) >= 0.3 - 1e-6).all()  # the padding keeps points off the axes


def test_gauss_classes_sit_around_plus_and_minus_two():
    x, y = _all(make_dataset(DataSpec(dataset="gauss", n_points=1000, noise=0.0)))
    assert np.allclose(x[y == 1].mean(axis=0), [2, 2], atol=0.25)
    assert np.allclose(x[y == 0].mean(axis=0), [-2, -2], atol=0.25)


def test_noise_moves_points():
    a = make_dataset(DataSpec(dataset="spiral", noise=0.0, seed=5))
    b = make_dataset(DataSpec(dataset="spiral", noise=0.3, seed=5))
    assert not np.allclose(a.x_train, b.x_train)

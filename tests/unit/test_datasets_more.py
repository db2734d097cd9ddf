"""The data sets beyond Playground's four classifications: moons and blobs (scikit-learn), and
Playground's two regressions, plane and multigauss; the problem a data set fits."""

from __future__ import annotations

import numpy as np
import pytest

from ffnviz.data import make_dataset
from ffnviz.data.toy2d import EXTENT
from ffnviz.specs import CLASSIFICATION_DATASETS, DATASETS, MULTICLASS_DATASETS, REGRESSION_DATASETS, DataSpec

NEW = [("moons", "classification", 2), ("blobs", "classification", 2), ("blobs", "classification", 5),
       ("plane", "regression", 2), ("multigauss", "regression", 2)]


def _spec(name, problem, k, **kw) -> DataSpec:
    return DataSpec(dataset=name, problem=problem, n_classes=k, **kw)


def _all(ds):
    return np.concatenate([ds.x_train, ds.x_test]), np.concatenate([ds.y_train, ds.y_test])


def test_the_lists_split_every_data_set_by_problem():
    assert set(CLASSIFICATION_DATASETS) | set(REGRESSION_DATASETS) | {"upload"} == set(DATASETS)
    assert not set(CLASSIFICATION_DATASETS) & set(REGRESSION_DATASETS)
    assert set(MULTICLASS_DATASETS) == {"spiral", "blobs", "upload"}


@pytest.mark.parametrize(("name", "problem", "k"), NEW)
@pytest.mark.parametrize("noise", [0.0, 0.5])
def test_shapes_dtypes_and_split(name, problem, k, noise):
    ds = make_dataset(_spec(name, problem, k, n_points=333, train_fraction=0.7, noise=noise))
    assert ds.x_train.shape == (233, 2) and ds.x_test.shape == (100, 2)
    assert ds.x_train.dtype == np.float32 and ds.problem == problem
    x, y = _all(ds)
    assert np.isfinite(x).all() and np.isfinite(y).all()
    if problem == "regression":
        assert y.dtype == np.float32 and ds.regression and ds.n_classes == 0
        assert y.min() >= -1.0 and y.max() <= 1.0
        assert np.abs(x).max() <= EXTENT  # the point stays; noise moves only where its target is read
    else:
        assert y.dtype == np.int64 and not ds.regression and ds.n_classes == k
        assert set(np.unique(y)) == set(range(k))


@pytest.mark.parametrize(("name", "problem", "k"), NEW)
def test_same_seed_same_arrays_other_seed_other_arrays(name, problem, k):
    a, b = (make_dataset(_spec(name, problem, k, noise=0.2, seed=7)) for _ in range(2))
    c = make_dataset(_spec(name, problem, k, noise=0.2, seed=8))
    for f in ("x_train", "y_train", "x_test", "y_test"):
        assert np.array_equal(getattr(a, f), getattr(b, f)), f
    assert not np.array_equal(a.x_train, c.x_train)


def test_sklearn_data_does_not_depend_on_numpys_global_generator():
    np.random.seed(1)
    a = make_dataset(DataSpec(dataset="moons", noise=0.3))
    np.random.seed(2)
    b = make_dataset(DataSpec(dataset="moons", noise=0.3))
    assert np.array_equal(a.x_train, b.x_train)


@pytest.mark.parametrize(("name", "problem", "k"), NEW)
def test_noiseless_points_fill_the_plane_but_stay_in_it(name, problem, k):
    x, _ = _all(make_dataset(_spec(name, problem, k, n_points=1000)))
    assert np.abs(x).max() <= EXTENT
    assert np.abs(x).max() >= 0.75 * EXTENT * (0.5 if name == "blobs" else 1)  # not squeezed in a corner


def test_noisy_moons_and_blobs_stay_mostly_in_the_plane():
    for name, k in (("moons", 2), ("blobs", 4)):
        x, _ = _all(make_dataset(_spec(name, "classification", k, n_points=1000, noise=0.5)))
        assert np.mean(np.abs(x).max(axis=1) <= EXTENT) > 0.75


def test_moons_are_two_balanced_half_circles():
    x, y = _all(make_dataset(DataSpec(dataset="moons", n_points=1000)))
    assert np.bincount(y).tolist() == [500, 500]
    # Noiseless, the upper moon (class 0) is a half circle of radius 10/3 about (-5/3, -5/6).
    r = np.linalg.norm(x[y == 0] - np.array([-5 / 3, -5 / 6]), axis=1)
    assert np.allclose(r, 10 / 3, atol=1e-4)


@pytest.mark.parametrize("k", [2, 3, 4, 5])
def test_blobs_are_k_balanced_separate_clusters(k):
    x, y = _all(make_dataset(DataSpec(dataset="blobs", n_classes=k, n_points=1000)))
    counts = np.bincount(y, minlength=k)
    assert counts.max() - counts.min() <= 1
    centres = np.stack([x[y == c].mean(axis=0) for c in range(k)])
    assert np.allclose(np.linalg.norm(centres, axis=1), 3.5, atol=0.3)
    gaps = np.linalg.norm(centres[:, None] - centres[None], axis=2)[np.triu_indices(k, 1)]
    assert gaps.min() > 3.5


def test_noise_spreads_the_blobs():
    def spread(noise):
        x, y = _all(make_dataset(DataSpec(dataset="blobs", n_points=1000, noise=noise)))
        return np.mean([x[y == c].std(axis=0).mean() for c in (0, 1)])

    assert spread(0.5) > 2 * spread(0.0)


def test_plane_target_is_the_scaled_sum_without_noise():
    x, y = _all(make_dataset(DataSpec(dataset="plane", problem="regression", n_points=1000)))
    assert np.allclose(y, np.clip(x.sum(axis=1) / 10, -1, 1), atol=1e-6)


def test_multigauss_peaks_at_the_bumps_with_their_signs():
    x, y = _all(make_dataset(DataSpec(dataset="multigauss", problem="regression", n_points=2000)))
    for cx, cy, sign in [(-4, 2.5, 1), (0, 2.5, -1), (4, -2.5, -1)]:
        near = np.linalg.norm(x - np.array([cx, cy]), axis=1) < 0.5
        assert near.any() and (np.sign(y[near]) == sign).all() and (np.abs(y[near]) > 0.7).all()
    far = np.linalg.norm(x[:, None] - np.array([[-4, 2.5], [0, 2.5], [4, 2.5], [-4, -2.5], [0, -2.5], [4, -2.5]]),
                         axis=2).min(axis=1) > 2
    assert (y[far] == 0).all()


@pytest.mark.parametrize("name", REGRESSION_DATASETS)
def test_regression_noise_changes_targets_not_points(name):
    a = make_dataset(DataSpec(dataset=name, problem="regression", noise=0.0, seed=5))
    b = make_dataset(DataSpec(dataset=name, problem="regression", noise=0.3, seed=5))
    assert np.array_equal(a.x_train, b.x_train)
    assert not np.allclose(a.y_train, b.y_train)


# -- what fits what -----------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "problem"), [("plane", "classification"), ("circle", "regression"),
                                               ("moons", "regression"), ("multigauss", "classification")])
def test_a_data_set_must_fit_the_problem(name, problem):
    found = DataSpec(dataset=name, problem=problem).problems()
    assert [f for f, _ in found] == ["dataset"]
    assert problem in found[0][1]


@pytest.mark.parametrize(("name", "k"), [("moons", 3), ("circle", 4)])
def test_only_multiclass_sets_take_more_classes(name, k):
    assert [f for f, _ in DataSpec(dataset=name, n_classes=k).problems()] == ["n_classes"]


def test_regression_has_no_classes():
    assert [f for f, _ in DataSpec(dataset="plane", problem="regression", n_classes=3).problems()] == ["n_classes"]


def test_an_unknown_problem_is_named():
    found = DataSpec(problem="ranking").problems()
    assert found[0][0] == "problem" and "classification, regression" in found[0][1]


def test_make_dataset_cannot_build_an_upload():
    with pytest.raises(ValueError, match="dataset_from_upload"):
        make_dataset(DataSpec(dataset="upload", upload="0123456789ab"))

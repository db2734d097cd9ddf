"""TensorFlow Playground's 2-D data sets, and two of scikit-learn's, drawn from a seeded numpy
generator.

Points live in [-6, 6]²; `noise` is Playground's 0-50 % slider as a fraction. Classification
labels are class indices 0..k-1 (Playground's -1/+1 become 0/1); regression targets are float32
values in [-1, 1].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ffnviz.specs import UPLOAD, DataSpec

EXTENT = 6.0  # the input plane shown in charts: [-EXTENT, EXTENT]²


@dataclass(frozen=True)
class Dataset:
    x_train: np.ndarray  # (n, 2) float32
    y_train: np.ndarray  # (n,) int64 class index; float32 target for regression
    x_test: np.ndarray
    y_test: np.ndarray
    n_classes: int  # classification: k >= 2; regression: 0 (no classes)
    problem: str = "classification"  # or "regression", as DataSpec.problem

    @property
    def n_features(self) -> int:
        return self.x_train.shape[1]

    @property
    def regression(self) -> bool:
        return self.problem == "regression"


def _circle(rng: np.random.Generator, n: int, noise: float, k: int):
    radius = 5.0

    def ring(count: int, r_lo: float, r_hi: float):
        r = rng.uniform(r_lo, r_hi, count)
        angle = rng.uniform(0, 2 * np.pi, count)
        pts = np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1)
        return pts + rng.uniform(-radius, radius, (count, 2)) * noise

    inner, outer = ring(n // 2, 0, radius * 0.5), ring(n - n // 2, radius * 0.7, radius)
    x = np.concatenate([inner, outer])
    # Playground labels by distance after the noise is added: noisy points may cross over.
    y = (np.linalg.norm(x, axis=1) >= radius * 0.5).astype(np.int64)
    return x, 1 - y  # inside = class 1, as Playground's positive class


def _xor(rng: np.random.Generator, n: int, noise: float, k: int):
    padding = 0.3
    x = rng.uniform(-5, 5, (n, 2))
    x += np.where(x > 0, padding, -padding)
    x += rng.uniform(-5, 5, (n, 2)) * noise
    y = (x[:, 0] * x[:, 1] >= 0).astype(np.int64)
    return x, y


def _gauss(rng: np.random.Generator, n: int, noise: float, k: int):
    # Playground maps its noise slider onto the variance 0.5..4.
    std = np.sqrt(0.5 + 3.5 * (noise / 0.5))
    half = n // 2
    pos = rng.normal(2.0, std, (half, 2))
    neg = rng.normal(-2.0, std, (n - half, 2))
    return np.concatenate([pos, neg]), np.concatenate([np.ones(half), np.zeros(n - half)]).astype(np.int64)


def _spiral(rng: np.random.Generator, n: int, noise: float, k: int):
    xs, ys = [], []
    for c in range(k):
        count = n // k + (1 if c < n % k else 0)
        i = np.arange(count)
        r = i / count * 5
        t = 1.75 * i / count * 2 * np.pi + 2 * np.pi * c / k
        pts = np.stack([r * np.sin(t), r * np.cos(t)], axis=1)
        xs.append(pts + rng.uniform(-1, 1, (count, 2)) * noise)
        ys.append(np.full(count, c, dtype=np.int64))
    x, y = np.concatenate(xs), np.concatenate(ys)
    if k == 2:
        y = 1 - y  # Playground's first arm is its positive class
    return x, y


def _sklearn_seed(rng: np.random.Generator) -> int:
    """scikit-learn's generators take an int seed: draw it from the run's generator, so the data
    still follows DataSpec.seed alone."""
    return int(rng.integers(2**31 - 1))


# make_moons' two half-circles span x in [-1, 2], y in [-0.5, 1]: centred on (0.5, 0.25) and
# scaled by 10/3 they span [-5, 5] x [-2.5, 2.5], the size of Playground's shapes.
_MOONS_CENTRE, _MOONS_SCALE = np.array([0.5, 0.25]), 10 / 3
# Gaussian noise in make_moons' own units at Playground's 50 %: 0.3 (1 unit in the plane, about
# the spread of the circle's uniform noise at 50 %) still shows two moons.
_MOONS_NOISE_AT_HALF = 0.3


def _moons(rng: np.random.Generator, n: int, noise: float, k: int):
    from sklearn.datasets import make_moons  # imported on use: scikit-learn takes ~1.4 s to import

    x, y = make_moons(n, noise=noise / 0.5 * _MOONS_NOISE_AT_HALF, random_state=_sklearn_seed(rng))
    return (x - _MOONS_CENTRE) * _MOONS_SCALE, y.astype(np.int64)


def _blobs(rng: np.random.Generator, n: int, noise: float, k: int):
    """k round clusters, centres evenly on a circle of radius 3.5 (so no two overlap at noise 0),
    turned by a random angle; the spread follows Playground's Gaussian set (variance 0.5..4)."""
    turn = rng.uniform(0, 2 * np.pi)
    angles = turn + 2 * np.pi * np.arange(k) / k
    centres = 3.5 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    from sklearn.datasets import make_blobs  # imported on use: scikit-learn takes ~1.4 s to import

    std = np.sqrt(0.5 + 3.5 * (noise / 0.5))
    x, y = make_blobs(n, centers=centres, cluster_std=std, random_state=_sklearn_seed(rng))
    return x, y.astype(np.int64)


def _plane_noise(rng: np.random.Generator, n: int, noise: float):
    """Points uniform in the plane and where their label is read: Playground moves the point by
    uniform noise for the label only, and draws the point where it was."""
    radius = EXTENT
    x = rng.uniform(-radius, radius, (n, 2))
    return x, x + rng.uniform(-radius, radius, (n, 2)) * noise


def _plane(rng: np.random.Generator, n: int, noise: float, k: int):
    # Playground's regressPlane: target = (x1 + x2) / 10, which reaches ±1.2 in the corners;
    # clipped to [-1, 1] here so every target fits the map's fixed colour scale.
    x, read = _plane_noise(rng, n, noise)
    return x, np.clip(read.sum(axis=1) / 10, -1, 1).astype(np.float32)


# Playground's regressGaussian: six bumps (centre x, centre y, sign); a point's target is the
# signed bump with the largest |value|, each falling linearly from ±1 at its centre to 0 at
# distance 2.
_BUMPS = np.array([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]])


def _multigauss(rng: np.random.Generator, n: int, noise: float, k: int):
    x, read = _plane_noise(rng, n, noise)
    dist = np.linalg.norm(read[:, None, :] - _BUMPS[None, :, :2], axis=2)  # (n, 6)
    values = _BUMPS[:, 2] * np.clip(1 - dist / 2, 0, 1)
    strongest = np.abs(values).argmax(axis=1)
    return x, values[np.arange(n), strongest].astype(np.float32)


GENERATORS = {"circle": _circle, "xor": _xor, "gauss": _gauss, "spiral": _spiral, "moons": _moons,
              "blobs": _blobs, "plane": _plane, "multigauss": _multigauss}


def split(x: np.ndarray, y: np.ndarray, spec: DataSpec, rng: np.random.Generator) -> Dataset:
    """Shuffle with `rng` and cut at `spec.train_fraction` (at least one point on each side)."""
    order = rng.permutation(len(x))
    x, y = x[order].astype(np.float32), y[order]
    n_train = min(max(int(round(len(x) * spec.train_fraction)), 1), len(x) - 1)
    regression = spec.problem == "regression"
    n_classes = 0 if regression else spec.n_classes
    return Dataset(x[:n_train], y[:n_train], x[n_train:], y[n_train:], n_classes, spec.problem)


def make_dataset(spec: DataSpec) -> Dataset:
    """The generated data set of `spec`. An upload is built by `dataset_from_upload`."""
    spec.validate()
    if spec.dataset == UPLOAD:
        raise ValueError("an uploaded data set is built from its file: use ffnviz.data.dataset_from_upload")
    rng = np.random.default_rng(spec.seed)
    x, y = GENERATORS[spec.dataset](rng, spec.n_points, spec.noise, spec.n_classes)
    return split(x, y, spec, rng)

"""TensorFlow Playground's 2-D data sets, drawn from a seeded numpy generator.

Points live in [-6, 6]²; `noise` is Playground's 0-50 % slider as a fraction. Labels are class
indices 0..k-1 (Playground's -1/+1 become 0/1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ffnviz.specs import DataSpec

EXTENT = 6.0  # the input plane shown in charts: [-EXTENT, EXTENT]²


@dataclass(frozen=True)
class Dataset:
    x_train: np.ndarray  # (n, 2) float32
    y_train: np.ndarray  # (n,) int64 class index
    x_test: np.ndarray
    y_test: np.ndarray
    n_classes: int

    @property
    def n_features(self) -> int:
        return self.x_train.shape[1]


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


GENERATORS = {"circle": _circle, "xor": _xor, "gauss": _gauss, "spiral": _spiral}


def make_dataset(spec: DataSpec) -> Dataset:
    spec.validate()
    rng = np.random.default_rng(spec.seed)
    x, y = GENERATORS[spec.dataset](rng, spec.n_points, spec.noise, spec.n_classes)
    order = rng.permutation(len(x))
    x, y = x[order].astype(np.float32), y[order]
    n_train = int(round(spec.n_points * spec.train_fraction))
    return Dataset(x[:n_train], y[:n_train], x[n_train:], y[n_train:], spec.n_classes)

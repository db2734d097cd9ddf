"""Small greyscale images for the convolution page: scikit-learn's digits and a generated
"shapes" set.

- digits: scikit-learn's 1,797 handwritten digits (8 × 8, 10 classes), shipped with
  scikit-learn and loaded offline, scaled from 0..16 to [0, 1]; a stratified random split.
- shapes: written for this project. Each image is one outline (horizontal line, vertical line,
  cross, square, circle) of a random size at a random position, plus Gaussian pixel noise,
  drawn from numpy's default_rng(seed). Translation invariance shows here: with split "halves"
  every training shape lies wholly in the left half of its image and every test shape wholly
  in the right half, positions the model never saw.

Images are float32 (N, 1, H, W) in [0, 1] (channels first, as torch's Conv2d reads them),
labels int64.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from ffnviz.specs.conv import DIGIT_SIDE, MIN_SHAPE, SHAPES, ImageSpec


@dataclass(frozen=True)
class ImageDataset:
    spec: ImageSpec
    x_train: np.ndarray  # float32 (N, 1, H, W) in [0, 1]
    y_train: np.ndarray  # int64 (N,)
    x_test: np.ndarray
    y_test: np.ndarray
    # shapes: each image's shape box (top, left, side) in pixels, int64 (N, 3); digits: None.
    boxes_train: np.ndarray | None = None
    boxes_test: np.ndarray | None = None

    @property
    def class_names(self) -> tuple[str, ...]:
        return self.spec.class_names

    @property
    def n_classes(self) -> int:
        return self.spec.n_classes

    @property
    def image_shape(self) -> tuple[int, int, int]:
        return self.spec.image_shape


def make_images(spec: ImageSpec) -> ImageDataset:
    """The data set of `spec`, the same arrays for the same spec."""
    spec.validate()
    return _digits(spec) if spec.dataset == "digits" else _shapes(spec)


def _n_train(n: int, fraction: float) -> int:
    return min(max(int(round(n * fraction)), 1), n - 1)  # at least one image on each side


# -- digits ---------------------------------------------------------------------------------------

@functools.cache
def _load_digits() -> tuple[np.ndarray, np.ndarray]:
    # Read once per process: the images ship with scikit-learn as a compressed CSV.
    from sklearn.datasets import load_digits

    x, y = load_digits(return_X_y=True)
    images = (x / 16.0).astype(np.float32).reshape(-1, 1, DIGIT_SIDE, DIGIT_SIDE)
    images.flags.writeable = False
    return images, y.astype(np.int64)


def _digits(spec: ImageSpec) -> ImageDataset:
    from sklearn.model_selection import train_test_split

    x, y = _load_digits()
    # Stratified: each class keeps its share on both sides of the split.
    x_tr, x_te, y_tr, y_te = train_test_split(x, y, train_size=_n_train(len(y), spec.train_fraction),
                                              stratify=y, random_state=spec.seed)
    return ImageDataset(spec, x_tr.copy(), y_tr, x_te.copy(), y_te)


# -- shapes ---------------------------------------------------------------------------------------

def glyph(kind: str, side: int) -> np.ndarray:
    """One shape's outline in a side × side box, float32 in [0, 1], one pixel thick."""
    if kind not in SHAPES:
        raise ValueError(f"shape must be one of {', '.join(SHAPES)}; got {kind!r}")
    g = np.zeros((side, side), dtype=np.float32)
    mid = side // 2
    if kind in ("horizontal", "cross"):
        g[mid, :] = 1.0
    if kind in ("vertical", "cross"):
        g[:, mid] = 1.0
    if kind == "square":
        g[[0, -1], :] = 1.0
        g[:, [0, -1]] = 1.0
    if kind == "circle":
        # The ring of radius (side - 1) / 2, anti-aliased: a pixel's brightness falls off with its
        # centre's distance from the ring, so a small circle still reads as round; scaled to a
        # brightest pixel of 1, as bright as the other shapes.
        centre = (side - 1) / 2
        i, j = np.indices((side, side))
        ring = np.clip(1.0 - np.abs(np.hypot(i - centre, j - centre) - centre), 0.0, 1.0)
        g = (ring / ring.max()).astype(np.float32)
    return g


def _columns(spec: ImageSpec, train: bool) -> tuple[int, int]:
    """Where a shape may lie, as columns [start, stop). Halves: the left half for training, the
    right half for testing; an odd side's middle column belongs to neither."""
    if spec.split == "random":
        return 0, spec.size
    half = spec.size // 2
    return (0, half) if train else (spec.size - half, spec.size)


def _draw_side(spec: ImageSpec, n: int, columns: tuple[int, int], rng: np.random.Generator):
    """n images whose shapes lie within `columns`: classes balanced (counts differ by at most
    one), then sizes, positions and noise drawn in that order."""
    k, side = len(SHAPES), spec.size
    labels = rng.permutation(np.arange(n) % k)
    sides = rng.integers(MIN_SHAPE, side // 2 + 1, n)  # the same sizes whatever the split
    tops = rng.integers(0, side - sides + 1)
    lefts = rng.integers(columns[0], columns[1] - sides + 1)
    images = np.zeros((n, 1, side, side), dtype=np.float32)
    for img, label, s, top, left in zip(images, labels, sides, tops, lefts, strict=True):
        img[0, top:top + s, left:left + s] = glyph(SHAPES[label], s)
    if spec.noise > 0:
        images += rng.normal(0.0, spec.noise, images.shape).astype(np.float32)
    np.clip(images, 0.0, 1.0, out=images)
    return images, labels.astype(np.int64), np.stack([tops, lefts, sides], axis=1).astype(np.int64)


def _shapes(spec: ImageSpec) -> ImageDataset:
    rng = np.random.default_rng(spec.seed)
    n_train = _n_train(spec.n_images, spec.train_fraction)
    x_tr, y_tr, b_tr = _draw_side(spec, n_train, _columns(spec, True), rng)
    x_te, y_te, b_te = _draw_side(spec, spec.n_images - n_train, _columns(spec, False), rng)
    return ImageDataset(spec, x_tr, y_tr, x_te, y_te, b_tr, b_te)

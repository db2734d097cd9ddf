"""The deep-networks page's data: one of the playground's classification sets, or
scikit-learn's digits as 64 pixel inputs, both as a toy2d.Dataset (the engine's arrays)."""

from __future__ import annotations

from ffnviz.data.images import make_images
from ffnviz.data.toy2d import Dataset, make_dataset
from ffnviz.specs.conv import ImageSpec
from ffnviz.specs.deep import DIGIT_CLASSES, DIGITS, DeepDataSpec


def make_deep_data(spec: DeepDataSpec) -> Dataset:
    """The data of `spec`: the same arrays for the same spec."""
    spec.validate()
    if spec.dataset != DIGITS:
        return make_dataset(spec.toy())
    images = make_images(ImageSpec("digits", train_fraction=spec.train_fraction, seed=spec.seed))
    flat = [a.reshape(len(a), -1) for a in (images.x_train, images.x_test)]
    return Dataset(flat[0], images.y_train, flat[1], images.y_test, DIGIT_CLASSES)

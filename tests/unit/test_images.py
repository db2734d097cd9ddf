"""Image data sets of the convolution page: scikit-learn's digits and the generated shapes."""

from __future__ import annotations

import numpy as np
import pytest

from ffnviz.data.images import glyph, make_images
from ffnviz.specs.conv import MIN_SHAPE, SHAPES, ImageSpec


def _shapes(**change) -> ImageSpec:
    return ImageSpec(**{"dataset": "shapes", "n_images": 300, "noise": 0.0, **change})


# -- specs --------------------------------------------------------------------------------------

def test_default_spec_validates():
    assert ImageSpec().validate() == ImageSpec()
    assert _shapes(split="halves").validate().split == "halves"


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"dataset": "mnist"}, "dataset", "digits, shapes"),
    ({"n_images": 50}, "n_images", "100..5000"),
    ({"n_images": 200.0}, "n_images", "whole number"),
    ({"noise": 0.9}, "noise", "0..0.5"),
    ({"size": 8}, "size", "12..24"),
    ({"train_fraction": 1.0}, "train_fraction", "0.1..0.9"),
    ({"split": "thirds"}, "split", "random, halves"),
])
def test_problems_name_the_field_and_its_range(change, field, words):
    spec = _shapes(**change)
    found = spec.problems()
    assert [f for f, _ in found] == [field]
    assert words in found[0][1]
    with pytest.raises(ValueError, match=field):
        make_images(spec)


def test_digits_have_no_halves():
    found = ImageSpec("digits", split="halves").problems()
    assert [f for f, _ in found] == ["split"]
    assert "shapes only" in found[0][1]


def test_image_shape_and_classes_follow_the_dataset():
    assert ImageSpec().image_shape == (1, 8, 8) and ImageSpec().n_classes == 10
    assert _shapes(size=20).image_shape == (1, 20, 20)
    assert _shapes().class_names == SHAPES


# -- digits -------------------------------------------------------------------------------------

def test_digits_are_sklearns_scaled_and_split_by_class():
    from sklearn.datasets import load_digits

    d = make_images(ImageSpec("digits", train_fraction=0.5, seed=3))
    x, y = np.concatenate([d.x_train, d.x_test]), np.concatenate([d.y_train, d.y_test])
    assert x.shape == (1797, 1, 8, 8) and x.dtype == np.float32 and y.dtype == np.int64
    assert x.min() == 0.0 and x.max() == 1.0
    ref_x, ref_y = load_digits(return_X_y=True)
    # Every sklearn image is there once, scaled by 1/16 (as a multiset: sorted rows compared).
    ours = np.sort((x.reshape(len(x), -1) * 16).round().astype(int).view([("", int)] * 64), axis=0)
    theirs = np.sort(ref_x.astype(int).view([("", int)] * 64), axis=0)
    assert np.array_equal(ours, theirs)
    assert np.array_equal(np.bincount(y), np.bincount(ref_y))
    # Stratified: each class's test count is its share of the test set, within one image.
    expected = np.bincount(ref_y) * len(d.y_test) / len(ref_y)
    assert np.abs(np.bincount(d.y_test, minlength=10) - expected).max() <= 1


def test_digits_split_is_deterministic_per_seed():
    a, b, c = (make_images(ImageSpec(seed=s)) for s in (1, 1, 2))
    assert np.array_equal(a.x_test, b.x_test) and np.array_equal(a.y_train, b.y_train)
    assert not np.array_equal(a.y_test, c.y_test)
    assert a.boxes_train is None


# -- shapes -------------------------------------------------------------------------------------

def test_glyphs_are_distinct_outlines():
    for side in (MIN_SHAPE, 8, 12):
        drawn = [glyph(k, side) for k in SHAPES]
        for g in drawn:
            assert g.shape == (side, side) and g.min() >= 0 and g.max() == 1
        for i in range(len(drawn)):
            for j in range(i + 1, len(drawn)):
                assert np.abs(drawn[i] - drawn[j]).sum() >= 2, (SHAPES[i], SHAPES[j], side)
    with pytest.raises(ValueError, match="shape must be one of"):
        glyph("star", 5)


def test_shapes_are_deterministic_per_seed():
    a, b, c = (make_images(_shapes(noise=0.2, seed=s)) for s in (4, 4, 5))
    for name in ("x_train", "y_train", "x_test", "y_test", "boxes_train", "boxes_test"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    assert not np.array_equal(a.x_train, c.x_train)


@pytest.mark.parametrize(("n", "fraction", "split"), [(300, 0.8, "random"), (101, 0.5, "halves"),
                                                      (257, 0.3, "random"), (100, 0.9, "halves")])
def test_shapes_classes_are_balanced_on_each_side(n, fraction, split):
    d = make_images(_shapes(n_images=n, train_fraction=fraction, split=split))
    assert len(d.y_train) + len(d.y_test) == n
    assert len(d.y_train) == round(n * fraction)
    for y in (d.y_train, d.y_test):
        counts = np.bincount(y, minlength=len(SHAPES))
        assert counts.max() - counts.min() <= 1, counts


@pytest.mark.parametrize("split", ["random", "halves"])
def test_each_image_is_its_glyph_in_its_box_and_nothing_else(split):
    d = make_images(_shapes(size=13, split=split))
    for x, y, boxes in ((d.x_train, d.y_train, d.boxes_train), (d.x_test, d.y_test, d.boxes_test)):
        assert x.dtype == np.float32 and x.shape[1:] == (1, 13, 13)
        for img, label, (top, left, side) in zip(x, y, boxes, strict=True):
            assert MIN_SHAPE <= side <= 13 // 2
            expected = np.zeros((13, 13), dtype=np.float32)
            expected[top:top + side, left:left + side] = glyph(SHAPES[label], side)
            assert np.array_equal(img[0], expected)


@pytest.mark.parametrize("size", [12, 13, 16, 24])
def test_halves_keep_train_shapes_left_and_test_shapes_right(size):
    half = size // 2
    d = make_images(_shapes(size=size, split="halves"))
    assert not d.x_train[..., half:].any()  # no train shape pixel in the right half (or an odd middle)
    assert not d.x_test[..., :size - half].any()
    assert (d.boxes_train[:, 1] + d.boxes_train[:, 2] <= half).all()
    assert (d.boxes_test[:, 1] >= size - half).all()
    # Positions still vary within the half, and sizes and rows over the whole allowed range.
    assert len(np.unique(d.boxes_train[:, 1])) > 1 and len(np.unique(d.boxes_test[:, 1])) > 1
    assert set(np.unique(d.boxes_train[:, 2])) == set(range(MIN_SHAPE, half + 1))


def test_random_split_puts_shapes_in_both_halves():
    d = make_images(_shapes(split="random"))
    right = d.boxes_train[:, 1] + d.boxes_train[:, 2] > 8
    assert right.any() and (~right).any()


def test_noise_stays_in_unit_range_and_is_seeded():
    d = make_images(_shapes(noise=0.3))
    assert d.x_train.min() >= 0.0 and d.x_train.max() <= 1.0
    background = d.x_train[..., 0, 0]  # the top-left pixel, outside many shapes
    assert 0.1 < background.std() < 0.3
    assert make_images(_shapes(noise=0.0)).x_train[..., 0, 0].std() < background.std()

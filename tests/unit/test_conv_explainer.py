"""The convolution explainer: one output cell by hand against torch's conv2d."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from ffnviz.conv_explainer import KERNELS, output_map, pad, window


def _image(h=9, w=9, seed=0) -> np.ndarray:
    return np.random.default_rng(seed).random((h, w)).astype(np.float32)


def _conv2d(image, kernel, stride, padding, bias) -> np.ndarray:
    out = F.conv2d(torch.tensor(image)[None, None], torch.tensor(kernel)[None, None], torch.tensor([bias]),
                   stride=stride, padding=padding)
    return out[0, 0].numpy()


@pytest.mark.parametrize(("k", "stride", "padding"), list(itertools.product((1, 3, 4), (1, 2, 3), (0, 1, 2))))
def test_every_cell_is_the_sum_conv2d_computes(k, stride, padding):
    image = _image(9, 8)
    kernel = np.random.default_rng(1).normal(size=(k, k)).astype(np.float32)
    bias = 0.25
    expected = _conv2d(image, kernel, stride, padding, bias)
    assert np.allclose(output_map(image, kernel, stride, padding, bias), expected, atol=1e-6)
    rows, cols = expected.shape
    for row, col in itertools.product(range(rows), range(cols)):
        w = window(image, kernel, row, col, stride, padding, bias)
        assert w.value == pytest.approx(float(expected[row, col]), abs=1e-5), (row, col)
        assert np.array_equal(w.products, w.patch * kernel)
        assert w.value == pytest.approx(float(w.products.sum()) + bias, abs=1e-6)


def test_the_window_is_the_padded_input_under_the_kernel():
    image = np.arange(16, dtype=np.float32).reshape(4, 4)
    padded = pad(image, 1)
    assert padded.shape == (6, 6) and not padded[0].any() and not padded[:, -1].any()
    w = window(image, np.ones((3, 3)), row=1, col=0, stride=2, padding=1)
    assert (w.top, w.left) == (2, 0)
    assert np.array_equal(w.patch, [[0, 4, 5], [0, 8, 9], [0, 12, 13]])
    assert w.value == 4 + 5 + 8 + 9 + 12 + 13


def test_a_cell_outside_the_output_is_refused():
    with pytest.raises(ValueError, match="row must be in 0..6"):
        window(_image(), KERNELS["blur"], 7, 0)
    with pytest.raises(ValueError, match=r"4×4: row must be in 0..3 and col in 0..3, got \(0, -1\)"):
        window(_image(), KERNELS["blur"], 0, -1, stride=2)


def test_presets_do_what_they_are_named_for():
    for kernel in KERNELS.values():
        assert kernel.shape == (3, 3) and kernel.dtype == np.float32
    assert KERNELS["blur"].sum() == pytest.approx(1.0) and KERNELS["sharpen"].sum() == 1.0
    # Dark left half, bright right half: a vertical edge.
    step = np.zeros((6, 6), dtype=np.float32)
    step[:, 3:] = 1.0
    vertical = output_map(step, KERNELS["edge_vertical"])
    assert (vertical[:, 1:3] == 3).all() and (vertical[:, [0, 3]] == 0).all()
    assert not output_map(step, KERNELS["edge_horizontal"]).any()
    assert not output_map(step.T.copy(), KERNELS["edge_vertical"]).any()
    flat = np.full((5, 5), 0.4, dtype=np.float32)
    assert np.allclose(output_map(flat, KERNELS["blur"]), 0.4) and np.allclose(output_map(flat, KERNELS["sharpen"]), 0.4)

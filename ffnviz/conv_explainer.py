"""One convolution, taken apart: a kernel over an image, one output cell at a time.

An output cell (row, col) is the kernel's window of the (zero-padded) input, multiplied element
by element with the kernel and summed, plus the bias:

    out[row, col] = Σᵢⱼ x_pad[row·s + i, col·s + j] · K[i, j] + b

The kernel is not flipped: what deep learning calls convolution is cross-correlation, and this is
what torch's conv2d computes. `output_map` is torch's conv2d itself, so the page's single cell
and its whole map cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from ffnviz.specs.conv import conv_size

# Preset 3 × 3 kernels. An edge kernel responds where brightness changes across its direction
# (positive for dark-to-bright going down / right); blur averages; sharpen adds the centre's
# difference from its neighbours back to it.
KERNELS: dict[str, np.ndarray] = {
    "edge_horizontal": np.array([[-1, -1, -1], [0, 0, 0], [1, 1, 1]], dtype=np.float32),
    "edge_vertical": np.array([[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]], dtype=np.float32),
    "blur": np.full((3, 3), 1 / 9, dtype=np.float32),
    "sharpen": np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], dtype=np.float32),
}


@dataclass(frozen=True)
class Window:
    top: int  # the window's top-left pixel in the padded input
    left: int
    patch: np.ndarray  # the padded input under the kernel, (k, k)
    products: np.ndarray  # patch * kernel, element by element
    value: float  # products.sum() + bias: the output cell


def pad(image: np.ndarray, padding: int) -> np.ndarray:
    """The image with `padding` rows and columns of zeros on every side, as conv2d sees it."""
    return np.pad(np.asarray(image, dtype=np.float32), padding)


def window(image: np.ndarray, kernel: np.ndarray, row: int, col: int, stride: int = 1, padding: int = 0,
           bias: float = 0.0) -> Window:
    """The computation of output cell (row, col) of `kernel` over the 2-D `image`."""
    kernel = np.asarray(kernel, dtype=np.float32)
    (h, w), (kh, kw) = np.shape(image), kernel.shape
    rows, cols = conv_size(h, kh, stride, padding), conv_size(w, kw, stride, padding)
    if not (0 <= row < rows and 0 <= col < cols):
        raise ValueError(f"the output is {rows}×{cols}: row must be in 0..{rows - 1} and col in 0..{cols - 1}, "
                         f"got ({row}, {col})")
    top, left = row * stride, col * stride
    patch = pad(image, padding)[top:top + kh, left:left + kw]
    products = patch * kernel
    return Window(top, left, patch, products, float(products.sum()) + bias)


def output_map(image: np.ndarray, kernel: np.ndarray, stride: int = 1, padding: int = 0,
               bias: float = 0.0) -> np.ndarray:
    """The whole output map of `kernel` over the 2-D `image`, by torch's conv2d; (rows, cols)."""
    x = torch.as_tensor(np.asarray(image, dtype=np.float32))[None, None]
    k = torch.as_tensor(np.asarray(kernel, dtype=np.float32))[None, None]
    out = F.conv2d(x, k, torch.tensor([float(bias)]), stride=stride, padding=padding)
    return out[0, 0].numpy()

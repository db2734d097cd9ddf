"""A small convolutional network, its shape calculator, and the MLP it is compared with.

CNN: 1-3 blocks of Conv2d -> activation -> pooling (2 × 2, stride 2, or none), then a head:
"flatten" reads the last block's maps, every position of every map, into one Linear classifier;
"global_max" / "global_avg" first pool each map to one number (its maximum or mean over every
position), so the classifier reads one number per channel and no weight belongs to a position,
the textbook way to make a CNN's answer the same wherever a pattern lies. Every output size follows

    conv:  out = ⌊(n + 2p − k) / s⌋ + 1        pool:  out = ⌊(n − 2) / 2⌋ + 1

which `layer_shapes` computes before anything is built, so a page can show each layer's shape
and parameter count and say which setting does not fit. The baseline is a one-hidden-layer
MLP on the flattened pixels, `mlp_baseline_hidden` units wide, so that both have about the same
number of parameters.

Weights are drawn from the generator given, as torch's own layers draw them
(kaiming_uniform_(a=√5) and a uniform bias), in the order the layers are built; torch's global
generator is never used.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import torch
from torch import nn

from ffnviz import limits
from ffnviz.nn.activations import ACTIVATION_MODULES, make_activation
from ffnviz.nn.ffn_block import _linear
from ffnviz.specs import Problems, _check_choice, _check_range, _Section

POOLS = ("max", "avg", "none")
KINDS = ("cnn", "mlp")
HEADS = ("flatten", "global_max", "global_avg")  # how the last maps reach the linear classifier

_POOL_MODULES = {"max": nn.MaxPool2d, "avg": nn.AvgPool2d}


@dataclass(frozen=True)
class ConvLayerSpec(_Section):
    out_channels: int = 8
    kernel: int = 3
    stride: int = 1
    padding: int = 1  # kernel 3 with padding 1 keeps the size: "same" padding
    activation: str = "relu"
    pool: str = "max"  # after the activation, 2 × 2 with stride 2; "none" for no pooling

    def problems(self) -> Problems:
        p: Problems = []
        _check_range(p, "out_channels", self.out_channels, limits.CONV_CHANNELS, integer=True)
        _check_range(p, "kernel", self.kernel, limits.CONV_KERNEL, integer=True)
        _check_range(p, "stride", self.stride, limits.CONV_STRIDE, integer=True)
        _check_range(p, "padding", self.padding, limits.CONV_PADDING, integer=True)
        _check_choice(p, "activation", self.activation, tuple(ACTIVATION_MODULES))
        _check_choice(p, "pool", self.pool, POOLS)
        return p


def _default_layers() -> tuple[ConvLayerSpec, ...]:
    return (ConvLayerSpec(8), ConvLayerSpec(16))


@dataclass(frozen=True)
class ConvModelSpec(_Section):
    kind: str = "cnn"  # "mlp": the baseline, one hidden layer of mlp_hidden units on the pixels
    layers: tuple[ConvLayerSpec, ...] = field(default_factory=_default_layers)
    # The baseline's width (set it with mlp_baseline_hidden); it uses the first conv layer's
    # activation, so that the two differ in the kind of layer only.
    mlp_hidden: int = 32
    head: str = "flatten"  # one of HEADS: flatten the last maps, or pool each to one number first

    def problems(self) -> Problems:
        p: Problems = []
        _check_choice(p, "kind", self.kind, KINDS)
        if not isinstance(self.layers, tuple) or not limits.CONV_LAYERS.contains(len(self.layers)):
            p.append(("layers", f"layers must list {limits.CONV_LAYERS} conv layers, got {self.layers!r}"))
        else:
            for i, layer in enumerate(self.layers):
                if not isinstance(layer, ConvLayerSpec):
                    p.append((f"layers[{i}]", f"layers[{i}] must be a ConvLayerSpec, got {layer!r}"))
                    continue
                p += [(f"layers[{i}].{f}", f"layers[{i}].{m}") for f, m in layer.problems()]
        _check_range(p, "mlp_hidden", self.mlp_hidden, limits.CONV_MLP_HIDDEN, integer=True)
        _check_choice(p, "head", self.head, HEADS)
        return p


# -- the shape calculator -------------------------------------------------------------------------

@dataclass(frozen=True)
class LayerShape:
    name: str  # "conv1", "pool1", ..., "gpool" (a global head's pooling), "linear"
    output: tuple[int, ...]  # (C, H, W); the classifier's (n_classes,)
    params: int  # weights and biases
    problem: str | None = None  # set when the output would be smaller than 1 pixel


def conv_size(n: int, kernel: int, stride: int, padding: int) -> int:
    return (n + 2 * padding - kernel) // stride + 1


def pool_size(n: int) -> int:
    return (n - 2) // 2 + 1


def _conv_problem(i: int, n: int, layer: ConvLayerSpec) -> str | None:
    """What is wrong when conv layer i's output from an n-pixel side is under 1 pixel, else None."""
    k, s, p = layer.kernel, layer.stride, layer.padding
    out = conv_size(n, k, s, p)
    if out >= 1:
        return None
    return (f"conv{i}: ⌊({n} + 2·{p} − {k})/{s}⌋ + 1 = {out} pixels: a {k}×{k} kernel does not fit its "
            f"{n}×{n} input; use a smaller kernel, more padding or less pooling before it")


def _pool_problem(i: int, n: int) -> str | None:
    out = pool_size(n)
    if out >= 1:
        return None
    return (f"pool{i}: ⌊({n} − 2)/2⌋ + 1 = {out} pixels: 2×2 pooling needs at least 2×2 pixels, its input "
            f"is {n}×{n}; turn this pooling off or keep the maps larger")


def layer_shapes(spec: ConvModelSpec, in_shape: tuple[int, int, int], n_classes: int | None = None) -> list[LayerShape]:
    """Each conv and pooling layer's output (C, H, W) and parameter count, a global head's
    pooling ("gpool", (C, 1, 1)), and with `n_classes` the linear classifier's. A layer whose
    output would be smaller than 1 × 1 carries a message saying so and is the last row: nothing
    after it has a shape. (Images here are square, so the message names the side; the sizes are
    computed for height and width alike.)"""
    c, h, w = in_shape
    rows: list[LayerShape] = []
    for i, layer in enumerate(spec.layers, start=1):
        problem = _conv_problem(i, min(h, w), layer)
        params = layer.out_channels * (c * layer.kernel ** 2 + 1)
        c = layer.out_channels
        h, w = (conv_size(n, layer.kernel, layer.stride, layer.padding) for n in (h, w))
        rows.append(LayerShape(f"conv{i}", (c, h, w), params, problem))
        if problem:
            return rows
        if layer.pool != "none":
            problem = _pool_problem(i, min(h, w))
            h, w = pool_size(h), pool_size(w)
            rows.append(LayerShape(f"pool{i}", (c, h, w), 0, problem))
            if problem:
                return rows
    if spec.head != "flatten":
        h = w = 1
        rows.append(LayerShape("gpool", (c, h, w), 0))
    if n_classes is not None:
        rows.append(LayerShape("linear", (n_classes,), c * h * w * n_classes + n_classes))
    return rows


def shape_problems(spec: ConvModelSpec, in_shape: tuple[int, int, int]) -> list[str]:
    return [r.problem for r in layer_shapes(spec, in_shape) if r.problem]


def parameter_count(spec: ConvModelSpec, in_shape: tuple[int, int, int], n_classes: int) -> int:
    """The CNN's weights and biases (classifier included), or the MLP baseline's."""
    if spec.kind == "mlp":
        return mlp_parameter_count(spec.mlp_hidden, math.prod(in_shape), n_classes)
    return sum(r.params for r in layer_shapes(spec, in_shape, n_classes))


def mlp_parameter_count(hidden: int, in_features: int, n_classes: int) -> int:
    return hidden * (in_features + 1) + n_classes * (hidden + 1)


def mlp_baseline_hidden(cnn_params: int, in_features: int, n_classes: int) -> int:
    """The one-hidden-layer MLP width whose parameter count is closest to `cnn_params`.

    The MLP has h(in + 1 + k) + k parameters, linear in h, so the closest count is at
    h = (P − k) / (in + 1 + k) rounded to the nearest whole number (a tie, x.5, to the smaller),
    kept within limits.CONV_MLP_HIDDEN."""
    exact = (cnn_params - n_classes) / (in_features + 1 + n_classes)
    return int(min(max(math.ceil(exact - 0.5), limits.CONV_MLP_HIDDEN.lo), limits.CONV_MLP_HIDDEN.hi))


# -- the models -----------------------------------------------------------------------------------

def _conv(c_in: int, layer: ConvLayerSpec, generator: torch.Generator | None) -> nn.Conv2d:
    # skip_init + the draws of nn.Conv2d.reset_parameters, from `generator` (see ffn_block._linear).
    conv = nn.utils.skip_init(nn.Conv2d, c_in, layer.out_channels, layer.kernel, stride=layer.stride,
                              padding=layer.padding)
    with torch.no_grad():
        nn.init.kaiming_uniform_(conv.weight, a=math.sqrt(5), generator=generator)
        bound = 1 / math.sqrt(c_in * layer.kernel * layer.kernel)  # 1 / √fan_in
        nn.init.uniform_(conv.bias, -bound, bound, generator=generator)
    return conv


def _global_max(x: torch.Tensor) -> torch.Tensor:
    return x.amax(dim=(2, 3), keepdim=True)


def _global_avg(x: torch.Tensor) -> torch.Tensor:
    return x.mean(dim=(2, 3), keepdim=True)


_GLOBAL_POOLS = {"global_max": _global_max, "global_avg": _global_avg}


class CNN(nn.Module):
    """Conv blocks, then the head (flatten, or each map pooled to one number) and one Linear
    classifier; outputs are logits."""

    def __init__(self, spec: ConvModelSpec, in_shape: tuple[int, int, int], n_classes: int,
                 generator: torch.Generator | None = None):
        super().__init__()
        found = spec.problems() or [("layers", m) for m in shape_problems(spec, in_shape)]
        if found:
            raise ValueError("; ".join(m for _, m in found))
        self.names: list[str] = []  # what each entry of `feature_maps` is, as layer_shapes names it
        blocks, c = [], in_shape[0]
        for i, layer in enumerate(spec.layers, start=1):
            pool = _POOL_MODULES[layer.pool](2) if layer.pool != "none" else nn.Identity()
            blocks.append(nn.ModuleDict({"conv": _conv(c, layer, generator), "act": make_activation(layer.activation),
                                         "pool": pool}))
            self.names += [f"conv{i}"] + ([f"pool{i}"] if layer.pool != "none" else [])
            c = layer.out_channels
        self.blocks = nn.ModuleList(blocks)
        self.global_pool = _GLOBAL_POOLS.get(spec.head)  # None: flatten the last maps as they are
        if self.global_pool is not None:
            self.names.append("gpool")
        last = layer_shapes(spec, in_shape)[-1].output
        self.classifier = _linear(math.prod(last), n_classes, True, generator)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for b in self.blocks:
            x = b["pool"](b["act"](b["conv"](x)))
        if self.global_pool is not None:
            x = self.global_pool(x)
        return self.classifier(x.flatten(1))

    def feature_maps(self, x: torch.Tensor) -> list[torch.Tensor]:
        """Every layer's maps for the batch x, (B, C, H, W) each, in the order of `names`: each
        conv layer's output after its activation, then its pooling's output (when it pools), and
        a global head's (B, C, 1, 1), the numbers the classifier reads."""
        maps = []
        for b in self.blocks:
            x = b["act"](b["conv"](x))
            maps.append(x)
            if not isinstance(b["pool"], nn.Identity):
                x = b["pool"](x)
                maps.append(x)
        if self.global_pool is not None:
            maps.append(self.global_pool(x))
        return maps

    def kernels(self) -> list[torch.Tensor]:
        """Each conv layer's kernels, (out_channels, in_channels, k, k): the first layer's are
        small pictures; a deeper layer has one per (out, in) channel pair."""
        return [b["conv"].weight for b in self.blocks]


class ImageMLP(nn.Module):
    """The baseline: pixels flattened -> Linear(hidden) -> activation -> Linear(n_classes)."""

    def __init__(self, hidden: int, activation: str, in_shape: tuple[int, int, int], n_classes: int,
                 generator: torch.Generator | None = None):
        super().__init__()
        self.hidden = _linear(math.prod(in_shape), hidden, True, generator)
        self.act = make_activation(activation)
        self.out = _linear(hidden, n_classes, True, generator)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.out(self.act(self.hidden(x.flatten(1))))


def build_cnn(spec: ConvModelSpec, in_shape: tuple[int, int, int], n_classes: int,
              generator: torch.Generator | None = None) -> CNN | ImageMLP:
    """The model of `spec` (kind "cnn": a CNN; "mlp": the baseline) for images of `in_shape`
    (C, H, W), its weights drawn from `generator` in the order the layers come."""
    spec.validate()
    if spec.kind == "mlp":
        return ImageMLP(spec.mlp_hidden, spec.layers[0].activation, in_shape, n_classes, generator)
    return CNN(spec, in_shape, n_classes, generator)

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

import torch
from torch import nn

from ffnviz.nn.activations import make_activation
from ffnviz.nn.ffn_block import seeded_linear
from ffnviz.specs.conv import ConvLayerSpec, ConvModelSpec, layer_shapes, shape_problems

_POOL_MODULES = {"max": nn.MaxPool2d, "avg": nn.AvgPool2d}


# -- the models -----------------------------------------------------------------------------------

def _conv(c_in: int, layer: ConvLayerSpec, generator: torch.Generator | None) -> nn.Conv2d:
    # skip_init + the draws of nn.Conv2d.reset_parameters, from `generator` (see ffn_block.seeded_linear).
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
        self.classifier = seeded_linear(math.prod(last), n_classes, True, generator)

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
        self.hidden = seeded_linear(math.prod(in_shape), hidden, True, generator)
        self.act = make_activation(activation)
        self.out = seeded_linear(hidden, n_classes, True, generator)

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

"""The activation functions a layer can use, by the names specs carry."""

from __future__ import annotations

from torch import nn

ACTIVATION_MODULES = {
    "relu": nn.ReLU,
    "leaky_relu": nn.LeakyReLU,
    "elu": nn.ELU,
    "gelu": nn.GELU,
    "silu": nn.SiLU,
    "mish": nn.Mish,
    "softplus": nn.Softplus,
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
    "linear": nn.Identity,
}

# Output bounds of the saturating activations, for saturation probes and fixed histogram ranges.
BOUNDED = {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0)}


def make_activation(name: str) -> nn.Module:
    return ACTIVATION_MODULES[name]()

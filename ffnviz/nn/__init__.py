"""Layers and model builders: spec -> nn.Module."""

from ffnviz.nn.mlp import MLP, build_mlp

__all__ = ["MLP", "build_mlp"]

"""The deep network of the deep-networks page: `depth` equal hidden layers, each
h ← f(norm(W h + b)) (or h + f(norm(W h + b)) with residual connections, wherever the sizes match:
every hidden layer after the first), then a linear output layer.

Initialization is chosen for the activation: Xavier/Glorot, He/Kaiming and orthogonal scale by
torch.nn.init.calculate_gain of the activation (the ReLU family, which calculate_gain does not
know, take ReLU's √2), so that the activations keep their size from layer to layer.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from ffnviz.nn.activations import make_activation
from ffnviz.nn.dropout import SeededDropout
from ffnviz.specs.deep import DeepModelSpec

# calculate_gain's own names; the rest of the ReLU family is close enough to ReLU for a gain.
_TORCH_GAINS = ("linear", "sigmoid", "tanh", "relu", "leaky_relu")


def activation_gain(activation: str) -> float:
    """The factor that keeps a layer's output variance equal to its input's under `activation`."""
    if activation in _TORCH_GAINS:
        return nn.init.calculate_gain(activation)
    return nn.init.calculate_gain("relu")


class BatchNorm(nn.BatchNorm1d):
    """BatchNorm1d that survives a training batch of one example (an epoch's last batch can be):
    one example has no batch statistics, so it is normalized with the running ones, as in
    evaluation; torch would raise. Batches of two or more are torch's own."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.training and x.shape[0] == 1:
            return nn.functional.batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias,
                                            False, 0.0, self.eps)
        return super().forward(x)


def make_norm(kind: str, width: int) -> nn.Module:
    if kind == "batch":
        return BatchNorm(width)
    if kind == "layer":
        return nn.LayerNorm(width)
    if kind == "rms":
        return nn.RMSNorm(width)
    return nn.Identity()


class DeepMLP(nn.Module):
    def __init__(self, spec: DeepModelSpec, in_dim: int, out_dim: int, dropout_generator: torch.Generator):
        super().__init__()
        sizes = [in_dim] + [spec.width] * spec.depth + [out_dim]
        # skip_init: `initialize` draws every weight from the run's generator.
        self.linears = nn.ModuleList(nn.utils.skip_init(nn.Linear, a, b) for a, b in zip(sizes[:-1], sizes[1:], strict=True))
        self.norms = nn.ModuleList(make_norm(spec.norm, spec.width) for _ in range(spec.depth))
        self.activations = nn.ModuleList(make_activation(spec.activation) for _ in range(spec.depth))
        self.activation_names = (spec.activation,) * spec.depth
        self.residual = spec.residual
        self.dropout = SeededDropout(spec.dropout, dropout_generator)

    @property
    def hidden_linears(self) -> list[nn.Linear]:
        return list(self.linears[:-1])

    def _hidden(self, x: torch.Tensor, keep: list | None) -> torch.Tensor:
        """Through every hidden layer (dropout after each, as the playground's MLP); `keep`, when
        given, collects each layer's (pre-activation norm(Wh + b), output h)."""
        drop = self.dropout if self.training and self.dropout.p != 0.0 else None
        residual = self.residual
        for i, (linear, norm, act) in enumerate(zip(self.linears, self.norms, self.activations, strict=False)):
            z = norm(linear(x))
            h = act(z)
            if residual and i > 0:
                h = x + h
            if keep is not None:
                keep.append((z, h))
            x = h if drop is None else drop(h)
        return x

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.linears[-1](self._hidden(x, None))

    def forward_with_hidden(self, x: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor], list[torch.Tensor]]:
        """The output, and every hidden layer's pre-activations and outputs (what the next layer
        reads, the residual sum included), as ffnviz.train.probes reads them."""
        keep: list = []
        out = self.linears[-1](self._hidden(x, keep))
        return out, [z for z, _ in keep], [h for _, h in keep]


@torch.no_grad()
def initialize(model: DeepMLP, scheme: str, scale: float, activation: str, generator: torch.Generator) -> None:
    """Every linear layer's weights by `scheme`, biases 0 (nn.Linear's own uniform ones for
    "default"). The output layer is linear: its gain is 1."""
    for i, linear in enumerate(model.linears):
        w, b = linear.weight, linear.bias
        gain = activation_gain(activation if i < len(model.activations) else "linear")
        nn.init.zeros_(b)
        if scheme == "default":  # what nn.Linear.reset_parameters does
            nn.init.kaiming_uniform_(w, a=math.sqrt(5), generator=generator)
            bound = 1 / math.sqrt(w.shape[1])
            nn.init.uniform_(b, -bound, bound, generator=generator)
        elif scheme == "zeros":
            nn.init.zeros_(w)
        elif scheme == "constant":
            nn.init.constant_(w, scale)
        elif scheme == "normal":
            nn.init.normal_(w, 0.0, scale, generator=generator)
        elif scheme == "xavier":
            nn.init.xavier_normal_(w, gain=gain, generator=generator)
        elif scheme == "he":  # std = gain / sqrt(fan_in)
            nn.init.normal_(w, 0.0, gain / math.sqrt(w.shape[1]), generator=generator)
        elif scheme == "orthogonal":
            nn.init.orthogonal_(w, gain=gain, generator=generator)
        else:
            raise ValueError(f"unknown initialization {scheme!r}")


def build_deep(spec: DeepModelSpec, in_dim: int, out_dim: int, generator: torch.Generator,
               dropout_generator: torch.Generator | None = None) -> DeepMLP:
    """Build and initialize the network on the CPU; every draw comes from `generator`."""
    spec.validate()
    model = DeepMLP(spec, in_dim, out_dim, dropout_generator or generator)
    initialize(model, spec.init, spec.init_scale, spec.activation, generator)
    return model

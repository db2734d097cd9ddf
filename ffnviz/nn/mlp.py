"""The multilayer perceptron: y = f(Wx + b) per hidden layer, then a linear output layer."""

from __future__ import annotations

import math

import torch
from torch import nn

from ffnviz.nn.activations import make_activation
from ffnviz.nn.dropout import SeededDropout
from ffnviz.specs import ModelSpec


class MLP(nn.Module):
    def __init__(self, spec: ModelSpec, in_dim: int, out_dim: int, dropout_generator: torch.Generator):
        super().__init__()
        sizes = [in_dim, *spec.hidden, out_dim]
        # skip_init: the weights are drawn by `initialize` from the run's generator, never
        # from torch's global one.
        self.linears = nn.ModuleList(
            nn.utils.skip_init(nn.Linear, a, b) for a, b in zip(sizes[:-1], sizes[1:], strict=True)
        )
        self.activations = nn.ModuleList(make_activation(spec.activation_of(i)) for i in range(len(spec.hidden)))
        self.activation_names = tuple(spec.activation_of(i) for i in range(len(spec.hidden)))
        self.dropout = SeededDropout(spec.dropout, dropout_generator)

    @property
    def hidden_linears(self) -> list[nn.Linear]:
        return list(self.linears[:-1])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # Run thousands of times a second on tiny tensors, where nn.Module.__call__'s hook checks
        # show: the layers' own forward functions are called directly (the model has no hooks),
        # and dropout only when it is not the identity. 3-4 % of an update, the same numbers.
        drop = self.dropout if self.training and self.dropout.p != 0.0 else None
        for linear, act in zip(self.linears, self.activations, strict=False):
            x = act.forward(linear.forward(x))
            if drop is not None:
                x = drop(x)
        return self.linears[-1].forward(x)

    def forward_with_hidden(self, x: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor], list[torch.Tensor]]:
        """The output, and every hidden layer's pre-activations Wx + b and activations f(Wx + b)."""
        pre, post = [], []
        for linear, act in zip(self.linears, self.activations, strict=False):
            z = linear(x)
            x = act(z)
            pre.append(z)
            post.append(x)
            x = self.dropout(x)
        return self.linears[-1](x), pre, post


@torch.no_grad()
def initialize(model: MLP, scheme: str, generator: torch.Generator) -> None:
    for linear in model.linears:
        w, b = linear.weight, linear.bias
        fan_in = w.shape[1]
        if scheme == "default":  # what nn.Linear.reset_parameters does
            nn.init.kaiming_uniform_(w, a=math.sqrt(5), generator=generator)
            bound = 1 / math.sqrt(fan_in)
            nn.init.uniform_(b, -bound, bound, generator=generator)
        elif scheme == "xavier":
            nn.init.xavier_uniform_(w, generator=generator)
            nn.init.zeros_(b)
        elif scheme == "he":
            nn.init.kaiming_normal_(w, nonlinearity="relu", generator=generator)
            nn.init.zeros_(b)
        elif scheme == "playground":  # TensorFlow Playground: w ~ U(-0.5, 0.5), b = 0.1
            nn.init.uniform_(w, -0.5, 0.5, generator=generator)
            nn.init.constant_(b, 0.1)
        elif scheme == "zeros":
            nn.init.zeros_(w)
            nn.init.zeros_(b)
        else:
            raise ValueError(f"unknown initialization {scheme!r}")


def build_mlp(spec: ModelSpec, in_dim: int, out_dim: int, generator: torch.Generator,
              dropout_generator: torch.Generator | None = None) -> MLP:
    """Build and initialize an MLP on the CPU; every draw comes from `generator`."""
    spec.validate()
    model = MLP(spec, in_dim, out_dim, dropout_generator or generator)
    initialize(model, spec.init, generator)
    return model


def stackable(model: MLP) -> tuple:
    """Models with equal keys can share one `stacked_forward`: same layer sizes and activations,
    and no dropout (whose masks are drawn per model)."""
    sizes = tuple(tuple(lin.weight.shape) for lin in model.linears)
    return (sizes, model.activation_names, model.dropout.p == 0.0, model.linears[0].weight.device)


def stacked_forward(models: list[MLP], x: torch.Tensor) -> torch.Tensor:
    """K models of one `stackable` key on their K inputs at once: x of shape (K, B, in) gives
    (K, B, out). Each layer's K weight matrices are stacked into one batched matmul
    (torch.baddbmm), and the stack is made of the models' own parameters, so one backward pass
    fills each model's gradients with exactly its own (a loss summed over the models has
    derivative 1 for each). It saves the per-call overhead of K small forward and backward
    passes; the rounding may differ from `MLP.forward` in the last bits."""
    first = models[0]
    for layer in range(len(first.linears)):
        w = torch.stack([m.linears[layer].weight for m in models])  # (K, out, in)
        b = torch.stack([m.linears[layer].bias for m in models]).unsqueeze(1)  # (K, 1, out)
        x = torch.baddbmm(b, x, w.transpose(1, 2))
        if layer < len(first.activations):
            x = first.activations[layer](x)  # elementwise and stateless: one module serves all K
    return x

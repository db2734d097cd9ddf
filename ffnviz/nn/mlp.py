"""The multilayer perceptron: y = f(Wx + b) per hidden layer, then a linear output layer."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

import torch
import torch.nn.functional as F
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
        drop = self.dropout if self.training and self.dropout.p != 0.0 else None
        return _forward(x, self.linears, [act.forward for act in self.activations], drop)

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


def _forward(x: torch.Tensor, layers, activations, drop) -> torch.Tensor:
    """The MLP's forward pass over `layers` (objects with .weight and .bias; the last one the
    output layer) and `activations` (functions), with dropout `drop` (None: none) after each
    hidden layer. F.linear on the parameters, not the modules' __call__: the same arithmetic,
    without nn.Module's hook checks and attribute look-ups, which show on tiny tensors."""
    for layer, act in zip(layers, activations, strict=False):
        x = act(F.linear(x, layer.weight, layer.bias))
        if drop is not None:
            x = drop(x)
    out = layers[-1]
    return F.linear(x, out.weight, out.bias)


class _Layer(NamedTuple):
    weight: torch.Tensor
    bias: torch.Tensor


def training_forward(model: MLP) -> Callable[[torch.Tensor], torch.Tensor]:
    """`model.forward` in training mode as a function of the input alone, its parameters and
    activations looked up once: the same operations on the same tensors, without the dozen
    nn.Module attribute look-ups a call makes (a tenth of an update on Playground's network).
    It holds the parameter objects, so it stays right as long as they do (loading a state dict
    or an optimizer step changes their values, not the objects)."""
    layers = [_Layer(lin.weight, lin.bias) for lin in model.linears]
    activations = [act.forward for act in model.activations]
    drop = model.dropout if model.dropout.p != 0.0 else None

    def forward(x: torch.Tensor) -> torch.Tensor:
        return _forward(x, layers, activations, drop)

    return forward


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
    """Models with equal keys can share one `StackedMLPs`: same layer sizes and activations,
    and no dropout (whose masks are drawn per model)."""
    sizes = tuple(tuple(lin.weight.shape) for lin in model.linears)
    return (sizes, model.activation_names, model.dropout.p == 0.0, model.linears[0].weight.device)


class StackedMLPs:
    """K models of one `stackable` key, computed together: each layer's K weight matrices
    stacked into one batched matmul (torch.baddbmm), so one forward and one backward pass serve
    all K models, each with its own weights and its own gradients. It saves the per-call overhead
    of K small forward and backward passes; the rounding may differ from `MLP.forward` in the last
    bits.

    The stack owns the storage: per layer, one (K, out, in) tensor of weights and one (K, 1, out)
    of biases, and each model's parameters are views of its slice (`attach`), so that what an
    optimizer writes into a model's parameter is what the next batched forward reads, with no
    copy per update. These stacked tensors are the leaves autograd differentiates
    (`forward(x)`); their gradients are copied into stacked gradient tensors of which each
    parameter's .grad is a view (`set_grads`), so no gradient is handed out per parameter
    either. The graph holds the batched layers only: a few nodes, not several per model."""

    def __init__(self, models: list[MLP]):
        linears = [m.linears for m in models]
        self._params: list[list[torch.Tensor]] = []  # per leaf (weights, biases of each layer): the models' tensors
        for i in range(len(linears[0])):
            self._params.append([lin[i].weight for lin in linears])
            self._params.append([lin[i].bias for lin in linears])
        self._activations = [act.forward for act in models[0].activations]  # elementwise, stateless: one serves all
        self._leaves: list[torch.Tensor] = []
        self._grads: list[torch.Tensor] = []
        self._views: list[tuple[torch.Tensor, torch.Tensor, torch.Tensor]] = []  # (parameter, its data, its grad)

    @torch.no_grad()
    def attach(self) -> None:
        """Make every parameter a view of its slice of the stack, with its current values, and
        its .grad a view of its slice of the stacked gradients (once; again only when something
        has pointed a parameter or its gradient elsewhere since, as a model stepping alone does
        when it clears its gradients, or another stack of some of the same models)."""
        if self._views and all(p.grad is g and p.data_ptr() == d.data_ptr() for p, d, g in self._views):
            return
        self._leaves, self._grads, self._views = [], [], []
        for j, params in enumerate(self._params):
            leaf = torch.stack(params)
            if j % 2:
                leaf = leaf.unsqueeze(1)  # biases: (K, 1, out), added to each row of (K, B, out)
            grad = torch.zeros_like(leaf)
            for k, p in enumerate(params):
                data, g = leaf[k].view(p.shape), grad[k].view(p.shape)
                p.data = data
                p.grad = g
                self._views.append((p, data, g))
            self._leaves.append(leaf.requires_grad_())
            self._grads.append(grad)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x of shape (K, B, in) to the K models' outputs, (K, B, out)."""
        leaves = self._leaves
        for i, act in enumerate(self._activations):
            x = act(torch.baddbmm(leaves[2 * i + 1], x, leaves[2 * i].transpose(1, 2)))
        return torch.baddbmm(leaves[-1], x, leaves[-2].transpose(1, 2))

    @property
    def leaves(self) -> list[torch.Tensor]:
        return self._leaves

    @torch.no_grad()
    def set_grads(self, grads: list[torch.Tensor], extra: list[tuple[torch.Tensor, torch.Tensor]] = ()) -> None:
        """Each model's gradients from the leaves' `grads` (as torch.autograd.grad returns them),
        plus, for (parameter, gradient) in `extra`, what the same backward pass gave the parameter
        itself (an L1/L2 penalty on the model's own weights), added as autograd would have summed
        the two."""
        for mine, grad in zip(self._grads, grads, strict=True):
            mine.copy_(grad)
        for p, grad in extra:
            p.grad.add_(grad)

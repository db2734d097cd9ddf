"""The Transformer feedforward block and its gated variants (Shazeer 2020, "GLU Variants
Improve Transformer").

Plain:  FFN(x) = W2 f(W1 x + b1) + b2                  with f = ReLU or GELU
Gated:  FFN(x) = W2 (f(W1 x + b1) ⊙ (W3 x + b3)) + b2   with f = sigmoid (GLU), ReLU (ReGLU),
                                                        GELU (GeGLU), SiLU/Swish (SwiGLU)

A block is pre-norm when both switches are on: y = x + FFN(LN(x)). The self-attention page
reuses it, so nothing here knows about Streamlit or specs.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from ffnviz import limits
from ffnviz.specs.sequences import GATED, ffn_parameter_count, is_gated

# The nonlinearity f of each variant: for a gated one, the function applied to the gate W1 x.
_ACTIVATION = {
    "relu": nn.ReLU,
    "gelu": nn.GELU,
    "glu": nn.Sigmoid,
    "reglu": nn.ReLU,
    "geglu": nn.GELU,
    "swiglu": nn.SiLU,
}

FORMULAS: dict[str, str] = {
    "relu": r"\mathrm{FFN}(x) = W_2\,\max(0,\ W_1 x + b_1) + b_2",
    "gelu": r"\mathrm{FFN}(x) = W_2\,\mathrm{GELU}(W_1 x + b_1) + b_2",
    "glu": r"\mathrm{FFN}(x) = W_2\,\big(\sigma(W_1 x + b_1) \odot (W_3 x + b_3)\big) + b_2",
    "reglu": r"\mathrm{FFN}(x) = W_2\,\big(\max(0,\ W_1 x + b_1) \odot (W_3 x + b_3)\big) + b_2",
    "geglu": r"\mathrm{FFN}(x) = W_2\,\big(\mathrm{GELU}(W_1 x + b_1) \odot (W_3 x + b_3)\big) + b_2",
    "swiglu": r"\mathrm{FFN}(x) = W_2\,\big(\mathrm{Swish}(W_1 x + b_1) \odot (W_3 x + b_3)\big) + b_2,"
    r"\quad \mathrm{Swish}(u) = u\,\sigma(u)",
}


def near_zero_fraction(values: torch.Tensor, tol: float = limits.GATE_NEAR_ZERO) -> float:
    """The fraction of `values` with |value| < tol: a gate's (or activation's) sparsity."""
    if values.numel() == 0:
        return float("nan")
    return float((values.abs() < tol).float().mean())


def seeded_linear(n_in: int, n_out: int, bias: bool, generator: torch.Generator | None) -> nn.Linear:
    # skip_init + the same draws as nn.Linear.reset_parameters, but from `generator`: the same
    # generator state gives the same weights, and torch's global generator is left alone.
    linear = nn.utils.skip_init(nn.Linear, n_in, n_out, bias=bias)
    with torch.no_grad():
        nn.init.kaiming_uniform_(linear.weight, a=math.sqrt(5), generator=generator)
        if bias:
            bound = 1 / math.sqrt(n_in)
            nn.init.uniform_(linear.bias, -bound, bound, generator=generator)
    return linear


class FFNBlock(nn.Module):
    """One feedforward block of width d and hidden size h (for a gated variant, h is the size
    of its gated layer as given: pass `matched_hidden(d, h, variant)` to compare at equal
    parameter count). Weights are drawn in the order W1, W3 (gated only), W2 from `generator`;
    LayerNorm starts at its fixed γ = 1, β = 0, and has β only when the block has biases
    (bias=False is a block without any, as in LLaMA-style models)."""

    def __init__(self, d: int, h: int, variant: str, *, residual: bool = True, layer_norm: bool = True,
                 bias: bool = True, generator: torch.Generator | None = None):
        super().__init__()
        is_gated(variant)  # raises on an unknown variant
        if not limits.FFN_WIDTH.contains(d):
            raise ValueError(f"d must be in {limits.FFN_WIDTH}; got {d}")
        if not limits.FFN_HIDDEN.contains(h):
            raise ValueError(f"h must be in {limits.FFN_HIDDEN}; got {h}")
        self.d, self.h, self.variant = d, h, variant
        self.residual, self.layer_norm, self.gated = residual, layer_norm, variant in GATED
        # Identity when off, so forward has one path and the state dict says what is there.
        self.norm = nn.LayerNorm(d, bias=bias) if layer_norm else nn.Identity()
        self.w1 = seeded_linear(d, h, bias, generator)
        self.w3 = seeded_linear(d, h, bias, generator) if self.gated else None
        self.w2 = seeded_linear(h, d, bias, generator)
        self.activation = _ACTIVATION[variant]()

    def _hidden(self, z: torch.Tensor) -> torch.Tensor:
        """What W2 reads: f(W1 z) for a plain block, f(W1 z) ⊙ W3 z for a gated one."""
        a = self.activation(self.w1(z))
        return a * self.w3(z) if self.w3 is not None else a

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.w2(self._hidden(self.norm(x)))
        return x + out if self.residual else out

    @torch.no_grad()
    def gates(self, x: torch.Tensor) -> torch.Tensor:
        """f(W1 LN(x)), shape (..., h), without autograd (it is for pictures): for a gated
        variant, the gate that multiplies W3 LN(x); for a plain one, the hidden activations.
        (LN is the identity when layer_norm is off.)"""
        return self.activation(self.w1(self.norm(x)))

    def parameter_count(self) -> int:
        """The feedforward part's parameters, as `ffn_parameter_count` counts them."""
        return ffn_parameter_count(self.d, self.h, self.variant, bias=self.w1.bias is not None)

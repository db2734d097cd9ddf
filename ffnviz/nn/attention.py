"""Self-attention written out, and a tiny pre-norm Transformer encoder built from it.

    Q, K, V = x W_q^T + b_q, x W_k^T + b_k, x W_v^T + b_v      split into H heads of dk = d / H
    weights = softmax(Q K^T / √dk + mask)                       one (T, T) map per head
    out     = concat_heads(weights V) W_o^T + b_o

`SelfAttention(impl="own")` computes exactly this; `impl="torch"` hands the same weights to
torch's nn.MultiheadAttention, so a test can check one against the other. `steps` returns every
intermediate for pictures. Every weight comes from the generator passed in, in a fixed order, and
torch's global generator is never touched, so one seed always gives one model.
"""

from __future__ import annotations

import math
from contextlib import contextmanager

import torch
from torch import nn

from ffnviz import limits
from ffnviz.nn.dropout import SeededDropout
from ffnviz.nn.ffn_block import FFNBlock, seeded_linear
from ffnviz.specs.sequences import IMPLEMENTATIONS, POSITIONAL


def causal_mask(length: int, device=None) -> torch.Tensor:
    """Additive (T, T) mask: 0 where key j <= query i, -inf where j > i (the future). Added to the
    scores, -inf becomes exactly 0 after softmax; the diagonal keeps every row non-empty."""
    future = torch.ones(length, length, dtype=torch.bool, device=device).triu(diagonal=1)
    return torch.zeros(length, length, device=device).masked_fill(future, float("-inf"))


def sinusoidal_encoding(length: int, d: int) -> torch.Tensor:
    """(T, d) fixed positions of Vaswani et al.: PE[t, 2i] = sin(t / 10000^(2i/d)), PE[t, 2i+1] =
    cos(t / 10000^(2i/d)). Each pair of columns is one frequency; for odd d the last sine has no
    cosine partner."""
    t = torch.arange(length, dtype=torch.float64)[:, None]
    angle = t / 10000 ** (torch.arange(0, d, 2, dtype=torch.float64) / d)  # (T, ceil(d/2))
    pe = torch.zeros(length, d, dtype=torch.float64)
    pe[:, 0::2] = torch.sin(angle)
    pe[:, 1::2] = torch.cos(angle[:, : d // 2])
    return pe.float()


def attention_entropy(weights: torch.Tensor) -> torch.Tensor:
    """Entropy in nats of each query's row of attention (..., T_q, T_k) -> (..., T_q): log T_k for
    a row spread evenly, 0 for a row looking at one key. xlogy makes 0 · log 0 = 0."""
    return -torch.special.xlogy(weights, weights).sum(-1)


def _check_choice(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}; got {value!r}")


def _check_range(name: str, value: float, rng: limits.Range) -> None:
    if not rng.contains(value):
        raise ValueError(f"{name} must be in {rng}; got {value}")


class SelfAttention(nn.Module):
    """Multi-head self-attention of width d with `heads` heads; see the module docstring."""

    def __init__(self, d: int, heads: int, *, causal: bool = False, impl: str = "own",
                 generator: torch.Generator | None = None):
        super().__init__()
        if heads < 1 or d % heads:
            raise ValueError(f"d must be a multiple of heads; got d={d}, heads={heads}")
        _check_choice("impl", impl, IMPLEMENTATIONS)
        self.d, self.heads, self.causal, self.impl = d, heads, causal, impl
        q, k, v, o = (seeded_linear(d, d, True, generator) for _ in range(4))  # drawn in this order
        if impl == "own":
            self.q, self.k, self.v, self.o = q, k, v, o
            return
        # MultiheadAttention initialises itself from the global generator; fork_rng puts that
        # generator back afterwards, and our own draws overwrite what it drew.
        with torch.random.fork_rng(devices=[]):
            self.mha = nn.MultiheadAttention(d, heads, bias=True, batch_first=True, dropout=0.0)
        with torch.no_grad():
            self.mha.in_proj_weight.copy_(torch.cat([q.weight, k.weight, v.weight]))
            self.mha.in_proj_bias.copy_(torch.cat([q.bias, k.bias, v.bias]))
            self.mha.out_proj.weight.copy_(o.weight)
            self.mha.out_proj.bias.copy_(o.bias)

    def projections(self) -> list[tuple[torch.Tensor, torch.Tensor]]:
        """[(W_q, b_q), (W_k, b_k), (W_v, b_v), (W_o, b_o)], read from whichever module holds them."""
        if self.impl == "own":
            return [(m.weight, m.bias) for m in (self.q, self.k, self.v, self.o)]
        w, b = self.mha.in_proj_weight.chunk(3), self.mha.in_proj_bias.chunk(3)
        return [*zip(w, b, strict=True), (self.mha.out_proj.weight, self.mha.out_proj.bias)]

    def mask(self, length: int, like: torch.Tensor) -> torch.Tensor:
        """The additive (T, T) mask in x's dtype: causal, or all zeros."""
        if self.causal:
            return causal_mask(length, like.device).to(like.dtype)
        return like.new_zeros(length, length)

    def _split(self, t: torch.Tensor) -> torch.Tensor:
        b, length, _ = t.shape  # (B, T, d) -> (B, H, T, dk): head h owns columns h·dk .. (h+1)·dk
        return t.view(b, length, self.heads, self.d // self.heads).transpose(1, 2)

    def _compute(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """The whole computation, written out, keeping every intermediate."""
        (wq, bq), (wk, bk), (wv, bv), (wo, bo) = self.projections()
        lin = nn.functional.linear
        q, k, v = self._split(lin(x, wq, bq)), self._split(lin(x, wk, bk)), self._split(lin(x, wv, bv))
        scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])  # (B, H, T, T): query i · key j
        mask = self.mask(x.shape[1], x)
        weights = torch.softmax(scores + mask, dim=-1)  # each query's row sums to 1
        heads_out = weights @ v  # (B, H, T, dk): a weighted average of values
        concat = heads_out.transpose(1, 2).reshape(x.shape)  # heads side by side again, (B, T, d)
        return dict(q=q, k=k, v=v, scores=scores, mask=mask, weights=weights,
                    heads_out=heads_out, out=lin(concat, wo, bo))

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """x (B, T, d) -> (out (B, T, d), per-head weights (B, H, T, T))."""
        if self.impl == "own":
            s = self._compute(x)
            return s["out"], s["weights"]
        # A float mask is added to the scores; a boolean one would mean True = "may NOT attend".
        mask = self.mask(x.shape[1], x) if self.causal else None
        return self.mha(x, x, x, need_weights=True, average_attn_weights=False, attn_mask=mask)

    @torch.no_grad()
    def steps(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """Every intermediate (q, k, v, scores before the mask, mask, weights, heads_out, out),
        for either impl: for "torch" they are recomputed from its weights."""
        return self._compute(x)


class EncoderLayer(nn.Module):
    """Pre-norm encoder layer: x + drop(attn(LN1(x))), then + drop(FFN(LN2(x))), where LN2 is
    the FFNBlock's own LayerNorm. Weights are drawn attention first (q, k, v, o), then the FFN."""

    def __init__(self, d: int, heads: int, h: int, *, variant: str = "relu", dropout: float = 0.0,
                 causal: bool = False, impl: str = "own", generator: torch.Generator | None = None,
                 dropout_generator: torch.Generator | None = None):
        super().__init__()
        self.norm1 = nn.LayerNorm(d)
        self.attn = SelfAttention(d, heads, causal=causal, impl=impl, generator=generator)
        self.ffn = FFNBlock(d, h, variant, residual=False, layer_norm=True, generator=generator)
        self.drop = SeededDropout(dropout, dropout_generator)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        a, weights = self.attn(self.norm1(x))
        x = x + self.drop(a)
        return x + self.drop(self.ffn(x)), weights


@contextmanager
def _evaluating(model: nn.Module):
    """eval() inside, then every submodule's own training flag back as it was."""
    flags = [(m, m.training) for m in model.modules()]
    model.eval()
    try:
        yield
    finally:
        for m, flag in flags:
            m.training = flag


class TinyTransformer(nn.Module):
    """tokens (B, T) -> embedding + position -> drop -> `layers` EncoderLayers -> LayerNorm ->
    a linear head at every position -> logits (B, T, n_outputs). With positional "none" nothing
    tells positions apart, so (bidirectional) the model can only treat the sequence as a set.

    Weights are drawn from `generator` in the order token embedding (N(0, 1), as nn.Embedding),
    learned positions, the layers, the head; dropout masks come from `dropout_generator`."""

    def __init__(self, vocab: int, n_outputs: int, length: int, *, d: int = 32, heads: int = 2, layers: int = 2,
                 h: int | None = None, variant: str = "relu", positional: str = "learned", dropout: float = 0.0,
                 causal: bool = False, impl: str = "own", generator: torch.Generator | None = None,
                 dropout_generator: torch.Generator | None = None):
        super().__init__()
        _check_choice("positional", positional, POSITIONAL)
        _check_choice("impl", impl, IMPLEMENTATIONS)
        _check_range("layers", layers, limits.ATTN_LAYERS)
        _check_range("heads", heads, limits.ATTN_HEADS)
        _check_range("d", d, limits.ATTN_D_MODEL)
        _check_range("dropout", dropout, limits.ATTN_DROPOUT)
        if d % heads:
            raise ValueError(f"d must be a multiple of heads; got d={d}, heads={heads}")
        for name, value in (("vocab", vocab), ("n_outputs", n_outputs), ("length", length)):
            if value < 1:
                raise ValueError(f"{name} must be at least 1; got {value}")
        self.length, self.positional = length, positional
        self.embed = nn.utils.skip_init(nn.Embedding, vocab, d)
        nn.init.normal_(self.embed.weight, generator=generator)
        if positional == "learned":
            # N(0, 1) like the tokens: on "reverse" it trained fastest (std 0.3 about as fast, 0.1
            # ~3x slower), large random positions being nearly orthogonal from the first update.
            self.pos = nn.utils.skip_init(nn.Embedding, length, d)
            nn.init.normal_(self.pos.weight, generator=generator)
        elif positional == "sinusoidal":
            self.register_buffer("pos_table", sinusoidal_encoding(length, d), persistent=False)
        self.drop = SeededDropout(dropout, dropout_generator)
        self.layers = nn.ModuleList(
            EncoderLayer(d, heads, 4 * d if h is None else h, variant=variant, dropout=dropout, causal=causal,
                         impl=impl, generator=generator, dropout_generator=dropout_generator)
            for _ in range(layers))
        self.norm = nn.LayerNorm(d)
        self.head = seeded_linear(d, n_outputs, True, generator)

    def _positions(self, length: int) -> torch.Tensor | float:
        if length > self.length:
            raise ValueError(f"sequences must be at most {self.length} tokens; got {length}")
        if self.positional == "learned":
            return self.pos.weight[:length]
        return self.pos_table[:length] if self.positional == "sinusoidal" else 0.0

    def _encode(self, x: torch.Tensor, upto: int | None = None) -> tuple[torch.Tensor, list[torch.Tensor]]:
        """The residual stream after the first `upto` layers (all when None), and their weights."""
        stream = self.drop(self.embed(x) + self._positions(x.shape[1]))
        maps = []
        for layer in self.layers[:upto]:
            stream, weights = layer(stream)
            maps.append(weights)
        return stream, maps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.norm(self._encode(x)[0]))

    @torch.no_grad()
    def attention_maps(self, x: torch.Tensor) -> torch.Tensor:
        """(L, B, H, T, T): every layer's per-head weights, in eval mode (no dropout)."""
        with _evaluating(self):
            return torch.stack(self._encode(x)[1])

    @torch.no_grad()
    def steps(self, x: torch.Tensor, layer: int) -> dict[str, torch.Tensor]:
        """SelfAttention.steps of layer `layer` on what it actually sees, LN1 of its input, which
        is returned too as "input" (B, T, d). Eval mode."""
        if not 0 <= layer < len(self.layers):
            raise ValueError(f"layer must be in 0..{len(self.layers) - 1}; got {layer}")
        with _evaluating(self):
            seen = self.layers[layer].norm1(self._encode(x, upto=layer)[0])
            return {"input": seen, **self.layers[layer].attn.steps(seen)}

"""Recurrent sequence models (plain tanh RNN, GRU, LSTM) and their gates, recomputed.

torch's fused recurrent layers return only hidden states (and the LSTM's last cell state), so
`gru_gates` and `lstm_gates` recompute every gate from the layer's own weights with torch's
equations (the nn.GRU / nn.LSTM docs); a test checks that the recomputed hidden states are
torch's. `input_gradient_norms` shows how much each time step's input moves the loss: for a
plain RNN it fades with the distance from the output (vanishing gradients).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ffnviz import limits
from ffnviz.specs.sequences import CELLS, GRU_UPDATE_BIAS, LSTM_FORGET_BIAS

_LAYERS = {"rnn": nn.RNN, "gru": nn.GRU, "lstm": nn.LSTM}

# Each cell's equations as torch.nn.RNN / GRU / LSTM compute them (and gru_gates / lstm_gates
# recompute them), for the page, one equation per line. torch's GRU keeps the old state where its
# update gate z is near 1 — some books write the opposite, h_t = z_t n_t + (1 − z_t) h_{t−1}.
CELL_FORMULAS: dict[str, tuple[str, ...]] = {
    "rnn": (r"h_t = \tanh(W_{ih} x_t + b_{ih} + W_{hh} h_{t-1} + b_{hh})",),
    "gru": (
        r"r_t = \sigma(W_{ir} x_t + b_{ir} + W_{hr} h_{t-1} + b_{hr})",
        r"z_t = \sigma(W_{iz} x_t + b_{iz} + W_{hz} h_{t-1} + b_{hz})",
        r"n_t = \tanh\big(W_{in} x_t + b_{in} + r_t \odot (W_{hn} h_{t-1} + b_{hn})\big)",
        r"h_t = (1 - z_t) \odot n_t + z_t \odot h_{t-1}",
    ),
    "lstm": (
        r"i_t = \sigma(W_{ii} x_t + b_{ii} + W_{hi} h_{t-1} + b_{hi})",
        r"f_t = \sigma(W_{if} x_t + b_{if} + W_{hf} h_{t-1} + b_{hf})",
        r"g_t = \tanh(W_{ig} x_t + b_{ig} + W_{hg} h_{t-1} + b_{hg})",
        r"o_t = \sigma(W_{io} x_t + b_{io} + W_{ho} h_{t-1} + b_{ho})",
        r"c_t = f_t \odot c_{t-1} + i_t \odot g_t",
        r"h_t = o_t \odot \tanh(c_t)",
    ),
}


def _init_linear(linear: nn.Linear, generator: torch.Generator | None) -> None:
    """nn.Linear.reset_parameters' draws, from `generator`."""
    nn.init.kaiming_uniform_(linear.weight, a=math.sqrt(5), generator=generator)
    bound = 1 / math.sqrt(linear.weight.shape[1])
    nn.init.uniform_(linear.bias, -bound, bound, generator=generator)


def _check_range(name: str, value: int, rng: limits.Range) -> None:
    if not rng.contains(value):
        raise ValueError(f"{name} must be in {rng}; got {value}")


# The LSTM's forget-gate bias at the start (b_if + b_hf; torch draws both around 0, so its forget
# gate starts near σ(0) = 0.5 and the cell halves its memory every step). With σ(2) ≈ 0.88 the
# cell keeps its content by default and learns what to drop, the remedy of Gers et al. (2000) and
# Jozefowicz et al. (2015) (who use +1; "chrono" initialisation, Tallec & Ollivier 2018, sets it
# to log of the dependency length). On "remember the first token" at T = 20 with the gated page's
# settings, median of 5 seeds: 0.14 with torch's draw, 0.88 with +1, 1.00 with +2
# (benchmarks/bench_gated.py, docs/PERFORMANCE.md).
# The default is the spec's (specs/sequences.py: SeqModelSpec.forget_bias, the gated page's widget).


@torch.no_grad()
def _set_second_gate_bias(layer: nn.LSTM | nn.GRU, value: float) -> None:
    """The bias of torch's second gate chunk (an LSTM's f of i, f, g, o; a GRU's z of r, z, n):
    b_i = value, b_h = 0 for every unit."""
    hidden = layer.hidden_size
    for name, share in (("bias_ih_l0", value), ("bias_hh_l0", 0.0)):
        bias = getattr(layer, name, None)
        if bias is not None:
            bias[hidden: 2 * hidden] = share


def set_forget_bias(layer: nn.LSTM, value: float) -> None:
    """b_if + b_hf = value for every unit."""
    _set_second_gate_bias(layer, value)


# The GRU's update-gate bias at the start (b_iz + b_hz). In torch's GRU h' = (1 − z) ⊙ n + z ⊙ h, so
# z near 1 keeps the old state; torch draws both biases around 0, z starts near σ(0) = 0.5 and what
# the first token left in h is halved every step: 0.5⁵⁰ ≈ 10⁻¹⁵ at T = 50. With b = 4, σ(4)⁵⁰ ≈ 0.40
# of it survives, and on "remember the first token" at T = 50 (hidden 32, Adam 0.01, batch 128) the
# GRU reaches 1.00 (the T = 50 lesson, docs/PERFORMANCE.md). Default: the spec's
# (SeqModelSpec.update_bias, the gated page's widget); 0 keeps torch's draw.


def set_update_bias(layer: nn.GRU, value: float) -> None:
    """b_iz + b_hz = value for every unit."""
    _set_second_gate_bias(layer, value)


class SeqClassifier(nn.Module):
    """Input -> one recurrent layer -> linear head.

    The input is either tokens (`vocab` given: x of shape (batch, T), integers, through an
    nn.Embedding) or float vectors (`input_size` given: x of shape (batch, T, input_size),
    through an nn.Linear input projection). Both give e of shape (batch, T, embed_dim); embed_dim
    defaults to `hidden`. The head reads the last hidden state, (batch, n_outputs), or with
    `per_position` every step's, (batch, T, n_outputs).

    Weights are drawn from `generator` (torch's global generator when None) in the order
    input, recurrent layer, head, with torch's own distributions: Embedding N(0, 1), Linear as
    nn.Linear.reset_parameters, the recurrent layer U(-1/√hidden, 1/√hidden) for every weight and
    bias — except an LSTM's forget-gate bias, set to `forget_bias` after the draws (0: torch's
    draw is kept, as links before version 4 trained), and a GRU's update-gate bias, set to
    `update_bias` likewise (0: torch's draw, as links before version 5 trained)."""

    def __init__(self, cell: str, *, vocab: int | None, input_size: int | None, hidden: int, n_outputs: int,
                 per_position: bool, generator: torch.Generator | None = None, embed_dim: int | None = None,
                 forget_bias: float = LSTM_FORGET_BIAS, update_bias: float = GRU_UPDATE_BIAS):
        super().__init__()
        if cell not in CELLS:
            raise ValueError(f"cell must be one of {', '.join(CELLS)}; got {cell!r}")
        if (vocab is None) == (input_size is None):
            raise ValueError("give exactly one of vocab (token inputs) and input_size (float inputs)")
        _check_range("hidden", hidden, limits.RNN_HIDDEN)
        embed_dim = hidden if embed_dim is None else embed_dim
        _check_range("embed_dim", embed_dim, limits.RNN_HIDDEN)
        if n_outputs < 1:
            raise ValueError(f"n_outputs must be at least 1; got {n_outputs}")
        self.cell, self.per_position, self.tokens = cell, per_position, vocab is not None
        self.forget_bias, self.update_bias = forget_bias, update_bias
        # skip_init everywhere: the draws below come from `generator` alone, so one seed gives
        # one model and torch's global generator is never touched by a model built with one.
        if vocab is not None:
            self.embed = nn.utils.skip_init(nn.Embedding, vocab, embed_dim)
        else:
            self.embed = nn.utils.skip_init(nn.Linear, input_size, embed_dim)
        # skip_init cannot see the device argument through nn.RNN's *args signature; this is
        # what it does inside: build on the meta device, then allocate uninitialised memory.
        self.recurrent = _LAYERS[cell](embed_dim, hidden, num_layers=1, batch_first=True, device="meta").to_empty(device="cpu")
        self.head = nn.utils.skip_init(nn.Linear, hidden, n_outputs)
        self._initialize(generator)

    @torch.no_grad()
    def _initialize(self, generator: torch.Generator | None) -> None:
        if isinstance(self.embed, nn.Embedding):
            nn.init.normal_(self.embed.weight, generator=generator)
        else:
            _init_linear(self.embed, generator)
        stdv = 1 / math.sqrt(self.recurrent.hidden_size)  # nn.RNNBase.reset_parameters
        for p in self.recurrent.parameters():
            nn.init.uniform_(p, -stdv, stdv, generator=generator)
        if self.cell == "lstm" and self.forget_bias:
            set_forget_bias(self.recurrent, self.forget_bias)
        if self.cell == "gru" and self.update_bias:
            set_update_bias(self.recurrent, self.update_bias)
        _init_linear(self.head, generator)

    def embed_inputs(self, x: torch.Tensor) -> torch.Tensor:
        """e = the recurrent layer's input, (batch, T, embed_dim)."""
        return self.embed(x)

    def forward_embedded(self, e: torch.Tensor) -> torch.Tensor:
        """The model from e (the output of `embed_inputs`) on."""
        out, _ = self.recurrent(e)  # (batch, T, hidden): every step's hidden state
        return self.head(out if self.per_position else out[:, -1])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_embedded(self.embed_inputs(x))

    @torch.no_grad()
    def gates(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """Every step's gates for inputs x (see `gru_gates`, `lstm_gates`); a plain RNN has no
        gates and gives {"hidden": h_t}."""
        e = self.embed_inputs(x)
        if self.cell == "gru":
            return gru_gates(self.recurrent, e)
        if self.cell == "lstm":
            return lstm_gates(self.recurrent, e)
        return {"hidden": self.recurrent(e)[0]}


def _check_layer(layer: nn.Module) -> None:
    if layer.num_layers != 1 or layer.bidirectional or not layer.batch_first or getattr(layer, "proj_size", 0):
        raise ValueError("gates are recomputed for one-layer, one-direction, batch_first layers without projections")


def _initial(state: torch.Tensor | None, x: torch.Tensor, hidden: int) -> torch.Tensor:
    """torch takes an initial state as (1, batch, hidden); (batch, hidden) is accepted too."""
    if state is None:
        return x.new_zeros(x.shape[0], hidden)
    return state.reshape(x.shape[0], hidden)


def _input_part(layer: nn.Module, x: torch.Tensor) -> torch.Tensor:
    # W_ih x_t + b_ih for all steps at once: it does not depend on the previous state.
    return F.linear(x, layer.weight_ih_l0, layer.bias_ih_l0 if layer.bias else None)


def _hidden_part(layer: nn.Module, h: torch.Tensor) -> torch.Tensor:
    return F.linear(h, layer.weight_hh_l0, layer.bias_hh_l0 if layer.bias else None)


def gru_gates(layer: nn.GRU, x: torch.Tensor, h0: torch.Tensor | None = None) -> dict[str, torch.Tensor]:
    """The GRU's gates at every step, from its weights (chunks in the order r, z, n):

    r_t = σ(W_ir x_t + b_ir + W_hr h_{t−1} + b_hr)        "reset"
    z_t = σ(W_iz x_t + b_iz + W_hz h_{t−1} + b_hz)        "update"
    n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t−1} + b_hn))   "candidate"
    h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}                 "hidden"

    x: (batch, T, input_size); each result (batch, T, hidden). z_t near 1 keeps the old state."""
    _check_layer(layer)
    hidden = layer.hidden_size
    h = _initial(h0, x, hidden)
    gi = _input_part(layer, x)
    out = {k: [] for k in ("reset", "update", "candidate", "hidden")}
    for t in range(x.shape[1]):
        i_r, i_z, i_n = gi[:, t].chunk(3, dim=-1)
        h_r, h_z, h_n = _hidden_part(layer, h).chunk(3, dim=-1)
        r = torch.sigmoid(i_r + h_r)
        z = torch.sigmoid(i_z + h_z)
        n = torch.tanh(i_n + r * h_n)
        h = (1 - z) * n + z * h
        for k, v in zip(out, (r, z, n, h), strict=True):
            out[k].append(v)
    return {k: torch.stack(v, dim=1) for k, v in out.items()}


def lstm_gates(layer: nn.LSTM, x: torch.Tensor,
               state0: tuple[torch.Tensor, torch.Tensor] | None = None) -> dict[str, torch.Tensor]:
    """The LSTM's gates at every step, from its weights (chunks in the order i, f, g, o):

    i_t = σ(W_ii x_t + b_ii + W_hi h_{t−1} + b_hi)        "input"
    f_t = σ(W_if x_t + b_if + W_hf h_{t−1} + b_hf)        "forget"
    g_t = tanh(W_ig x_t + b_ig + W_hg h_{t−1} + b_hg)     "cell_candidate"
    o_t = σ(W_io x_t + b_io + W_ho h_{t−1} + b_ho)        "output"
    c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t                        "cell"
    h_t = o_t ⊙ tanh(c_t)                                  "hidden"

    x: (batch, T, input_size); state0 = (h0, c0) as torch takes it; each result (batch, T, hidden)."""
    _check_layer(layer)
    hidden = layer.hidden_size
    h0, c0 = state0 if state0 is not None else (None, None)
    h, c = _initial(h0, x, hidden), _initial(c0, x, hidden)
    gi = _input_part(layer, x)
    out = {k: [] for k in ("input", "forget", "cell_candidate", "output", "cell", "hidden")}
    for t in range(x.shape[1]):
        pre_i, pre_f, pre_g, pre_o = (gi[:, t] + _hidden_part(layer, h)).chunk(4, dim=-1)
        i, f, g, o = torch.sigmoid(pre_i), torch.sigmoid(pre_f), torch.tanh(pre_g), torch.sigmoid(pre_o)
        c = f * c + i * g
        h = o * torch.tanh(c)
        for k, v in zip(out, (i, f, g, o, c, h), strict=True):
            out[k].append(v)
    return {k: torch.stack(v, dim=1) for k, v in out.items()}


def input_gradient_norms(model: SeqClassifier, x: torch.Tensor, y: torch.Tensor,
                         loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]) -> np.ndarray:
    """‖∂L/∂e_t‖ for every step t, averaged over the batch: shape (T,).

    e_t is step t's input to the recurrent layer (the embedding's output or the input
    projection's), L = loss_fn(model(x), y) exactly as training computes it (so a mean-reduced
    loss gives each example's gradient a factor 1/batch; the shape over t is what matters).
    Only e gets a gradient: the model's parameter gradients are left as they were."""
    with torch.enable_grad():
        e = model.embed_inputs(x).detach().requires_grad_(True)
        loss = loss_fn(model.forward_embedded(e), y)
        (grad,) = torch.autograd.grad(loss, e)
    return grad.norm(dim=-1).mean(dim=0).detach().cpu().double().numpy()

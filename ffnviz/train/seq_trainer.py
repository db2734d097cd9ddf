"""Sequence models trained by the engine: the gated-layers page's recurrent classifiers (RNN, GRU,
LSTM) and feedforward blocks (plain and gated variants) on the sequence tasks.

`SeqTrainer` is a `Trainer` with other data, another model and another loss: it overrides only
the set-up hooks and the loss, so batches, the optimizer registry, L1/L2 penalties, decoupled
decay, divergence and update counting are the Trainer's own code, and a worker that steps a
Trainer steps a SeqTrainer the same way. Every random draw comes from the run's generator,
seeded from train.seed: the same spec gives the same numbers, bit for bit on the CPU.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ffnviz import limits
from ffnviz.data.sequences import IGNORE, TASKS, SeqDataset, SeqSpec, make_sequences
from ffnviz.model_race_flat import model_race_from_flat, model_race_to_flat
from ffnviz.nn.attention import IMPLEMENTATIONS, POSITIONAL, TinyTransformer
from ffnviz.nn.ffn_block import VARIANTS, FFNBlock, _linear, matched_hidden
from ffnviz.nn.recurrent import CELLS, SeqClassifier, input_gradient_norms
from ffnviz.race_specs import ModelContestant, ModelRace, SectionsRun
from ffnviz.specs import (
    OptimSpec,
    Problems,
    RegSpec,
    TrainSpec,
    _check_choice,
    _check_range,
    _Section,
)
from ffnviz.train.trainer import Trainer

KINDS = ("rnn", "ffn", "attn")
# The attention model labels each position of a sequence of tokens (see TinyTransformer).
ATTENTION_TASKS = tuple(k for k, t in TASKS.items() if t.per_position and not t.regression)


def _check_bool(p: Problems, name: str, value: object) -> None:
    if not isinstance(value, bool):
        p.append((name, f"{name} must be true or false, got {value!r}"))


@dataclass(frozen=True)
class SeqModelSpec(_Section):
    kind: str = "rnn"  # "rnn": a SeqClassifier; "ffn": the whole sequence flattened into one FFNBlock;
    # "attn": a TinyTransformer (d is its width, variant and h its feedforward blocks')
    cell: str = "gru"  # rnn kind: one of recurrent.CELLS
    hidden: int = 32  # rnn kind: the recurrent layer's (and the embedding's) size
    variant: str = "swiglu"  # ffn kind: one of ffn_block.VARIANTS
    d: int = 32  # ffn kind: the block's width
    h: int = 128  # ffn kind: a plain block's hidden size; a gated one gets matched_hidden(d, h, variant)
    residual: bool = True
    layer_norm: bool = True
    layers: int = 2  # attn kind: encoder layers
    heads: int = 2  # attn kind: heads per layer (d must be a multiple)
    positional: str = "learned"  # attn kind: one of attention.POSITIONAL
    dropout: float = 0.0  # attn kind: on the embedding and each sublayer's output
    causal: bool = False  # attn kind: a position attends only to itself and earlier ones
    attention: str = "own"  # attn kind: the project's module, or torch.nn.MultiheadAttention

    def problems(self) -> Problems:
        p: Problems = []
        _check_choice(p, "kind", self.kind, KINDS)
        _check_choice(p, "cell", self.cell, CELLS)
        _check_range(p, "hidden", self.hidden, limits.RNN_HIDDEN, integer=True)
        _check_choice(p, "variant", self.variant, VARIANTS)
        _check_range(p, "d", self.d, limits.FFN_WIDTH, integer=True)
        _check_range(p, "h", self.h, limits.FFN_HIDDEN, integer=True)
        _check_bool(p, "residual", self.residual)
        _check_bool(p, "layer_norm", self.layer_norm)
        _check_range(p, "layers", self.layers, limits.ATTN_LAYERS, integer=True)
        _check_range(p, "heads", self.heads, limits.ATTN_HEADS, integer=True)
        _check_choice(p, "positional", self.positional, POSITIONAL)
        _check_range(p, "dropout", self.dropout, limits.ATTN_DROPOUT)
        _check_bool(p, "causal", self.causal)
        _check_choice(p, "attention", self.attention, IMPLEMENTATIONS)
        if self.kind == "attn" and not p:
            _check_range(p, "d", self.d, limits.ATTN_D_MODEL, integer=True)
            if not p and self.d % self.heads:
                p.append(("heads", f"d ({self.d}) must be a multiple of heads ({self.heads})"))
        return p

    def block_hidden(self) -> int:
        """The FFN block's hidden size: h for a plain variant, the matched size for a gated one,
        so that variants race at equal parameter counts."""
        return matched_hidden(self.d, self.h, self.variant)


@dataclass(frozen=True)
class SeqRunSpec(SectionsRun):
    data: SeqSpec = field(default_factory=SeqSpec)
    model: SeqModelSpec = field(default_factory=SeqModelSpec)
    optim: OptimSpec = field(default_factory=lambda: OptimSpec("adam", 0.01))
    reg: RegSpec = field(default_factory=RegSpec)
    train: TrainSpec = field(default_factory=lambda: TrainSpec(batch_size=32))

    def problems(self) -> Problems:
        p = super().problems()
        if not p and self.model.kind == "attn" and self.data.task not in ATTENTION_TASKS:
            p.append(("model.kind", f"the attention model labels every position: the task must be one of "
                                    f"{', '.join(ATTENTION_TASKS)}, got {self.data.task!r}"))
        return p


@dataclass(frozen=True)
class SeqContestant(ModelContestant):
    """One contestant of a sequence race: its model (the gated-layers page races models: FFN
    variants, or RNN vs GRU vs LSTM), optimizer and regularization."""

    model: SeqModelSpec = field(default_factory=SeqModelSpec)
    optim: OptimSpec = field(default_factory=lambda: OptimSpec("adam", 0.01))
    reg: RegSpec = field(default_factory=RegSpec)

    def label(self) -> str:
        """Keys and numbers only ("gru 32", "ffn swiglu d32 h128"), the same in every language."""
        m = self.model
        if m.kind == "attn":
            return f"attn L{m.layers} H{m.heads} d{m.d} {m.positional}{' causal' if m.causal else ''}"
        return f"{m.cell} {m.hidden}" if m.kind == "rnn" else f"ffn {m.variant} d{m.d} h{m.block_hidden()}"


def _seq_race_contestants() -> tuple[SeqContestant, ...]:
    return tuple(SeqContestant(SeqModelSpec(cell=c)) for c in CELLS)


@dataclass(frozen=True)
class SeqRaceSpec(ModelRace):
    """A race of sequence models (ffnviz.train.race.Race builds SeqTrainers for it): the base's
    data, batch size and step cap, trained by each contestant with each training seed (see
    ModelRace)."""

    RUN = SeqRunSpec
    CONTESTANT = SeqContestant
    base: SeqRunSpec = field(default_factory=SeqRunSpec)
    contestants: tuple[SeqContestant, ...] = field(default_factory=_seq_race_contestants)
    seeds: tuple[int, ...] = (0,)
    target_accuracy: float = 0.9


class SeqFFN(nn.Module):
    """The whole sequence as one vector through one feedforward block: tokens one-hot (or the
    adding task's (value, marker) pairs) flattened to T·input_size -> Linear to d -> FFNBlock ->
    head. The head gives one output vector per sequence, (B, n_outputs), or per position,
    (B, T, n_outputs). With no recurrence, every position sees the whole sequence at once.
    Weights are drawn from `generator` in the order input, block (W1, W3, W2), head."""

    def __init__(self, spec: SeqModelSpec, *, length: int, input_size: int, tokens: bool, n_outputs: int,
                 per_position: bool, generator: torch.Generator | None):
        super().__init__()
        self.length, self.input_size, self.tokens = length, input_size, tokens
        self.n_outputs, self.per_position = n_outputs, per_position
        self.inp = _linear(length * input_size, spec.d, True, generator)
        self.block = FFNBlock(spec.d, spec.block_hidden(), spec.variant, residual=spec.residual,
                              layer_norm=spec.layer_norm, generator=generator)
        self.head = _linear(spec.d, n_outputs * (length if per_position else 1), True, generator)

    def embed(self, x: torch.Tensor) -> torch.Tensor:
        """(B, T) tokens or (B, T, 2) floats -> the block's input, (B, d)."""
        if self.tokens:
            x = F.one_hot(x, self.input_size).to(self.inp.weight.dtype)
        return self.inp(x.reshape(len(x), -1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.head(self.block(self.embed(x)))
        return out.reshape(len(x), self.length, self.n_outputs) if self.per_position else out

    @torch.no_grad()
    def gates(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        return {"gate": self.block.gates(self.embed(x))}


class SeqTrainer(Trainer):
    """One sequence run, stepped: the same public surface as Trainer (step, evaluate, reset,
    apply_live, updates, epoch, ...), plus `gates` and `input_gradient_norms`.

    Loss: cross-entropy over the classes with IGNORE targets skipped (per-position logits
    (B, T, C) are flattened to (B·T, C)); the adding task's mean squared error. Accuracy counts
    only the positions that are not IGNORE; a regression has NaN accuracies."""

    def __init__(self, spec: SeqRunSpec, dataset: SeqDataset | None = None, *, separate_shuffle: bool = False):
        super().__init__(spec, dataset, separate_shuffle=separate_shuffle)

    # -- set-up hooks (see Trainer) -------------------------------------------------------------

    def _make_dataset(self) -> SeqDataset:
        return make_sequences(self.spec.data)

    def _set_problem(self) -> None:
        if self.dataset.spec != self.spec.data:
            raise ValueError("the data set was made from another SeqSpec than the run's")
        self.regression = self.dataset.regression
        self.problem = "regression" if self.regression else "classification"
        # Two classes (parity) still get two logits and cross-entropy: one loss for every task.
        self.binary = False
        self.per_position = self.dataset.per_position

    def _load_data(self) -> None:
        d, dev = self.dataset, self.device
        x_dtype = torch.float32 if d.spec.task == "adding" else torch.int64
        y_dtype = torch.float32 if self.regression else torch.int64
        self.x_train = torch.from_numpy(d.x_train).to(dev, x_dtype)
        self.y_train = torch.from_numpy(d.y_train).to(dev, y_dtype)
        self.x_test = torch.from_numpy(d.x_test).to(dev, x_dtype)
        self.y_test = torch.from_numpy(d.y_test).to(dev, y_dtype)
        n = min(limits.PROBE_BATCH, len(self.x_train))
        self.x_probe, self.y_probe = self.x_train[:n], self.y_train[:n]

    def model_inputs(self, points: torch.Tensor) -> torch.Tensor:
        return points  # sequences go to the model as they are; the model embeds them

    def _build_model(self) -> nn.Module:
        m, d = self.spec.model, self.dataset
        tokens = d.spec.task != "adding"
        if m.kind == "rnn":
            return SeqClassifier(m.cell, vocab=d.input_size if tokens else None,
                                 input_size=None if tokens else d.input_size, hidden=m.hidden,
                                 n_outputs=d.n_classes, per_position=d.per_position, generator=self.generator)
        if m.kind == "attn":
            return TinyTransformer(d.input_size, d.n_classes, d.length, d=m.d, heads=m.heads, layers=m.layers,
                                   h=m.block_hidden(), variant=m.variant, positional=m.positional, dropout=m.dropout,
                                   causal=m.causal, impl=m.attention, generator=self.generator,
                                   dropout_generator=self._dropout_generator)
        return SeqFFN(m, length=d.length, input_size=d.input_size, tokens=tokens, n_outputs=d.n_classes,
                      per_position=d.per_position, generator=self.generator)

    def _weights_and_biases(self) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
        """Matrices (embedding, input, recurrent, block and head weights) are the weights that
        L1/L2 and decay touch; vectors (biases, LayerNorm's γ and β) are spared, as the
        Trainer spares biases (decaying γ would shrink the normalised signal itself)."""
        params = list(self.model.parameters())
        return [p for p in params if p.dim() >= 2], [p for p in params if p.dim() < 2]

    # -- loss and accuracy ----------------------------------------------------------------------

    def data_loss(self, logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """Classification: cross-entropy, mean over the targets that are not IGNORE. The adding
        task: the mean squared error over the batch."""
        if self.regression:
            return F.mse_loss(logits.squeeze(-1), y)
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), ignore_index=IGNORE)

    def accuracy(self, logits: torch.Tensor, y: torch.Tensor) -> float:
        """The share of counted targets (not IGNORE) predicted right."""
        counted = y != IGNORE
        correct = (logits.argmax(-1) == y) & counted
        return float(correct.sum() / counted.sum())

    def predict_grid(self, resolution: int, extent: float) -> np.ndarray:
        raise NotImplementedError("a sequence model has no input plane")

    # -- reading --------------------------------------------------------------------------------

    def as_inputs(self, x) -> torch.Tensor:
        """Sequences x (numpy or torch, shaped as the data's inputs) as the model reads them."""
        dtype = self.x_train.dtype
        return torch.as_tensor(np.asarray(x) if not isinstance(x, torch.Tensor) else x).to(self.device, dtype)

    def gates(self, x) -> dict[str, np.ndarray]:
        """The model's gates on inputs x (numpy or torch, shaped as the data's inputs), as numpy:
        rnn kind, SeqClassifier.gates (GRU: reset, update, candidate, hidden; LSTM: input,
        forget, cell_candidate, output, cell, hidden; RNN: hidden), each (B, T, hidden); ffn
        kind, {"gate": FFNBlock.gates}, (B, h)."""
        self._set_training(False)
        try:
            found = self.model.gates(self.as_inputs(x))
        finally:
            self._set_training(True)
        return {k: v.detach().cpu().numpy() for k, v in found.items()}

    def input_gradient_norms(self, n: int = 64) -> np.ndarray:
        """rnn kind: ‖∂L/∂e_t‖ per step t (recurrent.input_gradient_norms) on the first n
        training sequences, with the training loss; shape (T,)."""
        if self.spec.model.kind != "rnn":
            raise ValueError("input gradient norms are for the rnn kind")
        # Left in training mode: these models have no dropout, so the mode changes no number,
        # and cuDNN's recurrent backward refuses to run in eval mode.
        return input_gradient_norms(self.model, self.x_train[:n], self.y_train[:n], self.data_loss)


# -- the flat URL form of a sequence race ---------------------------------------------------------
# A ModelRace's (ffnviz.model_race_flat): "data.<field>" (SeqSpec), "train.<field>", "race.*" and
# per contestant i "c<i>.model.<field>" (SeqModelSpec), "c<i>.optim.*", "c<i>.reg.*".


def seq_race_to_flat(spec: SeqRaceSpec, prefix: str = "") -> dict[str, str]:
    return model_race_to_flat(spec, prefix)


def seq_race_from_flat(flat: dict[str, str], base: SeqRaceSpec | None = None,
                       prefix: str = "") -> tuple[SeqRaceSpec, list[str]]:
    """Read a sequence race from query parameters. Never raises: a bad value keeps `base`'s
    (default: the default race) and adds a message naming the key and what is allowed; with a
    `prefix`, only the keys under it (model_race_from_flat)."""
    return model_race_from_flat(flat, base or SeqRaceSpec(), prefix)

"""Sequence models trained by the engine: the gated-layers page's recurrent classifiers (RNN, GRU,
LSTM) and feedforward blocks (plain and gated variants) on the sequence tasks.

`SeqTrainer` is a `Trainer` with other data, another model and another loss: it overrides only
the set-up hooks and the loss, so batches, the optimizer registry, L1/L2 penalties, decoupled
decay, divergence and update counting are the Trainer's own code, and a worker that steps a
Trainer steps a SeqTrainer the same way. Every random draw comes from the run's generator,
seeded from train.seed: the same spec gives the same numbers, bit for bit on the CPU.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ffnviz.data.sequences import IGNORE, SeqDataset, make_sequences
from ffnviz.nn.attention import TinyTransformer
from ffnviz.nn.ffn_block import FFNBlock, seeded_linear
from ffnviz.nn.recurrent import SeqClassifier, input_gradient_norms
from ffnviz.specs.sequences import SeqModelSpec
from ffnviz.train.trainer import Trainer


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
        self.inp = seeded_linear(length * input_size, spec.d, True, generator)
        self.block = FFNBlock(spec.d, spec.block_hidden(), spec.variant, residual=spec.residual,
                              layer_norm=spec.layer_norm, generator=generator)
        self.head = seeded_linear(spec.d, n_outputs * (length if per_position else 1), True, generator)

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

    # -- set-up hooks (see Trainer) -------------------------------------------------------------

    def _make_dataset(self) -> SeqDataset:
        return make_sequences(self.spec.data)

    def _set_problem(self) -> None:
        self._check_own_data()
        self.regression = self.dataset.regression
        self.problem = "regression" if self.regression else "classification"
        # Two classes (parity) still get two logits and cross-entropy: one loss for every task.
        self.binary = False
        self.per_position = self.dataset.per_position

    def _dtypes(self) -> tuple[torch.dtype, torch.dtype]:
        tokens = self.dataset.spec.task != "adding"  # the adding task's inputs are (value, marker) floats
        return torch.int64 if tokens else torch.float32, torch.float32 if self.regression else torch.int64

    def model_inputs(self, points: torch.Tensor) -> torch.Tensor:
        return points  # sequences go to the model as they are; the model embeds them

    def _build_model(self) -> nn.Module:
        m, d = self.spec.model, self.dataset
        tokens = d.spec.task != "adding"
        if m.kind == "rnn":
            return SeqClassifier(m.cell, vocab=d.input_size if tokens else None,
                                 input_size=None if tokens else d.input_size, hidden=m.hidden,
                                 n_outputs=d.n_classes, per_position=d.per_position, generator=self.generator,
                                 forget_bias=m.forget_bias, update_bias=m.update_bias)
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
        with self._eval_mode():
            found = self.model.gates(self.as_inputs(x))
        return {k: v.detach().cpu().numpy() for k, v in found.items()}

    def input_gradient_norms(self, n: int = 64) -> np.ndarray:
        """rnn kind: ‖∂L/∂e_t‖ per step t (recurrent.input_gradient_norms) on the first n
        training sequences, with the training loss; shape (T,)."""
        if self.spec.model.kind != "rnn":
            raise ValueError("input gradient norms are for the rnn kind")
        # Left in training mode: these models have no dropout, so the mode changes no number,
        # and cuDNN's recurrent backward refuses to run in eval mode.
        return input_gradient_norms(self.model, self.x_train[:n], self.y_train[:n], self.data_loss)



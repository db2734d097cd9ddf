"""Text classifiers trained by the engine: the chapter's feedforward classifier and the
attention-pooling model on the shipped corpus or an uploaded CSV.

`TextTrainer` is a `Trainer` with other data, another model and the chapter's loss (NLLLoss on
log-probabilities): like SeqTrainer it overrides only the set-up hooks and the loss, so batches,
the optimizer registry, L1/L2 penalties, decoupled decay, divergence and update counting are
the Trainer's. The page trains a one-model race of it (`TextRaceSpec`), as the sequence pages do,
and keeps it in its URL (`text_race_to_flat`, `text_race_from_flat`).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from ffnviz import limits
from ffnviz.data.text_data import TextDataset, make_text_dataset
from ffnviz.nn.text_models import AttentionPooling, FeedforwardClassifier
from ffnviz.specs.text import TextRunSpec
from ffnviz.train.trainer import Trainer


class TextTrainer(Trainer):
    """One text run, stepped: the Trainer's public surface, plus `read(x)` (log-probabilities in
    eval mode). The ffn kind reads features (n, V), the attention kind token ids (n, L)
    (`inputs_for(features, ids)` picks)."""

    def __init__(self, spec: TextRunSpec, dataset: TextDataset | None = None, *, separate_shuffle: bool = False):
        super().__init__(spec, dataset, separate_shuffle=separate_shuffle)

    # -- set-up hooks (see Trainer) -------------------------------------------------------------

    def _make_dataset(self) -> TextDataset:
        return make_text_dataset(self.spec.data)

    def _set_problem(self) -> None:
        if self.dataset.spec != self.spec.data:
            raise ValueError("the data set was made from another TextSpec than the run's")
        self.problem, self.regression, self.binary = "classification", False, False

    def inputs_for(self, features, ids) -> torch.Tensor:
        """What the model reads of encoded texts, on its device: their features (feedforward) or
        their token ids (attention); the other may be None."""
        x = ids if self.spec.model.kind == "attention" else features
        return torch.as_tensor(x).to(self.device)

    def _load_data(self) -> None:
        d = self.dataset
        self.x_train = self.inputs_for(d.x_train, d.ids_train)
        self.x_test = self.inputs_for(d.x_test, d.ids_test)
        self.y_train = torch.from_numpy(d.y_train).to(self.device)
        self.y_test = torch.from_numpy(d.y_test).to(self.device)
        n = min(limits.PROBE_BATCH, len(self.x_train))
        self.x_probe, self.y_probe = self.x_train[:n], self.y_train[:n]

    def model_inputs(self, points: torch.Tensor) -> torch.Tensor:
        return points

    def _build_model(self) -> nn.Module:
        m, d = self.spec.model, self.dataset
        if m.kind == "attention":
            return AttentionPooling(len(d.words) + 2, m.embed, d.n_classes, dropout=m.dropout,
                                    generator=self.generator, dropout_generator=self._dropout_generator)
        return FeedforwardClassifier(len(d.words), m.hidden, d.n_classes, activation=m.activation, dropout=m.dropout,
                                     generator=self.generator, dropout_generator=self._dropout_generator)

    def _weights_and_biases(self) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
        """Matrices (the embedding too) are regularized; bias vectors are not."""
        params = list(self.model.parameters())
        return [p for p in params if p.dim() >= 2], [p for p in params if p.dim() < 2]

    def data_loss(self, log_probs: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """The chapter's loss: the models end in LogSoftmax, so NLLLoss is the cross-entropy."""
        return F.nll_loss(log_probs, y)

    def predict_grid(self, resolution: int, extent: float):
        raise NotImplementedError("a text model has no input plane")

    # -- reading --------------------------------------------------------------------------------

    @torch.no_grad()
    def read(self, x: torch.Tensor) -> torch.Tensor:
        """Log-probabilities of inputs x (features or ids, as the model reads them), eval mode."""
        self._set_training(False)
        try:
            return self.model(x)
        finally:
            self._set_training(True)

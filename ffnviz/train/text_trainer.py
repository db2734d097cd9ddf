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

from ffnviz.data.text_data import TextDataset, make_text_dataset
from ffnviz.nn.text_models import AttentionPooling, FeedforwardClassifier
from ffnviz.train.trainer import Trainer


class TextTrainer(Trainer):
    """One text run, stepped: the Trainer's public surface, plus `read(x)` (log-probabilities in
    eval mode). The ffn kind reads features (n, V), the attention kind token ids (n, L)
    (`inputs_for(features, ids)` picks)."""

    # -- set-up hooks (see Trainer) -------------------------------------------------------------

    def _make_dataset(self) -> TextDataset:
        return make_text_dataset(self.spec.data)

    def _set_problem(self) -> None:
        self._check_own_data()
        self.problem, self.regression, self.binary = "classification", False, False

    def _read(self, features, ids):
        """What the model reads of encoded texts: their features (feedforward) or their token ids
        (attention); the other may be None."""
        return ids if self.spec.model.kind == "attention" else features

    def inputs_for(self, features, ids) -> torch.Tensor:
        """What the model reads of encoded texts, on its device."""
        return torch.as_tensor(self._read(features, ids)).to(self.device)

    def _input_arrays(self):
        d = self.dataset
        return self._read(d.x_train, d.ids_train), self._read(d.x_test, d.ids_test)

    def _dtypes(self) -> tuple[None, None]:
        return None, None  # float32 features or int64 token ids; int64 classes

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
        with self._eval_mode():
            return self.model(x)

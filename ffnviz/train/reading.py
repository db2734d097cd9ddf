"""The Trainer's reading side: the model's loss and accuracy on a data set, the metrics of a whole
evaluation, and its predictions over the input plane, always with dropout off. A mixin of
ffnviz.train.trainer.Trainer (its methods read the trainer's model, data and counters), kept apart
so that the update itself stays in one short file; the sequence, convolution and text trainers
override the parts their models read differently.
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass

import numpy as np
import torch


@dataclass(frozen=True)
class Metrics:
    update: int
    epoch: float
    train_loss: float
    test_loss: float
    train_acc: float
    test_acc: float
    # With early stopping on: the validation split's (carved from the training data); else None
    # (NaN in a history's arrays).
    val_loss: float | None = None
    val_acc: float | None = None
    lr: float = math.nan  # the learning rate of the last update (before the first: the first's)


class Reading:
    @torch.no_grad()
    def _loss_and_accuracy(self, x: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
        if len(x) == 0:
            return float("nan"), float("nan")
        logits = self.model(x)
        loss = self.data_loss(logits, y)
        if self.regression:  # no accuracy for a regression: the UI shows "—"
            return float(loss), float("nan")
        return float(loss), self.accuracy(logits, y)

    def accuracy(self, logits: torch.Tensor, y: torch.Tensor) -> float:
        """The share of targets predicted right."""
        pred = (logits.squeeze(1) > 0).float() if self.binary else logits.argmax(1)
        return float((pred == y).float().mean())

    def _set_training(self, mode: bool) -> None:
        """model.train(mode) in a tenth of the time: the same flag on every module, set without
        nn.Module.__setattr__'s look-ups for parameters and submodules (a bool is neither)."""
        if self._plain_modes:
            for m in self._modules:
                object.__setattr__(m, "training", mode)
        else:
            self.model.train(mode)

    @contextlib.contextmanager
    def _eval_mode(self):
        """Eval mode (dropout off), back to training mode after, whatever happens."""
        self._set_training(False)
        try:
            yield
        finally:
            self._set_training(True)

    @contextlib.contextmanager
    def evaluating(self):
        """Eval mode (dropout off) and no autograd, for reading the model; back to training mode
        after, whatever happens. (torch.enable_grad() inside turns autograd back on.)"""
        with self._eval_mode(), torch.no_grad():
            yield

    def evaluate(self) -> Metrics:
        """Data loss and accuracy on the whole training and test sets (dropout off). A regression
        has NaN accuracies."""
        with self._eval_mode():
            train = self._loss_and_accuracy(self.x_train, self.y_train)
            test = self._loss_and_accuracy(self.x_test, self.y_test)
            val = self._loss_and_accuracy(self.x_val, self.y_val) if self.x_val is not None else (None, None)
        return Metrics(self.updates, self.epoch, train[0], test[0], train[1], test[1], val[0], val[1], self.last_lr)

    @torch.no_grad()
    def predict_grid(self, resolution: int, extent: float) -> np.ndarray:
        """The model over the input plane [-extent, extent]², as float32: class probabilities of
        shape (resolution, resolution) for binary problems (P(class 1)), else (resolution,
        resolution, k); for a regression, the predicted value itself, (resolution, resolution),
        unclipped (the output unit is linear, so it may leave the targets' [-1, 1]).
        Row i is y = ys[i], column j is x = xs[j]."""
        axis = torch.linspace(-extent, extent, resolution)
        gy, gx = torch.meshgrid(axis, axis, indexing="ij")
        points = torch.stack([gx.reshape(-1), gy.reshape(-1)], 1).to(self.device)
        with self._eval_mode():
            logits = self.model(self.model_inputs(points))
        if self.regression:
            probs = logits.squeeze(1)
        else:
            probs = torch.sigmoid(logits.squeeze(1)) if self.binary else torch.softmax(logits, 1)
        shape = (resolution, resolution) if self.binary or self.regression else (resolution, resolution, -1)
        return probs.reshape(shape).float().cpu().numpy()

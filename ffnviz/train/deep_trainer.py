"""The deep-networks page's run, stepped: a Trainer whose model is ffnviz/nn/deep.py's DeepMLP on
the page's data (the playground's classification sets with their features, or the digits).

It overrides only the set-up hooks (see Trainer): batches, the optimizer registry, penalties,
the learning-rate schedule, early stopping, divergence and counting are the Trainer's own. The
norm layers' scales and shifts count with the biases: trained, never regularized.
"""

from __future__ import annotations

import torch
from torch import nn

from ffnviz.data.deep_data import make_deep_data
from ffnviz.data.features import expand
from ffnviz.data.toy2d import Dataset
from ffnviz.nn.deep import build_deep
from ffnviz.specs.deep import DIGITS
from ffnviz.train.trainer import Trainer


class DeepTrainer(Trainer):
    def _make_dataset(self) -> Dataset:
        return make_deep_data(self.spec.data)

    def _set_problem(self) -> None:
        self.problem, self.regression = "classification", False
        self.binary = self.spec.data.outputs == 1

    def _build_model(self) -> nn.Module:
        return build_deep(self.spec.model, self.spec.data.inputs, self.spec.data.outputs, self.generator,
                          self._dropout_generator)

    def _weights_and_biases(self) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
        weights = [lin.weight for lin in self.model.linears]
        others = [lin.bias for lin in self.model.linears] + list(self.model.norms.parameters())
        return weights, others

    def model_inputs(self, points: torch.Tensor) -> torch.Tensor:
        """The digits are read as their 64 pixels; a 2-D point as its chosen features."""
        return points if self.spec.data.dataset == DIGITS else expand(points, self.spec.data.features)

"""Image classifiers trained by the engine: the convolution page's CNN and its MLP baseline on
digits or shapes.

`ConvTrainer` is a `Trainer` with other data and another model, as `SeqTrainer` is: it overrides
only the set-up hooks, so batches, the optimizer registry, L1/L2 penalties, decoupled decay,
divergence and update counting are the Trainer's code. The loss is the Trainer's own
multi-class cross-entropy (every image set here has more than two classes). Conv kernels and
linear weights are the weights regularization touches; biases are spared.

A CNN and its baseline (`mlp_baseline`) of one training seed see the same batches in the same
order, so their curves differ only by the model: see `ConvTrainer._build_model`. `ConvRaceSpec`
is the page's race of the two (ffnviz.train.race.Race builds ConvTrainers for it), with a flat
URL form (`conv_race_to_flat`, `conv_race_from_flat`).
"""

from __future__ import annotations

import numpy as np
import torch
from sklearn.metrics import confusion_matrix
from torch import nn

from ffnviz.data.images import ImageDataset, make_images
from ffnviz.nn.cnn import CNN, build_cnn
from ffnviz.train.trainer import Trainer


class ConvTrainer(Trainer):
    """One image run, stepped: the Trainer's public surface (step, evaluate, reset, apply_live,
    updates, epoch, ...), plus feature maps, kernels, test predictions, the confusion matrix and
    the misclassified test images."""

    # -- set-up hooks (see Trainer) -------------------------------------------------------------

    def _make_dataset(self) -> ImageDataset:
        return make_images(self.spec.data)

    def _set_problem(self) -> None:
        self._check_own_data()
        self.problem, self.regression, self.binary = "classification", False, False

    def _dtypes(self) -> tuple[None, None]:
        return None, None  # float32 images, int64 classes, as the data set has them

    def model_inputs(self, points: torch.Tensor) -> torch.Tensor:
        return points  # images go to the model as they are

    def _build_model(self) -> nn.Module:
        # The weights come from a generator of their own, seeded by one draw from the run's
        # generator: a CNN and an MLP draw different numbers of weights, and had they drawn them
        # from the run's generator, their batch orders (drawn after) would differ too. This way
        # every model takes exactly one number from it, and models of one seed shuffle alike.
        seed = int(torch.randint(2**62, (1,), generator=self.generator))
        init = torch.Generator().manual_seed(seed)
        d = self.dataset
        return build_cnn(self.spec.model, d.image_shape, d.n_classes, init)

    def _weights_and_biases(self) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
        """Conv kernels (4-D) and linear weights (2-D) are the weights; biases (1-D) are spared."""
        params = list(self.model.parameters())
        return [p for p in params if p.dim() >= 2], [p for p in params if p.dim() < 2]

    def _restart(self) -> None:
        self._test_predictions: tuple[int, np.ndarray] | None = None  # see _loss_and_accuracy
        super()._restart()

    def predict_grid(self, resolution: int, extent: float) -> np.ndarray:
        raise NotImplementedError("an image model has no input plane")

    @torch.no_grad()
    def _loss_and_accuracy(self, x: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
        """The Trainer's, keeping the test set's predicted classes of the same pass (with the update
        they belong to), so that `predictions()` after `evaluate()` costs no second pass."""
        logits = self.model(x)
        if x is self.x_test:
            self._test_predictions = (self.updates, logits.argmax(1).cpu().numpy())
        return float(self.data_loss(logits, y)), self.accuracy(logits, y)

    # -- reading --------------------------------------------------------------------------------

    def as_images(self, x) -> torch.Tensor:
        """Images x (numpy or torch, (B, 1, H, W)) as the model reads them, on its device."""
        return torch.as_tensor(np.asarray(x) if not isinstance(x, torch.Tensor) else x).to(self.device, torch.float32)

    def feature_maps(self, x) -> list[tuple[str, np.ndarray]]:
        """(name, maps) of every conv and pooling layer for images x ((B, 1, H, W), numpy or
        torch); maps are (B, C, H', W') numpy, named as layer_shapes names them."""
        if not isinstance(self.model, CNN):
            raise ValueError("feature maps are for the cnn kind")
        with self.evaluating():
            maps = self.model.feature_maps(self.as_images(x))
        return [(name, m.cpu().numpy()) for name, m in zip(self.model.names, maps, strict=True)]

    def kernels(self) -> list[np.ndarray]:
        """Each conv layer's kernels as numpy, (out_channels, in_channels, k, k)."""
        if not isinstance(self.model, CNN):
            raise ValueError("kernels are for the cnn kind")
        return [w.detach().cpu().numpy().copy() for w in self.model.kernels()]

    def predictions(self, x=None) -> np.ndarray:
        """Predicted classes of images x (default: the test set), int64 numpy. The test set's are
        those of the last evaluation when the model has not changed since."""
        if x is None:
            kept = self._test_predictions
            if kept is not None and kept[0] == self.updates:
                return kept[1].copy()
            x = self.x_test
        else:
            x = self.as_images(x)
        with self.evaluating():
            return self.model(x).argmax(1).cpu().numpy()

    def confusion(self, predictions: np.ndarray | None = None) -> np.ndarray:
        """The test set's confusion matrix, (k, k): row = true class, column = predicted class.
        Pass `predictions` (of the test set) to reuse them."""
        pred = self.predictions() if predictions is None else predictions
        return confusion_matrix(self.dataset.y_test, pred, labels=np.arange(self.dataset.n_classes))

    def misclassified(self, predictions: np.ndarray | None = None) -> np.ndarray:
        """Indices of the test images predicted wrong, in test-set order."""
        pred = self.predictions() if predictions is None else predictions
        return np.flatnonzero(pred != self.dataset.y_test)

    def parameter_count(self) -> int:
        return sum(p.numel() for p in self._params)



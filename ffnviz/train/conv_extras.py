"""What the convolution page shows of its race (a CNN, and maybe its MLP baseline) besides the
curves: a `ConvView` per contestant, measured by the worker thread at each publication (see
RaceRunner._publish) on seed 0's trainer, so that a page never touches a model. Every array is a
copy.

Cost (one CPU thread, the shared 2-core VM): the test set's predicted classes come from the
evaluation that every publication makes anyway (Race.current -> ConvTrainer.evaluate keeps them),
so what is left is the chosen image's maps, the kernels, the confusion matrix and the gallery:
about 2 ms a publication for the CNN, 3 ms with its baseline (digits; shapes 16×16 with 1,000
test images; 3 layers of 16 channels on 2,500 test images of 24×24 alike). The evaluation itself
costs 9 ms on digits, 35 ms on those shapes, ~0.45 s on the largest set (see race.PUBLISH_SHARE,
which spaces slow publications out). A paused race publishes on commands only, and the
measurement of an unchanged model (same update, same image) is reused.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from ffnviz import limits
from ffnviz.data.images import ImageDataset
from ffnviz.nn.cnn import CNN
from ffnviz.train.conv_trainer import ConvTrainer
from ffnviz.train.snapshot_data import SnapshotData


@dataclass(frozen=True, eq=False)
class CnnInside(SnapshotData):
    """The CNN's layers (the MLP baseline has none to show)."""

    kernels: tuple[np.ndarray, ...]  # each conv layer's weights, float32 (out, in, k, k)
    biases: tuple[np.ndarray, ...]  # each conv layer's biases, float32 (out,)
    # (name, float32 (C, H', W')) of every conv and pooling layer for the example (and a global
    # head's pooling, (C, 1, 1)), named as the shape calculator names them: "conv1", "pool1", ..., "gpool"
    maps: tuple[tuple[str, np.ndarray], ...]


@dataclass(frozen=True, eq=False)
class Mistakes(SnapshotData):
    """The misclassified test images, the first few of them shown."""

    count: int  # how many test images are misclassified
    index: np.ndarray  # int64 (n,): the first n ≤ limits.CONV_MISCLASSIFIED, in test-set order
    images: np.ndarray  # float32 (n, H, W)
    predicted: np.ndarray  # int64 (n,): what the model said
    true: np.ndarray  # int64 (n,): what they are


@dataclass(frozen=True, eq=False)
class ConvView(SnapshotData):
    """One contestant of a convolution race (seed 0's trainer), on the test image on show (the
    page's choice, `set_example`; the first by default) and on the whole test set."""

    kind: str  # "cnn" or "mlp"
    example: int  # the index of the test image on show
    image: np.ndarray  # float32 (H, W)
    label: int  # its class
    probabilities: np.ndarray  # float32 (k,): the model's softmax on it
    prediction: int  # their argmax
    # int64 (k, k) on the whole test set, row: true class, column: predicted (scikit-learn's
    # confusion_matrix)
    confusion: np.ndarray
    wrong: Mistakes
    inside: CnnInside | None  # the cnn kind's; None for the MLP


def check_example(index, dataset: ImageDataset) -> int:
    """`index` as a test image's index, or ValueError saying what is allowed."""
    n = len(dataset.y_test)
    if isinstance(index, bool) or not isinstance(index, int | np.integer) or not 0 <= int(index) < n:
        raise ValueError(f"the example must be a test image's index, a whole number in 0..{n - 1}, got {index!r}")
    return int(index)


class ConvExtras:
    """The test image on show and the last measurement of each contestant; `measure` reads the
    models. Lock held (the worker's), as for every read of a model."""

    def __init__(self, dataset: ImageDataset):
        self.dataset = dataset
        self.example = 0
        self.restart()

    def restart(self) -> None:
        """Forget the measurements (the race went back to update 0, or was rebuilt)."""
        self._last: dict[int, tuple[tuple[int, int], ConvView]] = {}

    def set_example(self, index) -> None:
        self.example = check_example(index, self.dataset)

    def measure(self, trainers: list[list[ConvTrainer]], diverged_at: list[int | None]) -> tuple[ConvView | None, ...]:
        """Per contestant, its view; None once it has dropped out (its weights are not finite)."""
        return tuple(None if d is not None else self.of(row[0], i)
                     for i, (row, d) in enumerate(zip(trainers, diverged_at, strict=True)))

    def of(self, t: ConvTrainer, i: int = 0) -> ConvView:
        stamp = (t.updates, self.example)
        last = self._last.get(i)
        if last is not None and last[0] == stamp:  # nothing moved since: the same pictures
            return last[1]
        out = self._read(t)
        self._last[i] = (stamp, out)
        return out

    def _read(self, t: ConvTrainer) -> ConvView:
        d = self.dataset
        x = d.x_test[self.example:self.example + 1]
        predictions = t.predictions()  # the whole test set: eval mode, no autograd
        with t.evaluating():
            logits = t.model(t.as_images(x))[0]
            probabilities = torch.softmax(logits, -1).cpu().numpy().astype(np.float32)
        wrong_all = t.misclassified(predictions)
        wrong = wrong_all[: limits.CONV_MISCLASSIFIED]
        cnn = isinstance(t.model, CNN)
        return ConvView(
            kind="cnn" if cnn else "mlp",
            example=self.example,
            image=d.x_test[self.example, 0].copy(),
            label=int(d.y_test[self.example]),
            probabilities=probabilities,
            prediction=int(probabilities.argmax()),
            confusion=t.confusion(predictions).astype(np.int64),
            wrong=Mistakes(count=len(wrong_all), index=wrong.astype(np.int64), images=d.x_test[wrong, 0].copy(),
                           predicted=predictions[wrong].astype(np.int64), true=d.y_test[wrong].astype(np.int64)),
            inside=self._inside(t, x) if cnn else None,
        )

    @staticmethod
    def _inside(t: ConvTrainer, x: np.ndarray) -> CnnInside:
        return CnnInside(
            kernels=tuple(k.astype(np.float32) for k in t.kernels()),
            biases=tuple(b["conv"].bias.detach().cpu().numpy().astype(np.float32).copy() for b in t.model.blocks),
            maps=tuple((name, m[0].astype(np.float32)) for name, m in t.feature_maps(x)),
        )

"""What the convolution page shows of its race (a CNN, and maybe its MLP baseline) besides the
curves, measured by the worker thread at each publication (see RaceRunner._publish), so that a
page never touches a model. For seed 0's trainer of every contestant still racing:

- "kind": "cnn" or "mlp".
- "example": the index of the test image on show (the page's choice, `set_example`; the first
  by default), "image" float32 (H, W), "label" its class, "probabilities" float32 (k,) the
  model's softmax on it, "prediction" its argmax.
- cnn only: "kernels", each conv layer's weights, float32 (out, in, k, k); "biases", each conv
  layer's biases, float32 (out,); "maps", (name, float32 (C, H', W')) of every conv and pooling
  layer (and a global head's pooling, (C, 1, 1)) for the example, named as the shape calculator
  names them ("conv1", "pool1", ..., "gpool").
- "confusion": int64 (k, k) on the whole test set (row: true class, column: predicted;
  scikit-learn's confusion_matrix); "wrong_count": how many test images are misclassified.
- "wrong": int64 (n,) the first n ≤ limits.CONV_MISCLASSIFIED misclassified test images' indices
  (test-set order), "wrong_images" float32 (n, H, W), "wrong_predicted" int64 (n,) what the
  model said and "wrong_true" int64 (n,) what they are.

Dropped-out contestants (non-finite weights) give {}. Every array is a copy, frozen.

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

import numpy as np
import torch

from ffnviz import limits
from ffnviz.data.images import ImageDataset
from ffnviz.nn.cnn import CNN
from ffnviz.train.conv_trainer import ConvTrainer
from ffnviz.train.race_extras import _frozen


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
        self._last: dict[int, tuple[tuple[int, int], dict]] = {}

    def set_example(self, index) -> None:
        self.example = check_example(index, self.dataset)

    def measure(self, trainers: list[list[ConvTrainer]], diverged_at: list[int | None]) -> tuple[dict, ...]:
        return tuple({} if d is not None else self.of(row[0], i)
                     for i, (row, d) in enumerate(zip(trainers, diverged_at, strict=True)))

    def of(self, t: ConvTrainer, i: int = 0) -> dict:
        stamp = (t.updates, self.example)
        last = self._last.get(i)
        if last is not None and last[0] == stamp:  # nothing moved since: the same pictures
            return last[1]
        out = _frozen(self._read(t))
        self._last[i] = (stamp, out)
        return out

    def _read(self, t: ConvTrainer) -> dict:
        d = self.dataset
        x = d.x_test[self.example:self.example + 1]
        cnn = isinstance(t.model, CNN)
        predictions = t.predictions()  # the whole test set: eval mode, no autograd
        with t.evaluating():
            logits = t.model(t.as_images(x))[0]
            probabilities = torch.softmax(logits, -1).cpu().numpy().astype(np.float32)
        wrong_all = t.misclassified(predictions)
        wrong = wrong_all[: limits.CONV_MISCLASSIFIED]
        out = {
            "kind": "cnn" if cnn else "mlp",
            "example": self.example,
            "image": d.x_test[self.example, 0].copy(),
            "label": int(d.y_test[self.example]),
            "probabilities": probabilities,
            "prediction": int(probabilities.argmax()),
            "confusion": t.confusion(predictions).astype(np.int64),
            "wrong_count": len(wrong_all),
            "wrong": wrong.astype(np.int64),
            "wrong_images": d.x_test[wrong, 0].copy(),
            "wrong_predicted": predictions[wrong].astype(np.int64),
            "wrong_true": d.y_test[wrong].astype(np.int64),
        }
        if cnn:
            out["kernels"] = tuple(k.astype(np.float32) for k in t.kernels())
            out["biases"] = tuple(b["conv"].bias.detach().cpu().numpy().astype(np.float32).copy()
                                  for b in t.model.blocks)
            out["maps"] = tuple((name, m[0].astype(np.float32)) for name, m in t.feature_maps(x))
        return out

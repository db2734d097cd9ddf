"""A bounded metrics history: one row per recorded epoch, thinned by halves when it fills up,
so a long run keeps an evenly spaced picture of its whole past in constant memory."""

from __future__ import annotations

import numpy as np

from ffnviz import limits
from ffnviz.train.trainer import Metrics

COLUMNS = ("update", "epoch", "train_loss", "test_loss", "train_acc", "test_acc", "val_loss", "val_acc", "lr")


class History:
    def __init__(self, max_points: int = limits.HISTORY_POINTS):
        self.max_points = max_points
        self.stride = 1  # record every stride-th epoch
        self._rows: list[tuple[float, ...]] = []
        self._epochs: list[int] = []

    def __len__(self) -> int:
        return len(self._rows)

    def offer(self, epoch_index: int, metrics: Metrics) -> None:
        """Record the metrics at the end of epoch `epoch_index` if the stride keeps it."""
        if epoch_index % self.stride:
            return
        self._rows.append(tuple(getattr(metrics, c) for c in COLUMNS))
        self._epochs.append(epoch_index)
        if len(self._rows) > self.max_points:
            self.stride *= 2
            keep = [i for i, e in enumerate(self._epochs) if e % self.stride == 0]
            self._rows = [self._rows[i] for i in keep]
            self._epochs = [self._epochs[i] for i in keep]

    def as_arrays(self) -> dict[str, np.ndarray]:
        table = np.array(self._rows, dtype=np.float64).reshape(-1, len(COLUMNS))
        return {c: table[:, i].copy() for i, c in enumerate(COLUMNS)}

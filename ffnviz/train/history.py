"""A bounded metrics history: one row per recorded epoch, thinned by halves when it fills up,
so a long run keeps an evenly spaced picture of its whole past in constant memory."""

from __future__ import annotations

import numpy as np

from ffnviz import limits
from ffnviz.train.reading import Metrics

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

    def state(self) -> tuple[np.ndarray, np.ndarray, int]:
        """(rows × COLUMNS, the recorded epochs' indices, the stride): all a saved run needs to
        bring this history back (see `restore`)."""
        rows = np.array(self._rows, dtype=np.float64).reshape(-1, len(COLUMNS))
        return rows, np.array(self._epochs, dtype=np.float64), self.stride

    def restore(self, rows: np.ndarray, epochs: np.ndarray, stride: int) -> None:
        """The history `state` gave (a loaded run's). Raises ValueError on one that cannot be."""
        rows, epochs = np.asarray(rows, np.float64), np.asarray(epochs, np.float64)
        if rows.ndim != 2 or rows.shape[1] != len(COLUMNS) or epochs.shape != (len(rows),):
            raise ValueError(f"a history needs rows × {len(COLUMNS)} values and one epoch per row")
        if len(rows) > self.max_points or stride < 1 or not np.isfinite(epochs).all() or (epochs < 0).any():
            raise ValueError("a history's epochs or stride are out of range")
        self._rows = [tuple(float(x) for x in row) for row in rows]
        self._epochs = [int(e) for e in epochs]
        self.stride = int(stride)

"""What the gated-layers page shows of a sequence race's models besides their curves: a
`SeqView` per contestant, measured by the worker thread at each publication (see
RaceRunner._publish) so that a page never touches a model, on seed 0's trainer and a probe batch
fixed at build time (the first limits.GATE_PROBE test sequences).

Cost (one CPU thread, rnn + gru + lstm, hidden 32): gates and histograms ~6 ms at T=20, ~17 ms at
T=50; input gradients ~5 / ~13 ms; accuracy by length ~17 ms (its lengths are fixed). At four
publications a second that is too much to pay every time, so the two expensive entries are
measured less often, never on the same publication: grad_norms on every GRAD_EVERY-th
measurement (count % GRAD_EVERY == 0), accuracy_by_length on every LENGTH_EVERY-th
(count % LENGTH_EVERY == LENGTH_EVERY // 2), and otherwise repeated from their last
measurement; a contestant without one yet (the first measurement, after a reset) gets it at
once. Measured over 16 publications: mean 8 ms (max 29) at T=20, mean 16 ms (max 45, one
with accuracy by length) at T=50; six FFN contestants (d 32, h 128, T=20): ~1 ms, gates only.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import torch

from ffnviz import limits
from ffnviz.data.sequences import SeqDataset, draw_inputs, targets
from ffnviz.nn.recurrent import input_gradient_norms
from ffnviz.train.seq_trainer import SeqTrainer
from ffnviz.train.snapshot_data import SnapshotData

# Which gates the page shows, per cell, and the range their values live in.
SHOWN = {"gru": ("reset", "update"), "lstm": ("input", "forget", "output"), "rnn": ("hidden",)}
_SIGMOID = (0.0, 1.0)
_TANH = (-1.0, 1.0)


@dataclass(frozen=True, eq=False)
class GateView(SnapshotData):
    """One gate of one model on the probe batch (P sequences)."""

    name: str  # "gate" (FFN kind); GRU "reset", "update"; LSTM "input", "forget", "output"; RNN "hidden"
    # float32; FFN (P, h'); recurrent (min(P, GATE_EXAMPLES), T, H), the first examples only, for
    # the time × unit heatmaps
    values: np.ndarray
    # int64 (HISTOGRAM_BINS,): every probe value (not only those kept in `values`) binned over
    # `edges`, those beyond clipped into the end bins, so they sum to the number of values
    counts: np.ndarray
    # float64 (HISTOGRAM_BINS + 1,): [0, 1] for sigmoid gates, [-1, 1] for a plain RNN's tanh
    # state, [-r, r] for an FFN gate (r = limits.GATE_FFN_RANGE)
    edges: np.ndarray
    near_zero: float  # the share of every probe value with |value| < limits.GATE_NEAR_ZERO


@dataclass(frozen=True, eq=False)
class SeqView(SnapshotData):
    """One contestant of a sequence race (seed 0's trainer), as the gated-layers page shows it.
    The rnn kind's gradients and accuracies are not measured at every publication (see the
    module's docstring): between measurements they are repeated, with the update of theirs."""

    gates: tuple[GateView, ...]  # the shown gates, in SHOWN's order
    grad_norms: np.ndarray | None = None  # rnn kind: ‖∂L/∂e_t‖ per step t on the probe batch, float64 (T,)
    grad_norms_at: int | None = None  # the update count when grad_norms was measured
    # rnn kind, a classification task with one target per sequence: length -> test accuracy on a
    # fresh set of that length (limits.LENGTH_PROBES within limits.SEQ_LENGTH, LENGTH_PROBE_COUNT
    # sequences each, drawn once at build from a seed derived from the data's); else empty
    accuracy_by_length: dict[int, float] = field(default_factory=dict)
    accuracy_by_length_at: int | None = None  # the update count when accuracy_by_length was measured

    def gate(self, name: str) -> GateView | None:
        return next((g for g in self.gates if g.name == name), None)


def _edges(lo: float, hi: float) -> np.ndarray:
    return np.linspace(lo, hi, limits.HISTOGRAM_BINS + 1)


def _counts(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Counts over equal-width `edges`, values outside clipped into the end bins, so that the
    counts sum to the number of values (np.histogram would drop them). Binned by arithmetic and
    bincount: several times faster than np.histogram's search, on every publication."""
    lo, hi, bins = edges[0], edges[-1], len(edges) - 1
    index = ((values.ravel() - lo) * (bins / (hi - lo))).astype(np.int64)
    return np.bincount(np.clip(index, 0, bins - 1), minlength=bins).astype(np.int64)


def length_probes(dataset: SeqDataset) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """Fresh test sets of other lengths for a per-sequence classification task: length ->
    (x, y). Drawn from default_rng((data seed, length, 1)): reproducible, and unlike the data
    set's own draw (default_rng(data seed))."""
    spec = dataset.spec
    if dataset.per_position or dataset.regression:
        return {}
    out = {}
    for length in limits.LENGTH_PROBES:
        if not limits.SEQ_LENGTH.contains(length):
            continue
        probe = replace(spec, length=length, n_sequences=limits.LENGTH_PROBE_COUNT)
        x = draw_inputs(probe, np.random.default_rng((spec.seed, length, 1)))
        out[length] = (x, targets(spec.task, x, spec.offset))
    return out


GRAD_EVERY = 4  # ~1 s at four publications a second
LENGTH_EVERY = 8  # ~2 s: accuracy on other lengths moves slowly


class SeqExtras:
    """The probe batch and length test sets of one sequence race, made once at build time;
    `measure` reads the models. Lock held (the worker's), as for every read of a model."""

    def __init__(self, dataset: SeqDataset):
        self.dataset = dataset
        self.probe_x = dataset.x_test[: limits.GATE_PROBE]
        self.probe_y = dataset.y_test[: limits.GATE_PROBE]
        self.lengths = length_probes(dataset)
        self.restart()

    def restart(self) -> None:
        """Forget the measurements repeated between publications (the race went back to 0)."""
        self.count = 0  # measurements made
        self._kept: dict[tuple[int, str], tuple[int, object]] = {}  # (contestant, key) -> (update, value)

    def measure(self, trainers: list[list[SeqTrainer]], diverged_at: list[int | None]) -> tuple[SeqView | None, ...]:
        """Per contestant, its view; None once it has dropped out (its weights are not finite)."""
        out = tuple(None if d is not None else self.of(row[0], i)
                    for i, (row, d) in enumerate(zip(trainers, diverged_at, strict=True)))
        self.count += 1
        return out

    def _due(self, i: int, key: str, every: int, phase: int) -> bool:
        return (i, key) not in self._kept or self.count % every == phase

    def of(self, t: SeqTrainer, i: int = 0) -> SeqView:
        """Contestant i's view from its trainer t (i keys the measurements kept between publications)."""
        m = t.spec.model
        found = t.gates(self.probe_x)
        names = ("gate",) if m.kind == "ffn" else SHOWN[m.cell]
        gates = tuple(self._gate(name, found[name].astype(np.float32, copy=False), ffn=m.kind == "ffn")
                      for name in names)
        if m.kind != "rnn":
            return SeqView(gates)
        grad_at, grad = self._kept_or_new(t, i, "grad_norms", self.grad_norms, GRAD_EVERY, 0)
        if not self.lengths:
            return SeqView(gates, grad, grad_at)
        length_at, by_length = self._kept_or_new(t, i, "accuracy_by_length", self.accuracy_by_length,
                                                 LENGTH_EVERY, LENGTH_EVERY // 2)
        return SeqView(gates, grad, grad_at, dict(by_length), length_at)

    @staticmethod
    def _gate(name: str, values: np.ndarray, ffn: bool) -> GateView:
        if ffn:
            r = limits.GATE_FFN_RANGE
            edges, shown = _edges(-r, r), values
        else:
            edges = _edges(*(_TANH if name == "hidden" else _SIGMOID))
            shown = values[: limits.GATE_EXAMPLES].copy()  # a copy: the snapshot keeps only these
        # ffn_block.near_zero_fraction's rule, in numpy: its torch version costs ~100 times more
        # on these arrays here (30 ms for 64 × 50 × 32 values).
        near = float(np.count_nonzero(np.abs(values) < limits.GATE_NEAR_ZERO)) / values.size
        return GateView(name, shown, _counts(values, edges), edges, near)

    def _kept_or_new(self, t: SeqTrainer, i: int, key: str, how, every: int, phase: int) -> tuple[int, object]:
        """(update, value): measured now when due, else the last measurement, repeated."""
        if self._due(i, key, every, phase):
            self._kept[(i, key)] = (t.updates, how(t))
        return self._kept[(i, key)]

    def grad_norms(self, t: SeqTrainer) -> np.ndarray:
        """On the probe batch (test sequences), where SeqTrainer.input_gradient_norms reads
        training ones. torch.autograd.grad gives the embedding's gradient alone: the parameters'
        .grad stay as the last update left them, and no random number is drawn (no dropout), so
        the trainer's next update is the one it would have made."""
        x = t.as_inputs(self.probe_x)
        y = torch.as_tensor(self.probe_y).to(t.device, t.y_train.dtype)
        return input_gradient_norms(t.model, x, y, t.data_loss)

    def accuracy_by_length(self, t: SeqTrainer) -> dict[int, float]:
        out = {}
        with t.evaluating():
            for length, (x, y) in self.lengths.items():
                logits = t.model(t.as_inputs(x))
                out[length] = t.accuracy(logits, torch.as_tensor(y).to(t.device))
        return out

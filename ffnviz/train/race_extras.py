"""What the gated-layers page shows of a sequence race's models besides their curves, measured
by the worker thread at each publication (see RaceRunner._publish) so that a page never touches
a model: for seed 0's trainer of every contestant still racing, on a probe batch fixed at build
time (the first limits.GATE_PROBE test sequences),

- "gates": name -> float32 array. FFN kind {"gate": (P, h')}; GRU {"reset", "update"}, LSTM
  {"input", "forget", "output"}, plain RNN {"hidden"}, each (min(P, GATE_EXAMPLES), T, H): the
  first examples only, for the time × unit heatmaps.
- "histograms": name -> int64 counts over "bin_edges"[name] (limits.HISTOGRAM_BINS bins) of all
  P·... values: [0, 1] for sigmoid gates, [-1, 1] for a plain RNN's tanh state, [-r, r] for an
  FFN gate (r = limits.GATE_FFN_RANGE, values beyond clipped into the end bins). Counts sum to
  the number of values.
- "bin_edges": name -> float64 edges, (HISTOGRAM_BINS + 1,).
- "near_zero": name -> the fraction of all probe values with |value| < limits.GATE_NEAR_ZERO
  (ffn_block.near_zero_fraction).
- rnn kind: "grad_norms", ‖∂L/∂e_t‖ per step on the probe batch, float64 (T,); for a
  classification task with one target per sequence, "accuracy_by_length": length -> test
  accuracy on a fresh set of that length (limits.LENGTH_PROBES within limits.SEQ_LENGTH,
  LENGTH_PROBE_COUNT sequences each, drawn once at build from a seed derived from the data's).

- "measured_at": "grad_norms" / "accuracy_by_length" -> the trainer's update count when that
  entry was measured (they are not measured on every publication, see below).

Dropped-out contestants (non-finite weights) and MLP races give {}.

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

from dataclasses import replace

import numpy as np
import torch

from ffnviz import limits
from ffnviz.data.sequences import SeqDataset, _draw, targets
from ffnviz.nn.recurrent import input_gradient_norms
from ffnviz.train.seq_trainer import SeqTrainer

# Which gates the page shows, per cell, and the range their values live in.
SHOWN = {"gru": ("reset", "update"), "lstm": ("input", "forget", "output"), "rnn": ("hidden",)}
_SIGMOID = (0.0, 1.0)
_TANH = (-1.0, 1.0)


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
        x = _draw(probe, np.random.default_rng((spec.seed, length, 1)))
        out[length] = (x, targets(spec.task, x, spec.offset))
    return out


def _frozen(entry: dict) -> dict:
    """Arrays made read-only: one kept array is shared by several snapshots, which are immutable."""
    for value in entry.values() if isinstance(entry, dict) else entry:
        if isinstance(value, np.ndarray):
            value.flags.writeable = False
        elif isinstance(value, dict | list | tuple):
            _frozen(value)
    return entry


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

    def measure(self, trainers: list[list[SeqTrainer]], diverged_at: list[int | None]) -> tuple[dict, ...]:
        out = tuple({} if d is not None else self.of(row[0], i)
                    for i, (row, d) in enumerate(zip(trainers, diverged_at, strict=True)))
        self.count += 1
        return out

    def _due(self, i: int, key: str, every: int, phase: int) -> bool:
        return (i, key) not in self._kept or self.count % every == phase

    def of(self, t: SeqTrainer, i: int = 0) -> dict:
        """Contestant i's extras from its trainer t (i keys the entries kept between measurements)."""
        m = t.spec.model
        found = t.gates(self.probe_x)
        names = ("gate",) if m.kind == "ffn" else SHOWN[m.cell]
        gates, hists, edges, near = {}, {}, {}, {}
        for name in names:
            values = found[name].astype(np.float32, copy=False)
            if m.kind == "ffn":
                r = limits.GATE_FFN_RANGE
                edges[name] = _edges(-r, r)
                gates[name] = values
            else:
                edges[name] = _edges(*(_TANH if name == "hidden" else _SIGMOID))
                gates[name] = values[: limits.GATE_EXAMPLES].copy()  # a copy: the snapshot keeps only these
            hists[name] = _counts(values, edges[name])
            # ffn_block.near_zero_fraction's rule, in numpy: its torch version costs ~100 times more
            # on these arrays here (30 ms for 64 × 50 × 32 values).
            near[name] = float(np.count_nonzero(np.abs(values) < limits.GATE_NEAR_ZERO)) / values.size
        out = {"gates": gates, "histograms": hists, "bin_edges": edges, "near_zero": near}
        if m.kind == "rnn":
            out["measured_at"] = {}
            due = [("grad_norms", self.grad_norms, self._due(i, "grad_norms", GRAD_EVERY, 0))]
            if self.lengths:
                due.append(("accuracy_by_length", self.accuracy_by_length,
                             self._due(i, "accuracy_by_length", LENGTH_EVERY, LENGTH_EVERY // 2)))
            for key, how, now in due:
                if now:
                    self._kept[(i, key)] = (t.updates, how(t))
                at, value = self._kept[(i, key)]
                out["measured_at"][key], out[key] = at, dict(value) if isinstance(value, dict) else value
        return _frozen(out)

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

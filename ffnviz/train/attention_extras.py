"""What the self-attention page shows of a race of TinyTransformers besides their curves: an
`AttnView` per contestant, measured by the worker thread at each publication (see
RaceRunner._publish) on seed 0's trainer, so that a page never touches a model.

Cost (d 32, 2 layers, 2 heads, T 8, one CPU thread): about 10 ms a publication
(docs/PERFORMANCE.md, benchmarks/bench_extras.py); everything is measured at every publication.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from ffnviz import limits
from ffnviz.data.sequences import IGNORE, SeqDataset, targets
from ffnviz.nn.attention import attention_entropy
from ffnviz.train.seq_trainer import SeqTrainer
from ffnviz.train.snapshot_data import SnapshotData


@dataclass(frozen=True, eq=False)
class LayerSteps(SnapshotData):
    """SelfAttention.steps of one layer on the example, batch axis dropped, float32."""

    input: np.ndarray  # (T, d): what the layer's attention reads, LN1 of the layer's input
    q: np.ndarray  # (H, T, dk)
    k: np.ndarray  # (H, T, dk)
    v: np.ndarray  # (H, T, dk)
    scores: np.ndarray  # (H, T, T): QKᵀ/√dk, before the mask
    mask: np.ndarray  # (T, T): -inf where a query may not look, else 0
    weights: np.ndarray  # (H, T, T): softmax(scores + mask); query on the rows, key on the columns
    heads_out: np.ndarray  # (H, T, dk): weights · V
    out: np.ndarray  # (T, d): the heads side by side, through the output projection


@dataclass(frozen=True, eq=False)
class EntropyHistory(SnapshotData):
    """Each head's attention entropy over training, at every measurement where the model had
    moved, thinned by halves beyond limits.PROBE_HISTORY_POINTS."""

    update: np.ndarray  # int64 (n,): the update count of each measurement
    # float32 (n, L, H): nats, the mean over the probe batch's queries; a head that looks at one
    # key has 0, one that spreads evenly over T keys log T
    values: np.ndarray


@dataclass(frozen=True, eq=False)
class AttnView(SnapshotData):
    """One contestant of an attention race (seed 0's trainer) on the example on show: the page's
    choice (`set_example`), by default the first test sequence. Eval mode."""

    example: np.ndarray  # int64 (T,): its tokens
    target: np.ndarray  # int64 (T,): its targets, IGNORE where none
    prediction: np.ndarray  # int64 (T,): the model's argmax at each position
    confidence: np.ndarray  # float32 (T,): the probability of that argmax
    maps: np.ndarray  # float32 (L, H, T, T): every layer's per-head weights (query rows, key columns)
    steps: tuple[LayerSteps, ...]  # per layer
    entropy: EntropyHistory
    position_accuracy: np.ndarray  # float64 (T,): test accuracy at each position, NaN where every target is IGNORE


def even_entropy(length: int, causal: bool) -> float:
    """The entropy chart's reference: the mean over query positions of a row spread evenly over
    the keys it may see — log T for every row without a mask; under the causal mask row t sees t
    keys, so log t, and the mean is log(T!)/T."""
    keys = np.arange(1, length + 1) if causal else np.full(length, length)
    return float(np.log(keys).mean())


def check_example(tokens, dataset: SeqDataset) -> np.ndarray:
    """`tokens` as the model's input, or ValueError saying what is wrong: exactly T whole
    numbers, each a token of the vocabulary."""
    x = np.asarray(tokens)
    length, vocab = dataset.length, dataset.vocab
    if x.ndim != 1 or len(x) != length:
        raise ValueError(f"the example must have {length} tokens, got {x.size}")
    if not np.issubdtype(x.dtype, np.integer) or x.min() < 0 or x.max() >= vocab:
        raise ValueError(f"every token must be a whole number in 0..{vocab - 1}")
    return x.astype(np.int64)


class AttnExtras:
    """The probe batch and the example of one attention race; `measure` reads the models.
    Lock held (the worker's), as for every read of a model."""

    def __init__(self, dataset: SeqDataset):
        self.dataset = dataset
        self.probe_x = dataset.x_test[: limits.GATE_PROBE]
        self.example = dataset.x_test[0].copy()
        self.restart()

    def restart(self) -> None:
        """Forget the entropy history (the race went back to update 0)."""
        self._entropy: dict[int, tuple[list[int], list[np.ndarray]]] = {}

    def set_example(self, tokens) -> None:
        self.example = check_example(tokens, self.dataset)

    def measure(self, trainers: list[list[SeqTrainer]], diverged_at: list[int | None]) -> tuple[AttnView | None, ...]:
        """Per contestant, its view; None once it has dropped out."""
        return tuple(None if d is not None else self.of(row[0], i)
                     for i, (row, d) in enumerate(zip(trainers, diverged_at, strict=True)))

    def of(self, t: SeqTrainer, i: int = 0) -> AttnView:
        spec = self.dataset.spec
        model = t.model
        x = t.as_inputs(self.example[None])
        with t.evaluating():
            probs = torch.softmax(model(x)[0], -1)
            maps = model.attention_maps(x)[:, 0]
            steps = tuple(LayerSteps(**{k: _numpy(v[0] if v.dim() > 2 else v) for k, v in model.steps(x, layer).items()})
                          for layer in range(len(maps)))
            probe = model.attention_maps(t.as_inputs(self.probe_x))  # (L, B, H, T, T)
            entropy = attention_entropy(probe).mean(dim=(1, 3))  # (L, H)
            accuracy = self._position_accuracy(t)
        confidence, prediction = probs.max(-1)
        updates, values = self._entropy.setdefault(i, ([], []))
        if not updates or updates[-1] != t.updates:
            updates.append(t.updates)
            values.append(_numpy(entropy))
            if len(updates) > limits.PROBE_HISTORY_POINTS:  # thin by halves, keeping the latest
                del updates[-2::-2], values[-2::-2]
        return AttnView(
            example=self.example.copy(),
            target=targets(spec.task, self.example, spec.offset),
            prediction=prediction.cpu().numpy(),
            confidence=_numpy(confidence),
            maps=_numpy(maps),
            steps=steps,
            entropy=EntropyHistory(np.array(updates, dtype=np.int64), np.stack(values)),
            position_accuracy=accuracy,
        )

    def _position_accuracy(self, t: SeqTrainer) -> np.ndarray:
        logits = t.model(t.x_test)
        counted = t.y_test != IGNORE
        right = ((logits.argmax(-1) == t.y_test) & counted).sum(0).double()
        return (right / counted.sum(0).double()).cpu().numpy()  # 0/0: NaN where nothing counts


def _numpy(v: torch.Tensor) -> np.ndarray:
    return v.detach().float().cpu().numpy()

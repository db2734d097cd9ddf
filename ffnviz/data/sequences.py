"""Synthetic sequence tasks shared by the gated-layers and self-attention pages, drawn from a
seeded numpy generator.

Two shapes of task:

- one target per sequence ("remember_first", "adding", "parity"): y is (n,);
- one target per position ("reverse", "sort", "copy_offset", "find_earlier"): y is (n, T).

Inputs are token ids, int64 (n, T) in [0, vocab), except the adding problem, whose inputs are
float32 (n, T, 2): a value in [0, 1] and a marker 0/1, with exactly two markers per sequence.
Classification targets are int64 class indices; the adding problem's target is a float32 sum.
A per-position target that does not exist (copy_offset's first `offset` positions) is IGNORE,
torch's default `ignore_index` of `cross_entropy`, so the loss skips it as it is.

`targets(task, x, offset)` is the pure rule of each task; `make_sequences` draws inputs and
applies it, so the rule can be checked on literal arrays.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ffnviz.specs.sequences import TASKS, SeqSpec, TaskInfo

IGNORE = -100  # a target the loss skips: torch.nn.functional.cross_entropy's default ignore_index

@dataclass(frozen=True)
class SeqDataset:
    spec: SeqSpec
    x_train: np.ndarray  # int64 (n, T) token ids; adding: float32 (n, T, 2) value, marker
    y_train: np.ndarray  # per sequence: (n,); per position: (n, T); int64 classes (IGNORE skipped), adding float32
    x_test: np.ndarray
    y_test: np.ndarray
    # Which generated sequence (row of the draw, 0..n_sequences-1) each row is: the split is
    # by sequence, so these two never share an index.
    idx_train: np.ndarray
    idx_test: np.ndarray

    @property
    def info(self) -> TaskInfo:
        return self.spec.info

    @property
    def per_position(self) -> bool:
        return self.info.per_position

    @property
    def regression(self) -> bool:
        return self.info.regression

    @property
    def length(self) -> int:
        return self.spec.length

    @property
    def vocab(self) -> int:
        """Distinct input tokens (0 for the adding problem, whose inputs are not tokens)."""
        return 0 if self.spec.task == "adding" else self.spec.token_vocab

    @property
    def input_size(self) -> int:
        """Features per step: a one-hot token (vocab), or the adding problem's (value, marker)."""
        return 2 if self.spec.task == "adding" else self.spec.token_vocab

    @property
    def n_classes(self) -> int:
        """Outputs per target: classes, or 1 for the adding problem's regression."""
        return self.info.n_outputs(self.spec.token_vocab, self.spec.length)


def _find_earlier(x: np.ndarray) -> np.ndarray:
    n, length = x.shape
    y = np.empty((n, length), dtype=np.int64)
    # last[i, token]: the latest position of `token` seen so far in sequence i (-1: none yet).
    last = np.full((n, int(x.max(initial=0)) + 1), -1, dtype=np.int64)
    rows = np.arange(n)
    for t in range(length):
        seen = last[rows, x[:, t]]
        y[:, t] = np.where(seen < 0, length, seen)
        last[rows, x[:, t]] = t
    return y


def targets(task: str, x: np.ndarray, offset: int = 2) -> np.ndarray:
    """The targets of inputs `x` under `task`: the rule alone, no drawing.

    `x` is int (n, T) token ids, or float (n, T, 2) (value, marker) for "adding"; one sequence
    without the batch axis ((T,) or (T, 2)) gives its targets without it too.

    - remember_first: x[0];  parity: sum(x) mod 2 (x are bits);  adding: sum of value where marker == 1
    - reverse: x[::-1];  sort: sorted x;  copy_offset: y[t] = x[t - offset], IGNORE for t < offset
    - find_earlier: y[t] = the largest j < t with x[j] == x[t], or T ("none") if there is none;
      so its classes are 0..T (T + 1 of them). E.g. x = [3, 1, 3, 2] -> [4, 4, 0, 4].
    """
    if task not in TASKS:
        raise ValueError(f"task must be one of {', '.join(TASKS)}; got {task!r}")
    single = x.ndim == (2 if task == "adding" else 1)
    xs = x[None] if single else x
    if task == "adding":
        y = (xs[..., 0] * (xs[..., 1] == 1)).sum(axis=1).astype(np.float32)
    else:
        xs = xs.astype(np.int64)
        if task == "remember_first":
            y = xs[:, 0].copy()
        elif task == "parity":
            y = xs.sum(axis=1) % 2
        elif task == "reverse":
            y = xs[:, ::-1].copy()
        elif task == "sort":
            y = np.sort(xs, axis=1)
        elif task == "copy_offset":
            if not 1 <= offset < xs.shape[1]:
                raise ValueError(f"offset must be in 1..{xs.shape[1] - 1}, got {offset}")
            y = np.full_like(xs, IGNORE)
            y[:, offset:] = xs[:, :-offset]
        else:
            y = _find_earlier(xs)
    return y[0] if single else y


def draw_inputs(spec: SeqSpec, rng: np.random.Generator) -> np.ndarray:
    """The inputs of `spec.n_sequences` sequences of `spec`'s task, drawn from `rng` (`targets`
    gives their targets)."""
    n, length = spec.n_sequences, spec.length
    if spec.task == "adding":
        values = rng.uniform(0.0, 1.0, (n, length))
        # Two distinct positions per sequence, uniform over the pairs: the first two of a random
        # permutation of each row (argsort of uniform keys).
        marked = np.argsort(rng.random((n, length)), axis=1)[:, :2]
        markers = np.zeros((n, length))
        np.put_along_axis(markers, marked, 1.0, axis=1)
        return np.stack([values, markers], axis=2).astype(np.float32)
    return rng.integers(0, spec.token_vocab, (n, length), dtype=np.int64)


def make_sequences(spec: SeqSpec) -> SeqDataset:
    """The data set of `spec`: inputs drawn from numpy's default_rng(spec.seed), the targets by
    `targets`, then the sequences shuffled with the same generator and cut at train_fraction
    (at least one sequence on each side).

    Balance of the targets (tests/unit/test_sequences.py checks each):

    - remember_first, reverse, sort, copy_offset: tokens are uniform over the vocab, so every
      class is about 1/vocab of the targets (copy_offset's IGNOREs aside; sort's positions each
      lean to small or large tokens, its targets taken together do not).
    - parity: bits are fair coins, so the classes are 50/50.
    - adding: two values uniform in [0, 1], so the target's mean is 1.0 (on [0, 2], triangular).
    - find_earlier: "none" (class T) is the first appearance of each distinct token, about
      vocab (1 - (1 - 1/vocab)^T) / T of the positions; the positions take the rest, the later
      ones more often (more tokens have appeared before them).
    """
    spec.validate()
    rng = np.random.default_rng(spec.seed)
    x = draw_inputs(spec, rng)
    y = targets(spec.task, x, spec.offset)
    order = rng.permutation(spec.n_sequences)
    n_train = min(max(int(round(spec.n_sequences * spec.train_fraction)), 1), spec.n_sequences - 1)
    tr, te = order[:n_train], order[n_train:]
    return SeqDataset(spec, x[tr], y[tr], x[te], y[te], tr, te)


def describe(spec: SeqSpec | SeqDataset) -> dict[str, Any]:
    """Counts and balance for the page, in plain Python types.

    For classification, `class_fractions[c]` is the fraction of the train targets in class c
    (IGNOREs left out); a regression gives the train targets' mean, std, min and max instead.
    """
    ds = spec if isinstance(spec, SeqDataset) else make_sequences(spec)
    y = ds.y_train.ravel()
    kept = y if ds.regression else y[y != IGNORE]
    out: dict[str, Any] = {
        "task": ds.spec.task,
        "per_position": ds.per_position,
        "regression": ds.regression,
        "length": ds.length,
        "vocab": ds.vocab,
        "input_size": ds.input_size,
        "n_classes": ds.n_classes,
        "n_sequences": ds.spec.n_sequences,
        "n_train": len(ds.x_train),
        "n_test": len(ds.x_test),
        "train_targets": int(kept.size),
        "ignored": int(y.size - kept.size),
    }
    if ds.regression:
        out |= {"class_fractions": None, "target_mean": float(kept.mean()), "target_std": float(kept.std()),
                "target_min": float(kept.min()), "target_max": float(kept.max())}
    else:
        counts = np.bincount(kept, minlength=ds.n_classes)
        out["class_fractions"] = [float(c) for c in counts / max(kept.size, 1)]
    return out


def ideal_attention(task: str, x: np.ndarray, offset: int = 2) -> np.ndarray | None:
    """Where each position would look to find its target: a (T, T) float array whose row t
    (the query) spreads weight 1 over the keys holding the token position t must output, or None
    for a task without one such pattern. `x` is one sequence of tokens, (T,).

    - reverse: the mirrored position, an anti-diagonal;  copy_offset: t - offset, a diagonal
      shifted down (rows t < offset, with no target, are empty);
    - sort: every position holding the t-th smallest token (a permutation when tokens differ);
    - find_earlier: the earlier occurrence itself (an empty row for "none").
    """
    x = np.asarray(x)
    length = len(x)
    pattern = np.zeros((length, length))
    rows = np.arange(length)
    if task == "reverse":
        pattern[rows, length - 1 - rows] = 1.0
    elif task == "copy_offset":
        pattern[rows[offset:], rows[offset:] - offset] = 1.0
    elif task == "sort":
        wanted = np.sort(x)
        pattern = (x[None, :] == wanted[:, None]).astype(float)
        pattern /= pattern.sum(1, keepdims=True)
    elif task == "find_earlier":
        y = targets(task, x)
        found = y < length
        pattern[rows[found], y[found]] = 1.0
    else:
        return None
    return pattern

"""What the self-attention page shows of a race of TinyTransformers besides their curves,
measured by the worker thread at each publication (see RaceRunner._publish), so that a page
never touches a model. For seed 0's trainer of every contestant still racing:

- "example": the tokens of the example on show (int64 (T,)), the page's choice (`set_example`),
  by default the first test sequence; "target" its targets (IGNORE where none) and
  "prediction" the model's (T,) argmax, "confidence" the probability of that argmax.
- "maps": float32 (L, H, T, T), every layer's per-head attention weights on the example
  (query on the rows, key on the columns), in eval mode.
- "steps": one dict per layer, the arrays of SelfAttention.steps on the example (batch axis
  dropped): "input" (T, d), "q", "k", "v", "heads_out" (H, T, dk), "scores", "weights"
  (H, T, T), "mask" (T, T) (-inf where a query may not look).
- "entropy": {"update": int64 (n,), "values": float32 (n, L, H)}: each head's attention
  entropy in nats, the mean over the probe batch's queries, at every measurement where the
  model had moved, thinned by halves beyond limits.PROBE_HISTORY_POINTS. A head that looks
  at one key has 0; one that spreads evenly over T keys has log T.
- "position_accuracy": float64 (T,): test accuracy at each position (NaN where every target
  is IGNORE).

Dropped-out contestants give {}. Cost (d 32, 2 layers, 2 heads, T 8, one CPU thread): about a
millisecond per contestant, so everything is measured at every publication.
"""

from __future__ import annotations

import numpy as np
import torch

from ffnviz import limits
from ffnviz.data.sequences import IGNORE, SeqDataset, targets
from ffnviz.nn.attention import attention_entropy
from ffnviz.train.race_extras import _frozen
from ffnviz.train.seq_trainer import SeqTrainer


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

    def measure(self, trainers: list[list[SeqTrainer]], diverged_at: list[int | None]) -> tuple[dict, ...]:
        return tuple({} if d is not None else self.of(row[0], i)
                     for i, (row, d) in enumerate(zip(trainers, diverged_at, strict=True)))

    def of(self, t: SeqTrainer, i: int = 0) -> dict:
        spec = self.dataset.spec
        model = t.model
        x = t.as_inputs(self.example[None])
        with t.evaluating():
            probs = torch.softmax(model(x)[0], -1)
            maps = model.attention_maps(x)[:, 0]
            steps = [{k: _numpy(v[0] if v.dim() > 2 else v) for k, v in model.steps(x, layer).items()}
                     for layer in range(len(maps))]
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
        return _frozen({
            "example": self.example.copy(),
            "target": targets(spec.task, self.example, spec.offset),
            "prediction": prediction.cpu().numpy(),
            "confidence": _numpy(confidence),
            "maps": _numpy(maps),
            "steps": steps,
            "entropy": {"update": np.array(updates, dtype=np.int64), "values": np.stack(values)},
            "position_accuracy": accuracy,
        })

    def _position_accuracy(self, t: SeqTrainer) -> np.ndarray:
        logits = t.model(t.x_test)
        counted = t.y_test != IGNORE
        right = ((logits.argmax(-1) == t.y_test) & counted).sum(0).double()
        return (right / counted.sum(0).double()).cpu().numpy()  # 0/0: NaN where nothing counts


def _numpy(v: torch.Tensor) -> np.ndarray:
    return v.detach().float().cpu().numpy()

"""A class's challenge: the playground's settings the teacher chose, the parts of them that are
locked, and a goal. Hidden controls are only hidden: whether a run is in the challenge is decided
here, on the server, from the run's own snapshot, never from what the page showed.

A run is entered when it keeps every locked setting, can be reproduced from its link (no weights
edited by hand or loaded from a file, no uploaded data) and kept its settings since update 0
(a learning rate changed half-way is not in its final link). Goals count updates, not seconds:
the server is shared.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, replace
from urllib.parse import urlencode

import numpy as np

from ffnviz.page_links import PLAYGROUND
from ffnviz.specs import UPLOAD
from ffnviz.specs.links import HIDE_SUFFIX, link_differences, with_version

GOALS = ("accuracy_params", "updates_to_loss", "accuracy_in_updates")
# goal: (target's lowest, highest); accuracy and loss targets are fractions, updates a count
TARGETS = {"accuracy_params": (0.5, 1.0), "updates_to_loss": (1e-4, 10.0), "accuracy_in_updates": (10, 1_000_000)}
# A lock: the flat keys it holds, and the playground controls it hides (their `<name>_hide=1`).
LOCKS = {
    "data": (("data.",), ("problem", "dataset", "noise", "train", "points", "classes", "regenerate", "features")),
    "network": (("model.",), ("layers", "units", "activation", "init", "dropout")),
    "optimizer": (("optim.", "reg."), ("optimizer", "lr", "hyper", "reg", "rate")),
    "training": (("train.batch_size", "train.seed"), ("batch", "seed")),
}
ALWAYS_HIDDEN = ("files", "lessons")  # a loaded run or a lesson would leave the challenge


@dataclass(frozen=True)
class Challenge:
    goal: str
    target: float
    flat: dict[str, str]  # the playground's settings, every key (PLAYGROUND.to_flat)
    locks: tuple[str, ...] = ("data",)

    def problems(self) -> list[str]:
        found = []
        if self.goal not in GOALS:
            found.append(f"goal must be one of {', '.join(GOALS)}")
        else:
            lo, hi = TARGETS[self.goal]
            if not (isinstance(self.target, int | float) and lo <= self.target <= hi):
                found.append(f"target must be {lo:g}..{hi:g}")
        if not set(self.locks) <= set(LOCKS):
            found.append(f"locks must be among {', '.join(LOCKS)}")
        spec, messages = PLAYGROUND.from_flat(self.flat, PLAYGROUND.default)
        found += messages
        if spec.data.dataset == UPLOAD:
            found.append("a challenge cannot be on an uploaded file")
        return found

    @property
    def spec(self):
        return PLAYGROUND.from_flat(self.flat, PLAYGROUND.default)[0]

    def to_json(self) -> str:
        return json.dumps({"goal": self.goal, "target": self.target, "flat": self.flat, "locks": list(self.locks)})

    @classmethod
    def from_json(cls, text: str | None) -> Challenge | None:
        if not text:
            return None
        try:
            d = json.loads(text)
            found = cls(str(d["goal"]), float(d["target"]), {str(k): str(v) for k, v in d["flat"].items()},
                        tuple(str(x) for x in d["locks"]))
        except (ValueError, KeyError, TypeError, AttributeError):
            return None
        return None if found.problems() else found

    def locked_keys(self) -> list[str]:
        prefixes = tuple(p for lock in self.locks for p in LOCKS[lock][0])
        keys = [k for k in self.flat if k.startswith(prefixes)]
        if self.goal == "accuracy_in_updates":  # the budget is part of the goal
            keys.append("train.max_updates")
        return keys

    def link(self) -> str:
        """The playground's link that opens the challenge, its locked controls hidden."""
        spec = self.spec
        if self.goal == "accuracy_in_updates":
            spec = replace(spec, train=replace(spec.train, max_updates=int(self.target)))
        # The seeds spelled out, whatever the defaults become: every student starts from the same data and weights.
        query = with_version({**link_differences(PLAYGROUND, spec), "data.seed": str(spec.data.seed),
                              "train.seed": str(spec.train.seed)})
        hidden = [name for lock in self.locks for name in LOCKS[lock][1]] + list(ALWAYS_HIDDEN)
        query.update({name + HIDE_SUFFIX: "1" for name in hidden})
        return "/playground?" + urlencode(query)

    def entry(self, snapshot, steady: bool) -> tuple[bool, str, float | None]:
        """(entered, why not as a translation key or "", score) for a playground run's snapshot;
        `steady`: its settings did not change since update 0. Lower scores rank first."""
        if not hasattr(snapshot, "weights"):
            return False, "challenge_other_page", None
        if snapshot.edited:
            return False, "challenge_edited", None
        if snapshot.spec.data.dataset == UPLOAD:
            return False, "challenge_upload", None
        if not steady:
            return False, "challenge_changed", None
        flat, wanted = PLAYGROUND.to_flat(snapshot.spec), self.flat
        if self.goal == "accuracy_in_updates":
            wanted = {**wanted, "train.max_updates": str(int(self.target))}
        if any(flat.get(k) != wanted.get(k) for k in self.locked_keys()):
            return False, "challenge_unlocked", None
        return True, "", self.score(snapshot)

    def score(self, snapshot) -> float | None:
        h = snapshot.history
        updates = np.asarray(h.get("update", ()), np.float64)
        if self.goal == "accuracy_params":
            acc = snapshot.metrics.test_acc
            if not (math.isfinite(acc) and acc >= self.target):
                return None
            return float(sum(w.size for w in snapshot.weights) + sum(b.size for b in snapshot.biases))
        if self.goal == "updates_to_loss":
            loss = np.asarray(h.get("train_loss", ()), np.float64)
            reached = np.flatnonzero(loss <= self.target)
            return float(updates[reached[0]]) if reached.size else None
        acc = np.asarray(h.get("test_acc", ()), np.float64)
        within = acc[(updates <= self.target) & np.isfinite(acc)]
        return -float(within.max()) if within.size else None
